"""Meeting packs (会议材料) as one PDF, and single charts exported as PNG, SVG or PDF.

A pack is what a bureau hands round at a 局务会: A4 portrait, a cover line with the title and
date, then each chart on half a page (a whole page when its table is long) with a caption and
the table of its figures beneath, "数据来源：EcoDesk，截至 …" and the page number on every page.
It is drawn with matplotlib's PdfPages, TrueType fonts embedded (``pdf.fonttype = 42``) so the
Chinese text and the figures stay searchable and copyable. No Qt: the page, the command line and
the tests all come here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from db.connection import Database
from db.errors import Cancelled, os_reason
from db.periods import Period
from desktop.services.charts.building import ChartError, ChartSpec, build_chart, describe
from desktop.services.charts.drawing import style
from desktop.services.charts.drawing.data import ChartData, Table
from desktop.services.charts.drawing.render import DEFAULT_SIZE, draw_chart, new_figure
from desktop.services.common.wording import date_text, source_line

if TYPE_CHECKING:
    from matplotlib.figure import Figure

EXPORT_FORMATS = {".png": "PNG 图片", ".svg": "SVG 矢量图", ".pdf": "PDF 文件"}
#: PNG for Word and WPS documents: sharp when printed at full page width.
PNG_DPI = 300
A4 = (8.27, 11.69)
_SIDE, _TOP, _BOTTOM = 0.75, 0.65, 0.75
_COVER = 0.95
_CAPTION = 0.5
_ROW = 0.22
_GAP = 0.3
_HALF_CHART = 2.7
_FULL_CHART = 4.8
#: Table rows that fit beneath a half-page chart; longer tables take a whole page.
HALF_PAGE_ROWS = 5


def export_chart(
    data: ChartData,
    path: Path,
    *,
    day: date | None = None,
    size: tuple[float, float] = DEFAULT_SIZE,
) -> Path:
    """Write one chart as PNG (300 dpi), SVG or PDF, chosen by the file's suffix.

    The source and date go on the image itself: an exported chart travels alone, into a
    document or a slide, and must still say where its figures came from.
    """
    suffix = path.suffix.lower()
    if suffix not in EXPORT_FORMATS:
        raise ValueError(f"不支持“{path.suffix or path.name}”格式，请用 .png、.svg 或 .pdf")
    day = day or date.today()
    caption = replace(data.caption, notes=(*data.caption.notes, source_line(day)))
    fig = new_figure(size)
    draw_chart(fig, replace(data, caption=caption))
    metadata = {"Title": data.caption.title, "Creator": "EcoDesk 生态环境工作台"}
    if suffix == ".png":
        metadata = {"Title": data.caption.title, "Software": "EcoDesk 生态环境工作台"}
    _save_atomically(
        path,
        lambda target: fig.savefig(
            target, format=suffix[1:], dpi=PNG_DPI if suffix == ".png" else 100, metadata=metadata
        ),
    )
    return path


def _save_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Write beside the target and rename: a failed or cancelled write leaves no half file,
    and a file open in a viewer is replaced whole. A refusal of the file system (a full disk, a
    file held open on Windows) is a ``ChartError`` naming the file, for the page and the CLI."""
    partial = path.with_name(f".{path.name}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(partial)
        partial.replace(path)
    except OSError as exc:
        raise ChartError(f"无法写入“{path}”：{os_reason(exc)}") from exc
    finally:
        # Nothing to remove, or no folder to remove it from: the cleanup must not hide the
        # sentence above behind a second error.
        with contextlib.suppress(OSError):
            partial.unlink()


# ---------------------------------------------------------------------------- the pack


@dataclass(frozen=True)
class _Slot:
    data: ChartData
    number: int
    chart_in: float
    rows: int

    @property
    def height(self) -> float:
        return self.chart_in + _CAPTION + _ROW * (self.rows + 1) + _GAP


def _content_height() -> float:
    return A4[1] - _TOP - _BOTTOM


def _plan(charts: Sequence[ChartData], per_page: int) -> list[list[_Slot]]:
    """Lay the charts out on pages: half a page each when their table is short, else a page.

    A table longer than the space left is cut (its last row says how many rows were left out):
    the pack is for reading at a meeting, the full list stays in EcoDesk.
    """
    pages: list[list[_Slot]] = [[]]
    free = _content_height() - _COVER
    for number, data in enumerate(charts, start=1):
        rows = len(data.table.rows)
        chart_in = _HALF_CHART if per_page >= 2 and rows <= HALF_PAGE_ROWS else _FULL_CHART
        slot = _Slot(data, number, chart_in, rows)
        if slot.height > free + 1e-6 and pages[-1]:
            pages.append([])
            free = _content_height()
        fit = int((free - chart_in - _CAPTION - _GAP) / _ROW) - 1
        slot = replace(slot, rows=max(2, min(rows, fit)))
        pages[-1].append(slot)
        free -= slot.height
    return pages


def write_pack(
    path: Path,
    title: str,
    charts: Sequence[ChartData],
    *,
    subtitle: str = "",
    day: date | None = None,
    per_page: int = 2,
    progress: Callable[[int, int], bool] | None = None,
) -> int:
    """Write the meeting pack; return the number of pages.

    ``progress(done, total)`` is called after each page; returning False cancels (raises
    ``Cancelled``) and leaves no file.
    """
    if not charts:
        raise ValueError("会议材料中还没有图表")
    day = day or date.today()
    pages = _plan(charts, per_page)
    style.configure_matplotlib()
    from matplotlib.backends.backend_pdf import PdfPages

    def write(target: Path) -> None:
        metadata = {"Title": title, "Creator": "EcoDesk 生态环境工作台", "Subject": subtitle}
        with PdfPages(target, metadata=metadata) as pdf:
            for index, slots in enumerate(pages):
                fig = new_figure(A4)
                _draw_page(fig, title, subtitle, day, slots, index, len(pages))
                pdf.savefig(fig)
                if progress is not None and not progress(index + 1, len(pages)):
                    raise Cancelled("已取消生成会议材料")

    _save_atomically(path, write)
    return len(pages)


def _draw_page(
    fig: Figure,
    title: str,
    subtitle: str,
    day: date,
    slots: Sequence[_Slot],
    index: int,
    count: int,
) -> None:
    width, height = A4
    top = _TOP
    if index == 0:
        fig.text(
            0.5,
            1 - 0.7 / height,
            title,
            ha="center",
            va="top",
            fontsize=18,
            fontweight="bold",
            color=style.TEXT,
        )
        line = "　".join(t for t in (subtitle, date_text(day)) if t)
        fig.text(
            0.5, 1 - 1.12 / height, line, ha="center", va="top", fontsize=11, color=style.MUTED
        )
        top += _COVER
    else:
        fig.text(
            1 - _SIDE / width,
            1 - 0.4 / height,
            title,
            ha="right",
            va="top",
            fontsize=8.5,
            color=style.MUTED,
        )
    fig.text(
        _SIDE / width,
        0.4 / height,
        source_line(day),
        ha="left",
        va="bottom",
        fontsize=8.5,
        color=style.MUTED,
    )
    fig.text(
        1 - _SIDE / width,
        0.4 / height,
        f"第 {index + 1} 页 / 共 {count} 页",
        ha="right",
        va="bottom",
        fontsize=8.5,
        color=style.MUTED,
    )
    inner = (width - 2 * _SIDE) / width
    for slot in slots:
        # A subfigure takes its place from grid ratios only (left/top are ignored), so the
        # grid spans the page: margin, chart, rest.
        rest = max(0.01, height - top - slot.chart_in)
        grid = fig.add_gridspec(
            3,
            3,
            height_ratios=[top, slot.chart_in, rest],
            width_ratios=[_SIDE, width - 2 * _SIDE, _SIDE],
            wspace=0,
            hspace=0,
        )
        sub = fig.add_subfigure(grid[1, 1])
        draw_chart(sub, slot.data, titles=False)
        top += slot.chart_in
        caption = slot.data.caption
        fig.text(
            0.5,
            1 - (top + 0.08) / height,
            f"图{slot.number}　{caption.title}",
            ha="center",
            va="top",
            fontsize=11,
            fontweight="bold",
        )
        fig.text(
            0.5,
            1 - (top + 0.32) / height,
            caption.subtitle,
            ha="center",
            va="top",
            fontsize=8.5,
            color=style.MUTED,
        )
        top += _CAPTION
        table_h = _ROW * (slot.rows + 1)
        _draw_table(
            fig,
            slot.data.table,
            slot.rows,
            (_SIDE / width, 1 - (top + table_h) / height, inner, table_h / height),
        )
        top += table_h + _GAP


def _draw_table(
    fig: Figure, table: Table, rows: int, rect: tuple[float, float, float, float]
) -> None:
    """The chart's figures beneath it; a table too long for the page ends with a "略" row."""
    body = [list(r) for r in table.rows]
    if len(body) > rows:
        left_out = len(body) - (rows - 1)
        body = [*body[: rows - 1], [f"……其余 {left_out} 行略", *([""] * (len(table.header) - 1))]]
    from matplotlib.transforms import Bbox

    ax = fig.add_axes(rect)
    ax.set_axis_off()
    width_in = rect[2] * A4[0]
    widths = [
        max(style.text_width_in(str(cell), 8.5) for cell in column) + 0.16
        for column in zip(table.header, *body, strict=True)
    ]
    total = sum(widths)
    size = 8.5 if total <= width_in else max(5.0, 8.5 * width_in / total)
    shown = ax.table(
        cellText=body or None,
        colLabels=list(table.header),
        colWidths=[w / total for w in widths],
        cellLoc="center",
        bbox=Bbox.from_bounds(0, 0, 1, 1),
    )
    shown.auto_set_font_size(False)
    shown.set_fontsize(size)
    for (row, _), cell in shown.get_celld().items():
        cell.set_edgecolor(style.GRID)
        cell.set_linewidth(0.6)
        if row == 0:
            cell.set_facecolor("#eef2f7")
            cell.get_text().set_fontweight("bold")


# ---------------------------------------------------------------------------- saved sets


@dataclass(frozen=True)
class PreparedPack:
    """A saved set's charts built for one period, ready to write; ``skipped`` says why any
    chart was left out (no figures yet for the new month) so the user is told, not surprised."""

    title: str
    subtitle: str
    charts: tuple[ChartData, ...]
    skipped: tuple[str, ...]


def prepare_pack(
    db: Database, specs: Sequence[ChartSpec], title: str, period: Period | None
) -> PreparedPack:
    """Build every chart of a set; ``period`` re-runs the whole set for that period."""
    charts: list[ChartData] = []
    skipped: list[str] = []
    periods: list[Period] = []
    for number, spec in enumerate(specs, start=1):
        spec = spec.with_period(period) if period is not None else spec
        try:
            charts.append(build_chart(db, spec))
        except ChartError as exc:
            skipped.append(f"第{number}张（{describe(spec, db)}）：{exc}")
            continue
        if spec.period:
            periods.append(Period.parse(spec.period))
    shown = period or (max(periods) if periods else None)
    return PreparedPack(title, shown.label if shown else "", tuple(charts), tuple(skipped))
