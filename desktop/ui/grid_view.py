"""A table view that behaves like an Excel sheet for keyboard entry.

Type to overwrite, F2 or double-click to edit, Enter commits and moves down, Tab moves right,
Delete clears, Ctrl+C / Ctrl+V copy and paste blocks as tab-separated text (what Excel and WPS
put on the clipboard). The view only emits what the user asked for; the page decides.

Signals:
    clear_requested(): Delete or Backspace on a selection.
    copy_requested(): Ctrl+C.
    paste_requested(): Ctrl+V.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)


class EnterCommitsDelegate(QStyledItemDelegate):
    """Commits on Enter at once instead of on a queued call.

    WORKAROUND: Qt's delegate commits Enter through a queued invocation, so keys typed quickly
    after Enter (a figure, Enter, the next figure) reach the closing editor and are lost.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and isinstance(watched, QWidget)
        ):
            self.commitData.emit(watched)
            self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.SubmitModelCache)
            return True
        return super().eventFilter(watched, event)


class GridView(QTableView):
    clear_requested = Signal()
    copy_requested = Signal()
    paste_requested = Signal()
    typed_on_read_only = Signal()

    def keyboardSearch(self, search: str) -> None:  # noqa: N802 - a Qt override
        """Off: typing on a cell that cannot be edited (locked, computed) must not jump to
        another row whose name starts with the digits typed, where the next keys would land.
        The page says why the cell refused instead."""
        self.typed_on_read_only.emit()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setTabKeyNavigation(True)
        self.setAlternatingRowColors(False)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(26)
        self.setItemDelegate(EnterCommitsDelegate(self))
        self._hold = False

    def hold_position(self) -> None:
        """The input just committed was refused: Enter keeps the cell so it can be fixed."""
        self._hold = True

    def move_down(self) -> None:
        """Enter: the next editable cell below, as Excel does."""
        index = self.currentIndex()
        model = self.model()
        if not index.isValid() or model is None:
            return
        row = index.row() + 1
        while row < model.rowCount():
            candidate = model.index(row, index.column())
            if model.flags(candidate) & Qt.ItemFlag.ItemIsEditable:
                break
            row += 1
        else:
            return
        self.setCurrentIndex(candidate)
        self.selectionModel().select(candidate, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        # The delegate reports Enter as SubmitModelCache; Excel moves down after Enter.
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            if self._hold:
                self._hold = False
            else:
                self.move_down()
            return
        self._hold = False
        super().closeEditor(editor, hint)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
            if event.matches(QKeySequence.StandardKey.Copy):
                self.copy_requested.emit()
                return
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste_requested.emit()
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear_requested.emit()
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.move_down()
                return
        super().keyPressEvent(event)

    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802
        super().setModel(model)
        if model is not None:
            model.modelReset.connect(self.apply_spans)
            self.apply_spans()

    def apply_spans(self) -> None:
        """Category rows span the whole width."""
        self.clearSpans()
        model = self.model()
        if model is None:
            return
        is_group = getattr(model, "is_group", None)
        if is_group is None:
            return
        for row in range(model.rowCount()):
            if is_group(row):
                self.setSpan(row, 0, 1, model.columnCount())

    def selected_block(self) -> list[QModelIndex]:
        """The selected cells, or the current cell when nothing is selected (as in Excel)."""
        chosen = self.selectedIndexes()
        if not chosen and self.currentIndex().isValid():
            chosen = [self.currentIndex()]
        return sorted(chosen, key=lambda i: (i.row(), i.column()))
