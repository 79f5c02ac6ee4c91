"""The sections of a period: body, samples, class (coloured), main pollutants and item means.

The class cell shows the class and its qualitative word on the colour of 《地表水环境质量评价
办法（试行）》（环办〔2011〕22号）表“断面水质定性评价”: Ⅰ-Ⅱ类 优 蓝色, Ⅲ类 良好 绿色, Ⅳ类
轻度污染 黄色, Ⅴ类 中度污染 橙色, 劣Ⅴ类 重度污染 红色 (the text names the colours only; the
RGB values are the usual ones of bulletins and maps). The word is always shown with the colour,
never colour alone. ``SECTION_ROLE`` gives the row's ``SectionPeriod``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from db.numbers import CLASS_NAMES
from desktop.models.table import HeaderedTableModel, Index
from desktop.services.monitoring.standards import StandardsLibrary, load_library
from desktop.services.monitoring.water.period import (
    SECTION_COLUMNS,
    SectionPeriod,
    WaterPeriod,
    items_present,
    mean_text,
)

SECTION_ROLE = Qt.ItemDataRole.UserRole + 1
#: class index (1-5, 6 = 劣Ⅴ) → qualitative word and colour (环办〔2011〕22号).
QUALITY: dict[int, tuple[str, tuple[int, int, int]]] = {
    1: ("优", (0, 112, 192)),
    2: ("优", (0, 112, 192)),
    3: ("良好", (0, 176, 80)),
    4: ("轻度污染", (255, 255, 0)),
    5: ("中度污染", (255, 126, 0)),
    6: ("重度污染", (255, 0, 0)),
}
FIXED = (*SECTION_COLUMNS[:-1], "主要污染指标\n（超标倍数）")
CLASS_COLUMN = FIXED.index("水质类别")
TARGET_COLUMN = FIXED.index("水质目标")
_COUNT_COLUMN = FIXED.index("样品数")
_MAIN_COLUMN = FIXED.index("主要污染指标\n（超标倍数）")


def _text_colour(rgb: tuple[int, int, int]) -> QColor:
    r, g, b = rgb
    light = 0.299 * r + 0.587 * g + 0.114 * b > 140
    return QColor(0, 0, 0) if light else QColor(255, 255, 255)


class WaterSectionsModel(HeaderedTableModel):
    """Read-only: one row per section with samples in the period."""

    def __init__(self, library: StandardsLibrary | None = None) -> None:
        super().__init__()
        self.library = library or load_library()
        self.result: WaterPeriod | None = None
        self.items: list[str] = []
        self.HEADERS = FIXED

    def set_result(self, result: WaterPeriod | None) -> None:
        self.beginResetModel()
        self.result = result
        self.items = items_present(result, self.library) if result else []
        specs = self.library.water.items
        self.HEADERS = FIXED + tuple(
            f"{specs[i].label}\n{specs[i].unit}" if i in specs else i for i in self.items
        )
        self.endResetModel()

    def row_count(self) -> int:
        return len(self.result.sections) if self.result else 0

    def section(self, row: int) -> SectionPeriod:
        assert self.result is not None
        return self.result.sections[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.result is None:
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self.result.sections) and 0 <= column < len(self.HEADERS)):
            return None
        s = self.result.sections[row]
        if role == SECTION_ROLE:
            return s
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(s, column)
        failing = column == TARGET_COLUMN and s.meets_target is False
        if role == Qt.ItemDataRole.ForegroundRole and failing:
            return QBrush(QColor(200, 0, 0))
        if role == Qt.ItemDataRole.TextAlignmentRole and (
            column >= len(FIXED) or column == _COUNT_COLUMN
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column == CLASS_COLUMN and s.result.class_index is not None:
            rgb = QUALITY[s.result.class_index][1]
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(*rgb))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(_text_colour(rgb))
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == CLASS_COLUMN:
            return "\n".join(
                f"{i.label}：{mean_text(i.item, i.value, self.library)} → {i.class_name}"
                + ("" if i.counted else "（不参与评价）")
                for i in s.result.items
            )
        return None

    def _text(self, s: SectionPeriod, column: int) -> str:
        if column == 0:
            return s.section
        if column == 1:
            return s.body.value
        if column == 2:
            return s.control_level or "未设"
        if column == _COUNT_COLUMN:
            return str(s.sample_days)
        if column == CLASS_COLUMN:
            index = s.result.class_index
            return "—" if index is None else f"{s.class_name}（{QUALITY[index][0]}）"
        if column == TARGET_COLUMN:
            if s.target_class is None:
                return "未设"
            verdict = {True: "达标", False: "未达标", None: ""}[s.meets_target]
            return f"{CLASS_NAMES[s.target_class]} {verdict}".strip()
        if column == _MAIN_COLUMN:
            return s.main_pollutants
        item = self.items[column - len(FIXED)]
        value = s.means.get(item)
        return "—" if value is None else mean_text(item, value, self.library)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        tooltip = orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole
        if tooltip and len(FIXED) <= section < len(self.HEADERS):
            return "期间内各次监测结果的算术平均值"
        return super().headerData(section, orientation, role)

    def index_of(self, section: str, column: int = 0) -> QModelIndex:
        for row, s in enumerate(self.result.sections if self.result else ()):
            if s.section == section:
                return self.index(row, column)
        return QModelIndex()
