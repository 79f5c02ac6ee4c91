"""Consolidating branch returns: many files, one dry run, one commit, one summary table.

Each file is identified by the 填报单位 written in it (our export stores the unit code) or,
failing that, by a unit name in the file name. A file for another period than the one being
consolidated is refused as a whole. The summary table lists the branches as rows and adds the
total computed with each indicator's aggregation rule (sum, mean; rates are recomputed from the
totals of their inputs, never averaged).
"""

from __future__ import annotations

import re
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
from desktop.services.common.cells import write_cell
from desktop.services.common.dry_run import DryRun, DryRunItem, Status, mark_conflicts
from desktop.services.common.wording import date_text
from desktop.services.common.workbook import SUPPORTED, WorkbookError, read_workbook, save_workbook
from desktop.services.exchange.detect import Matcher
from desktop.services.exchange.export import number_format
from desktop.services.exchange.importing import apply_defaults, find_layouts
from desktop.services.exchange.judging import Progress, dry_run_workbook, new_context


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
    skipped: int = 0  # rows with figures that were not recognised

    def line(self) -> str:
        """The file's closing line: imported / unchanged / refused / rows not recognised."""
        who = "、".join(self.units) or "未识别"
        if self.problem:
            return f"{self.path.name}（{who}）：{self.problem}"
        count = self.counts.get
        imported = count(Status.NEW, 0) + count(Status.CHANGED, 0)
        return (
            f"{self.path.name}（{who}）：导入 {imported} 项，不变 {count(Status.UNCHANGED, 0)} 项，"
            f"拒绝 {count(Status.ERROR, 0)} 项，未识别的行 {self.skipped} 行"
        )


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
        """The refused cells, then per file its rows not recognised (sheet!cell) and its line,
        then the total: every row of every file accounted for."""
        lines = [item.describe() for item in self.dry_run.errors]
        for result in self.files:
            lines.extend(
                row.describe() for row in self.dry_run.skipped if row.file == result.path.name
            )
            lines.append(result.line())
        skipped = len(self.dry_run.skipped)
        lines.append(
            f"共 {len(self.files)} 个文件：{self.dry_run.summary()}，未识别的行 {skipped} 行"
        )
        return lines


def dry_run_returns(
    db: Database, files: Sequence[Path], period: Period, *, progress: Progress | None = None
) -> Consolidation:
    """The dry run of every file for ``period``; a file that cannot be used is reported whole.

    The catalog, units, rules, locks and templates are read once for the whole folder, not
    once per file: the work grows with the number of files, not with its square.
    """
    matcher = Matcher.from_db(db)
    context = new_context(db)
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
        found = find_layouts(db, grid, matcher)
        layouts, problems = found.layouts, found.problems
        wrong = [
            layout for layout in layouts
            if layout.default.period and layout.default.period != period.code
        ]  # fmt: skip
        if wrong:
            label = Period.parse(wrong[0].default.period or "").label
            result.problem = f"表中期间为{label}，与汇总期间{period.label}不符，整个文件未导入"
            dry_run.items.append(
                DryRunItem(path.name, wrong[0].sheet, "A1", Status.ERROR, result.problem)
            )
            continue
        by_name = matcher.unit_within(path.stem)
        unit_code = None
        if by_name is not None and all(layout.default.unit is None for layout in layouts):
            unit_code = by_name.code  # no 填报单位 in the file: the file name says who sent it
        usable, more = apply_defaults(grid, layouts, unit_code=unit_code, period=period)
        file_dry_run = dry_run_workbook(db, grid, usable, context=context)
        items = problems + more + file_dry_run.items
        dry_run.items.extend(items)
        dry_run.skipped.extend(found.skipped)
        result.skipped = len(found.skipped)
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


#: What the bottom rows are: 合计 (sums, and rates recomputed from the summed parts), 平均.
TOTAL, MEAN = "合计", "平均"
APART = "市级数据另行填报"


def rule_of(indicator: Indicator, names: dict[str, str]) -> tuple[str, str]:
    """(the bottom row this indicator's whole goes in, its rule in words) — or ("", rule)
    for a figure that cannot be made from the branches' (a rate without parts, a percentile)."""
    if indicator.formula:
        formula = indicator.formula
        for code in sorted(names, key=len, reverse=True):
            formula = re.sub(rf"\b{re.escape(code)}\b", names[code], formula)
        return TOTAL, f"按各单位合计数重算（{formula.replace('*', '×')}）"
    if indicator.unit_agg == "sum":
        return TOTAL, "各单位相加"
    if indicator.unit_agg == "last":
        return TOTAL, "各单位期末累计数相加"
    if indicator.unit_agg == "mean":
        return MEAN, "各单位算术平均"
    return "", f"不能由各单位数据汇总，{APART}"


def write_summary(
    db: Database,
    unit_ids: Sequence[int],
    period: Period,
    path: Path,
    *,
    parent: Unit | None = None,
    today: date | None = None,
) -> None:
    """The consolidated table as a 市局 sends it upward: branches as rows in the office's order,
    the bottom rows named by what they hold (合计, 平均), indicators across, each indicator's
    rule in the notes; A4 landscape, fitted to the page width, title rows repeated."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    today = today or date.today()
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
    rules = {ind.id: rule_of(ind, names) for ind in shown}
    book = Workbook()
    ws = book.active
    ws.title = "汇总表"
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
    title = write_cell(ws, 1, 1, f"{period.label}主要生态环境指标汇总表")
    title.font, title.alignment = Font(name="黑体", size=16, bold=True), center
    who = parent.name if parent else "汇总"
    middle = max(2, last_col // 2)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=middle)
    write_cell(ws, 2, 1, f"填报单位：{who}")
    ws.merge_cells(start_row=2, start_column=middle + 1, end_row=2, end_column=last_col)
    dated = write_cell(ws, 2, middle + 1, f"填报日期：{date_text(today)}")
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
            cell.font, cell.alignment, cell.border, cell.fill = bold, center, border, header_fill
    rows: list[tuple[str, dict[int, Figure], str]] = [
        (unit_store.unit_by_id(db, uid).name, per_unit[i], "") for i, uid in enumerate(unit_ids)
    ]
    kinds = {row for row, _ in rules.values()}
    place = parent.name if parent else ""
    if TOTAL in kinds or "" in kinds:
        rows.append((f"{place}{TOTAL}", total, TOTAL))
    if MEAN in kinds:
        rows.append((f"{place}{MEAN}", total, MEAN))
    for offset, (name, figures, bottom) in enumerate(rows):
        r = 5 + offset
        write_cell(ws, r, 1, None if bottom else offset + 1)
        write_cell(ws, r, 2, name)
        for n, ind in enumerate(shown, start=3):
            cell = ws.cell(row=r, column=n)
            kind = rules[ind.id][0]
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
    notes_row = 5 + len(rows) + 1
    notes = ["说明：各指标的汇总方式——"] + [
        f"{n}. {ind.name}：{rules[ind.id][1]}" for n, ind in enumerate(shown, start=1)
    ]
    for offset, text in enumerate(notes):
        r = notes_row + offset
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
    save_workbook(book, path)
