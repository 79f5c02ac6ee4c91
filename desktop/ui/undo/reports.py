"""Undo of 工作报告: a saved edit of a section's heading and text.

Adding and deleting a section are ``callbacks.ActionCommand``s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.ui.undo.base import UndoCommand

if TYPE_CHECKING:
    from desktop.ui.report_page import ReportPage


class ReportEditCommand(UndoCommand):
    """One saved edit of a section: redo writes the new text, undo the old."""

    def __init__(
        self,
        page: ReportPage,
        node_id: int,
        old: tuple[str, str],
        new: tuple[str, str],
    ) -> None:
        super().__init__(f"修改“{new[0] or '前言'}”", page.status.emit)
        self._page, self._node, self._old, self._new = page, node_id, old, new

    def apply(self, *, undo: bool) -> None:
        self._page.apply_text(self._node, *(self._old if undo else self._new))
