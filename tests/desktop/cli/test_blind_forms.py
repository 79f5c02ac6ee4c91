"""The held-out corpus (tests/support/blind_forms.py): a city form and seven returns written by
someone who never saw EcoDesk's alias list, taken through the command line as a new office
would — and the same form mapped once in the GUI's dialog.

From an empty folder: ``units add`` makes the database and the units as the city's unit list
names them; ``template add`` recognises every row that has a catalog figure (the category rows
under 一、二 in the 序号 column are headings, not rows to map), so ``--map`` names only the row
with no catalog figure; ``consolidate`` stores every figure of every return exactly, for the
branch that sent it, and names every row it did not import.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from db import units, values
from db.connection import Database, open_database
from db.indicators import all_indicators
from desktop.cli import main
from desktop.services.common.workbook import read_workbook
from tests.support.blind_forms import (
    ANSWERS,
    BRANCHES,
    CATALOGLESS,
    CITY,
    CLERKS,
    HELD_OUT_COPIES,
    INSERTED_ROW,
    LAST_YEAR,
    PERIOD,
    write_city_form,
    write_form,
    write_returns,
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def add_units(capsys: pytest.CaptureFixture[str], db: list[str]) -> None:
    status, out = run(capsys, "units", "add", CITY[1], "--code", CITY[0], "--level", "市局", *db)
    assert status == 0, out
    for code, name, short in BRANCHES:
        status, out = run(capsys, "units", "add", name, "--code", code, "--parent", CITY[0],
                          "--short", short, *db)  # fmt: skip
        assert status == 0, out


def assert_every_figure_exact(store: Database) -> None:
    """Each branch's figures equal what its clerk typed; nothing stored that was not typed."""
    codes = {i.id: i.code for i in all_indicators(store)}
    for unit_code, answers in ANSWERS.items():
        unit = units.unit_by_code(store, unit_code)
        typed = values.numbers_for_periods(store, unit.id, [PERIOD, LAST_YEAR])
        for n, period in enumerate((PERIOD, LAST_YEAR)):
            stored = {codes[i]: v for i, v in typed[period].items() if v is not None}
            expected = {c: pair[n] for c, pair in answers.items() if pair[n] is not None}
            assert stored == pytest.approx(expected), (unit.name, period)
    city = units.unit_by_code(store, CITY[0])
    assert not any(values.numbers_for_periods(store, city.id, [PERIOD])[PERIOD].values())


def test_held_out_forms_from_the_cli_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "新建" / "city.ecodesk"
    db_path.parent.mkdir()
    db = ["--db", str(db_path)]
    add_units(capsys, db)  # the first ``units add`` makes the database

    form = write_city_form(tmp_path / "form")
    status, out = run(capsys, "template", "add", str(form), "--name", "市局调度表", *db)
    assert status == 2
    unmapped = [line for line in out.splitlines() if line.startswith("未对应：")]
    assert unmapped == [f"未对应：调度表!B22“{CATALOGLESS[0]}”（目录中没有相近的指标）"], out
    maps = [arg for name in CATALOGLESS for arg in ("--map", f"{name}=-")]
    status, out = run(capsys, "template", "add", str(form), "--name", "市局调度表", *maps, *db)
    assert status == 0, out
    assert "自动识别 14 行" in out and "标为不导入 1 行" in out and "未对应 0 行" in out

    folder = write_returns(tmp_path / "returns")
    assert (folder / "嘉善.xls").exists(), "one return as the .xls a bureau's PC saved"
    table = str(tmp_path / "汇总表.xlsx")
    status, report = run(capsys, "consolidate", str(folder), "--period", PERIOD,
                         "--parent", CITY[0], "--out", table, *db)  # fmt: skip
    assert status == 0, report
    assert "错误 0 项" in report and "拒绝 0 项" in report
    for clerk in CLERKS:
        name = Path(clerk.file).with_suffix(".xls").name if clerk.unit == "330421" else clerk.file
        short = next(s for code, _n, s in BRANCHES if code == clerk.unit)
        assert f"{name}（{short}）" in report, (name, "read as", short)
        assert f"{name} " in report.split(f"{name}（")[0], f"{name}'s skipped rows are named"
    assert report.count(f"“{CATALOGLESS[0]}”") == 7, "the row with no catalog figure, named"
    # Every return is recognised as the city's 表样 — renamed sheet, inserted row and column,
    # reworded headers and all — not merely auto-detected.
    assert report.count(f"“{CATALOGLESS[0]}”：表样“市局调度表”中标为不导入") == 7, report
    assert "不是目录中的指标" not in report
    assert f"桐乡市.xlsx 调度表!B17“{INSERTED_ROW}”：不在表样“市局调度表”中" in report
    assert "海宁调度表.xlsx 调度表!E3“年度目标”：表样“市局调度表”中没有此列" in report
    assert "“增幅”" not in report, "海盐's reworded 同比 header is the 表样's column, not a new one"

    store = open_database(db_path, read_only=True)
    try:
        assert_every_figure_exact(store)
    finally:
        store.close()

    # A return saved by WPS in its own .et format is named, with what to do; a lock file is not.
    (folder / "嘉善.xls").rename(folder / "嘉善.et")
    (folder / "~$秀洲报表.xlsx").write_bytes(b"lock")
    status, report = run(capsys, "consolidate", str(folder), "--period", PERIOD,
                         "--parent", CITY[0], "--dry-run", *db)  # fmt: skip
    assert "嘉善.et：“嘉善.et”是WPS 表格（.et）格式，不能直接读取" in report, report
    assert "“另存为”Excel 工作簿（.xlsx）" in report and "~$" not in report
    assert "共 7 个文件" in report

    # The city's form filled for one branch: its unit and the date on their lines, the hidden
    # code column untouched, and the one row with no catalog figure named as left empty.
    filled = tmp_path / "已填.xlsx"
    status, out = run(capsys, "fill", "--template", "市局调度表", "--unit", "330402",
                      "--period", PERIOD, "--out", str(filled), *db)  # fmt: skip
    assert status == 0, out
    assert "已填入 28 项，1 项未填" in out and f"调度表!B22“{CATALOGLESS[0]}”" in out, out
    ws = load_workbook(filled)["调度表"]
    assert ws["A2"].value == "填报单位（盖章）：嘉兴市生态环境局南湖分局"
    assert str(ws["G2"].value).startswith("填报日期：20") and str(ws["G2"].value).endswith("日")
    assert ws["D6"].value == "HJ-01" and ws["E6"].value == pytest.approx(88.2)


def test_a_figure_numbered_like_a_category_is_still_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Some forms number every row 一、二、三: a row with a unit of measure is a figure, and one
    EcoDesk cannot match is named, never taken for a category heading and passed over."""
    db = ["--db", str(tmp_path / "city.ecodesk")]
    add_units(capsys, db)
    form = write_city_form(tmp_path)
    book = load_workbook(form)
    book["调度表"]["A22"] = "五"  # the row with no catalog figure
    book.save(form)
    status, out = run(capsys, "template", "add", str(form), "--name", "T", *db)
    assert status == 2 and f"未对应：调度表!B22“{CATALOGLESS[0]}”" in out, out
    assert "环境质量" not in out, "the real category rows stay headings"


def test_the_committed_xls_is_the_generators_return() -> None:
    """The .xls copy holds what the generator writes today (remake: blind_forms.convert_copy)."""
    import tempfile

    clerk = next(c for c in CLERKS if c.unit == "330421")
    with tempfile.TemporaryDirectory() as tmp:
        fresh = read_workbook(write_form(Path(tmp) / clerk.file, clerk)).sheets[0]
        copy = read_workbook(HELD_OUT_COPIES / "嘉善.xls").sheets[0]
        texts = [[fresh.text(r, c) for c in range(fresh.width)] for r in range(fresh.height)]
        assert [[copy.text(r, c) for c in range(fresh.width)] for r in range(fresh.height)] == texts


def test_held_out_form_mapped_in_the_dialog(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], qtbot: QtBot
) -> None:
    """Saved from the GUI as shown: the template keeps no unit (the form's file name says 嘉兴市)
    and no period, so each return goes to its own branch."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.ui.mapping_dialog import MappingDialog

    db_path = tmp_path / "city.ecodesk"
    db = ["--db", str(db_path)]
    add_units(capsys, db)
    store = open_database(db_path)
    try:
        dialog = MappingDialog(store, read_workbook(write_city_form(tmp_path)), None)
        qtbot.addWidget(dialog)
        shown = [dialog.rows_table.item(n, 1).text() for n in range(dialog.rows_table.rowCount())]  # type: ignore[union-attr]
        assert len(shown) == 15 and "环境质量" not in shown, "category rows are headings"
        assert dialog.unit_box.currentData() is None and dialog.period_box.currentData() is None
        box = dialog.findChild(QDialogButtonBox)
        assert box is not None
        qtbot.mouseClick(
            box.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
        assert dialog.saved
    finally:
        store.close()
    status, report = run(capsys, "consolidate", str(write_returns(tmp_path / "returns")),
                         "--period", PERIOD, "--parent", CITY[0], *db)  # fmt: skip
    assert status == 0 and "错误 0 项" in report, report
    store = open_database(db_path, read_only=True)
    try:
        assert_every_figure_exact(store)
    finally:
        store.close()
