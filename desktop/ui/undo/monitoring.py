"""Undo of 监测数据: a committed import of an air or water monitoring file, whole."""

from __future__ import annotations

from collections.abc import Callable

from db.connection import Database
from desktop.services.monitoring.sample_import import MonitoringImport, commit_import, revert_import
from desktop.ui.undo.base import UndoCommand, verb


class MonitoringImportCommand(UndoCommand):
    """A committed monitoring import on the undo stack: undo removes what it added and puts
    back what it replaced, refused whole if those values changed since."""

    def __init__(
        self,
        db: Database,
        imp: MonitoringImport,
        label: str,
        report: Callable[[str], None],
        changed: Callable[[], None],
    ) -> None:
        super().__init__(label, report)
        self._db, self._imp, self._changed = db, imp, changed

    def apply(self, *, undo: bool) -> None:
        action = revert_import if undo else commit_import
        action(self._db, self._imp, f"{verb(undo)}{self.text()}")

    def succeeded(self, *, undo: bool) -> None:
        super().succeeded(undo=undo)
        self._changed()
