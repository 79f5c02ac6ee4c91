"""全部单位一览 as a table model: a unit column then one column per indicator of the group.

Sorting re-queries the store (``OverviewSource.rows`` with an ``OverviewSort``: ORDER BY in
SQL, siblings only, totals under their unit) instead of sorting a proxy over every row.
Missing cells say 未填 on a pale red, 下属合计 rows are bold on grey. ``ROW_ROLE`` gives the
row's ``OverviewRow``; ``Qt.UserRole`` the raw value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from db.formulas import readable
from db.overview import OverviewFilter, OverviewSort
from db.records import Indicator
from desktop.models.table import HeaderedTableModel, Index
from desktop.services.overview.table import (
    MISSING,
    OverviewRow,
    OverviewSource,
    cell_text,
    header_text,
)

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
MISSING_BRUSH = QBrush(QColor(255, 238, 238))
TOTAL_BRUSH = QBrush(QColor(236, 240, 245))


class OverviewModel(HeaderedTableModel):
    def __init__(self, source: OverviewSource) -> None:
        super().__init__()
        self.source = source
        self.indicators: list[Indicator] = []
        self.rows: list[OverviewRow] = []
        self.order = OverviewSort()
        self.wanted = OverviewFilter()
        self.with_totals = True
        self.HEADERS = ("单位",)

    def show(
        self,
        indicators: Sequence[Indicator],
        wanted: OverviewFilter | None = None,
        with_totals: bool | None = None,
    ) -> None:
        """Re-read the rows for these columns (and filters) in the current order."""
        self.indicators = list(indicators)
        if wanted is not None:
            self.wanted = wanted
        if with_totals is not None:
            self.with_totals = with_totals
        self._requery()

    def _requery(self) -> None:
        self.beginResetModel()
        self.HEADERS = ("单位", *(header_text(i) for i in self.indicators))
        if self.source.period is None:
            self.rows = []
        else:
            self.rows = self.source.rows(self.indicators, self.order, self.wanted, self.with_totals)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Qt's header click: the store is asked again with ORDER BY that column."""
        descending = order == Qt.SortOrder.DescendingOrder
        if column <= -1 or column >= len(self.HEADERS):
            self.order = OverviewSort()
        elif column == 0:
            self.order = OverviewSort(by_name=True, descending=descending)
        else:
            self.order = OverviewSort(self.indicators[column - 1].id, descending=descending)
        self.layoutAboutToBeChanged.emit()
        self._requery()
        self.layoutChanged.emit()

    def row_count(self) -> int:
        return len(self.rows)

    def row(self, number: int) -> OverviewRow:
        return self.rows[number]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if not 0 <= column < len(self.HEADERS):
            return None
        indicator = self.indicators[column - 1] if column else None
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            if indicator is None:
                return "　" * row.depth + row.label
            return cell_text(indicator, row)
        if role == Qt.ItemDataRole.UserRole:
            return None if indicator is None else row.values.get(indicator.id)
        if role == Qt.ItemDataRole.FontRole and row.total:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            if indicator is not None and cell_text(indicator, row) == MISSING:
                return MISSING_BRUSH
            if row.total:
                return TOTAL_BRUSH
        if role == Qt.ItemDataRole.TextAlignmentRole and indicator is not None:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and indicator is not None and row.total:
            gap = row.gaps.get(indicator.id, 0)
            rule = {"sum": "下属单位相加", "mean": "下属单位平均"}.get(indicator.unit_agg, "")
            if indicator.is_computed:
                names = {i.code: i.name for i in self.source.catalog}
                rule = f"按合计重算（{readable(indicator.formula or '', names)}）"
            text = rule or "该指标不汇总"
            return text + (f"；{gap} 个下属单位未填，合计不完整" if gap else "")
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and orientation == Qt.Orientation.Horizontal
            and 0 < section <= len(self.indicators)
        ):
            return self.indicators[section - 1].description or None
        return super().headerData(section, orientation, role)

    def index_of(self, label: str, column: int = 0) -> QModelIndex:
        for number, row in enumerate(self.rows):
            if row.label == label:
                return self.index(number, column)
        return QModelIndex()
