"""Every word a user reads on the real window is Chinese as an office writes it (the rules are
in ``tests/support/words.py``), on every page of the demo database in four contexts and in the
dialogs of the menus."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from db import units
from db.connection import Database
from db.periods import Period
from desktop.ui.main_window import MainWindow
from tests.support.words import problems, visible_texts


def test_no_codes_or_empty_brackets_on_any_page(demo_db: Database, qtbot: QtBot) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    found: list[str] = []
    own = units.unit_by_code(demo_db, "330300-01").id
    # Today's empty period, the demo's figures, its 已报送 period and its sent quarter.
    contexts = [None, *(Period.parse(c) for c in ("2022-YTD10", "2021-YTD10", "2022-Q3"))]
    for period in contexts:
        if period is not None:
            window.context_bar.set_context(own, period)
        for row in range(window.nav.count()):
            title = window.nav.item(row).text()
            window.nav.setCurrentRow(row)
            qtbot.wait(20)
            for where, text in visible_texts(window):
                found += problems(f"{title} {where}", text)
            found += problems(f"{title} 状态栏", window.statusBar().currentMessage())
    assert not sorted(set(found)), "\n".join(sorted(set(found)))


def test_the_sweep_sees_what_it_must_refuse(demo_db: Database, qtbot: QtBot) -> None:
    """The walk reads labels, buttons, tables and paths as a user would: each fault is named."""
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    page = window.page(window.nav.currentRow())
    for text in ("已导出（）", "{{air_good_rate}}", "2023-YTD10", "ref_insp_done 未填"):
        probe = QLabel(text, page)
        probe.show()
        found = [p for where, t in visible_texts(window) for p in problems(where, t)]
        assert any(text in p for p in found), text
        probe.deleteLater()
        probe.hide()
    # A path the user chose, and words such as PM2.5 or 2022-10-31, are not faults.
    for fine in ("D:\\数据\\ref_insp_done.xlsx", "PM2.5平均浓度", "2022-10-31（逾期 3 天）"):
        assert not problems("probe", fine), fine


def test_no_codes_in_the_menu_dialogs(demo_db: Database, qtbot: QtBot) -> None:
    """审计日志 (it lists periods), 单位管理, 备份与恢复, 使用说明 and 关于, from the menu."""
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    own = units.unit_by_code(demo_db, "330300-01").id
    window.context_bar.set_context(own, Period.parse("2022-YTD10"))
    found: list[str] = []
    seen: list[str] = []

    def read_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            return
        seen.append(dialog.windowTitle())
        for where, text in visible_texts(dialog):
            found.extend(problems(f"{dialog.windowTitle()} {where}", text))
        dialog.close()

    timer = QTimer(window)
    timer.timeout.connect(read_and_close)
    timer.start(100)
    wanted = ("本单位审计日志", "单位管理", "备份与恢复", "使用说明", "关于")
    for action in window.findChildren(QAction):
        if any(action.text().startswith(w) for w in wanted):
            action.trigger()
    timer.stop()
    assert len(seen) == len(wanted), seen
    assert not sorted(set(found)), "\n".join(sorted(set(found)))
