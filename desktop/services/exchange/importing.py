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
from pathlib import Path

from db import units
from db.connection import Database
from db.indicators import all_indicators
from db.periods import Period
from desktop.services.common.dry_run import DryRun, DryRunItem, Status
from desktop.services.common.workbook import WorkbookGrid, cell_address, read_workbook
from desktop.services.exchange import templates
from desktop.services.exchange.detect import Matcher, detect_sheet, layouts_from_metadata
from desktop.services.exchange.judging import Progress, dry_run_workbook
from desktop.services.exchange.layout import SheetLayout


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
    layouts, problems = find_layouts(db, grid)
    usable, more = apply_defaults(grid, layouts, unit_code=unit_code, period=period)
    dry_run = dry_run_workbook(db, grid, usable, progress=progress)
    dry_run.add(problems + more, first=True)
    return dry_run


def find_layouts(db: Database, grid: WorkbookGrid) -> tuple[list[SheetLayout], list[DryRunItem]]:
    """Each sheet's layout and what could not be read: our export's stored layout, else a saved
    template the workbook is a copy of, else what its headers say."""
    problems: list[DryRunItem] = []
    layouts = layouts_from_metadata(grid)
    if layouts is not None:
        # Our export writes a sheet for a unit with no figures in the period (its title and
        # headers only): nothing to import there, and nothing wrong with it.
        layouts = [layout for layout in layouts if layout.rows]
    if layouts is None:
        template = templates.find(db, grid)  # a bureau form mapped once before
        if template is not None:
            layouts = template.layouts
    if layouts is None:
        layouts, problems = detect_all(db, grid)
    return layouts, problems


def detect_all(db: Database, grid: WorkbookGrid) -> tuple[list[SheetLayout], list[DryRunItem]]:
    """Layouts read from the headers of every visible sheet, and what could not be matched."""
    name = grid.path.name
    problems: list[DryRunItem] = []
    matcher = Matcher(all_indicators(db), units.all_units(db))
    layouts: list[SheetLayout] = []
    for sheet in grid.sheets:
        if sheet.hidden:
            continue
        detected = detect_sheet(sheet, matcher)
        if detected is None:
            continue
        layouts.append(detected.layout)
        problems.extend(
            DryRunItem(name, sheet.name, cell_address(r, c), Status.ERROR, reason)
            for r, c, reason in detected.problems
        )
    if not layouts:
        problems.append(
            DryRunItem(
                name, grid.sheets[0].name if grid.sheets else "", "A1", Status.ERROR,
                "没有找到含“指标”表头的工作表：请用 EcoDesk 导出的表格，或先为该表样建立映射",
            )
        )  # fmt: skip
    return layouts, problems


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
