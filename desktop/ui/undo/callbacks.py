"""Undo commands built from callbacks the page supplies: one field of a record, or an action
with its inverse. 计划清单, 整改台账 and the sections of 工作报告 push them."""

from __future__ import annotations

from collections.abc import Callable

from desktop.ui.undo.base import UndoCommand


class FieldCommand(UndoCommand):
    """One field of one plan item or problem changed: redo writes new, undo writes old.

    ``apply`` writes the value and shows it (the page's callback does both).
    """

    def __init__(
        self,
        label: str,
        apply: Callable[[object], None],
        old: object,
        new: object,
        report: Callable[[str], None],
    ) -> None:
        super().__init__(label, report)
        self._write, self._old, self._new = apply, old, new

    def apply(self, *, undo: bool) -> None:
        self._write(self._old if undo else self._new)


class ActionCommand(UndoCommand):
    """An action with its inverse (paste an outline / remove what it added, delete / restore)."""

    def __init__(
        self,
        label: str,
        do: Callable[[], None],
        undo: Callable[[], None],
        report: Callable[[str], None],
    ) -> None:
        super().__init__(label, report)
        self._do, self._undo = do, undo

    def apply(self, *, undo: bool) -> None:
        (self._undo if undo else self._do)()
