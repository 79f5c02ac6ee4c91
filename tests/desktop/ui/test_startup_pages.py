"""Start-up builds the 工作台 only, refreshed once; 数据填报's menu actions work before its grid
exists (the first trigger builds it and does what was asked) and show the period's lock."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from db import locks
from db.connection import Database
from desktop.ui import workbench_page
from desktop.ui.entry_page import EntryPage
from desktop.ui.main_window import MainWindow, default_context

TODAY = date(2022, 11, 8)


def _menu_action(window: MainWindow, menu_title: str, words: str) -> QAction:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().startswith(menu_title))
    return next(a for a in menu.actions() if a.text() == words)


def test_start_builds_the_workbench_alone_and_reads_it_once(
    demo_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []
    real = workbench_page.workbench

    def counted(*args: object, **kwargs: object) -> object:
        reads.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(workbench_page, "workbench", counted)
    window = MainWindow(demo_db, clock=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.findChildren(EntryPage) == []
    assert list(window._built) == [0]
    assert len(reads) == 1, "the 工作台 is read once at start, not once per signal"
    assert window.workbench_page.duty_table.rowCount() > 0


def test_menu_actions_before_the_grid_exists(demo_db: Database, qtbot: QtBot) -> None:
    context = default_context(demo_db)
    assert context is not None
    unit_id, period = context
    locks.lock_period(demo_db, unit_id, period.code)
    window = MainWindow(demo_db, clock=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    assert window.findChildren(EntryPage) == []
    # The menu says the period is locked, from the file, without the grid.
    lock = _menu_action(window, "数据", "解除锁定")
    assert lock.isChecked()
    assert "锁定" in window.state_label.text()

    _menu_action(window, "数据", "校验本期").trigger()
    assert window.nav.currentItem().text() == "数据填报"
    page = window.pages.currentWidget()
    assert isinstance(page, EntryPage) and window.findChildren(EntryPage) == [page]
    assert page.findings.count() > 0
    assert window.message.text().startswith("校验")
    # The grid's toolbar holds the same actions as the menu: one shortcut, one action.
    assert lock in page.toolbar.actions()
    assert lock.isChecked() and lock.text() == "解除锁定"
    window.message.clear()
    _menu_action(window, "数据", "校验本期").trigger()  # now answered by the grid itself
    assert window.message.text().startswith("校验")
    assert window.findChildren(EntryPage) == [page]
