"""Undo of 数据填报: typed, pasted or cleared cells of the entry grid (Ctrl+Z / Ctrl+Y)."""

from __future__ import annotations

from collections.abc import Callable

from desktop.models.entry_grid import CellEdit, EntryGridModel
from desktop.ui.undo.base import UndoCommand


class EntryEditCommand(UndoCommand):
    """One or several cells written in one transaction; keyed by unit, period and indicator, so
    undo works after the grid moved on to another period."""

    def __init__(
        self,
        model: EntryGridModel,
        edits: list[CellEdit],
        report: Callable[[str], None],
    ) -> None:
        text = edits[0].label if len(edits) == 1 else f"{len(edits)} 个单元格"
        super().__init__(text, report)
        self._model = model
        self._edits = edits

    def apply(self, *, undo: bool) -> None:
        self._model.apply(self._edits, undo=undo)
