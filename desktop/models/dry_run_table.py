"""The import preview: one row per judged cell, filtered by status in the model itself.

Rows are the dry run's ``DryRunRows``: a returned export's tens of thousands of 不变 cells are made
into records only as the view scrolls to them, so showing a dry run costs no more than its errors
and changes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from db.periods import Period
from desktop.models.table import HeaderedTableModel
from desktop.services.common.dry_run import DryRun, DryRunItem, DryRunRows, Status
from desktop.services.common.wording import FIELD_LABELS

Index = QModelIndex | QPersistentModelIndex
_HEADERS = ("状态", "文件", "位置", "单位", "指标", "栏目", "期间", "原值", "新值", "说明")
COLOURS = {
    Status.NEW: QColor(226, 239, 218),
    Status.CHANGED: QColor(221, 235, 247),
    Status.ERROR: QColor(255, 214, 214),
}


class DryRunModel(HeaderedTableModel):
    HEADERS = _HEADERS

    def __init__(self) -> None:
        super().__init__()
        self._dry_run = DryRun()
        self._rows = DryRunRows(())
        self._filter: Status | None = None
        self._last: tuple[int, DryRunItem] | None = None  # the view asks for one row many times

    @property
    def dry_run(self) -> DryRun:
        return self._dry_run

    def set_dry_run(self, dry_run: DryRun) -> None:
        self.beginResetModel()
        self._dry_run = dry_run
        self._rows = self._visible()
        self.endResetModel()

    def set_filter(self, status: Status | None) -> None:
        self.beginResetModel()
        self._filter = status
        self._rows = self._visible()
        self.endResetModel()

    def _visible(self) -> DryRunRows:
        self._last = None
        dry_run = self._dry_run
        if self._filter is None:
            # Errors first, then what will change: what the user must look at comes first.
            return DryRunRows.joined(
                dry_run.select((Status.ERROR,)),
                dry_run.select((Status.NEW, Status.CHANGED)),
                dry_run.select((Status.UNCHANGED,)),
            )
        return dry_run.select((self._filter,))

    def item(self, row: int) -> DryRunItem:
        """The cell shown on ``row`` (made from the dry run's compact form when first asked)."""
        if self._last is None or self._last[0] != row:
            self._last = (row, self._rows[row])
        return self._last[1]

    def row_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.item(index.row())
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = COLOURS.get(item.status)
            return QBrush(colour) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.describe()
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            item.status.value,
            item.file,
            item.where,
            item.unit_name,
            item.indicator_name,
            FIELD_LABELS.get(item.field, item.field),
            _period_label(item.period),
            item.shown(item.old),
            item.shown(item.new),
            item.reason,
        )[index.column()]


def _period_label(code: str) -> str:
    """2022-YTD10 → 2022年1-10月; a target's year 2022 → 2022年."""
    if code.isdigit():
        return f"{code}年"
    try:
        return Period.parse(code).label
    except ValueError:
        return code
