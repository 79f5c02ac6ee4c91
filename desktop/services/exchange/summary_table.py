"""The consolidated table a 市局 sends upward (汇总表): the branches' figures and the whole.

Branches are rows in the office's own order (``unit.sort_order``), indicators are columns. The
bottom rows are named by what they hold: 合计 (figures that add up, and rates recomputed from
the summed parts where the catalog gives their formula) and 平均 (concentrations and other
means); a figure the branches' cannot make (a rate without parts, a percentile concentration)
reads "市级数据另行填报". Every indicator's rule is in the notes under the table. Each sheet
fits A4 landscape across, its title and header rows repeated on every page, 填报单位 and 填报日期
on the first; more indicators than fit readably across a page go on further sheets, split
between categories where possible.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from db import units as unit_store
from db.connection import Database
from db.formulas import readable
from db.indicators import all_indicators
from db.periods import Period
from db.records import Indicator, Unit
from db.sheet import Figure, derive, display, read_sheet
from desktop.services.common.cells import write_cell
from desktop.services.common.wording import date_text
from desktop.services.common.workbook import save_workbook
from desktop.services.exchange.export import number_format

TOTAL, MEAN = "合计", "平均"
APART = "市级数据另行填报"
#: Indicator columns on one A4 landscape sheet that stay readable once fitted to its width.
COLUMNS_PER_SHEET = 14


def total_figures(catalog: list[Indicator], per_unit: list[dict[int, Figure]]) -> dict[int, Figure]:
    """The figures of the whole: each input aggregated by its rule, then totals and rates."""
    aggregated: dict[int, float | None] = {}
    for ind in catalog:
        if ind.is_computed or ind.unit_agg == "none":
            continue
        numbers = [f[ind.id].value for f in per_unit if f[ind.id].value is not None]
        if not numbers:
            continue
        found = [float(n) for n in numbers if n is not None]
        aggregated[ind.id] = sum(found) if ind.unit_agg == "sum" else sum(found) / len(found)
    return derive(catalog, aggregated)


def rule_of(indicator: Indicator, names: dict[str, str]) -> tuple[str, str]:
    """(the bottom row this indicator's whole goes in, its rule in words) — or ("", rule)
    for a figure that cannot be made from the branches' (a rate without parts, a percentile)."""
    if indicator.formula:
        return TOTAL, f"按各单位合计数重算（{readable(indicator.formula, names)}）"
    if indicator.unit_agg == "sum":
        return TOTAL, "各单位相加"
    if indicator.unit_agg == "last":
        return TOTAL, "各单位期末累计数相加"
    if indicator.unit_agg == "mean":
        return MEAN, "各单位算术平均"
    return "", f"不能由各单位数据汇总，{APART}"


def sheet_groups(shown: list[Indicator], width: int = COLUMNS_PER_SHEET) -> list[list[Indicator]]:
    """The indicators of each sheet: whole categories together while they fit, a category wider
    than a sheet split on its own."""
    groups: list[list[Indicator]] = []
    current: list[Indicator] = []
    categories: dict[str, list[Indicator]] = {}
    for ind in shown:
        categories.setdefault(ind.category, []).append(ind)
    for members in categories.values():
        if current and len(current) + len(members) > width:
            groups.append(current)
            current = []
        for ind in members:
            if len(current) == width:
                groups.append(current)
                current = []
            current.append(ind)
    if current:
        groups.append(current)
    return groups or [[]]


def write_summary(
    db: Database,
    unit_ids: Sequence[int],
    period: Period,
    path: Path,
    *,
    parent: Unit | None = None,
    today: date | None = None,
) -> None:
    """The consolidated table of ``unit_ids`` for ``period`` (see the module docstring)."""
    from openpyxl import Workbook

    catalog = all_indicators(db)
    order = {u.id: n for n, u in enumerate(unit_store.all_units(db))}
    unit_ids = sorted(unit_ids, key=lambda uid: order.get(uid, len(order)))
    sheets = [read_sheet(db, unit_id, period, catalog) for unit_id in unit_ids]
    per_unit = [{r.indicator.id: r.current for r in sheet.rows} for sheet in sheets]
    total = total_figures(catalog, per_unit)
    shown = [
        ind for ind in catalog
        if any(f[ind.id].value is not None for f in per_unit) or total[ind.id].value is not None
    ]  # fmt: skip
    names = {i.code: i.name for i in catalog}
    table = _Table(
        period=period,
        who=parent.name if parent else "汇总",
        place=parent.name if parent else "",
        today=today or date.today(),
        branches=[unit_store.unit_by_id(db, uid).name for uid in unit_ids],
        per_unit=per_unit,
        total=total,
        rules={ind.id: rule_of(ind, names) for ind in shown},
    )
    book = Workbook()
    groups = sheet_groups(shown)
    for number, group in enumerate(groups, start=1):
        ws = book.active if number == 1 else book.create_sheet()
        ws.title = "汇总表" if len(groups) == 1 else f"汇总表（{number}）"
        part = f"（{number}/{len(groups)}）" if len(groups) > 1 else ""
        table.write(ws, group, part)
    save_workbook(book, path)


class _Table:
    """What every sheet of one summary shows; ``write`` lays out one sheet's indicators."""

    def __init__(
        self,
        *,
        period: Period,
        who: str,
        place: str,
        today: date,
        branches: list[str],
        per_unit: list[dict[int, Figure]],
        total: dict[int, Figure],
        rules: dict[int, tuple[str, str]],
    ) -> None:
        self.period, self.who, self.place, self.today = period, who, place, today
        self.branches, self.per_unit, self.total, self.rules = branches, per_unit, total, rules

    def write(self, ws: Any, shown: list[Indicator], part: str) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
        from openpyxl.utils import get_column_letter

        last_col = max(3, 2 + len(shown))
        thin = Side(style="thin", color="000000")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        bold = Font(name="宋体", size=11, bold=True)
        body = Font(name="宋体", size=11)
        small = Font(name="宋体", size=9)
        header_fill = PatternFill("solid", fgColor="DDEBF7")
        total_fill = PatternFill("solid", fgColor="F2F2F2")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
        title = write_cell(ws, 1, 1, f"{self.period.label}主要生态环境指标汇总表{part}")
        title.font, title.alignment = Font(name="黑体", size=16, bold=True), center
        middle = max(2, last_col // 2)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=middle)
        write_cell(ws, 2, 1, f"填报单位：{self.who}")
        ws.merge_cells(start_row=2, start_column=middle + 1, end_row=2, end_column=last_col)
        dated = write_cell(ws, 2, middle + 1, f"填报日期：{date_text(self.today)}")
        dated.alignment = Alignment(horizontal="right")
        for col, text in ((1, "序号"), (2, "单位")):
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
            write_cell(ws, 3, col, text)
        for n, ind in enumerate(shown, start=3):
            write_cell(ws, 3, n, ind.name)
            write_cell(ws, 4, n, ind.unit)
        for r in (3, 4):
            for c in range(1, last_col + 1):
                cell = ws.cell(row=r, column=c)
                cell.font, cell.alignment, cell.border, cell.fill = (
                    bold, center, border, header_fill
                )  # fmt: skip
        rows: list[tuple[str, dict[int, Figure], str]] = [
            (name, self.per_unit[i], "") for i, name in enumerate(self.branches)
        ]
        kinds = {self.rules[ind.id][0] for ind in shown}
        if TOTAL in kinds or "" in kinds:
            rows.append((f"{self.place}{TOTAL}", self.total, TOTAL))
        if MEAN in kinds:
            rows.append((f"{self.place}{MEAN}", self.total, MEAN))
        for offset, (name, figures, bottom) in enumerate(rows):
            r = 5 + offset
            write_cell(ws, r, 1, None if bottom else offset + 1)
            write_cell(ws, r, 2, name)
            for n, ind in enumerate(shown, start=3):
                kind = self.rules[ind.id][0]
                if bottom and kind != bottom:
                    if bottom == TOTAL and kind == "":
                        write_cell(ws, r, n, APART).font = small
                    continue
                figure = figures[ind.id]
                if figure.value is not None:
                    if ind.kind == "water_class":
                        write_cell(ws, r, n, display(ind, figure.value))
                    else:
                        cell = write_cell(ws, r, n, figure.value)
                        cell.number_format = number_format(ind)
            for c in range(1, last_col + 1):
                cell = ws.cell(row=r, column=c)
                cell.border = border
                if cell.font != small:
                    cell.font = bold if bottom else body
                cell.alignment = Alignment(vertical="center", wrap_text=True)
                if bottom:
                    cell.fill = total_fill
        notes = ["说明：各指标的汇总方式——"] + [
            f"{n}. {ind.name}：{self.rules[ind.id][1]}" for n, ind in enumerate(shown, start=1)
        ]
        for offset, text in enumerate(notes):
            r = 5 + len(rows) + 1 + offset
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last_col)
            note = write_cell(ws, r, 1, text)
            note.font, note.alignment = small, Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions["A"].width = 6
        ws.column_dimensions["B"].width = 26
        for n in range(3, last_col + 1):
            ws.column_dimensions[get_column_letter(n)].width = 11
        ws.row_dimensions[3].height = 48
        ws.freeze_panes = "C5"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True  # fit across: every column on one page
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.print_title_rows = "1:4"
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.oddFooter.right.text = "数据来源：EcoDesk"
