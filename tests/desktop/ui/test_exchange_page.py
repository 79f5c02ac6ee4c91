"""The 数据交换 page driven as a user would: preview, commit, undo and redo on the one worker with
the window disabled meanwhile, export, consolidate."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from db import locks, units
from db.connection import Database
from db.periods import Period
from desktop import tasks
from desktop.models.entry_grid import Col
from desktop.ui.exchange_page import ExchangePage
from desktop.ui.main_window import MainWindow
from desktop.ui.undo import exchange as exchange_undo
from desktop.ui.undo.base import write_then_push
from desktop.ui.undo.callbacks import ActionCommand
from tests.support.forms import bureau_form

P = Period.parse("2022-YTD10")


def test_preview_commit_undo_and_export(demo_db: Database, qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    window.context_bar.set_context(units.unit_by_code(demo_db, "330703").id, P)
    page = window.exchange_page()
    assert isinstance(page, ExchangePage)

    form = bureau_form(
        tmp_path / "金东分局.xlsx",
        [
            ("PM2.5平均浓度", "μg/m³", 24, 30),
            ("二氧化硫平均浓度", "μg/m³", "约20", None),
            ("秸秆露天焚烧火点数", "个", 3, None),  # no catalog figure: named, not dropped
        ],
    )
    page.preview(form)
    qtbot.waitUntil(lambda: page.commit_button.isEnabled(), timeout=10_000)
    assert page.commit_button.text() == "导入 2 项（1 项错误将跳过）"
    summary = page.import_summary.text()
    assert "表1!C8“秸秆露天焚烧火点数”：不是目录中的指标" in summary
    assert summary.endswith("导入 2 项（新增 1，修改 1），不变 0 项，拒绝 1 项，未识别的行 1 行")
    assert page.dry_run_model.rowCount() == 3
    assert page.dry_run_model.index(0, 0).data() == "错误", "errors are listed first"
    assert "约20" in page.dry_run_model.index(0, 9).data()
    assert "尚未写入" in window.message.text()

    qtbot.mouseClick(page.commit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已导入 2 项" in window.message.text(), timeout=10_000)
    grid = window.entry_page.model
    pm25 = grid.index(grid.row_of("pm25"), Col.CURRENT)
    assert pm25.data() == "24", "the entry grid shows the imported figure"
    assert grid.index(grid.row_of("pm25"), Col.LAST_YEAR).data() == "30"

    window.undo_action.trigger()
    qtbot.waitUntil(lambda: pm25.data() == "26", timeout=10_000)
    assert grid.index(grid.row_of("pm25"), Col.LAST_YEAR).data() == "", "Ctrl+Z puts it back"

    out = tmp_path / "导出.xlsx"
    page.export_to(out)
    qtbot.waitUntil(lambda: "已导出" in window.message.text(), timeout=10_000)
    assert out.exists()
    window.close()


def _previewed(qtbot: QtBot, db: Database, tmp_path: Path) -> tuple[MainWindow, ExchangePage]:
    """The main window on 数据交换 with PM2.5 (本期, 去年同期) previewed for 金东分局."""
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    window.context_bar.set_context(units.unit_by_code(db, "330703").id, P)
    page = window.exchange_page()
    assert isinstance(page, ExchangePage)
    page.preview(bureau_form(tmp_path / "金东分局.xlsx", [("PM2.5平均浓度", "μg/m³", 24, 30)]))
    qtbot.waitUntil(lambda: page.commit_button.isEnabled(), timeout=10_000)
    return window, page


def _gate(monkeypatch: pytest.MonkeyPatch, name: str) -> tuple[threading.Event, list[str]]:
    """Hold ``name`` of the exchange's undo module until the event is set; record its thread."""
    real = getattr(exchange_undo, name)
    gate, threads = threading.Event(), []

    def held(*args: Any) -> Any:
        threads.append(threading.current_thread().name)
        gate.wait(10)
        return real(*args)

    monkeypatch.setattr(exchange_undo, name, held)
    return gate, threads


# The Ctrl+Z pressed at the disabled window is refused, and QTest says so.
@pytest.mark.qt_log_ignore("Keyboard event not accepted by receiving widget")
def test_the_window_is_disabled_while_the_commit_runs_on_the_worker(
    demo_db: Database, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, page = _previewed(qtbot, demo_db, tmp_path)
    undone: list[bool] = []
    earlier = ActionCommand("较早的修改", lambda: None, lambda: undone.append(True), print)
    assert write_then_push(window.undo_stack, earlier)
    gate, threads = _gate(monkeypatch, "commit_dry_run")
    choose = next(b for b in page.findChildren(QPushButton) if b.text() == "选择要导入的文件…")
    assert choose.isEnabled() and window.nav.isEnabled()

    qtbot.mouseClick(page.commit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(threads), timeout=5000)
    assert threads == ["ecodesk-worker"], "the commit runs on the worker, not the GUI thread"
    for widget in (page.commit_button, page.discard_button, choose, window.nav,
                   window.menuBar(), window.entry_page.view):  # fmt: skip
        assert not widget.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert undone == [], "Ctrl+Z does nothing while the worker writes"
    assert window.undo_stack.count() == 1, "the import is pushed only once written"

    gate.set()
    qtbot.waitUntil(lambda: "已导入 2 项" in window.message.text(), timeout=10_000)
    assert choose.isEnabled() and window.nav.isEnabled() and window.menuBar().isEnabled()
    assert window.undo_stack.count() == 2 and not tasks.busy()


def test_undo_and_redo_of_an_import_run_on_the_worker(
    demo_db: Database, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, page = _previewed(qtbot, demo_db, tmp_path)
    qtbot.mouseClick(page.commit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=10_000)
    grid = window.entry_page.model
    pm25 = grid.index(grid.row_of("pm25"), Col.CURRENT)
    assert pm25.data() == "24"

    gate, threads = _gate(monkeypatch, "revert_dry_run")
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: bool(threads), timeout=5000)
    assert threads == ["ecodesk-worker"] and not window.centralWidget().isEnabled()
    assert pm25.data() == "24", "nothing put back before the worker has written"
    gate.set()
    qtbot.waitUntil(lambda: pm25.data() == "26", timeout=10_000)
    assert window.centralWidget().isEnabled() and "已撤销" in window.message.text()

    window.redo_action.trigger()
    qtbot.waitUntil(lambda: pm25.data() == "24", timeout=10_000)
    assert window.undo_stack.index() == 1 and "已重做" in window.message.text()


def test_a_refused_undo_on_the_worker_leaves_the_stack_consistent(
    demo_db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    window, page = _previewed(qtbot, demo_db, tmp_path)
    qtbot.mouseClick(page.commit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=10_000)
    grid = window.entry_page.model
    pm25 = grid.index(grid.row_of("pm25"), Col.CURRENT)
    locks.lock_period(demo_db, units.unit_by_code(demo_db, "330703").id, P.code)

    window.undo_action.trigger()
    qtbot.waitUntil(lambda: "无法撤销" in window.message.text(), timeout=10_000)
    assert "锁定" in window.message.text() or "已报送" in window.message.text()
    assert window.undo_stack.count() == 0 and window.undo_stack.index() == 0
    assert not window.undo_stack.canRedo(), "the refused import is off the stack, not redoable"
    grid.refresh()
    assert pm25.data() == "24" and window.centralWidget().isEnabled()


def test_twenty_branch_returns_consolidate_from_the_page(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db.connection import open_database
    from desktop.services.demo import build_demo
    from desktop.services.exchange.export import Selection, export_workbook
    from tests.desktop.services.exchange.test_consolidate import _branches

    source = build_demo(tmp_path / "branches.ecodesk")
    returns = tmp_path / "returns"
    returns.mkdir()
    for unit_id in _branches(source, 20):
        name = units.unit_by_id(source, unit_id).short_name
        export_workbook(source, Selection([unit_id], [P]), returns / f"{name}.xlsx")
    source.close()
    build_demo(tmp_path / "city.ecodesk").close()
    db = open_database(tmp_path / "city.ecodesk")
    for n in range(1, 21):
        units.add_unit(db, f"3304{n:02d}", f"嘉兴市第{n}分局", level="分局", parent_code="330400")
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    window.context_bar.set_context(units.unit_by_code(db, "330400").id, P)
    page = window.exchange_page()
    assert isinstance(page, ExchangePage)
    from desktop.services.exchange.consolidate import collect_files

    page.consolidate_files(collect_files([returns]))
    qtbot.waitUntil(lambda: page.save_summary.isEnabled(), timeout=20_000)
    assert page.files_list.count() == 20
    assert page.commit_button.text() == "导入 40 项"
    page.tabs.setCurrentIndex(1)
    qtbot.mouseClick(page.commit_button, Qt.MouseButton.LeftButton)
    assert not page.isEnabled()
    qtbot.waitUntil(lambda: "已导入 40 项" in window.message.text(), timeout=20_000)
    out = tmp_path / "汇总.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_: (str(out), ""))
    page.tabs.setCurrentIndex(2)
    qtbot.mouseClick(page.save_summary, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "汇总表已保存" in window.message.text(), timeout=20_000)
    assert out.exists() and page.isEnabled()
    window.close()
