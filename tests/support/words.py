"""The words a user reads, and what they must never contain: an empty "（）" or "()", a
"{{field}}", a period code (2023-YTD10, 2022-M10, 2022-Q3, 2022-Y) or a program identifier
(snake_case). File paths are left out (a folder name is the user's own); tooltips are not read
(a field's code is kept there on purpose).

Used by ``test_visible_words`` (every page and menu dialog) and the click-everything walk (every
status message and dialog a click produced).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QTreeView,
    QWidget,
)

ROWS = 30  # the rows a user sees first in each table

BAD = {
    "empty brackets": re.compile(r"（\s*）|\(\s*\)"),
    "field token": re.compile(r"\{\{"),
    "period code": re.compile(r"(?<![\w-])\d{4}-(?:M|Q|YTD|Y)\d{0,2}(?![\w-])"),
    "identifier": re.compile(r"(?<![\w./\\-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w.])"),
}
_PATH = re.compile(r"(?:[A-Za-z]:)?[\\/][^\s，。：“”]*")


def _columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # a list model keeps columnCount private: one column
        return 1


def _model_texts(model: QAbstractItemModel, parent: QModelIndex, tree: bool) -> Iterator[str]:
    columns = _columns(model, parent)
    for column in range(columns):
        header = model.headerData(column, Qt.Orientation.Horizontal)
        if header is not None:
            yield str(header)
    for row in range(min(model.rowCount(parent), ROWS)):
        for column in range(columns):
            value = model.index(row, column, parent).data(Qt.ItemDataRole.DisplayRole)
            if value is not None:
                yield str(value)
        first = model.index(row, 0, parent)
        if tree and parent == QModelIndex() and model.rowCount(first):
            yield from _model_texts(model, first, tree)


def visible_texts(widget: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) of everything visible under ``widget``."""
    for child in [widget, *widget.findChildren(QWidget)]:
        if not child.isVisible():
            continue
        kind = type(child).__name__
        if isinstance(child, QLabel | QAbstractButton):
            yield kind, child.text()
        elif isinstance(child, QGroupBox):
            yield kind, child.title()
        elif isinstance(child, QLineEdit):
            yield kind, child.text() or child.placeholderText()
        elif isinstance(child, QComboBox):
            yield from ((kind, child.itemText(i)) for i in range(child.count()))
        elif isinstance(child, QTabWidget):
            yield from ((kind, child.tabText(i)) for i in range(child.count()))
        elif isinstance(child, QTextEdit | QPlainTextEdit):
            yield kind, child.document().toPlainText()
        elif isinstance(child, QAbstractItemView) and child.model() is not None:
            yield from (
                (kind, t)
                for t in _model_texts(child.model(), QModelIndex(), isinstance(child, QTreeView))
            )
        if child.isWindow():
            yield "窗口标题", child.windowTitle()
    for action in widget.findChildren(QAction):
        yield "QAction", action.text()
    for menu in widget.findChildren(QMenu):
        yield "QMenu", menu.title()


def problems(where: str, text: str) -> list[str]:
    bare = _PATH.sub(" ", text)
    return [f"{where}: {name}: {text!r}" for name, rx in BAD.items() if rx.search(bare)]
