"""The dry run of a returned export as the user sees it: every cell judged and counted, the
unchanged ones listed on demand with their addresses, changes and conflicts as before; and a
dry run built item by item (the monitoring and ledger imports) working the same way."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from db import units, values
from db.connection import Database
from db.indicators import indicator_by_code
from db.periods import Period
from db.sheet import read_sheet
from desktop.models.dry_run_table import DryRunModel
from desktop.services.common import workbook
from desktop.services.common.dry_run import DryRun, DryRunItem, Status, Subject, mark_conflicts
from desktop.services.common.workbook import read_workbook
from desktop.services.exchange.export import Selection, export_workbook
from desktop.services.exchange.importing import dry_run_file
from desktop.services.exchange.judging import commit_dry_run, revert_dry_run
from tests.support.forms import bureau_form

P = Period.parse("2022-YTD10")
ISLAND = "330300-01"
ADDRESS = re.compile(r"^(?P<sheet>.+)!(?P<col>[A-Z]+)(?P<row>\d+)$")


def _export(
    db: Database, path: Path, codes: tuple[str, ...] = (ISLAND,), periods: tuple[str, ...] = ()
) -> Path:
    ids = [units.unit_by_code(db, c).id for c in codes]
    chosen = [Period.parse(p) for p in periods] or [Period.parse("2021-Y"), P]
    export_workbook(db, Selection(ids, chosen), path)
    return path


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _pm25_cell(path: Path) -> tuple[str, int]:
    """The sheet and row of PM2.5 in our export (本期 of the first period is column D)."""
    book = load_workbook(path)
    ws = book.worksheets[0]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "PM2.5平均浓度")
    return ws.title, row


def test_round_trip_counts_every_cell_unchanged_in_reading_order(
    demo_db: Database, tmp_path: Path
) -> None:
    out = _export(demo_db, tmp_path / "round.xlsx", (ISLAND, "330703", "330400"))
    dry_run = dry_run_file(demo_db, out)
    unchanged = dry_run.count(Status.UNCHANGED)
    assert unchanged > 100
    assert dry_run.summary() == f"新增 0 项，修改 0 项，不变 {unchanged} 项，错误 0 项"
    assert dry_run.accepted == [] and dry_run.errors == []
    items = dry_run.items
    assert len(items) == unchanged and {i.status for i in items} == {Status.UNCHANGED}
    book = load_workbook(out)
    order = [ws.title for ws in book.worksheets]
    places = []
    for item in items:
        found = ADDRESS.match(item.where)
        assert found, item.where
        sheet, col, row = found["sheet"], _column_number(found["col"]), int(found["row"])
        written = book[sheet].cell(row, col).value
        assert written is not None and item.old == item.new
        if isinstance(written, (int, float)):  # not a water class written as Ⅲ类
            assert item.new == pytest.approx(written)
        assert item.unit_name and item.indicator_name and item.period
        places.append((order.index(sheet), row, col))
    assert places == sorted(places), "cells are listed in reading order"


def test_a_changed_cell_among_unchanged_shows_old_to_new_and_undoes(
    demo_db: Database, tmp_path: Path
) -> None:
    out = _export(demo_db, tmp_path / "one.xlsx")
    sheet, row = _pm25_cell(out)
    book = load_workbook(out)
    cell = next(c for c in book[sheet][row] if c.column > 3 and isinstance(c.value, int | float))
    before = float(cell.value)
    cell.value = before + 3
    book.save(out)

    dry_run = dry_run_file(demo_db, out)
    [changed] = dry_run.accepted
    assert changed.status is Status.CHANGED and changed.where == f"{sheet}!{cell.coordinate}"
    assert f"修改 {before:g} → {before + 3:g}" in changed.describe()
    assert dry_run.count(Status.UNCHANGED) == len(dry_run.items) - 1
    position = dry_run.items.index(changed)
    assert 0 < position < len(dry_run.items) - 1, "listed where it is in the workbook"

    unit_id = units.unit_by_code(demo_db, ISLAND).id
    period = Period.parse(changed.period)
    assert commit_dry_run(demo_db, dry_run, "test") == 1
    row_of = read_sheet(demo_db, unit_id, period).row_by_id(changed.indicator_id)
    assert row_of is not None and row_of.current.value == before + 3
    assert revert_dry_run(demo_db, dry_run, "test") == 1
    row_of = read_sheet(demo_db, unit_id, period).row_by_id(changed.indicator_id)
    assert row_of is not None and row_of.current.value == before


def test_preview_lists_unchanged_cells_with_addresses_when_filtered(
    demo_db: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    out = _export(demo_db, tmp_path / "preview.xlsx")
    book = load_workbook(out)
    sheet, row = _pm25_cell(out)
    typed = next(c for c in book[sheet][row] if c.column > 3 and isinstance(c.value, int | float))
    typed.value = "约20"
    book.save(out)
    dry_run = dry_run_file(demo_db, out)
    model = DryRunModel()
    model.set_dry_run(dry_run)
    assert model.rowCount() == len(dry_run.items)
    assert model.index(0, 0).data() == "错误" and "约20" in model.index(0, 9).data()
    assert model.index(1, 0).data() == "不变"

    model.set_filter(Status.UNCHANGED)
    unchanged = [i for i in dry_run.items if i.status is Status.UNCHANGED]
    assert model.rowCount() == dry_run.count(Status.UNCHANGED) == len(unchanged)
    for row_number in (0, len(unchanged) // 2, len(unchanged) - 1):
        assert model.index(row_number, 0).data() == "不变"
        assert model.index(row_number, 2).data() == unchanged[row_number].where
        assert model.index(row_number, 8).data() == unchanged[row_number].shown(
            unchanged[row_number].new
        )
    model.set_filter(Status.ERROR)
    assert model.rowCount() == 1 and model.index(0, 2).data() == f"{sheet}!{typed.coordinate}"


def test_cells_that_merely_look_unchanged_are_judged_in_full(
    demo_db: Database, tmp_path: Path
) -> None:
    """A row of figures equal to the store is kept whole; one odd cell sends it cell by cell."""
    unit_id = units.unit_by_code(demo_db, ISLAND).id
    pm25 = indicator_by_code(demo_db, "pm25").id
    months = ("2022-M1", "2022-M2", "2022-M3")
    values.write_values(
        demo_db, [values.ValueWrite(unit_id, m, pm25, 30.0 + n) for n, m in enumerate(months)]
    )
    out = _export(demo_db, tmp_path / "odd.xlsx", (ISLAND,), months)
    assert {i.status for i in dry_run_file(demo_db, out).items} == {Status.UNCHANGED}
    sheet, row = _pm25_cell(out)
    book = load_workbook(out)
    ws = book[sheet]
    numbers = [c for c in ws[row] if isinstance(c.value, (int, float)) and c.column > 3]
    assert len(numbers) >= 2
    numbers[0].value = float(numbers[0].value) * (1 + 1e-12)  # Excel's rounding noise
    numbers[1].value = True
    book.save(out)
    by_cell = {i.where: i for i in dry_run_file(demo_db, out).items}
    assert by_cell[f"{sheet}!{numbers[0].coordinate}"].status is Status.UNCHANGED
    assert by_cell[f"{sheet}!{numbers[1].coordinate}"].status is Status.ERROR


def test_two_cells_writing_one_figure(demo_db: Database, tmp_path: Path) -> None:
    def dry_run_of(first: object, second: object) -> list[DryRunItem]:
        rows = [("PM2.5平均浓度", "μg/m³", first, None), ("PM2.5平均浓度", "μg/m³", second, None)]
        return dry_run_file(demo_db, bureau_form(tmp_path / f"{first}-{second}.xlsx", rows)).items

    differ = dry_run_of(20, 21)
    assert [i.status for i in differ] == [Status.ERROR, Status.ERROR]
    assert "同一数据但取值不同" in differ[0].reason and "表1!E7" in differ[0].reason
    same = dry_run_of(20, 20)
    assert [i.status for i in same] == [Status.CHANGED, Status.UNCHANGED]
    assert "重复" in same[1].reason
    # An unchanged cell writes nothing, so it conflicts with nothing (26 is the stored figure).
    kept = dry_run_of(26, 21)
    assert [i.status for i in kept] == [Status.UNCHANGED, Status.CHANGED]


def test_a_dry_run_built_item_by_item_works_as_before(qtbot: QtBot) -> None:
    subject = Subject(1, "某分局", 2, "PM2.5平均浓度", "current", "2022-M3", 0)
    items = [
        DryRunItem("a.xlsx", "表1", "E5", Status.NEW, "", subject, None, 20.0),
        DryRunItem("a.xlsx", "表1", "E6", Status.ERROR, "“约20”不是数字", subject),
    ]
    dry_run = DryRun(items=items, files=["a.xlsx"])
    assert dry_run.items is items, "the list given is the dry run's list"
    dry_run.items.append(DryRunItem("a.xlsx", "表1", "E7", Status.NEW, "", subject, None, 21.0))
    mark_conflicts(dry_run)
    assert [i.status for i in dry_run.items] == [Status.ERROR, Status.ERROR, Status.ERROR]
    assert dry_run.summary() == "新增 0 项，修改 0 项，不变 0 项，错误 3 项"
    more = DryRun(items=[DryRunItem("b.xlsx", "表1", "E5", Status.UNCHANGED, "", subject)])
    more.files.append("b.xlsx")
    dry_run.extend(more)
    assert dry_run.files == ["a.xlsx", "b.xlsx"] and dry_run.count(Status.UNCHANGED) == 1
    model = DryRunModel()
    model.set_dry_run(dry_run)
    assert model.rowCount() == 4 and model.index(3, 1).data() == "b.xlsx"


def test_a_compact_dry_run_takes_edits_like_a_list(demo_db: Database, tmp_path: Path) -> None:
    out = _export(demo_db, tmp_path / "edit.xlsx")
    dry_run = dry_run_file(demo_db, out)
    other = dry_run_file(demo_db, out)
    count = dry_run.count(Status.UNCHANGED)
    problem = DryRunItem("x.xlsx", "", "", Status.ERROR, "无法读取")
    dry_run.add([problem], first=True)
    dry_run.extend(other)
    assert dry_run.count(Status.UNCHANGED) == 2 * count and dry_run.errors == [problem]
    rows = dry_run.select((Status.UNCHANGED,))
    assert len(rows) == 2 * count and rows[-1] == rows[len(rows) - 1]
    assert rows[2:5] == list(rows)[2:5]
    items = dry_run.items
    assert items[0] is problem and len(items) == 2 * count + 1
    dry_run.items[1:2] = []
    dry_run.items.extend([problem])
    assert dry_run.count(Status.UNCHANGED) == 2 * count - 1 and dry_run.count(Status.ERROR) == 2


def test_reading_and_judging_leave_the_cycle_collector_as_found(
    demo_db: Database, tmp_path: Path
) -> None:
    out = _export(demo_db, tmp_path / "gc.xlsx")
    assert gc.isenabled()
    dry_run_file(demo_db, out)
    assert gc.isenabled()
    gc.disable()
    try:
        dry_run_file(demo_db, out)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_grid_cells_are_cleaned_only_when_rows_are_asked_for(tmp_path: Path) -> None:
    form = bureau_form(tmp_path / "f.xlsx", [("PM2.5平均浓度", "μg/m³", 20, None)])
    sheet = read_workbook(form).sheets[0]
    assert sheet.cells[5][5] == "" and sheet.value(5, 5) is None, "empty is None to the reader"
    assert sheet.rows[5][5] is None and sheet.rows[5][4] == 20


def test_a_workbook_read_on_several_threads_reads_the_same(
    demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _export(
        demo_db, tmp_path / "many.xlsx", (ISLAND, "330703", "330400", "330213", "620800-01")
    )
    monkeypatch.setattr(workbook, "SHEETS_PER_THREAD", 10_000)
    alone = read_workbook(out)
    monkeypatch.setattr(workbook, "SHEETS_PER_THREAD", 1)
    monkeypatch.setattr(workbook.os, "cpu_count", lambda: 4)
    shared = read_workbook(out)
    assert len(shared.sheets) == len(alone.sheets) >= 5
    for one, other in zip(alone.sheets, shared.sheets, strict=True):
        assert (one.name, one.cells, one.merged, one.hidden) == (
            other.name, other.cells, other.merged, other.hidden,
        )  # fmt: skip
