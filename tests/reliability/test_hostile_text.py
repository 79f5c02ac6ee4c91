"""Text a user or an old system put into the store, written through every exporter.

Whatever it starts with (= + - @ tab CR) it must come back as the same text, stored as a string
cell, never a formula; control characters must not block the export; a round trip of the ledger
keeps the 整改措施 "=加强巡查".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from db import ledger, plans, units
from db.connection import Database
from db.errors import ValueRejected
from db.indicators import indicator_by_code
from db.periods import Period
from db.text_limits import MAX_CELL_CHARS
from db.values import ValueWrite, write_values
from desktop.services.common.dry_run import Status
from desktop.services.exchange.export import Selection, export_workbook
from desktop.services.exchange.filling import fill_form
from desktop.services.exchange.layout import Key, SheetLayout
from desktop.services.exchange.summary_table import write_summary
from desktop.services.ledger import spreadsheet
from desktop.services.plans.checklist import export_plan

ISLAND = "330300-01"
P = Period.parse("2022-YTD10")
HOSTILE = ["=加强巡查", "+86 巡查", "-3 处", "@SUM(A1:A2)", "\t=1+1", "\r=cmd|'/c calc'!A0"]
CONTROL = "巡查\x01记录\x1f完毕"  # pasted from an old system: XML cannot hold \x01 or \x1f


def _all_text_cells(path: Path) -> dict[str, tuple[str, str]]:
    """Every text cell of the workbook: "sheet!A1" → (value, data type)."""
    found = {}
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    found[f"{ws.title}!{cell.coordinate}"] = (cell.value, cell.data_type)
    return found


def _calamine_texts(path: Path) -> set[str]:
    book = CalamineWorkbook.from_path(str(path))
    texts = set()
    for name in book.sheet_names:
        for row in book.get_sheet_by_name(name).to_python():
            texts.update(v for v in row if isinstance(v, str))
    return texts


def _assert_safe(path: Path, expected: list[str]) -> None:
    cells = _all_text_cells(path)
    formulas = {where: v for where, (v, kind) in cells.items() if kind != "s"}
    assert not formulas, f"{path.name}: text written as formulas: {formulas}"
    read_back = _calamine_texts(path)
    for text in expected:
        assert any(text in v for v in read_back), f"{path.name}: {text!r} lost"


@pytest.fixture
def hostile_db(demo_db: Database) -> Database:
    """The demo with hostile text in a unit's name, notes, plan items and ledger fields; one
    note with control characters stored before entry cleaned them (written straight in SQL)."""
    db = demo_db
    island = units.unit_by_code(db, ISLAND)
    pm25 = indicator_by_code(db, "pm25").id
    so2 = indicator_by_code(db, "so2").id
    units.add_unit(db, "330399", '=HYPERLINK("x")分局', short_name="@分局", parent_code="330300")
    write_values(db, [ValueWrite(island.id, P.code, pm25, 17.0, HOSTILE[0])])
    write_values(db, [ValueWrite(island.id, P.code, so2, 5.0, "临时")])
    with db.transaction() as conn:  # as an older EcoDesk stored it
        conn.execute("UPDATE value SET note = ? WHERE note = '临时'", (CONTROL,))
    plan = plans.create_plan(db, island.id, 2022, "-重点工作")
    plans.add_items(
        db, plan.id, [plans.NewItem(marker="1.", text="=加强巡查", department="+执法科")]
    )
    problem = ledger.problems_for(db, island.id)[0]
    ledger.update_problem(db, problem.id, measures="=加强巡查", responsible="@东屏街道")
    ledger.update_problem(db, problem.id, progress="\t-已完成一半")
    return db


def test_every_exporter_writes_hostile_text_as_text(hostile_db: Database, tmp_path: Path) -> None:
    db = hostile_db
    island = units.unit_by_code(db, ISLAND)
    hostile_unit = units.unit_by_code(db, "330399")

    main = tmp_path / "导出.xlsx"
    export_workbook(db, Selection([island.id, hostile_unit.id], [P]), main)
    _assert_safe(main, ["=加强巡查", '=HYPERLINK("x")分局', "巡查记录完毕"])
    notes = [
        c.comment.text
        for ws in load_workbook(main).worksheets
        for row in ws.iter_rows()
        for c in row
        if c.comment is not None
    ]
    assert any("控制字符" in n for n in notes), "the cleaned note says it was changed"

    plan_file = tmp_path / "计划.xlsx"
    export_plan(db, plans.plans_for(db, island.id, 2022)[-1], plan_file, date(2022, 11, 5))
    _assert_safe(plan_file, ["=加强巡查", "+执法科"])

    ledger_file = tmp_path / "台账.xlsx"
    spreadsheet.export_ledger(db, island.id, ledger_file, date(2022, 11, 5))
    _assert_safe(ledger_file, ["=加强巡查", "@东屏街道", "-已完成一半"])

    summary = tmp_path / "汇总.xlsx"
    write_summary(db, [island.id, hostile_unit.id], P, summary)
    _assert_safe(summary, ['=HYPERLINK("x")分局'])

    form = tmp_path / "表样.xlsx"
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "月报"
    ws.append(["指标", "计量", "本期", "备注"])
    ws.append(["细颗粒物浓度", "微克/立方米", None, None])
    ws.append(["二氧化硫浓度", "微克/立方米", None, None])
    book.save(form)
    layout = SheetLayout(
        sheet="月报",
        default=Key(unit=ISLAND, period=P.code),
        rows={1: Key(indicator="pm25"), 2: Key(indicator="so2")},
        columns={2: Key(field="current"), 3: Key(field="note")},
        measure_column=1,
    )
    filled = tmp_path / "已填.xlsx"
    assert fill_form(db, form, [layout], filled).written == 4
    _assert_safe(filled, ["=加强巡查", "巡查记录完毕"])


def test_the_ledger_round_trip_keeps_a_measure_that_starts_with_equals(
    hostile_db: Database, tmp_path: Path
) -> None:
    island = units.unit_by_code(hostile_db, ISLAND)
    path = tmp_path / "台账.xlsx"
    count = spreadsheet.export_ledger(hostile_db, island.id, path, date(2022, 11, 5))
    dry_run = spreadsheet.dry_run_ledger(hostile_db, island.id, path)
    changed = [i.describe() for i in dry_run.items if i.status is not Status.UNCHANGED]
    assert not changed, changed
    assert dry_run.count(Status.UNCHANGED) == count
    problem = ledger.problems_for(hostile_db, island.id)[0]
    assert problem.measures == "=加强巡查"


def test_text_longer_than_a_cell_is_refused_where_it_is_typed(hostile_db: Database) -> None:
    db = hostile_db
    island = units.unit_by_code(db, ISLAND)
    pm25 = indicator_by_code(db, "pm25").id
    long_text = "巡" * (MAX_CELL_CHARS + 1)
    with pytest.raises(ValueRejected, match="超过 Excel 单元格上限"):
        write_values(db, [ValueWrite(island.id, P.code, pm25, 17.0, long_text)])
    problem = ledger.problems_for(db, island.id)[0]
    with pytest.raises(ValueRejected, match="整改措施"):
        ledger.update_problem(db, problem.id, measures=long_text)
    plan = plans.plans_for(db, island.id, 2022)[-1]
    item = plans.items_of(db, plan.id)[0]
    with pytest.raises(ValueRejected):
        plans.add_note(db, item.id, "2022-11-05", long_text)
    # Control characters are cleaned where they enter, not refused: they carry nothing visible.
    write_values(db, [ValueWrite(island.id, P.code, pm25, 17.0, "a\x01b")])
    note = db.conn.execute(
        "SELECT note FROM value WHERE unit_id = ? AND indicator_id = ? AND period = ?",
        (island.id, pm25, P.code),
    ).fetchone()[0]
    assert note == "ab"


def test_an_imported_ledger_with_over_long_text_says_which_cell(
    hostile_db: Database, tmp_path: Path
) -> None:
    island = units.unit_by_code(hostile_db, ISLAND)
    path = tmp_path / "台账.xlsx"
    spreadsheet.export_ledger(hostile_db, island.id, path, date(2022, 11, 5))
    book = load_workbook(path)
    sheet = book.worksheets[0]
    sheet["E4"] = "巡" * 40_000  # E: 整改措施; every reader cuts it at 32,767
    book.save(path)
    dry_run = spreadsheet.dry_run_ledger(hostile_db, island.id, path)
    errors = [i for i in dry_run.items if i.status is Status.ERROR]
    assert len(errors) == 1 and errors[0].cell == "E4"
    assert "整改措施有 32767 字，已达 Excel 单元格上限" in errors[0].describe()
