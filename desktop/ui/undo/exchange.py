"""Undo of 数据交换: a committed import of a workbook (or of the branches' returns) whole."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from db.errors import StorageError
from desktop.services.exchange.judging import DryRun, commit_dry_run, revert_dry_run

if TYPE_CHECKING:
    from desktop.ui.exchange_page import ExchangePage


class ExchangeImportCommand(QUndoCommand):
    """A committed import on the undo stack: undo puts back what it replaced."""

    def __init__(self, page: ExchangePage, dry_run: DryRun, label: str) -> None:
        super().__init__(label)
        self._page, self._dry_run, self._done = page, dry_run, True

    def redo(self) -> None:
        if self._done:
            return
        self._run(commit_dry_run, "重做")

    def undo(self) -> None:
        self._run(revert_dry_run, "撤销")

    def _run(self, action: object, verb: str) -> None:
        try:
            action(self._page.db, self._dry_run, f"{verb}{self.text()}")  # type: ignore[operator]
        except StorageError as exc:
            self._page.status.emit(f"无法{verb}“{self.text()}”：{exc.message}")
            self.setObsolete(True)
            return
        self._done = verb == "重做"
        self._page.status.emit(f"已{verb}：{self.text()}")
        self._page.data_changed.emit()
