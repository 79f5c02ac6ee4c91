"""The audit log as a table: when, who, what changed (old → new), from which source."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from db import audit, units
from db.connection import Database
from db.indicators import all_indicators
from db.numbers import format_number
from db.periods import Period
from desktop.models.table import HeaderedTableModel

Index = QModelIndex | QPersistentModelIndex
_HEADERS = ("时间", "用户", "操作", "单位", "指标", "期间", "原值", "新值", "来源")
ACTIONS = {
    "value": "修改数值",
    "note": "修改备注",
    "target": "修改目标",
    "lock": "锁定（已报送）",
    "unlock": "解除锁定",
    "indicator": "新增指标",
    "plan_item": "修改计划条目",
    "problem": "修改整改问题",
    "report": "修改工作报告",
}


def period_label(code: str | None) -> str:
    """2023-YTD10 as a person reads it: 2023年1-10月 (a code it cannot read stays as it is)."""
    if not code:
        return ""
    try:
        return Period.parse(code).label
    except ValueError:
        return code


class AuditLogModel(HeaderedTableModel):
    """The newest entries first; ``limit`` keeps the dialog quick on a years-old database."""

    HEADERS = _HEADERS

    def __init__(self, db: Database, limit: int = 2000, unit_id: int | None = None) -> None:
        super().__init__()
        self._entries = audit.recent(db, limit=limit, unit_id=unit_id)
        self._units = {u.id: u.display_name for u in units.all_units(db)}
        self._indicators = {i.id: i for i in all_indicators(db)}

    def row_count(self) -> int:
        return len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        entry = self._entries[index.row()]
        indicator = self._indicators.get(entry.indicator_id or -1)
        column = index.column()
        if column == 0:
            return entry.at.replace("T", " ")
        if column == 1:
            return entry.user
        if column == 2:
            return ACTIONS.get(entry.action, entry.action)
        if column == 3:
            return self._units.get(entry.unit_id or -1, "")
        if column == 4:
            if indicator:
                return indicator.name
            return entry.new_value or "" if entry.action == "indicator" else ""
        if column == 5:
            return period_label(entry.period)
        if column in (6, 7):
            raw = entry.old_value if column == 6 else entry.new_value
            if raw is None:
                return ""
            if indicator is not None and entry.action in ("value", "target"):
                try:
                    return format_number(float(raw), indicator.decimals)
                except ValueError:
                    return raw
            if entry.action == "unlock" and column == 7:
                return f"原因：{raw}"
            return "" if entry.action == "indicator" else raw
        return entry.source
