"""备份与恢复 and 立即备份: the copy and the restore run on the worker, the dialog or window
disabled meanwhile, and a restore puts the data back."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from db import backup, indicators, units
from db.connection import Database
from db.values import ValueWrite, values_for, write_values
from desktop.ui.backup_dialog import BackupDialog
from desktop.ui.main_window import MainWindow

UNIT = "330703"
PERIOD = "2022-YTD10"


def _pm25(db: Database) -> float | None:
    unit = units.unit_by_code(db, UNIT).id
    return values_for(db, unit, PERIOD)[indicators.indicator_by_code(db, "pm25").id].value


def test_backup_then_restore_from_the_dialog(
    demo_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    for old in backup.list_backups(demo_db.path):
        old.path.unlink()
    dialog = BackupDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.show()
    before = _pm25(demo_db)

    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    assert not dialog.backup_button.isEnabled() and not dialog.list.isEnabled()
    qtbot.waitUntil(lambda: len(backup.list_backups(demo_db.path)) == 1, timeout=5000)
    qtbot.waitUntil(dialog.backup_button.isEnabled, timeout=5000)
    assert dialog.list.count() == 1 and "手动" in dialog.list.item(0).text()

    unit = units.unit_by_code(demo_db, UNIT).id
    pm25 = indicators.indicator_by_code(demo_db, "pm25").id
    write_values(demo_db, [ValueWrite(unit, PERIOD, pm25, 99.0)])
    assert _pm25(demo_db) == 99.0
    monkeypatch.setattr(QMessageBox, "question", lambda *_: QMessageBox.StandardButton.Yes)
    dialog.list.setCurrentRow(0)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert not dialog.restore_button.isEnabled(), "the restore runs on the worker"
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=5000)
    assert _pm25(demo_db) == before and "已从备份恢复" in dialog.restored
    kinds = sorted(b.reason for b in backup.list_backups(demo_db.path))
    assert kinds == ["manual", "restore"], "the data replaced was saved first"


def test_backup_now_from_the_menu_runs_on_the_worker(demo_db: Database, qtbot: QtBot) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    for old in backup.list_backups(demo_db.path):
        old.path.unlink()
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    [action] = [a for a in file_menu.actions() if a.text() == "立即备份(&B)"]
    action.trigger()
    assert not window.nav.isEnabled(), "the copy runs on the worker, the window disabled"
    assert not window.close() and window.isVisible(), "nor can the window close meanwhile"
    qtbot.waitUntil(lambda: "已备份" in window.message.text(), timeout=5000)
    assert window.nav.isEnabled()
    assert [b.reason for b in backup.list_backups(demo_db.path)] == ["manual"]


def test_closing_a_large_file_after_a_change_backs_up_on_the_worker_then_closes(
    demo_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui import main_window

    monkeypatch.setattr(main_window, "QUICK_CLOSE_BYTES", 0)  # the demo as if it were large
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    for old in backup.list_backups(demo_db.path):
        old.path.unlink()
    unit = units.unit_by_code(demo_db, UNIT).id
    pm25 = indicators.indicator_by_code(demo_db, "pm25").id
    write_values(demo_db, [ValueWrite(unit, PERIOD, pm25, 77.0)])
    assert not window.close(), "not yet: the close backup runs first"
    assert not window.nav.isEnabled() and window.isVisible()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    [made] = backup.list_backups(demo_db.path)
    assert made.reason == "close" and made.compressed
    with backup.unpacked(made.path) as plain:
        copy = sqlite3.connect(plain)
        stored = copy.execute(
            "SELECT value FROM value WHERE unit_id = ? AND period = ? AND indicator_id = ?",
            (unit, PERIOD, pm25),
        ).fetchone()
        copy.close()
    assert stored == (77.0,), "the backup holds the last change"
