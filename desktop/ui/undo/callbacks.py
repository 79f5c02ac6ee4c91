"""Undo commands built from callbacks the page supplies: one field of a record, or an action
with its inverse. 计划清单 and 整改台账 push them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from db.errors import StorageError


class FieldCommand(QUndoCommand):
    """One field of one plan item or problem changed: redo writes new, undo writes old.

    ``push`` runs ``redo`` at once, so the first write happens there; if the store refuses it,
    the command reports why and marks itself obsolete, and Qt drops it from the stack.
    """

    def __init__(
        self,
        label: str,
        apply: Callable[[object], None],
        old: object,
        new: object,
        report: Callable[[str], None],
    ) -> None:
        super().__init__(label)
        self._apply, self._old, self._new, self._report = apply, old, new, report
        self._first = True

    def redo(self) -> None:
        try:
            self._apply(self._new)
        except StorageError as exc:
            self._report(f"未保存：{exc.message}")
            self.setObsolete(True)
            return
        self._report(("已保存：" if self._first else "已重做：") + self.text())
        self._first = False

    def undo(self) -> None:
        try:
            self._apply(self._old)
        except StorageError as exc:
            self._report(f"无法撤销“{self.text()}”：{exc.message}")
            self.setObsolete(True)
            return
        self._report(f"已撤销：{self.text()}")


class ActionCommand(QUndoCommand):
    """An action with its inverse (paste an outline / remove what it added).

    ``push`` runs ``redo`` at once; the page has not acted before pushing.
    """

    def __init__(
        self,
        label: str,
        do: Callable[[], None],
        undo: Callable[[], None],
        report: Callable[[str], None],
    ) -> None:
        super().__init__(label)
        self._do, self._undo, self._report = do, undo, report
        self._first = True

    def redo(self) -> None:
        try:
            self._do()
        except StorageError as exc:
            self._report(f"未完成：{exc.message}")
            self.setObsolete(True)
            return
        if not self._first:
            self._report(f"已重做：{self.text()}")
        self._first = False

    def undo(self) -> None:
        try:
            self._undo()
        except StorageError as exc:
            self._report(f"无法撤销“{self.text()}”：{exc.message}")
            self.setObsolete(True)
            return
        self._report(f"已撤销：{self.text()}")
