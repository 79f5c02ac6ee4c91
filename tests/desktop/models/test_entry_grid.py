"""The entry grid model and the main window, driven as a user would with qtbot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from db import units
from db.connection import Database, open_database
from db.periods import Period
from db.sheet import read_sheet
from desktop.models.entry_grid import ERROR_BG, Col, EntryGridModel
from desktop.services.demo import build_demo
from desktop.ui.main_window import MainWindow

P = Period.parse("2022-YTD10")
ISLAND = "330300-01"


@pytest.fixture
def model(demo_db: Database) -> EntryGridModel:
    grid = EntryGridModel(demo_db)
    grid.load(units.unit_by_code(demo_db, ISLAND).id, P)
    return grid


def test_model_passes_qt_model_tester(model: EntryGridModel, qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(model)


def test_grid_shows_seed_figures_grouped_with_computed_cells_read_only(
    model: EntryGridModel,
) -> None:
    assert model.is_group(0) and model.index(0, Col.NAME).data() == "大气"
    row = model.row_of("pm10")
    assert model.index(row, Col.CURRENT).data() == "26"
    assert model.index(row, Col.LAST_YEAR).data() == "32"
    assert model.index(row, Col.CHANGE).data() == "-18.8%"
    total = model.row_of("problems_found")
    assert model.index(total, Col.CURRENT).data() == "51"
    assert not model.flags(model.index(total, Col.CURRENT)) & Qt.ItemFlag.ItemIsEditable
    assert "分项" in model.read_only_reason(model.index(total, Col.CURRENT))
    rate = model.row_of("cent_insp_rate")
    assert model.index(rate, Col.CURRENT).data() == "90.0"
    assert "公式" in model.read_only_reason(model.index(rate, Col.CURRENT))
    assert model.flags(model.index(row, Col.CURRENT)) & Qt.ItemFlag.ItemIsEditable
    # A computed figure has no row of its own in the store, so no 备注 either (as the import).
    assert not model.flags(model.index(rate, Col.NOTE)) & Qt.ItemFlag.ItemIsEditable
    assert "不能填写备注" in model.read_only_reason(model.index(rate, Col.NOTE))
    assert model.flags(model.index(row, Col.NOTE)) & Qt.ItemFlag.ItemIsEditable


def test_invalid_input_is_refused_with_a_reason(model: EntryGridModel, qtbot: QtBot) -> None:
    index = model.index(model.row_of("air_good_rate"), Col.CURRENT)
    with qtbot.waitSignal(model.input_rejected) as blocker:
        assert not model.setData(index, "105")
    assert "百分比" in blocker.args[1]
    assert index.data() == "97.0"
    assert index.data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG, "the cell is marked"
    assert "百分比" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert model.setData(index, "96.5")
    assert index.data(Qt.ItemDataRole.BackgroundRole) is None, "a good value clears the mark"


def test_paste_is_all_or_nothing(model: EntryGridModel) -> None:
    top = model.row_of("so2")
    edits = model.paste_edits(top, Col.CURRENT, [["8"], ["18"]])
    assert [e.new for e in edits] == [8.0, 18.0]
    from db.errors import ValueRejected

    with pytest.raises(ValueRejected, match="第2行"):
        model.paste_edits(top, Col.CURRENT, [["8"], ["约20"]])


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    unit_id = units.unit_by_code(db, ISLAND).id
    window.context_bar.set_context(unit_id, P)
    return window


def _type(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Type into the current cell and press Enter; the delegate commits on a queued call."""
    view = window.entry_page.view
    start = view.currentIndex()
    qtbot.keyClicks(view, text[0])  # the first key opens the editor and lands in it
    editor = view.indexWidget(start)
    assert isinstance(editor, QLineEdit), "typing a key opens an editor"
    if text[1:]:
        qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: view.state() != view.State.EditingState and view.currentIndex() != start
    )


def _cell(window: MainWindow, code: str, column: Col) -> QModelIndex:
    model = window.entry_page.model
    return model.index(model.row_of(code), column)


def test_typing_enter_undo_and_fresh_connection(tmp_path: Path, qtbot: QtBot) -> None:
    path = tmp_path / "e2e.ecodesk"
    build_demo(path).close()
    db = open_database(path)
    window = _window(qtbot, db)
    view = window.entry_page.view
    view.setFocus()

    view.setCurrentIndex(_cell(window, "so2", Col.CURRENT))
    _type(qtbot, window, "9")  # type to overwrite opens the editor with the key
    assert view.currentIndex() == _cell(window, "no2", Col.CURRENT), "Enter moves down"
    _type(qtbot, window, "21")
    assert _cell(window, "so2", Col.CURRENT).data() == "9"
    assert _cell(window, "no2", Col.CURRENT).data() == "21"
    assert "已保存" in window.message.text()

    # A part typed updates its computed total at once.
    view.setCurrentIndex(_cell(window, "problems_air", Col.CURRENT))
    _type(qtbot, window, "13")
    assert _cell(window, "problems_found", Col.CURRENT).data() == "52"

    window.undo_action.trigger()  # Ctrl+Z: problems_air back to 12
    assert _cell(window, "problems_found", Col.CURRENT).data() == "51"
    window.undo_action.trigger()  # and NO2 back to empty
    assert _cell(window, "no2", Col.CURRENT).data() == ""
    window.redo_action.trigger()
    assert _cell(window, "no2", Col.CURRENT).data() == "21"

    fresh = open_database(path, read_only=True)
    try:
        sheet = read_sheet(fresh, units.unit_by_code(fresh, ISLAND).id, P)
        assert sheet.row("so2").current.value == 9
        assert sheet.row("no2").current.value == 21
        assert sheet.row("problems_air").current.value == 12
    finally:
        fresh.close()
    window.close()


def test_rejected_typing_shows_reason_in_status_bar(demo_db: Database, qtbot: QtBot) -> None:
    window = _window(qtbot, demo_db)
    view = window.entry_page.view
    view.setFocus()
    view.setCurrentIndex(_cell(window, "air_good_days", Col.CURRENT))
    qtbot.keyClicks(view, "3")
    editor = view.indexWidget(view.currentIndex())
    qtbot.keyClicks(editor, "10")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "未接受" in window.message.text())
    assert "304 天" in window.message.text()
    assert view.currentIndex() == _cell(window, "air_good_days", Col.CURRENT), "stays to be fixed"
    assert _cell(window, "air_good_days", Col.CURRENT).data() == ""


def test_copy_paste_and_delete_through_the_keyboard(demo_db: Database, qtbot: QtBot) -> None:
    window = _window(qtbot, demo_db)
    view = window.entry_page.view
    view.setFocus()
    QGuiApplication.clipboard().setText("8\t\n18\t\n")
    view.setCurrentIndex(_cell(window, "so2", Col.CURRENT))
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert _cell(window, "so2", Col.CURRENT).data() == "8"
    assert _cell(window, "no2", Col.CURRENT).data() == "18"
    view.setCurrentIndex(_cell(window, "so2", Col.CURRENT))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert _cell(window, "so2", Col.CURRENT).data() == ""
    window.undo_action.trigger()
    assert _cell(window, "so2", Col.CURRENT).data() == "8"


def _answer_next_dialog(reply: Callable[[QWidget], None], seen: list[str]) -> None:
    """Answer the next modal dialog (a question or an input box) with ``reply``."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, answer)
            return
        seen.append(dialog.text() if isinstance(dialog, QMessageBox) else dialog.labelText())  # type: ignore[attr-defined]
        reply(dialog)

    QTimer.singleShot(10, answer)


def test_the_lock_asks_locks_every_figure_and_unlocks_with_a_reason(
    demo_db: Database, qtbot: QtBot
) -> None:
    window = _window(qtbot, demo_db)
    page = window.entry_page
    asked: list[str] = []
    _answer_next_dialog(lambda d: d.button(QMessageBox.StandardButton.No).click(), asked)  # type: ignore[attr-defined]
    page.lock_action.trigger()
    assert "将温州市生态环境局海岛区分局2022年1-10月标记为已报送" in asked[0]
    assert "已报送" not in window.state_label.text(), "No leaves it unlocked"

    _answer_next_dialog(lambda d: d.button(QMessageBox.StandardButton.Yes).click(), asked)  # type: ignore[attr-defined]
    page.lock_action.trigger()
    assert "已报送" in window.state_label.text()
    for column in (Col.CURRENT, Col.LAST_YEAR, Col.TARGET, Col.NOTE):
        index = _cell(window, "so2", column)
        assert not page.model.flags(index) & Qt.ItemFlag.ItemIsEditable, column
        assert not page.model.setData(index, "5")

    # Digits typed on a locked cell stay there: no jump to a row whose name starts with "1".
    view = page.view
    view.setFocus()
    view.setCurrentIndex(_cell(window, "so2", Col.TARGET))
    qtbot.keyClicks(view, "12000")
    assert view.currentIndex() == _cell(window, "so2", Col.TARGET)
    assert "不能输入" in window.message.text() and "已锁定" in window.message.text()

    _answer_next_dialog(lambda d: d.accept(), asked)  # type: ignore[attr-defined]
    page.lock_action.trigger()  # no reason given: stays locked
    assert "原因" in asked[-1] and "已报送" in window.state_label.text()
    assert "须说明原因" in window.message.text()

    def reason(d: QWidget) -> None:
        d.setTextValue("市局退回，更正PM2.5")  # type: ignore[attr-defined]
        d.accept()  # type: ignore[attr-defined]

    _answer_next_dialog(reason, asked)
    page.lock_action.trigger()
    assert "已报送" not in window.state_label.text()
    from desktop.models.audit_log import AuditLogModel

    log = AuditLogModel(demo_db, unit_id=units.unit_by_code(demo_db, ISLAND).id)
    first = [log.index(0, c).data() for c in range(log.columnCount())]
    assert first[2] == "解除锁定" and first[5] == "2022年1-10月"
    assert first[7] == "原因：市局退回，更正PM2.5" and first[4] == ""


def test_audit_log_model_names_what_changed(demo_db: Database, qtmodeltester: ModelTester) -> None:
    from desktop.models.audit_log import AuditLogModel

    unit_id = units.unit_by_code(demo_db, ISLAND).id
    grid = EntryGridModel(demo_db)
    grid.load(unit_id, P)
    edit = grid.make_edit(grid.index(grid.row_of("pm25"), Col.CURRENT), "18")
    grid.apply([edit])
    log = AuditLogModel(demo_db, unit_id=unit_id)
    qtmodeltester.check(log)
    first = [log.index(0, c).data() for c in range(log.columnCount())]
    assert first[1:8] == [
        demo_db.user,
        "修改数值",
        "海岛区分局",
        "PM2.5平均浓度",
        "2022年1-10月",
        "17",
        "18",
    ]
    assert first[8] == "手工录入"


def test_units_dialog_adds_a_branch_under_its_city(demo_db: Database, qtbot: QtBot) -> None:
    from desktop.ui.units_dialog import UnitsDialog

    dialog = UnitsDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.name.setText("嘉兴市生态环境局南湖分局")
    dialog.code.setText("330402")
    dialog.parent_box.setCurrentIndex(dialog.parent_box.findData("330400"))
    dialog._add()
    assert dialog.added == 1 and not dialog.error.text()
    added = units.unit_by_code(demo_db, "330402")
    assert added.parent_id == units.unit_by_code(demo_db, "330400").id
    dialog.code.setText("330402")
    dialog.name.setText("重复")
    dialog._add()
    assert "已存在" in dialog.error.text()


def test_automatic_backup_waits_while_an_import_reads_the_file(
    demo_db: Database, qtbot: QtBot
) -> None:
    import threading

    from db import backup
    from desktop.tasks import busy, run_task

    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    for old in backup.list_backups(demo_db.path):
        old.path.unlink()
    release = threading.Event()
    done: list[object] = []
    run_task(window, "导入中…", lambda _: release.wait(5), done.append, done.append)
    assert busy()
    window.daily_backup()
    assert backup.list_backups(demo_db.path) == []  # not while the worker reads the file
    release.set()
    qtbot.waitUntil(lambda: bool(done) and not busy(), timeout=5000)
    window.daily_backup()
    assert len(backup.list_backups(demo_db.path)) == 1
