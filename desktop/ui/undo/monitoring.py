"""Undo of 监测数据: a committed import of an air or water monitoring file, whole."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from db.connection import Database
from db.errors import StorageError
from desktop.services.monitoring.sample_import import MonitoringImport, commit_import, revert_import


class MonitoringImportCommand(QUndoCommand):
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
        super().__init__(label)
        self._db, self._imp, self._report, self._changed = db, imp, report, changed
        self._done = True

    def redo(self) -> None:
        if not self._done:
            self._run(commit_import, "重做")

    def undo(self) -> None:
        self._run(revert_import, "撤销")

    def _run(self, action: Callable[[Database, MonitoringImport, str], int], verb: str) -> None:
        try:
            action(self._db, self._imp, f"{verb}{self.text()}")
        except StorageError as exc:
            self._report(f"无法{verb}“{self.text()}”：{exc.message}")
            self.setObsolete(True)
            return
        self._done = verb == "重做"
        self._report(f"已{verb}：{self.text()}")
        self._changed()
