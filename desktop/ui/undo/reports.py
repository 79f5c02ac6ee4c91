"""Undo of 工作报告: a saved edit of a section, and adding or deleting a section."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from desktop.ui.report_page import ReportPage


class ReportEditCommand(QUndoCommand):
    """One saved edit of a section: redo writes the new text, undo the old."""

    def __init__(
        self,
        page: ReportPage,
        node_id: int,
        old: tuple[str, str],
        new: tuple[str, str],
    ) -> None:
        super().__init__(f"修改“{new[0] or '前言'}”")
        self._page, self._node, self._old, self._new = page, node_id, old, new
        self._first = True

    def redo(self) -> None:
        if self._first:  # the page saved it already, as the user typed
            self._first = False
            return
        self._page.apply_text(self._node, *self._new)

    def undo(self) -> None:
        self._page.apply_text(self._node, *self._old)


class ReportStructureCommand(QUndoCommand):
    """Adding or deleting a section: ``do`` and ``undo`` are each other's inverse."""

    def __init__(self, label: str, do: Callable[[], None], undo: Callable[[], None]) -> None:
        super().__init__(label)
        self._do, self._undo = do, undo

    def redo(self) -> None:
        self._do()

    def undo(self) -> None:
        self._undo()
