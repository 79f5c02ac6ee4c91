"""Undo of 监测数据: a committed import of an air or water monitoring file, whole."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from db.connection import Database
from desktop.services.monitoring.sample_import import MonitoringImport, commit_import, revert_import
from desktop.ui.undo.base import WorkerCommand


class MonitoringImportCommand(WorkerCommand):
    """A committed monitoring import on the undo stack: undo removes what it added and puts
    back what it replaced, refused whole if those values changed since; on the worker."""

    def __init__(
        self,
        db: Database,
        imp: MonitoringImport,
        label: str,
        report: Callable[[str], None],
        changed: Callable[[], None],
        stack: QUndoStack,
        parent: QWidget,
    ) -> None:
        super().__init__(label, report, stack, parent)
        self._db, self._imp, self._changed = db, imp, changed

    def write(self, *, undo: bool, source: str) -> int:
        action = revert_import if undo else commit_import
        return action(self._db, self._imp, source)

    def succeeded(self, *, undo: bool) -> None:
        super().succeeded(undo=undo)
        self._changed()
