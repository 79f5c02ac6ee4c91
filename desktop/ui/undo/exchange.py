"""Undo of 数据交换: a committed import of a workbook (or of the branches' returns), whole."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.services.exchange.judging import DryRun, commit_dry_run, revert_dry_run
from desktop.ui.undo.base import UndoCommand, verb

if TYPE_CHECKING:
    from desktop.ui.exchange_page import ExchangePage


class ExchangeImportCommand(UndoCommand):
    """A committed import on the undo stack: undo puts back what it replaced."""

    def __init__(self, page: ExchangePage, dry_run: DryRun, label: str) -> None:
        super().__init__(label, page.status.emit)
        self._page, self._dry_run = page, dry_run

    def apply(self, *, undo: bool) -> None:
        action = revert_dry_run if undo else commit_dry_run
        action(self._page.db, self._dry_run, f"{verb(undo)}{self.text()}")

    def succeeded(self, *, undo: bool) -> None:
        super().succeeded(undo=undo)
        self._page.data_changed.emit()
