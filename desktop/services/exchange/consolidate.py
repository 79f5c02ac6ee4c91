"""Consolidating branch returns: many files, one dry run, one commit, one summary table.

Each file is identified by the 填报单位 written in it (our export stores the unit code) or,
failing that, by a unit name in the file name. A file for another period than the one being
consolidated is refused as a whole. The summary table lists the branches as rows and adds the
total computed with each indicator's aggregation rule (sum, mean; rates are recomputed from the
totals of their inputs, never averaged).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from db import units as unit_store
from db.connection import Database
from db.errors import Cancelled
from db.indicators import all_indicators
from db.periods import Period
from db.records import Indicator, Unit
from db.sheet import Figure, derive, display, read_sheet
from desktop.services.common.dry_run import DryRun, DryRunItem, Status, mark_conflicts
from desktop.services.common.wording import date_text
from desktop.services.common.workbook import SUPPORTED, WorkbookError, read_workbook, save_workbook
from desktop.services.exchange.detect import Matcher
from desktop.services.exchange.export import number_format, set_text
from desktop.services.exchange.importing import apply_defaults, find_layouts
from desktop.services.exchange.judging import Progress, dry_run_workbook, read_catalog


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Workbooks named directly or found in the given folders (Office lock files skipped)."""
    found: list[Path] = []
    for path in paths:
        candidates = sorted(path.iterdir()) if path.is_dir() else [path]
        for candidate in candidates:
            if candidate.suffix.lower() in SUPPORTED and not candidate.name.startswith("~$"):
                found.append(candidate)
    return found


@dataclass
class FileResult:
    path: Path
    units: list[str] = field(default_factory=list)
    counts: dict[Status, int] = field(default_factory=dict)
    problem: str = ""

    def line(self) -> str:
        who = "、".join(self.units) or "未识别"
        if self.problem:
            return f"{self.path.name}（{who}）：{self.problem}"
        parts = "，".join(f"{s.value} {self.counts.get(s, 0)} 项" for s in Status)
        return f"{self.path.name}（{who}）：{parts}"


@dataclass
class Consolidation:
    dry_run: DryRun
    files: list[FileResult]

    def unit_ids(self) -> list[int]:
        ids: list[int] = []
        for item in self.dry_run.items:
            if item.unit_id is not None and item.unit_id not in ids:
                ids.append(item.unit_id)
        return ids

    def report_lines(self) -> list[str]:
        lines = [f.line() for f in self.files]
        lines.extend(item.describe() for item in self.dry_run.errors)
        lines.append(f"共 {len(self.files)} 个文件：{self.dry_run.summary()}")
        return lines


def dry_run_returns(
    db: Database, files: Sequence[Path], period: Period, *, progress: Progress | None = None
) -> Consolidation:
    """The dry run of every file for ``period``; a file that cannot be used is reported whole."""
    catalog = read_catalog(db)  # once for all files: per file it grew with files × locks
    matcher = Matcher(catalog.indicators, catalog.units)
    dry_run = DryRun()
    results: list[FileResult] = []
    for number, path in enumerate(files, start=1):
        result = FileResult(path)
        results.append(result)
        dry_run.files.append(path.name)
        try:
            grid = read_workbook(path)
        except WorkbookError as exc:
            result.problem = exc.message
            dry_run.items.append(DryRunItem(path.name, "", "", Status.ERROR, exc.message))
            continue
        layouts, problems = find_layouts(db, grid)
        wrong = [
            layout for layout in layouts
            if layout.default.period and layout.default.period != period.code
        ]  # fmt: skip
        if wrong:
            found = Period.parse(wrong[0].default.period or "").label
            result.problem = f"表中期间为{found}，与汇总期间{period.label}不符，整个文件未导入"
            dry_run.items.append(
                DryRunItem(path.name, wrong[0].sheet, "A1", Status.ERROR, result.problem)
            )
            continue
        by_name = matcher.unit(path.stem)
        unit_code = None
        if by_name is not None and all(layout.default.unit is None for layout in layouts):
            unit_code = by_name.code  # no 填报单位 in the file: the file name says who sent it
        usable, more = apply_defaults(grid, layouts, unit_code=unit_code, period=period)
        file_dry_run = dry_run_workbook(db, grid, usable, catalog=catalog)
        items = problems + more + file_dry_run.items
        dry_run.items.extend(items)
        result.units = sorted({i.unit_name for i in items if i.unit_name})
        if progress is not None and not progress(number, len(files)):
            raise Cancelled("已取消")
    mark_conflicts(dry_run)  # two files for one unit must agree
    by_file = {r.path.name: r for r in results}
    for item in dry_run.items:
        counts = by_file[item.file].counts
        counts[item.status] = counts.get(item.status, 0) + 1
    return Consolidation(dry_run, results)


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


def write_summary(
    db: Database,
    unit_ids: Sequence[int],
    period: Period,
    path: Path,
    *,
    parent: Unit | None = None,
    today: date | None = None,
) -> None:
    """The consolidated table: branches as rows, the total last, indicators across."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    today = today or date.today()
    catalog = all_indicators(db)
    sheets = [read_sheet(db, unit_id, period, catalog) for unit_id in unit_ids]
    per_unit = [{r.indicator.id: r.current for r in sheet.rows} for sheet in sheets]
    total = total_figures(catalog, per_unit)
    shown = [
        ind for ind in catalog
        if any(f[ind.id].value is not None for f in per_unit) or total[ind.id].value is not None
    ]  # fmt: skip
    book = Workbook()
    ws = book.active
    ws.title = "汇总表"
    last_col = 2 + len(shown)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    bold = Font(name="宋体", size=11, bold=True)
    body = Font(name="宋体", size=11)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    total_fill = PatternFill("solid", fgColor="F2F2F2")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(3, last_col))
    title = ws.cell(row=1, column=1, value=f"{period.label}主要生态环境指标汇总表")
    title.font, title.alignment = Font(name="黑体", size=16, bold=True), center
    who = parent.name if parent else "汇总"
    set_text(ws.cell(row=2, column=1), f"填报单位：{who}")
    ws.cell(
        row=2,
        column=max(3, last_col),
        value=f"填报日期：{date_text(today)}",
    )
    ws.cell(row=2, column=max(3, last_col)).alignment = Alignment(horizontal="right")
    for col, text in ((1, "序号"), (2, "单位")):
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
        ws.cell(row=3, column=col, value=text)
    for n, ind in enumerate(shown, start=3):
        set_text(ws.cell(row=3, column=n), ind.name)
        set_text(ws.cell(row=4, column=n), ind.unit)
    for r in (3, 4):
        for c in range(1, last_col + 1):
            cell = ws.cell(row=r, column=c)
            cell.font, cell.alignment, cell.border, cell.fill = bold, center, border, header_fill
    rows = [
        (unit_store.unit_by_id(db, uid).name, per_unit[i], False) for i, uid in enumerate(unit_ids)
    ]
    rows.append((f"{who}合计" if parent else "合计", total, True))
    for offset, (name, figures, is_total) in enumerate(rows):
        r = 5 + offset
        ws.cell(row=r, column=1, value=None if is_total else offset + 1)
        set_text(ws.cell(row=r, column=2), name)
        for n, ind in enumerate(shown, start=3):
            figure = figures[ind.id]
            cell = ws.cell(row=r, column=n)
            if figure.value is not None:
                if ind.kind == "water_class":
                    set_text(cell, display(ind, figure.value))
                else:
                    cell.value = figure.value
                    cell.number_format = number_format(ind)
        for c in range(1, last_col + 1):
            cell = ws.cell(row=r, column=c)
            cell.border = border
            cell.font = bold if is_total else body
            if is_total:
                cell.fill = total_fill
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 28
    for n in range(3, last_col + 1):
        ws.column_dimensions[get_column_letter(n)].width = 12
    ws.row_dimensions[3].height = 48
    ws.freeze_panes = "C5"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToHeight = 0
    ws.page_setup.fitToWidth = 0
    ws.print_title_rows = "3:4"
    ws.print_title_cols = "A:B"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.right.text = "数据来源：EcoDesk"
    save_workbook(book, path)
