"""Undo of 数据交换: a committed import of a workbook (or of the branches' returns), whole."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.services.common.dry_run import DryRun
from desktop.services.exchange.judging import commit_dry_run, revert_dry_run
from desktop.ui.undo.base import WorkerCommand

if TYPE_CHECKING:
    from desktop.ui.exchange_page import ExchangePage


class ExchangeImportCommand(WorkerCommand):
    """A committed import on the undo stack: undo puts back what it replaced, on the worker."""

    def __init__(self, page: ExchangePage, dry_run: DryRun, label: str) -> None:
        super().__init__(label, page.status.emit, page.undo_stack, page)
        self._db, self._dry_run, self._changed = page.db, dry_run, page.data_changed.emit

    def write(self, *, undo: bool, source: str) -> int:
        action = revert_dry_run if undo else commit_dry_run
        return action(self._db, self._dry_run, source)

    def succeeded(self, *, undo: bool) -> None:
        super().succeeded(undo=undo)
        self._changed()
