"""Undoable edits of the entry grid (Ctrl+Z / Ctrl+Y).

A command is pushed only after its first write succeeded, so the undo stack never holds an edit
that did not happen. Undoing later can still be refused (the period has been locked since): the
command then reports why and marks itself obsolete, and Qt drops it from the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from db.errors import StorageError
from desktop.models.entry_grid import CellEdit, EntryGridModel


class EntryEditCommand(QUndoCommand):
    def __init__(
        self,
        model: EntryGridModel,
        edits: list[CellEdit],
        report: Callable[[str], None],
    ) -> None:
        text = edits[0].label if len(edits) == 1 else f"{len(edits)} 个单元格"
        super().__init__(text)
        self._model = model
        self._edits = edits
        self._report = report
        self._done = True  # the page applied it before pushing

    def redo(self) -> None:
        if self._done:
            return
        self._run(undo=False)

    def undo(self) -> None:
        self._run(undo=True)

    def _run(self, *, undo: bool) -> None:
        try:
            self._model.apply(self._edits, undo=undo)
        except StorageError as exc:
            self._report(f"无法{'撤销' if undo else '重做'}“{self.text()}”：{exc.message}")
            self.setObsolete(True)
            return
        self._done = not undo
        self._report(f"已{'撤销' if undo else '重做'}：{self.text()}")
