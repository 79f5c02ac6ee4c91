"""A month calendar of daily AQI: 7 columns Monday–Sunday, one cell per day.

Each cell shows the day, the AQI and the category word, on the standard's category colour
(never colour alone). Days outside the shown months are empty; a day without a valid AQI says
"无数据"; a day with a required item missing shows "AQI NA" and the missing items (HJ 633), in
grey, unless the rest already put it above 100. ``DAY_ROLE`` gives the cell's date,
``AQI_ROLE`` the ``DailyAqi`` or None.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.services.monitoring.air.aqi import DailyAqi
from desktop.services.monitoring.air.daily_text import missing_text, shown_category

Index = QModelIndex | QPersistentModelIndex
WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")
DAY_ROLE = Qt.ItemDataRole.UserRole + 1
AQI_ROLE = Qt.ItemDataRole.UserRole + 2


def _text_colour(rgb: tuple[int, int, int]) -> QColor:
    """Black on light category colours, white on dark ones (紫, 褐红, 红)."""
    r, g, b = rgb
    light = 0.299 * r + 0.587 * g + 0.114 * b > 140
    return QColor(0, 0, 0) if light else QColor(255, 255, 255)


class AqiCalendarModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._first = date(2000, 1, 3)  # a Monday: the top-left cell
        self._weeks = 0
        self._start = self._end = self._first
        self._days: dict[date, DailyAqi] = {}

    def set_days(self, start: date, end: date, daily: Sequence[DailyAqi]) -> None:
        """Show the days from ``start`` to ``end`` (whole months, normally) with their AQI."""
        self.beginResetModel()
        self._start, self._end = start, end
        self._first = start - timedelta(start.weekday())
        self._weeks = ((end - self._first).days // 7) + 1
        self._days = {d.day: d for d in daily if d.day is not None}
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._weeks = 0
        self._days = {}
        self.endResetModel()

    def day_at(self, row: int, column: int) -> date | None:
        day = self._first + timedelta(7 * row + column)
        return day if self._start <= day <= self._end else None

    def index_of(self, day: date) -> QModelIndex:
        offset = (day - self._first).days
        return self.index(offset // 7, offset % 7)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._weeks

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return f"周{WEEKDAYS[section]}" if 0 <= section < 7 else None
        monday = self._first + timedelta(7 * section)
        return f"{monday.month}月{monday.day}日起"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        day = self.day_at(index.row(), index.column())
        if day is None:
            return None
        scored = self._days.get(day)
        category = shown_category(scored) if scored is not None else None
        if role == Qt.ItemDataRole.DisplayRole:
            if scored is None:
                return f"{day.month}月{day.day}日\n无数据"
            if category is None or scored.aqi is None:
                return f"{day.month}月{day.day}日\nAQI NA\n{missing_text(scored)}".rstrip()
            text = f"{day.month}月{day.day}日\nAQI {scored.aqi} {category.name}"
            return f"{text}\n{missing_text(scored)}" if scored.missing else text
        if role == Qt.ItemDataRole.BackgroundRole and scored is not None and category is None:
            return QBrush(QColor(220, 220, 220))
        if role == Qt.ItemDataRole.BackgroundRole and category is not None:
            return QBrush(QColor(*category.rgb))
        if role == Qt.ItemDataRole.ForegroundRole and category is not None:
            return QBrush(_text_colour(category.rgb))
        if role == Qt.ItemDataRole.ToolTipRole and scored is not None:
            lines = [f"{day}（{scored.standard_code}）"]
            if scored.primary and category is not None:
                lines.append("首要污染物：" + "、".join(scored.primary))
            if scored.missing:
                lines.append("缺测：" + "、".join(scored.missing) + "（HJ 633：缺测项记 NA）")
                if category is None:
                    lines.append("其余项目未超过100，AQI 记 NA，不计入有效天数")
            return "\n".join(lines)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == DAY_ROLE:
            return day
        if role == AQI_ROLE:
            return scored
        return None
