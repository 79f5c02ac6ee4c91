"""A submitted (已报送) period refuses every figure its sheet showed, whoever writes.

The period's own values and notes, its 去年同期 (stored a year earlier) and the year's 年度目标
are refused by the file itself (migrations 1 and 12), so every path a user has — the grid, its
undo, a returned workbook through ``ecodesk-cli import``, another program on the file — ends
with the figure unchanged and a sentence saying which submitted period froze it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from db import locks, targets, units, values
from db.connection import Database, open_database
from db.errors import PeriodLocked
from db.indicators import indicator_by_code
from db.periods import Period
from db.sheet import read_sheet
from desktop.cli import main
from desktop.models.entry_grid import Col
from desktop.services.demo import build_demo
from desktop.ui.exchange_page import ExchangePage
from desktop.ui.main_window import MainWindow
from tests.desktop.services.monitoring.water.test_reader import write_station_workbook
from tests.support.forms import bureau_form

P = Period.parse("2022-YTD10")
JINDONG = "330703"


def _shown(db: Database, unit_id: int) -> tuple[float | None, float | None, float | None, str]:
    """PM2.5 on the submitted sheet as a reader sees it: 本期, 去年同期, 年度目标, 备注."""
    row = read_sheet(db, unit_id, P).row("pm25")
    return row.current.value, row.last_year.value, row.target, row.note


def test_the_file_refuses_last_year_targets_and_notes_of_a_locked_period(
    demo_db: Database, tmp_path: Path
) -> None:
    unit_id = units.unit_by_code(demo_db, JINDONG).id
    pm25 = indicator_by_code(demo_db, "pm25").id
    targets.set_targets(demo_db, [(unit_id, pm25, 2022, 30.0)])
    locks.lock_period(demo_db, unit_id, P.code)
    before = _shown(demo_db, unit_id)
    with pytest.raises(PeriodLocked, match="去年同期"):
        values.write_values(demo_db, [values.ValueWrite(unit_id, "2021-YTD10", pm25, 1.0)])
    with pytest.raises(PeriodLocked, match="年度目标"):
        targets.set_targets(demo_db, [(unit_id, pm25, 2022, 5.0)])
    with pytest.raises(PeriodLocked, match="年度目标"):
        targets.set_targets(demo_db, [(unit_id, pm25, 2022, None)])  # clearing is a change too
    with pytest.raises(PeriodLocked, match="已锁定"):
        values.write_values(demo_db, [values.ValueWrite(unit_id, P.code, pm25, None, "改备注")])
    assert _shown(demo_db, unit_id) == before
    # Another program on the same file meets the same refusal.
    other = sqlite3.connect(tmp_path / "demo.ecodesk")
    for sql in (
        "UPDATE target SET value = 1 WHERE unit_id = ? AND indicator_id = ? AND year = 2022",
        "INSERT INTO value (unit_id, period, indicator_id, value) VALUES (?, '2021-YTD10', ?, 1)",
        "UPDATE value SET note = 'x' WHERE unit_id = ? AND indicator_id = ? AND period = "
        "'2022-YTD10'",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="ecodesk:"):
            other.execute(sql, (unit_id, pm25))
    other.close()
    # Unlocking gives everything back.
    locks.unlock_period(demo_db, unit_id, P.code, "更正")
    targets.set_targets(demo_db, [(unit_id, pm25, 2022, 5.0)])
    values.write_values(demo_db, [values.ValueWrite(unit_id, "2021-YTD10", pm25, 1.0)])
    assert _shown(demo_db, unit_id)[1:3] == (1.0, 5.0)


def test_cli_import_of_a_returned_workbook_writes_nothing_of_a_locked_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.ecodesk"
    build_demo(path).close()
    book = tmp_path / "金东报回.xlsx"
    base = ["--db", str(path)]
    assert main(["export", *base, "--unit", JINDONG, "--period", P.code, "--out", str(book)]) == 0
    # The branch fills in 去年同期, 年度目标 and 备注 of PM2.5 in the form it was sent.
    wb = load_workbook(book)
    ws = wb.worksheets[0]
    row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 2).value == "PM2.5平均浓度")
    ws.cell(row, 5).value, ws.cell(row, 7).value, ws.cell(row, 8).value = 99, 11, "分局补充说明"
    wb.save(book)
    db = open_database(path)
    unit_id = units.unit_by_code(db, JINDONG).id
    locks.lock_period(db, unit_id, P.code)  # 标记已报送 before the return comes back
    before = _shown(db, unit_id)
    db.close()
    capsys.readouterr()

    assert main(["import", str(book), "--dry-run", *base]) == 1, "errors found"
    preview = capsys.readouterr().out
    for column in "EGH":
        line = next(x for x in preview.splitlines() if f"!{column}{row}" in x)
        assert "2022年1-10月已报送（已锁定）" in line and "请先在数据填报页解锁" in line, line
    assert "2021年1-10月是其去年同期" in preview and "年度目标不能修改" in preview
    assert "拒绝 3 项" in preview, preview

    main(["import", str(book), *base])
    said = capsys.readouterr().out
    assert "项错误未导入" in said or "已导入 0 项" in said
    db = open_database(path)
    assert _shown(db, unit_id) == before, "nothing of the locked period was written"
    db.close()


def test_grid_refuses_the_year_target_and_undo_of_an_edit_made_before_locking(
    demo_db: Database, qtbot: QtBot
) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    unit = units.unit_by_code(demo_db, JINDONG)
    window.context_bar.set_context(unit.id, P)
    grid, view = window.entry_page.model, window.entry_page.view
    cell = grid.index(grid.row_of("pm25"), Col.TARGET)
    view.setFocus()
    view.setCurrentIndex(cell)
    qtbot.keyClicks(view, "3")  # typed while the period is open
    editor = view.indexWidget(cell)
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "3")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cell.data() == "33")
    # 标记已报送 for another period of the same year (a month): the year's target is frozen.
    locks.lock_period(demo_db, unit.id, "2022-M10")
    window.undo_action.trigger()
    assert "无法撤销" in window.message.text() and "年度目标不能修改" in window.message.text()
    assert _shown(demo_db, unit.id)[2] == 33.0
    window.context_bar.set_context(unit.id, Period.parse("2022-M11"))
    cell = grid.index(grid.row_of("pm25"), Col.TARGET)
    view.setFocus()
    view.setCurrentIndex(cell)
    qtbot.keyClicks(view, "5")
    assert view.indexWidget(cell) is None, "no editor opens on a frozen target"
    assert "2022年10月已报送（已锁定）" in window.message.text()
    assert _shown(demo_db, unit.id)[2] == 33.0


def test_exchange_page_previews_refuses_and_cannot_undo_into_a_submitted_sheet(
    demo_db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    """A return's 去年同期 imported, then 2022年1-10月 sent: its undo and a second return's
    去年同期 are refused, and the table and the status bar say why."""
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    unit_id = units.unit_by_code(demo_db, JINDONG).id
    window.context_bar.set_context(unit_id, P)
    page = window.exchange_page()
    assert isinstance(page, ExchangePage)
    page.preview(bureau_form(tmp_path / "金东分局.xlsx", [("PM2.5平均浓度", "μg/m³", None, 41)]))
    qtbot.waitUntil(lambda: page.commit_button.isEnabled(), timeout=10_000)
    qtbot.mouseClick(page.commit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=10_000)
    assert _shown(demo_db, unit_id)[1] == 41.0
    locks.lock_period(demo_db, unit_id, P.code)

    window.undo_action.trigger()
    qtbot.waitUntil(lambda: "无法撤销" in window.message.text(), timeout=10_000)
    assert "2022年1-10月已被锁定" in window.message.text()
    assert _shown(demo_db, unit_id)[1] == 41.0, "the submitted sheet's 去年同期 stays"

    page.preview(bureau_form(tmp_path / "又一份.xlsx", [("PM2.5平均浓度", "μg/m³", None, 50)]))
    model = page.dry_run_model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10_000)
    rows = [
        " ".join(str(model.index(r, c).data() or "") for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]
    refused = [r for r in rows if "2021年1-10月是其去年同期" in r]
    assert refused and "错误" in refused[0] and "!F" in refused[0], rows
    assert not page.commit_button.isEnabled() or "导入 0 项" in page.commit_button.text()


def test_cli_monitoring_write_refuses_the_last_year_of_a_submitted_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """water-share --write for 2026年3月 while 2027年3月 (which shows it as 去年同期) is sent."""
    path = tmp_path / "demo.ecodesk"
    build_demo(path).close()
    stations = write_station_workbook(tmp_path / "断面.xlsx")
    db_args = ["--db", str(path), "--unit", "330300-01"]
    main(["water-import", str(stations), *db_args])
    db = open_database(path)
    unit_id = units.unit_by_code(db, "330300-01").id
    locks.lock_period(db, unit_id, "2027-M3")
    before = values.values_for(db, unit_id, "2026-M3")
    db.close()
    capsys.readouterr()
    assert main(["water-share", *db_args, "--period", "2026-M3", "--write"]) == 2
    said = capsys.readouterr().err
    assert "2027年3月已报送（已锁定），2026年3月是其去年同期，不能写入" in said
    db = open_database(path)
    assert values.values_for(db, unit_id, "2026-M3") == before
    db.close()


def test_grid_paste_and_redo_into_a_frozen_year_are_refused(
    demo_db: Database, qtbot: QtBot
) -> None:
    """Ctrl+V of 去年同期/目标 onto a sent sheet, and Ctrl+Y of a target edit undone before the
    lock: nothing written, the status bar says which submitted period refused it."""
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    unit_id = units.unit_by_code(demo_db, JINDONG).id
    window.context_bar.set_context(unit_id, P)
    grid, view = window.entry_page.model, window.entry_page.view
    target = grid.index(grid.row_of("pm25"), Col.TARGET)
    view.setFocus()
    view.setCurrentIndex(target)
    qtbot.keyClicks(view, "2")
    editor = view.indexWidget(target)
    assert isinstance(editor, QLineEdit)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: target.data() == "2")
    window.undo_action.trigger()  # undone while open: the target is empty again
    assert _shown(demo_db, unit_id)[2] is None
    locks.lock_period(demo_db, unit_id, P.code)
    window.redo_action.trigger()
    assert "锁定" in window.message.text() and "年度目标不能修改" in window.message.text()
    assert _shown(demo_db, unit_id)[2] is None

    before = _shown(demo_db, unit_id)
    QApplication.clipboard().setText("77\t\t\t88\n")  # 去年同期 … 年度目标, as Excel copies
    view.setCurrentIndex(grid.index(grid.row_of("pm25"), Col.LAST_YEAR))
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert "未粘贴" in window.message.text() and "已报送（已锁定）" in window.message.text()
    assert _shown(demo_db, unit_id) == before
