"""The 计划清单 and 整改台账 pages in the real main window, driven with qtbot: a status edited
through the tree changes the summary line and undoes with the window's undo stack; the ledger
shows its rates and prints an A4 landscape PDF with the header on every page."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QMessageBox, QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from db.audit import recent
from db.connection import Database
from desktop.models.ledger_table import STATUS_COLUMN as LEDGER_STATUS
from desktop.models.plan_tree import STATUS_COLUMN
from desktop.ui.ledger_page import LedgerPage
from desktop.ui.main_window import MainWindow
from desktop.ui.plan_page import PlanPage
from desktop.ui.table_print import TableJob, print_pdf
from tests.support.pdf_text import pdf_pages, pdf_text

TODAY = date(2022, 11, 5)


def _open(window: MainWindow, title: str) -> object:
    row = next(r for r in range(window.nav.count()) if window.nav.item(r).text() == title)
    window.nav.setCurrentRow(row)
    return window.page(row)


def test_status_edit_through_the_tree_updates_summary_and_undoes(
    demo_db: Database, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    page = _open(window, "计划清单")
    assert isinstance(page, PlanPage)
    page.set_today(TODAY)
    qtmodeltester.check(page.model)
    assert page.summary_text().startswith("已完成 4/10 项，逾期 2 项，滞后 1 项")
    item_id = next(r.item.id for r in page.model.rows if r.item.text == "开展温室气体清单编制")
    index = page.model.index_of(item_id, STATUS_COLUMN)
    assert "未开始·逾期" in index.data()

    page.view.setCurrentIndex(index)
    page.view.edit(index)
    editor = page.view.findChild(QComboBox)
    assert editor is not None
    editor.setCurrentText("已完成")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.summary_text().startswith("已完成 5/10 项，逾期 1 项"))
    assert "已完成" in page.model.index_of(item_id, STATUS_COLUMN).data()
    assert "已保存" in window.message.text()
    log = recent(demo_db, limit=5)
    assert log[0].action == "plan_item" and log[0].new_value == f"条目[{item_id}] 状态：已完成"

    window.undo_stack.undo()
    assert page.summary_text().startswith("已完成 4/10 项，逾期 2 项")
    window.undo_stack.redo()
    assert page.summary_text().startswith("已完成 5/10 项")

    page.overdue_box.setChecked(True)
    shown = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
    assert shown == ["二、抓好督察问题整改"]


def test_ledger_page_shows_rates_edits_and_prints(
    demo_db: Database, qtbot: QtBot, qtmodeltester: ModelTester, tmp_path: Path
) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    page = _open(window, "整改台账")
    assert isinstance(page, LedgerPage)
    page.set_today(TODAY)
    qtmodeltester.check(page.model)
    assert "第二轮央督“1+3+6”：共 10 个，已完成整改 3、立行立改 6、整改中 1，完成率 90.0%" in (
        page.summary_text()
    )
    assert page.model.rowCount() == 33
    row = next(n for n, p in enumerate(page.model.problems) if "料场" in p.description)
    index = page.model.index(row, LEDGER_STATUS)
    assert page.model.setData(index, "已完成整改")
    assert "完成率 100.0%" in page.summary_text()
    window.undo_stack.undo()
    assert "完成率 90.0%" in page.summary_text()

    job = page.print_job()
    assert isinstance(job, TableJob)
    pdf = tmp_path / "台账.pdf"
    pages = print_pdf(job, str(pdf))
    assert pages >= 2 and pdf_pages(pdf) == pages
    text = pdf_text(pdf)
    assert text.count("问题描述") == pages  # the header on every page
    # pdftotext drops the spaces and maps 页 to a radical: match loosely.
    assert re.search(r"第\s*1\s*\S\s*/\s*共", text) and "数据来源：EcoDesk" in text


def test_pasted_outline_is_one_undoable_step(
    demo_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    page = _open(window, "计划清单")
    assert isinstance(page, PlanPage)
    page.set_today(TODAY)
    before = len(page.model.rows)
    page.view.setCurrentIndex(QModelIndex())
    assert page.paste_outline("四、新增分组\n1.第一条\n续行\n2.第二条") == 3
    labels = [r.item.label for r in page.model.rows]
    assert "1.第一条续行" in labels and len(labels) == before + 3
    window.undo_stack.undo()
    assert len(page.model.rows) == before
    window.undo_stack.redo()
    assert len(page.model.rows) == before + 3
    assert page.paste_outline("没有编号的文字") == 0
    assert "没有找到条目" in window.message.text() and len(warnings) == 1


def test_find_filters_both_pages(demo_db: Database, qtbot: QtBot) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    plan_page = _open(window, "计划清单")
    assert isinstance(plan_page, PlanPage)
    plan_page.find_edit.setText("无废")
    groups = [plan_page.model.index(r, 0) for r in range(plan_page.model.rowCount())]
    assert [g.data() for g in groups] == ["一、打好污染防治攻坚战"]
    assert plan_page.model.index(0, 0, groups[0]).data() == "5.建成一批“无废细胞”"
    ledger_page = _open(window, "整改台账")
    assert isinstance(ledger_page, LedgerPage)
    ledger_page.find_edit.setText("料场")
    assert ledger_page.model.rowCount() == 1


def test_closing_follows_the_status_path_keeps_what_was_typed_and_undoes(
    demo_db: Database, qtbot: QtBot
) -> None:
    from PySide6.QtCore import QDate, QTimer
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from db import ledger
    from desktop.ui.ledger_page import CloseDialog

    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    page = _open(window, "整改台账")
    assert isinstance(page, LedgerPage)
    page.set_today(TODAY)
    row = next(n for n, p in enumerate(page.model.problems) if "料场" in p.description)
    problem = page.model.problems[row]
    assert problem.status == "整改中"
    page.view.selectRow(row)
    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QMessageBox):
            seen.append(dialog.text())
            dialog.accept()
        elif isinstance(dialog, CloseDialog):
            seen.append(dialog.day.text())
            ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
            ok.click()  # nothing entered: refused inside the dialog
            assert dialog.isVisible() and "请填写销号日期和核查情况" in dialog.error.text()
            dialog.note.setText("现场核查到位")
            ok.click()
            assert dialog.isVisible() and dialog.error.text() == "请填写销号日期"
            assert dialog.note.text() == "现场核查到位", "what was typed is kept"
            dialog.day.setDate(QDate(2022, 11, 5))
            ok.click()
        else:
            QTimer.singleShot(10, answer)

    QTimer.singleShot(10, answer)
    page.close_problem()  # 整改中 straight to 已销号: refused
    assert "先把状态改为“已完成整改”或“立行立改”" in seen[0]
    assert ledger.problem_by_id(demo_db, problem.id).status == "整改中"

    ledger.update_problem(demo_db, problem.id, status="已完成整改")
    page.set_today(TODAY)
    page.view.selectRow(row)
    QTimer.singleShot(10, answer)
    page.close_problem()
    assert seen[1] == "（请选择销号日期）", "the date is not pre-filled with today"
    closed = ledger.problem_by_id(demo_db, problem.id)
    assert (closed.status, closed.closed_on, closed.verification) == (
        "已销号", "2022-11-05", "现场核查到位",
    )  # fmt: skip
    window.undo_stack.undo()
    reopened = ledger.problem_by_id(demo_db, problem.id)
    assert (reopened.status, reopened.closed_on) == ("已完成整改", None)


def test_deleting_a_problem_asks_and_undoes_with_every_field(
    demo_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    page = _open(window, "整改台账")
    assert isinstance(page, LedgerPage)
    page.set_today(TODAY)
    before = len(page.model.problems)
    row = next(n for n, p in enumerate(page.model.problems) if "料场" in p.description)
    problem = page.model.problems[row]
    answers = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda *_: answers[0])
    page.view.selectRow(row)
    page.actions_by_name["删除问题"].trigger()
    assert len(page.model.problems) == before  # 否: nothing deleted
    answers[0] = QMessageBox.StandardButton.Yes
    page.view.selectRow(row)
    page.actions_by_name["删除问题"].trigger()
    assert len(page.model.problems) == before - 1
    assert not [p for p in page.model.problems if "料场" in p.description]
    assert "完成率" in page.summary_text()
    window.undo_stack.undo()
    [back] = [p for p in page.model.problems if "料场" in p.description]
    assert len(page.model.problems) == before
    assert (back.batch, back.seq, back.description, back.status, back.measures) == (
        problem.batch, problem.seq, problem.description, problem.status, problem.measures,
    )  # fmt: skip
    window.undo_stack.redo()
    assert len(page.model.problems) == before - 1


def test_ledger_import_reads_and_commits_on_the_worker(
    demo_db: Database, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    from desktop.services.ledger import spreadsheet
    from desktop.ui import ledger_page

    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    page = _open(window, "整改台账")
    assert isinstance(page, LedgerPage)
    page.set_today(TODAY)
    assert page.unit_id is not None
    path = tmp_path / "台账.xlsx"
    spreadsheet.export_ledger(demo_db, page.unit_id, path, TODAY)
    book = load_workbook(path)
    book.worksheets[0]["G7"] = "已完成整改"  # the 料场 problem is done now
    book.save(path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_: (str(path), ""))
    shown: list[str] = []

    def confirm(dialog: ledger_page.ImportDialog) -> int:
        shown.append(dialog.findChild(QLabel).text())  # type: ignore[union-attr]
        return 1

    monkeypatch.setattr(ledger_page.ImportDialog, "exec", confirm)
    button = next(b for b in page.findChildren(QPushButton) if b.text() == "导入Excel…")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not button.isEnabled(), "reading the workbook runs on the worker"
    qtbot.waitUntil(lambda: "已导入 1 项" in window.message.text(), timeout=10_000)
    assert shown and "修改 1 项" in shown[0]
    assert button.isEnabled() and "完成率 100.0%" in page.summary_text()
