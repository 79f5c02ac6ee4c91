"""工作台 as the first page: duties with their states on an injected day, one click to the grid,
the states following the data, adding and deleting (with undo) a duty through the buttons."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from db import duties, form_templates
from db.connection import Database
from db.indicators import indicator_by_code
from db.periods import Period
from db.values import ValueWrite, write_values
from desktop.ui.duty_dialog import DutyDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.workbench_page import WorkbenchPage

OWN = 2
TODAY = date(2022, 11, 8)


def _window(db: Database, qtbot: QtBot) -> tuple[MainWindow, WorkbenchPage]:
    window = MainWindow(db, clock=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    assert window.nav.item(0).text() == "工作台" and window.nav.currentRow() == 0
    page = window.pages.currentWidget()
    assert isinstance(page, WorkbenchPage)
    return window, page


def _row(page: WorkbenchPage, name: str) -> int:
    return next(
        r for r in range(page.duty_table.rowCount()) if page.duty_table.item(r, 0).text() == name
    )


def test_first_page_shows_overdue_due_and_done(demo_db: Database, qtbot: QtBot) -> None:
    window, page = _window(demo_db, qtbot)
    assert "2022年11月8日" in page.title.text()
    states = {
        page.duty_table.item(r, 0).text(): page.duty_table.item(r, 3).text()
        for r in range(page.duty_table.rowCount())
    }
    assert states == {
        "市局主要指标月报（1-N月累计）": "× 逾期（已填未报送）",
        "环境信访月报": "● 未填 3 项",
        "执法检查季报": "√ 已报送",
    }
    row = _row(page, "环境信访月报")
    assert page.duty_table.item(row, 2).text() == "每月10日前：11月10日截止，还有 2 天"
    assert "报送逾期 1 项" in page.counts.text() and "计划与台账逾期 2 项" in page.counts.text()
    assert page.item_table.rowCount() == 2

    # 去填报 opens the grid for the duty's period.
    button = page.duty_table.cellWidget(row, 4)
    assert isinstance(button, QPushButton) and button.text() == "去填报"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.nav.currentItem().text() == "数据填报"
    assert window.context_bar.period() == Period.month(2022, 10)

    # Figures written elsewhere: back on the 工作台 the state follows.
    complaints = indicator_by_code(demo_db, "complaints").id
    write_values(demo_db, [ValueWrite(OWN, "2022-M10", complaints, 4.0)])
    window.nav.setCurrentRow(0)
    assert page.duty_table.item(_row(page, "环境信访月报"), 3).text() == "● 未填 2 项"


def test_add_then_delete_a_duty_with_undo(demo_db: Database, qtbot: QtBot) -> None:
    window, page = _window(demo_db, qtbot)

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, DutyDialog):
            QTimer.singleShot(50, fill)
            return
        dialog.name.setText("环评审批季报")
        dialog.kind.setCurrentIndex(dialog.kind.findData("Q"))
        assert dialog.rule.text() == "季后10日内"  # the rule follows the kind
        dialog.kind.setCurrentIndex(dialog.kind.findData("M"))
        dialog.name.setText("环评审批月报")
        dialog.rule.setText("每月12日前")
        for r in range(dialog.groups.count()):
            if dialog.groups.item(r).text() == "审批":
                dialog.groups.item(r).setCheckState(Qt.CheckState.Checked)
        buttons = dialog.findChild(QDialogButtonBox)
        assert buttons is not None
        qtbot.mouseClick(
            buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )

    QTimer.singleShot(50, fill)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    row = _row(page, "环评审批月报")
    # October is due on 11-12 and neither 审批 figure is in the store.
    assert page.duty_table.item(row, 3).text() == "● 未填 2 项"
    assert page.duty_table.item(row, 2).text() == "每月12日前：11月12日截止，还有 4 天"
    assert "环评审批月报" in window.message.text()

    page.duty_table.selectRow(row)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert "环评审批月报" not in [d.name for d in duties.duties_of(demo_db, OWN)]
    assert page.duty_table.rowCount() == 3
    window.undo_action.trigger()
    assert "环评审批月报" in [d.name for d in duties.duties_of(demo_db, OWN)]
    assert page.duty_table.rowCount() == 4


def test_a_duty_on_a_saved_form_fills_it_in_one_click(
    demo_db: Database, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.services.common.workbook import read_workbook
    from desktop.services.exchange import templates
    from desktop.services.exchange.drafting import draft
    from desktop.services.workbench.duties import add_duty
    from tests.support.forms import bureau_form

    form = bureau_form(
        tmp_path / "市局月报.xlsx",
        [("空气质量优良率", "%", None, None), ("PM2.5平均浓度", "μg/m³", None, None)],
        unit_line="填报单位：温州市生态环境局海岛区分局",
    )
    grid = read_workbook(form)
    saved = templates.save(demo_db, "市局月报表样", grid, draft(demo_db, grid, {}).layouts)
    template = next(t for t in form_templates.all_templates(demo_db) if t.name == saved.name)
    add_duty(demo_db, OWN, "市局表样月报", "YTD", "每月10日前", template.id)
    window, page = _window(demo_db, qtbot)
    row = _row(page, "市局表样月报（表样：市局月报表样）")
    # The form's two figures are the demo's 1-10月 ones: filled, due on 11-10.
    assert page.duty_table.item(row, 3).text() == "◐ 已填"
    out = tmp_path / "已填.xlsx"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    button = page.duty_table.cellWidget(row, 4)
    assert isinstance(button, QPushButton) and button.text() == "按表样填报…"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.nav.currentItem().text() == "数据交换"
    qtbot.waitUntil(lambda: "已填" in window.message.text() or bool(told), timeout=10_000)
    assert out.is_file() and window.context_bar.period() == Period.ytd(2022, 10)
    assert "海岛区分局 2022年1-10月" in window.message.text()


def test_the_days_first_backup_shows_on_the_page_it_was_taken_beside(
    demo_db: Database, qtbot: QtBot
) -> None:
    """Seconds after start the day's backup is taken; the 工作台, read before it, said 尚无备份
    while the status bar said 已自动备份."""
    window, page = _window(demo_db, qtbot)
    assert "尚无备份" in page.recent.text()
    window.daily_backup()  # what the start-up timer runs
    assert window.message.text().startswith("已自动备份")
    assert "尚无备份" not in page.recent.text()
    assert "自动" in page.recent.text()
