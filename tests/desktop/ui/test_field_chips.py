"""A report field chip is whole or gone: no cursor, selection, cut or typing splits one.

Driven with real key and mouse events on the editor the report page uses.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.ui.field_edit import FieldEdit

NAMES = {"{{air_good_rate}}": "空气质量优良率", "{{pm25}}": "PM2.5平均浓度"}
TEXT = "优良率{{air_good_rate}}，浓度{{pm25}}。"
SHOWN = "优良率〔空气质量优良率〕，浓度〔PM2.5平均浓度〕。"
CHIP = len("〔空气质量优良率〕")


def _editor(qtbot: QtBot) -> FieldEdit:
    edit = FieldEdit(lambda token: NAMES[token])
    qtbot.addWidget(edit)
    edit.resize(600, 200)
    edit.show()
    qtbot.waitExposed(edit)
    edit.setPlainText(TEXT)
    edit.setFocus()
    return edit


def _whole(edit: FieldEdit) -> None:
    """Every chip left shows its full name, and the stored text has only whole tokens."""
    for words, token in edit.chips():
        assert words == f"〔{NAMES[token]}〕", words
    stored = edit.toPlainText()
    assert stored.count("{{") == stored.count("}}") == len(edit.chips())
    shown = edit.document().toPlainText()
    assert "air_good_rate" not in shown and "{{" not in shown


def _put(edit: FieldEdit, position: int) -> None:
    cursor = edit.textCursor()
    cursor.setPosition(position)
    edit.setTextCursor(cursor)


def _point(edit: FieldEdit, position: int) -> QPoint:
    cursor = QTextCursor(edit.document())
    cursor.setPosition(position)
    rect = edit.cursorRect(cursor)
    return QPoint(rect.left() + 1, rect.center().y())


def test_shift_arrow_into_a_chip_takes_it_whole_and_delete_removes_it(qtbot: QtBot) -> None:
    edit = _editor(qtbot)
    assert edit.document().toPlainText() == SHOWN
    _put(edit, len("优良"))
    for _ in range(2):  # "率" and one step into the chip
        qtbot.keyClick(edit, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert edit.textCursor().selectedText() == "率〔空气质量优良率〕"
    qtbot.keyClick(edit, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert edit.textCursor().selectedText() == "率", "Shift+Left gives the chip back whole"
    qtbot.keyClick(edit, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert edit.toPlainText() == "优良，浓度{{pm25}}。"
    _whole(edit)


def test_shift_left_from_plain_text_into_a_chip_then_typing_replaces_the_whole_chip(
    qtbot: QtBot,
) -> None:
    edit = _editor(qtbot)
    _put(edit, len("优良率〔空气质量优良率〕，浓"))
    for _ in range(3):  # "浓", "，" and one step into the chip
        qtbot.keyClick(edit, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert edit.textCursor().selectedText() == "〔空气质量优良率〕，浓"
    qtbot.keyClicks(edit, "95%")
    assert edit.toPlainText() == "优良率95%度{{pm25}}。"
    _whole(edit)


def test_arrow_keys_step_over_a_chip(qtbot: QtBot) -> None:
    edit = _editor(qtbot)
    _put(edit, len("优良率"))
    qtbot.keyClick(edit, Qt.Key.Key_Right)
    assert edit.textCursor().position() == len("优良率") + CHIP
    qtbot.keyClick(edit, Qt.Key.Key_Left)
    assert edit.textCursor().position() == len("优良率")


def test_a_mouse_drag_from_inside_a_chip_takes_it_whole_and_cut_leaves_no_half(
    qtbot: QtBot,
) -> None:
    edit = _editor(qtbot)
    viewport = edit.viewport()
    start = _point(edit, len("优良率〔空气"))  # inside the first chip
    end = _point(edit, len("优良率〔空气质量优良率〕，浓"))
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    assert edit.textCursor().selectedText() == "〔空气质量优良率〕，浓"
    qtbot.keyClick(edit, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert edit.toPlainText() == "优良率度{{pm25}}。"
    _whole(edit)
    # A drag ending inside the second chip takes that chip too.
    start, end = _point(edit, len("优良")), _point(edit, len("优良率度〔PM2"))
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    assert edit.textCursor().selectedText() == "率度〔PM2.5平均浓度〕"
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.toPlainText() == "优良。"
    _whole(edit)
    assert QApplication.clipboard().text() == "〔空气质量优良率〕，浓", "the cut went whole"


def test_a_click_inside_a_chip_leaves_the_cursor_at_its_edge(qtbot: QtBot) -> None:
    edit = _editor(qtbot)
    qtbot.mouseClick(
        edit.viewport(), Qt.MouseButton.LeftButton, pos=_point(edit, len("优良率〔空气质"))
    )
    assert edit.textCursor().position() in (len("优良率"), len("优良率") + CHIP)
    qtbot.keyClicks(edit, "X")
    assert "X{{" in edit.toPlainText() or "}}X" in edit.toPlainText()
    _whole(edit)
