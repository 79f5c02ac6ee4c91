"""Every shortcut of the import's dry run agrees with the one full route, cell by cell.

The dry run judges most cells of a returned export by look-ups (a whole row equal to the store,
a number for a figure that can only be typed, a rate equal to the stored one), and everything
else by ``_judge_cell``. ``dry_run_workbook(..., fast=False)`` sends every cell down the full
route. Here both judge the same generated workbooks against the same generated stores and
locks: our export of two units for a month and 1-10月, and a bureau's own form, with cells
changed to other numbers, text, blanks, "—", negative, huge and percent values, against a store
with figures added, changed or cleared (months and totals included), or emptied first (an
office's first import, every cell 新增 and kept in compact runs), and periods locked. Every cell
must get the same verdict, message, old and new value, in the same order.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import indicators, locks, units, values
from db.connection import Database, open_database
from db.periods import Period
from desktop.services.common.dry_run import DryRun, DryRunItem, KeptRun, Status, mark_conflicts
from desktop.services.common.workbook import SheetGrid, WorkbookGrid, read_workbook
from desktop.services.demo import build_demo
from desktop.services.exchange.export import Selection, export_workbook
from desktop.services.exchange.importing import apply_defaults, find_layouts
from desktop.services.exchange.judging import dry_run_workbook
from tests.support.forms import bureau_form

YTD = Period.parse("2022-YTD10")
MONTH = Period.parse("2022-M10")
PERIODS = [YTD, MONTH, Period.parse("2022-M03"), Period.parse("2021-YTD10")]
UNITS = ("330703", "330213")


class _Fixture:
    """The demo store and the two workbooks, made once for all examples."""

    def __init__(self, folder: Path) -> None:
        self.template = folder / "template.ecodesk"
        db = build_demo(self.template)
        try:
            self.unit_ids = [units.unit_by_code(db, code).id for code in UNITS]
            catalog = indicators.all_indicators(db)
            self.typed_ids = [i.id for i in catalog if not i.is_computed and i.kind == "number"]
            export = folder / "export.xlsx"
            export_workbook(db, Selection(self.unit_ids, [MONTH, YTD]), export)
            form = bureau_form(
                folder / "form.xlsx",
                [
                    ("PM2.5平均浓度", "μg/m³", 26, 30),
                    ("空气质量优良率", "%", 88.5, None),
                    ("优良天数", "天", 270, 268),
                    ("二氧化硫平均浓度", "μg/m³", "—", None),
                ],
            )
            self.grids = {"export": read_workbook(export), "form": read_workbook(form)}
        finally:
            db.close()


@pytest.fixture(scope="module")
def world() -> Iterator[_Fixture]:
    folder = Path(tempfile.mkdtemp(prefix="fast-routes-"))
    yield _Fixture(folder)
    shutil.rmtree(folder, ignore_errors=True)


NUMBERS = st.sampled_from([0.0, 1.0, 12.5, 26.0, 88.5, 99.9, 100.0, 150.0, 270.0, -3.0, 1e9, 7])
CELL = st.one_of(
    NUMBERS,
    st.sampled_from(["", "—", "/", "abc", "12.5", "1,234", "85%", " 26 ", "无"]),
    st.floats(min_value=0, max_value=500, allow_nan=False).map(lambda v: round(v, 2)),
)
EDIT = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), CELL)
STORE = st.tuples(
    st.integers(0, 1),
    st.integers(0, 10_000),
    st.sampled_from(PERIODS),
    st.one_of(st.none(), NUMBERS),
)
LOCK = st.tuples(st.integers(0, 1), st.sampled_from(PERIODS))


def _edited(
    grid: WorkbookGrid, layouts: list[Any], edits: list[tuple[int, int, object]]
) -> WorkbookGrid:
    """A copy of ``grid`` with mapped cells changed (positions drawn among the mapped cells)."""
    sheets = {s.name: [list(row) for row in s.cells] for s in grid.sheets}
    mapped = [
        (layout.sheet, row, col)
        for layout in layouts
        for row in sorted(layout.rows)
        for col in sorted(layout.columns)
        if col >= 0
    ]
    for pick, _, value in edits:
        if not mapped:
            break
        sheet, row, col = mapped[pick % len(mapped)]
        cells = sheets[sheet]
        while len(cells) <= row:
            cells.append([])
        while len(cells[row]) <= col:
            cells[row].append("")
        cells[row][col] = value
    return WorkbookGrid(
        grid.path,
        [SheetGrid(s.name, sheets[s.name], s.merged, s.hidden) for s in grid.sheets],
    )


def _cells(items: list[DryRunItem]) -> list[tuple[object, ...]]:
    return [(i.file, i.sheet, i.cell, i.status, i.reason, i.subject, i.old, i.new) for i in items]


def _store(
    db: Database, world: _Fixture, writes: list[Any], held: list[Any], emptied: bool = False
) -> None:
    """The generated store: ``emptied``, the two units' figures all gone first (an office's
    first import: every cell 新增, the totals derived from nothing); then the writes and locks."""
    if emptied:
        with db.transaction() as conn:
            conn.execute(
                "DELETE FROM value WHERE unit_id IN (?, ?)", (world.unit_ids[0], world.unit_ids[1])
            )
    batch = [
        values.ValueWrite(
            world.unit_ids[u], period.code, world.typed_ids[i % len(world.typed_ids)], value
        )
        for u, i, period, value in writes
    ]
    if batch:
        values.write_values(db, batch)
    for u, period in set(held):
        locks.lock_period(db, world.unit_ids[u], period.code)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(["export", "form"]),
    edits=st.lists(EDIT, max_size=12),
    writes=st.lists(STORE, max_size=10),
    held=st.lists(LOCK, max_size=3),
    emptied=st.booleans(),
)
def test_every_shortcut_gives_the_full_routes_verdict(
    world: _Fixture,
    tmp_path: Path,
    kind: str,
    edits: list[tuple[int, int, object]],
    writes: list[Any],
    held: list[Any],
    emptied: bool,
) -> None:
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "store.ecodesk"
    shutil.copy(world.template, path)
    db = open_database(path)
    try:
        _store(db, world, writes, held, emptied)
        original = world.grids[kind]
        layouts = find_layouts(db, original).layouts
        grid = _edited(original, layouts, edits)
        usable, _ = apply_defaults(grid, layouts)
        fast = dry_run_workbook(db, grid, usable)
        full = dry_run_workbook(db, grid, usable, fast=False)
        assert _cells(fast.items) == _cells(full.items)
        assert fast.items, "the workbook has cells to judge"
    finally:
        db.close()


def test_the_full_route_is_really_taken(world: _Fixture, tmp_path: Path) -> None:
    """The switch works: the full route builds a record for every unchanged cell of an export
    returned as it was, the fast one keeps them in compact runs (made only when read)."""
    path = tmp_path / "s.ecodesk"
    shutil.copy(world.template, path)
    db = open_database(path)
    try:
        grid = world.grids["export"]
        layouts = find_layouts(db, grid).layouts
        fast = dry_run_workbook(db, grid, layouts)
        full = dry_run_workbook(db, grid, layouts, fast=False)
        assert fast._entries is not None and full._entries is not None
        assert any(isinstance(e, KeptRun) for e in fast._entries)
        assert not any(isinstance(e, KeptRun) for e in full._entries)
        assert _cells(fast.items) == _cells(full.items)
    finally:
        db.close()


def _joined(db: Database, grids: list[WorkbookGrid], *, fast: bool) -> list[DryRunItem]:
    """Several returns judged in a row and checked against each other, as a consolidation."""
    joined = DryRun.compact([])
    for grid in grids:
        layouts = find_layouts(db, grid).layouts
        joined.extend(dry_run_workbook(db, grid, layouts, fast=fast))
    mark_conflicts(joined)
    return joined.items


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.lists(EDIT, max_size=6),
    writes=st.lists(STORE, max_size=6),
    held=st.lists(LOCK, max_size=2),
    emptied=st.booleans(),
)
def test_returns_of_one_unit_twice_conflict_as_on_the_full_route(
    world: _Fixture,
    tmp_path: Path,
    edits: list[tuple[int, int, object]],
    writes: list[Any],
    held: list[Any],
    emptied: bool,
) -> None:
    """Two returns holding the same figures (one edited here and there) into one store: the
    kept 新增 runs are made into records only where two cells write one figure, and every
    cell's verdict, 重复 or 取值不同 included, is the full route's."""
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "store.ecodesk"
    shutil.copy(world.template, path)
    db = open_database(path)
    try:
        _store(db, world, writes, held, emptied)
        original = world.grids["export"]
        layouts = find_layouts(db, original).layouts
        edited = _edited(original, layouts, edits)
        second = WorkbookGrid(original.path.with_name("second.xlsx"), edited.sheets)
        fast = _joined(db, [original, second], fast=True)
        full = _joined(db, [original, second], fast=False)
        assert _cells(fast) == _cells(full)
        if emptied and not held:
            assert any("重复" in i.reason for i in fast), "the second return repeats the first"
    finally:
        db.close()


def test_a_first_import_keeps_new_cells_in_runs(
    world: _Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Into a store without the units' figures, the fast route keeps the 新增 cells in compact
    runs (records made only when read), whole rows at a time; the full route makes one per
    cell: the same items."""
    from desktop.services.exchange import judging

    kept_whole: list[int] = []
    keep = judging._FreshRows.keep

    def counted(self: Any, found: Any, row: Any, fresh: Any) -> None:
        kept_whole.append(len(found[1]))
        keep(self, found, row, fresh)

    monkeypatch.setattr(judging._FreshRows, "keep", counted)
    path = tmp_path / "s.ecodesk"
    shutil.copy(world.template, path)
    db = open_database(path)
    try:
        _store(db, world, [], [], emptied=True)
        grid = world.grids["export"]
        layouts = find_layouts(db, grid).layouts
        fast = dry_run_workbook(db, grid, layouts)
        full = dry_run_workbook(db, grid, layouts, fast=False)
        assert fast._entries is not None and full._entries is not None
        kept = [e for e in fast._entries if isinstance(e, KeptRun) and e.status is Status.NEW]
        assert sum(map(len, kept)) >= 20  # the numbers; notes and rates go the full way
        assert kept_whole, "rows of numbers kept whole"
        assert not any(isinstance(e, KeptRun) for e in full._entries)
        assert fast.count(Status.NEW) == full.count(Status.NEW) > 0
        assert _cells(fast.items) == _cells(full.items)
    finally:
        db.close()
