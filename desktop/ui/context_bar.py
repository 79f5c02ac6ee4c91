"""The one context bar at the top of the window: current unit and period.

Every page follows it rather than keeping its own unit and period, so the user never wonders
which office or month a page is showing.

Signals:
    context_changed(int, object): the unit id and the ``Period`` now selected.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from db.periods import KIND_LABELS, Period, PeriodKind
from db.records import Unit

_KINDS = [PeriodKind.YTD, PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR]


class ContextBar(QWidget):
    context_changed = Signal(int, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.unit_box = QComboBox()
        self.unit_box.setMinimumContentsLength(16)
        self.unit_box.setToolTip("当前单位")
        self.year_box = QSpinBox()
        self.year_box.setRange(2000, 2100)
        self.year_box.setSuffix(" 年")
        self.year_box.setToolTip("年份")
        self.kind_box = QComboBox()
        for kind in _KINDS:
            self.kind_box.addItem(KIND_LABELS[kind], kind)
        self.num_box = QComboBox()
        self.num_box.setMinimumContentsLength(6)
        unit_label = QLabel("单位(&U)：")
        unit_label.setBuddy(self.unit_box)
        period_label = QLabel("期间(&P)：")
        period_label.setBuddy(self.year_box)
        layout.addWidget(unit_label)
        layout.addWidget(self.unit_box, 1)
        layout.addSpacing(16)
        layout.addWidget(period_label)
        layout.addWidget(self.year_box)
        layout.addWidget(self.kind_box)
        layout.addWidget(self.num_box)
        self.scope_note = QLabel()
        self.scope_note.setStyleSheet("color: #777")
        layout.addSpacing(12)
        layout.addWidget(self.scope_note)
        layout.addStretch(1)
        self._quiet = False
        self.unit_box.currentIndexChanged.connect(self._emit)
        self.year_box.valueChanged.connect(self._emit)
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        self.num_box.currentIndexChanged.connect(self._emit)

    def set_units(self, units: list[tuple[Unit, int]]) -> None:
        """Units with their depth in the tree, parents first."""
        self._quiet = True
        self.unit_box.clear()
        for unit, depth in units:
            self.unit_box.addItem("　" * depth + unit.display_name, unit.id)
            self.unit_box.setItemData(self.unit_box.count() - 1, unit.name, 3)  # tooltip
        self._quiet = False

    def set_context(self, unit_id: int, period: Period) -> None:
        self._quiet = True
        position = self.unit_box.findData(unit_id)
        if position >= 0:
            self.unit_box.setCurrentIndex(position)
        self.year_box.setValue(period.year)
        self.kind_box.setCurrentIndex(_KINDS.index(period.kind))
        self._fill_numbers(period.kind)
        if period.kind is not PeriodKind.YEAR:
            self.num_box.setCurrentIndex(self.num_box.findData(period.num))
        self._quiet = False
        self._emit()

    def set_scope(self, scope: frozenset[str]) -> None:
        """Grey out what the current page does not use: a subset of {"unit", "year", "period"}.

        ("period" means the month, quarter or 1-N月 within the year.) The choice is kept, so
        the next page that uses it shows the same unit and period.
        """
        self.unit_box.setEnabled("unit" in scope)
        self.year_box.setEnabled("year" in scope or "period" in scope)
        self.kind_box.setEnabled("period" in scope)
        self.num_box.setEnabled("period" in scope)
        if not scope:
            note = "本页不按单位和期间"
        elif "unit" not in scope:
            note = "本页不按单位"
        elif "period" not in scope and "year" in scope:
            note = "本页按单位和年度"
        elif "period" not in scope:
            note = "本页只按单位"
        else:
            note = ""
        self.scope_note.setText(note)

    def unit_id(self) -> int | None:
        data = self.unit_box.currentData()
        return int(data) if data is not None else None

    def period(self) -> Period:
        kind = PeriodKind(self.kind_box.currentData())
        year = self.year_box.value()
        if kind is PeriodKind.YEAR:
            return Period.whole_year(year)
        num = self.num_box.currentData()
        return Period(year, kind, int(num) if num is not None else 1)

    def _fill_numbers(self, kind: PeriodKind) -> None:
        previous = self.num_box.currentData()
        self.num_box.blockSignals(True)
        self.num_box.clear()
        if kind is PeriodKind.MONTH:
            for m in range(1, 13):
                self.num_box.addItem(f"{m}月", m)
        elif kind is PeriodKind.QUARTER:
            for q, name in enumerate(("第一季度", "第二季度", "第三季度", "第四季度"), 1):
                self.num_box.addItem(name, q)
        elif kind is PeriodKind.YTD:
            self.num_box.addItem("1月", 1)
            for m in range(2, 12):
                self.num_box.addItem(f"1-{m}月", m)
        self.num_box.setVisible(kind is not PeriodKind.YEAR)
        position = self.num_box.findData(previous)
        self.num_box.setCurrentIndex(position if position >= 0 else self.num_box.count() - 1)
        self.num_box.blockSignals(False)

    def _kind_changed(self) -> None:
        self._fill_numbers(PeriodKind(self.kind_box.currentData()))
        self._emit()

    def _emit(self) -> None:
        if self._quiet:
            return
        unit_id = self.unit_id()
        if unit_id is not None:
            self.context_changed.emit(unit_id, self.period())
