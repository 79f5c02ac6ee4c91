"""The dry run of one file: read it, find each sheet's layout, judge every cell.

Our own exports carry their layout; any other workbook is read from its headers. The caller
may name the unit or the period when the file does not say (a form without a 填报单位 line).
A sheet whose unit or period cannot be determined gives one error naming what to fix, rather
than one per cell.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from db.connection import Database
from db.periods import Period
from desktop.services.common.dry_run import DryRun, DryRunItem, SkippedRow, Status
from desktop.services.common.text import is_plain_number
from desktop.services.common.workbook import SheetGrid, WorkbookGrid, cell_address, read_workbook
from desktop.services.exchange import templates
from desktop.services.exchange.detect import (
    CODE_VALUE,
    Matcher,
    Unmatched,
    detect_sheet,
    find_unit,
    is_heading,
    layouts_from_metadata,
    read_period,
    unit_elsewhere,
)
from desktop.services.exchange.judging import Progress, dry_run_workbook
from desktop.services.exchange.layout import SheetLayout
from desktop.services.exchange.percent_check import flag_fractions


def dry_run_file(
    db: Database,
    path: Path,
    *,
    unit_code: str | None = None,
    period: Period | None = None,
    progress: Progress | None = None,
) -> DryRun:
    """Everything importing ``path`` would do; raises ``WorkbookError`` for an unreadable file."""
    with cycle_collection_paused():
        grid = read_workbook(path)
        dry_run = dry_run_grid(db, grid, unit_code=unit_code, period=period, progress=progress)
        del grid  # freed now, while paused: the collector then never has to look at its cells
    return dry_run


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector off while a workbook is read and judged.

    Reading and judging make hundreds of thousands of objects (cell values, row lists, the
    stored figures) that hold no reference cycles and are freed by reference counting; the
    collector would only rescan them again and again (about 0.03 s of the 0.6 s dry run of a
    130-unit export). The switch is process-wide, so other threads' cyclic garbage waits for
    those moments too. It is switched back on afterwards, unless it was off already.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def dry_run_grid(
    db: Database,
    grid: WorkbookGrid,
    *,
    unit_code: str | None = None,
    period: Period | None = None,
    progress: Progress | None = None,
) -> DryRun:
    found = find_layouts(db, grid)
    usable, more = apply_defaults(grid, found.layouts, unit_code=unit_code, period=period)
    dry_run = dry_run_workbook(db, grid, usable, progress=progress)
    flag_fractions(db, dry_run)  # an .xls's percent cells arrive as fractions
    dry_run.add(found.problems + more, first=True)
    dry_run.skipped.extend(found.skipped)
    dry_run.readings.extend((grid.path.name, text) for text in found.readings)
    return dry_run


@dataclass
class Found:
    """What a workbook's sheets hold: their layouts, what could not be read (errors), and the
    rows with figures that will not be imported (named in the report)."""

    layouts: list[SheetLayout]
    problems: list[DryRunItem] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    template: str = ""  # the saved template the workbook was recognised as, if any
    #: What was read from each sheet and where ("调度表!A1：期间读作2022年1-10月（据…）").
    readings: list[str] = field(default_factory=list)
    #: (sheet, row) of every data row whose label matched no indicator, with suggestions.
    unmatched: list[tuple[str, Unmatched]] = field(default_factory=list)


def find_layouts(db: Database, grid: WorkbookGrid, matcher: Matcher | None = None) -> Found:
    """Each sheet's layout and what could not be read: our export's stored layout, else a saved
    template the workbook is a copy of, else what its headers say."""
    layouts = layouts_from_metadata(grid)
    if layouts is not None:
        # Our export writes a sheet for a unit with no figures in the period (its title and
        # headers only): nothing to import there, and nothing wrong with it.
        return Found([layout for layout in layouts if layout.rows])
    template = templates.find(db, grid)  # a bureau form mapped once before
    if template is not None:
        matcher = matcher or Matcher.from_db(db)
        found = Found([], template=template.name)
        for layout in template.layouts:
            placed, problem, reading = _placed(grid, layout, matcher)
            found.layouts.append(placed)
            if problem:
                found.problems.append(problem)
            if reading:
                found.readings.append(reading)
        found.skipped = rows_left_out(grid, template.layouts, template.name)
        found.skipped += [
            SkippedRow(
                grid.path.name, sheet, cell_address(r, c), text,
                f"表样“{template.name}”中没有此列（填报时插入），未导入",
            )
            for sheet, r, c, text in template.inserted_columns
        ]  # fmt: skip
        return found
    return detect_all(db, grid, matcher)


def _placed(
    grid: WorkbookGrid, layout: SheetLayout, matcher: Matcher
) -> tuple[SheetLayout, DryRunItem | None, str]:
    """A template's layout with the unit and period this copy of the form says: its 填报单位
    line, its sheet's or file's name, its title (a template keeps neither: each copy is
    another branch's, another month's); and where the period was read."""
    if layout.default.unit and layout.default.period:
        return layout, None, ""
    sheet = grid.sheet(layout.sheet)
    above = min(layout.rows, default=sheet.height)
    problem = None
    unit_code = layout.default.unit
    if unit_code is None:
        unit, cell, written = find_unit(sheet, matcher, above)
        if unit is None and written and cell is not None:
            problem = DryRunItem(
                grid.path.name, sheet.name, cell_address(*cell), Status.ERROR,
                f"填报单位“{written}”不是已知单位：请先新增该单位或为其加别名"
                "（ecodesk-cli units add / units alias），或导入时指定单位",
            )  # fmt: skip
        elif unit is None:
            unit = unit_elsewhere(sheet, matcher, above, grid.path.stem)
        unit_code = unit.code if unit else None
        layout = replace(layout, unit_cell=cell or layout.unit_cell)
    period_code, said = layout.default.period, ""
    if period_code is None:
        reading = read_period(sheet, above)
        period_code = reading.period.code if reading else None
        said = reading.describe(sheet.name) if reading else ""
    return layout.with_default(unit=unit_code, period=period_code), problem, said


def rows_left_out(
    grid: WorkbookGrid, layouts: list[SheetLayout], template: str
) -> list[SkippedRow]:
    """The rows with figures that a template does not import: marked 不导入 when it was mapped,
    or not mapped at all (a partial template, or a row the bureau added since)."""
    skipped: list[SkippedRow] = []
    for layout in layouts:
        if not layout.rows or not layout.columns:
            continue
        sheet = grid.sheet(layout.sheet)
        label_col = label_column(sheet, layout)
        for r in range(min(layout.rows), sheet.height):
            if r in layout.rows or (r in sheet.hidden_rows and r not in layout.ignored):
                continue
            label = sheet.text(r, label_col) if label_col is not None else ""
            has_figures = any(sheet.value(r, c) is not None for c in layout.columns)
            if not label or not has_figures or is_heading(label):
                continue
            reason = (
                f"表样“{template}”中标为不导入（目录中没有此指标）"
                if r in layout.ignored
                else f"不在表样“{template}”中（未对应此行），未导入"
            )
            where = cell_address(r, label_col if label_col is not None else 0)
            skipped.append(SkippedRow(grid.path.name, sheet.name, where, label, reason))
    return skipped


def label_column(sheet: SheetGrid, layout: SheetLayout) -> int | None:
    """The column left of the figures that holds the mapped rows' labels: visible, every
    mapped row has text there that is neither a number nor a code, the longest such texts."""
    best: tuple[int, int] | None = None
    for col in range(min(layout.columns)):
        if col in sheet.hidden_columns:
            continue
        texts = [sheet.text(r, col) for r in layout.rows]
        if all(t and not is_plain_number(t) and not CODE_VALUE.match(t) for t in texts):
            length = sum(map(len, texts))
            if best is None or length > best[0]:
                best = (length, col)
    return best[1] if best else None


def detect_all(db: Database, grid: WorkbookGrid, matcher: Matcher | None = None) -> Found:
    """Layouts read from the headers of every visible sheet, what could not be matched, and the
    rows whose label names no catalog indicator (with suggestions, never applied)."""
    name = grid.path.name
    problems: list[DryRunItem] = []
    skipped: list[SkippedRow] = []
    unmatched: list[tuple[str, Unmatched]] = []
    readings: list[str] = []
    matcher = matcher or Matcher.from_db(db)
    layouts: list[SheetLayout] = []
    for sheet in grid.sheets:
        if sheet.hidden:
            continue
        detected = detect_sheet(sheet, matcher, file_stem=grid.path.stem)
        if detected is None:
            continue
        layouts.append(detected.layout)
        problems.extend(
            DryRunItem(name, sheet.name, cell_address(r, c), Status.ERROR, reason)
            for r, c, reason in detected.problems
        )
        skipped.extend(
            SkippedRow(
                name, sheet.name, cell_address(u.row, u.col), u.label,
                f"不是目录中的指标，未导入（{u.hint()}）",
            )
            for u in detected.unmatched
            if u.has_figures
        )  # fmt: skip
        unmatched.extend((sheet.name, u) for u in detected.unmatched)
        if detected.period_reading is not None:
            readings.append(detected.period_reading.describe(sheet.name))
    if not layouts:
        problems.append(
            DryRunItem(
                name, grid.sheets[0].name if grid.sheets else "", "A1", Status.ERROR,
                "没有找到含“指标”表头的工作表：请用 EcoDesk 导出的表格，或先为该表样建立映射",
            )
        )  # fmt: skip
    return Found(layouts, problems, skipped, unmatched=unmatched, readings=readings)


def apply_defaults(
    grid: WorkbookGrid,
    layouts: list[SheetLayout],
    *,
    unit_code: str | None = None,
    period: Period | None = None,
) -> tuple[list[SheetLayout], list[DryRunItem]]:
    """Layouts with the caller's unit and period filled in, and the sheets still unplaceable."""
    name = grid.path.name
    problems: list[DryRunItem] = []
    usable: list[SheetLayout] = []
    for layout in layouts:
        layout = layout.told(unit_code, period.code if period is not None else None)
        missing = _missing(layout)
        if missing:
            where = cell_address(*layout.unit_cell) if layout.unit_cell else "A1"
            problems.append(DryRunItem(name, layout.sheet, where, Status.ERROR, missing))
            continue
        usable.append(layout)
    return usable, problems


def _missing(layout: SheetLayout) -> str:
    """Why no cell of the sheet can be placed, or ""."""
    if not layout.rows or not layout.columns:
        return "没有识别出任何指标行或数据列"
    keys = [layout.default, *layout.rows.values(), *layout.columns.values()]
    if all(k.unit is None for k in keys):
        return "找不到“填报单位”：请在表头写明“填报单位：单位名称”，或导入时指定单位"
    if all(k.period is None for k in keys):
        return "找不到期间：请在标题或表头写明（如“2022年1-10月”），或导入时指定期间"
    return ""
