"""The import preview: one row per judged cell, filtered by status in the model itself."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from db.periods import Period
from desktop.models.table import HeaderedTableModel
from desktop.services.excel.layout import FIELD_LABELS
from desktop.services.excel.planning import ImportPlan, PlanItem, Status

Index = QModelIndex | QPersistentModelIndex
_HEADERS = ("状态", "文件", "位置", "单位", "指标", "栏目", "期间", "原值", "新值", "说明")
COLOURS = {
    Status.NEW: QColor(226, 239, 218),
    Status.CHANGED: QColor(221, 235, 247),
    Status.ERROR: QColor(255, 214, 214),
}


class ImportPlanModel(HeaderedTableModel):
    HEADERS = _HEADERS

    def __init__(self) -> None:
        super().__init__()
        self._plan = ImportPlan()
        self._rows: list[PlanItem] = []
        self._filter: Status | None = None

    @property
    def plan(self) -> ImportPlan:
        return self._plan

    def set_plan(self, plan: ImportPlan) -> None:
        self.beginResetModel()
        self._plan = plan
        self._rows = self._visible()
        self.endResetModel()

    def set_filter(self, status: Status | None) -> None:
        self.beginResetModel()
        self._filter = status
        self._rows = self._visible()
        self.endResetModel()

    def _visible(self) -> list[PlanItem]:
        items = self._plan.items
        if self._filter is None:
            # Errors first, then what will change: what the user must look at comes first.
            order = {Status.ERROR: 0, Status.NEW: 1, Status.CHANGED: 1, Status.UNCHANGED: 2}
            return sorted(items, key=lambda i: order[i.status])
        return [i for i in items if i.status is self._filter]

    def row_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._rows[index.row()]
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
