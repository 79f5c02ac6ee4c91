"""A 备注 written on a computed indicator's row of a returned workbook: the dry run refuses it
as the commit would (the store keeps no row for a computed figure), naming the cell and why, and
the other notes of the same workbook are still imported."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from db import units
from db.connection import open_database
from db.indicators import indicator_by_code
from db.values import values_for
from desktop.cli import main

UNIT, PERIOD = "330703", "2022-YTD10"


def _returned_workbook(db_path: Path, folder: Path) -> tuple[Path, str]:
    """Our export as a branch sends it back: notes typed into the 备注 column by hand."""
    exported = folder / "导出.xlsx"
    assert main(["export", "--db", str(db_path), "--unit", UNIT, "--period", PERIOD,
                 "--out", str(exported)]) == 0  # fmt: skip
    book = openpyxl.load_workbook(exported)
    sheet = book.worksheets[0]
    note_column = next(c.column for c in sheet[3] if c.value == "备注")
    computed_cell = ""
    for row in sheet.iter_rows():
        name = row[1].value
        if name == "信访立案率":  # a rate computed from 立案 / 受理
            cell = sheet.cell(row[0].row, note_column, "含重复信访")
            computed_cell = cell.coordinate
        elif name == "优良天数":
            sheet.cell(row[0].row, note_column, "按日均值统计")
    returned = folder / "金东分局报回.xlsx"
    book.save(returned)
    assert computed_cell
    return returned, computed_cell


def test_the_dry_run_refuses_a_note_on_a_computed_row_as_the_commit_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "d.ecodesk"
    assert main(["demo", "--db", str(db_path)]) == 0
    returned, cell = _returned_workbook(db_path, tmp_path)
    capsys.readouterr()

    assert main(["import", str(returned), "--db", str(db_path), "--dry-run"]) == 1
    preview = capsys.readouterr().out
    refusal = next(line for line in preview.splitlines() if f"!{cell}" in line)
    assert "信访立案率" in refusal and "由公式计算，不能填写备注" in refusal
    assert "优良天数 备注）：新增 按日均值统计" in preview
    assert "拒绝 1 项" in preview

    assert main(["import", str(returned), "--db", str(db_path)]) == 1
    committed = capsys.readouterr().out
    assert refusal in committed.splitlines(), "the commit refuses what the preview refused"
    assert "已导入 1 项，1 项错误未导入" in committed

    db = open_database(db_path, read_only=True)
    try:
        unit = units.unit_by_code(db, UNIT).id
        figures = values_for(db, unit, PERIOD)
        assert figures[indicator_by_code(db, "air_good_days").id].note == "按日均值统计"
        assert indicator_by_code(db, "complaint_case_rate").id not in figures
    finally:
        db.close()
