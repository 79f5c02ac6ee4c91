"""A report body editor that shows each field as a marked chip with the indicator's name.

The stored text keeps fields as tokens (``{{air_good_rate}}``, ``{{=pm25@2021-Y}}``): that is
what the store, the .docx export and the search read. A person reads "〔空气质量优良率〕" on a
tinted background instead, the token itself only in the chip's tooltip. ``toPlainText`` gives
the stored text back (chips as their tokens) and ``setPlainText``/``insertPlainText`` take it,
so the page treats this editor as it treated a plain one.

A chip is one fragment with its own character format carrying the token (and a serial, so
two chips side by side never merge into one fragment); deleting it with Backspace or Delete
removes the whole chip, and typing inside one is not possible (the cursor steps out of it).
No cursor or selection ever ends inside a chip (``_snap``): an arrow key steps over it, and a
mouse or Shift+arrow selection that cuts into one takes the whole chip, so cutting, deleting
or typing over a selection can never leave half a chip (or its code) behind.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QTextEdit, QWidget

from desktop.services.reports.blanks import TOKEN

TOKEN_PROPERTY = QTextFormat.Property.UserProperty + 1
CHIP_BG = QColor(220, 234, 250)
CHIP_FG = QColor(21, 67, 120)
_serial = itertools.count(1)


class FieldEdit(QTextEdit):
    """Plain text with fields as chips; ``namer(token)`` gives a chip's words."""

    def __init__(self, namer: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptRichText(False)
        self._namer = namer
        self._last_position = 0
        self._snapping = False
        self._pressed = False
        self.cursorPositionChanged.connect(self._snap)
        self.selectionChanged.connect(self._snap)

    # ------------------------------------------------------------------ the stored text
    def setPlainText(self, text: str) -> None:  # noqa: N802 - the QPlainTextEdit API
        self.blockSignals(True)
        self.clear()
        self.blockSignals(False)
        cursor = QTextCursor(self.document())
        self._insert(cursor, text)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def insertPlainText(self, text: str) -> None:  # noqa: N802 - the QPlainTextEdit API
        self._insert(self.textCursor(), text)

    def toPlainText(self) -> str:  # noqa: N802 - the QPlainTextEdit API
        """The text as stored: each chip becomes its token again."""
        lines: list[str] = []
        block = self.document().begin()
        while block.isValid():
            parts: list[str] = []
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                token = fragment.charFormat().property(TOKEN_PROPERTY)
                if token:
                    parts.append(str(token).split("#", 1)[0])
                else:
                    parts.append(fragment.text())
                it += 1
            lines.append("".join(parts))
            block = block.next()
        return "\n".join(lines)

    def chips(self) -> list[tuple[str, str]]:
        """(words shown, token) of every chip, in order: what a reader sees and what is kept."""
        found: list[tuple[str, str]] = []
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                token = fragment.charFormat().property(TOKEN_PROPERTY)
                if token:
                    found.append((fragment.text(), str(token).split("#", 1)[0]))
                it += 1
            block = block.next()
        return found

    # ------------------------------------------------------------------ chips
    def _insert(self, cursor: QTextCursor, text: str) -> None:
        plain = QTextCharFormat()
        last = 0
        for match in TOKEN.finditer(text):
            cursor.insertText(text[last : match.start()], plain)
            self._insert_chip(cursor, match[0])
            last = match.end()
        cursor.insertText(text[last:], plain)

    def _insert_chip(self, cursor: QTextCursor, token: str) -> None:
        chip = QTextCharFormat()
        chip.setBackground(CHIP_BG)
        chip.setForeground(CHIP_FG)
        chip.setToolTip(f"数字字段 {token}：导出和预览时按指标库填数")
        chip.setProperty(TOKEN_PROPERTY, f"{token}#{next(_serial)}")
        cursor.insertText(f"〔{self._namer(token)}〕", chip)

    def _chip_at(self, position: int) -> tuple[int, int] | None:
        """Start and end of the chip holding the character at ``position``, if any."""
        block = self.document().findBlock(position)
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            start, end = fragment.position(), fragment.position() + fragment.length()
            if start <= position < end and fragment.charFormat().property(TOKEN_PROPERTY):
                return start, end
            it += 1
        return None

    def _snap(self) -> None:
        """Move a cursor end that lies inside a chip to the chip's edge.

        The moving end goes on in the direction it moved (so Shift+Left can shrink a selection
        back over a chip it took); an anchor inside a chip (a drag started in one) goes to the
        edge that puts the whole chip into the selection.
        """
        if self._snapping:
            return
        cursor = self.textCursor()
        anchor, position = cursor.anchor(), cursor.position()
        if self._pressed and anchor == position:
            return  # a press inside a chip may start a drag: its anchor must stay there
        moved_back = position < self._last_position
        new_position = self._edge(position, toward_start=moved_back)
        if anchor == position:
            new_anchor = new_position
        else:
            new_anchor = self._edge(anchor, toward_start=anchor < new_position)
        self._last_position = new_position
        if (new_anchor, new_position) == (anchor, position):
            return
        self._snapping = True
        try:
            cursor.setPosition(new_anchor)
            cursor.setPosition(new_position, QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)
        finally:
            self._snapping = False

    def _edge(self, position: int, *, toward_start: bool) -> int:
        """``position`` if it is not inside a chip, else the chip's start or end."""
        chip = self._chip_at(position)
        if chip is None or chip[0] == position:
            return position
        return chip[0] if toward_start else chip[1]

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed = True
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        super().mouseReleaseEvent(event)
        self._pressed = False
        self._snap()  # a click (no drag) inside a chip leaves the cursor at its edge

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Backspace and Delete take a whole chip; typing never lands inside one."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            key = event.key()
            at = cursor.position() - 1 if key == Qt.Key.Key_Backspace else cursor.position()
            if key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
                chip = self._chip_at(at)
                if chip is not None:
                    cursor.setPosition(chip[0])
                    cursor.setPosition(chip[1], QTextCursor.MoveMode.KeepAnchor)
                    cursor.removeSelectedText()
                    return
            elif event.text():
                inside = self._chip_at(cursor.position())
                if inside is not None and inside[0] < cursor.position():
                    cursor.setPosition(inside[1])
                    self.setTextCursor(cursor)
                cursor = self.textCursor()
                cursor.setCharFormat(QTextCharFormat())  # typed text is never part of a chip
                self.setTextCursor(cursor)
        super().keyPressEvent(event)
