"""The dry run of a returned export as the user sees it: every cell judged and counted, the
unchanged ones listed on demand with their addresses, changes and conflicts as before; and a
plan built item by item (the monitoring and ledger imports) working the same way."""

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
from desktop.models.import_plan import ImportPlanModel
from desktop.services.common import workbook
from desktop.services.common.workbook import read_workbook
from desktop.services.exchange.export import Selection, export_workbook
from desktop.services.exchange.importing import plan_file
from desktop.services.exchange.judging import (
    ImportPlan,
    PlanItem,
    Status,
    Subject,
    commit_plan,
    mark_conflicts,
    revert_plan,
)
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
    plan = plan_file(demo_db, out)
    unchanged = plan.count(Status.UNCHANGED)
    assert unchanged > 100
    assert plan.summary() == f"新增 0 项，修改 0 项，不变 {unchanged} 项，错误 0 项"
    assert plan.accepted == [] and plan.errors == []
    items = plan.items
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

    plan = plan_file(demo_db, out)
    [changed] = plan.accepted
    assert changed.status is Status.CHANGED and changed.where == f"{sheet}!{cell.coordinate}"
    assert f"修改 {before:g} → {before + 3:g}" in changed.describe()
    assert plan.count(Status.UNCHANGED) == len(plan.items) - 1
    position = plan.items.index(changed)
    assert 0 < position < len(plan.items) - 1, "listed where it is in the workbook"

    unit_id = units.unit_by_code(demo_db, ISLAND).id
    period = Period.parse(changed.period)
    assert commit_plan(demo_db, plan, "test") == 1
    row_of = read_sheet(demo_db, unit_id, period).row_by_id(changed.indicator_id)
    assert row_of is not None and row_of.current.value == before + 3
    assert revert_plan(demo_db, plan, "test") == 1
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
    plan = plan_file(demo_db, out)
    model = ImportPlanModel()
    model.set_plan(plan)
    assert model.rowCount() == len(plan.items)
    assert model.index(0, 0).data() == "错误" and "约20" in model.index(0, 9).data()
    assert model.index(1, 0).data() == "不变"

    model.set_filter(Status.UNCHANGED)
    unchanged = [i for i in plan.items if i.status is Status.UNCHANGED]
    assert model.rowCount() == plan.count(Status.UNCHANGED) == len(unchanged)
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
    assert {i.status for i in plan_file(demo_db, out).items} == {Status.UNCHANGED}
    sheet, row = _pm25_cell(out)
    book = load_workbook(out)
    ws = book[sheet]
    numbers = [c for c in ws[row] if isinstance(c.value, (int, float)) and c.column > 3]
    assert len(numbers) >= 2
    numbers[0].value = float(numbers[0].value) * (1 + 1e-12)  # Excel's rounding noise
    numbers[1].value = True
    book.save(out)
    by_cell = {i.where: i for i in plan_file(demo_db, out).items}
    assert by_cell[f"{sheet}!{numbers[0].coordinate}"].status is Status.UNCHANGED
    assert by_cell[f"{sheet}!{numbers[1].coordinate}"].status is Status.ERROR


def test_two_cells_writing_one_figure(demo_db: Database, tmp_path: Path) -> None:
    def plan_of(first: object, second: object) -> list[PlanItem]:
        rows = [("PM2.5平均浓度", "μg/m³", first, None), ("PM2.5平均浓度", "μg/m³", second, None)]
        return plan_file(demo_db, bureau_form(tmp_path / f"{first}-{second}.xlsx", rows)).items

    differ = plan_of(20, 21)
    assert [i.status for i in differ] == [Status.ERROR, Status.ERROR]
    assert "同一数据但取值不同" in differ[0].reason and "表1!E7" in differ[0].reason
    same = plan_of(20, 20)
    assert [i.status for i in same] == [Status.CHANGED, Status.UNCHANGED]
    assert "重复" in same[1].reason
    # An unchanged cell writes nothing, so it conflicts with nothing (26 is the stored figure).
    kept = plan_of(26, 21)
    assert [i.status for i in kept] == [Status.UNCHANGED, Status.CHANGED]


def test_a_plan_built_item_by_item_works_as_before(qtbot: QtBot) -> None:
    subject = Subject(1, "某分局", 2, "PM2.5平均浓度", "current", "2022-M3", 0)
    items = [
        PlanItem("a.xlsx", "表1", "E5", Status.NEW, "", subject, None, 20.0),
        PlanItem("a.xlsx", "表1", "E6", Status.ERROR, "“约20”不是数字", subject),
    ]
    plan = ImportPlan(items=items, files=["a.xlsx"])
    assert plan.items is items, "the list given is the plan's list"
    plan.items.append(PlanItem("a.xlsx", "表1", "E7", Status.NEW, "", subject, None, 21.0))
    mark_conflicts(plan)
    assert [i.status for i in plan.items] == [Status.ERROR, Status.ERROR, Status.ERROR]
    assert plan.summary() == "新增 0 项，修改 0 项，不变 0 项，错误 3 项"
    more = ImportPlan(items=[PlanItem("b.xlsx", "表1", "E5", Status.UNCHANGED, "", subject)])
    more.files.append("b.xlsx")
    plan.extend(more)
    assert plan.files == ["a.xlsx", "b.xlsx"] and plan.count(Status.UNCHANGED) == 1
    model = ImportPlanModel()
    model.set_plan(plan)
    assert model.rowCount() == 4 and model.index(3, 1).data() == "b.xlsx"


def test_a_compact_plan_takes_edits_like_a_list(demo_db: Database, tmp_path: Path) -> None:
    out = _export(demo_db, tmp_path / "edit.xlsx")
    plan = plan_file(demo_db, out)
    other = plan_file(demo_db, out)
    count = plan.count(Status.UNCHANGED)
    problem = PlanItem("x.xlsx", "", "", Status.ERROR, "无法读取")
    plan.add([problem], first=True)
    plan.extend(other)
    assert plan.count(Status.UNCHANGED) == 2 * count and plan.errors == [problem]
    rows = plan.select((Status.UNCHANGED,))
    assert len(rows) == 2 * count and rows[-1] == rows[len(rows) - 1]
    assert rows[2:5] == list(rows)[2:5]
    items = plan.items
    assert items[0] is problem and len(items) == 2 * count + 1
    plan.items[1:2] = []
    plan.items.extend([problem])
    assert plan.count(Status.UNCHANGED) == 2 * count - 1 and plan.count(Status.ERROR) == 2


def test_reading_and_judging_leave_the_cycle_collector_as_found(
    demo_db: Database, tmp_path: Path
) -> None:
    out = _export(demo_db, tmp_path / "gc.xlsx")
    assert gc.isenabled()
    plan_file(demo_db, out)
    assert gc.isenabled()
    gc.disable()
    try:
        plan_file(demo_db, out)
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
