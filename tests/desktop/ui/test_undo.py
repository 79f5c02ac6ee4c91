"""The one undo convention: pushed after the first write, refused steps leave the stack."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from db import locks, units
from db.connection import Database
from db.errors import StorageError
from db.periods import Period
from desktop.models.entry_grid import Col
from desktop.ui.main_window import MainWindow
from desktop.ui.undo.base import UndoCommand, write_then_push

P = Period.parse("2022-YTD10")


class _Recorded(UndoCommand):
    """Writes into a list; refuses whatever ``refuse`` names."""

    def __init__(self, log: list[str], messages: list[str], refuse: set[str]) -> None:
        super().__init__("测试修改", messages.append)
        self.log, self.refuse = log, refuse

    def apply(self, *, undo: bool) -> None:
        step = "undo" if undo else "do"
        if step in self.refuse:
            raise StorageError("本期已报送（已锁定）")
        self.log.append(step)


def test_first_write_before_push_and_refusals_leave_the_stack() -> None:
    stack = QUndoStack()
    log: list[str] = []
    messages: list[str] = []
    assert not write_then_push(stack, _Recorded(log, messages, {"do"}))
    assert stack.count() == 0 and messages[-1] == "未保存：本期已报送（已锁定）"

    command = _Recorded(log, messages, set())
    assert write_then_push(stack, command, done="已保存")
    assert log == ["do"], "push does not write a second time"
    assert stack.count() == 1 and messages[-1] == "已保存"
    stack.undo()
    stack.redo()
    assert log == ["do", "undo", "do"] and messages[-1] == "已重做：测试修改"

    command.refuse.add("undo")
    stack.undo()
    assert messages[-1] == "无法撤销“测试修改”：本期已报送（已锁定）"
    assert stack.count() == 0 and not stack.canRedo(), "a refused step is dropped, not kept"


def test_undo_refused_by_a_lock_drops_the_typed_edit(demo_db: Database, qtbot: QtBot) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    unit = units.unit_by_code(demo_db, "330703")
    window.context_bar.set_context(unit.id, P)
    grid = window.entry_page.model
    cell = grid.index(grid.row_of("pm25"), Col.CURRENT)
    view = window.entry_page.view
    view.setFocus()
    view.setCurrentIndex(cell)
    qtbot.keyClicks(view, "1")  # the first key opens the editor and lands in it
    editor = view.indexWidget(cell)
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "9")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cell.data() == "19")
    assert window.undo_stack.count() == 1
    locks.lock_period(demo_db, unit.id, P.code)
    window.undo_action.trigger()
    assert "无法撤销" in window.message.text() and "锁定" in window.message.text()
    assert window.undo_stack.count() == 0 and cell.data() == "19"
