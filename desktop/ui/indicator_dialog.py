"""新增指标: a user's own indicator, checked by the same rules as the shipped catalog."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from db.catalog import IndicatorSpec
from db.connection import Database
from db.errors import KnownError
from db.indicators import add_indicator, all_indicators
from db.records import CATEGORIES, Indicator

BETTER = {"越高越好": "higher", "越低越好": "lower", "无所谓": "none"}
AGG = {"求和": "sum", "平均": "mean", "取最新": "last", "不可汇总": "none"}
YOY = {"百分比变化": "percent", "百分点变化": "points", "差值": "difference", "不计算": "none"}


def _combo(options: dict[str, str]) -> QComboBox:
    box = QComboBox()
    for label, value in options.items():
        box.addItem(label, value)
    return box


def _float(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


class IndicatorDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新增指标")
        self._db = db
        self.created: Indicator | None = None
        self.code = QLineEdit()
        self.code.setPlaceholderText("小写字母、数字、下划线，如 noise_complaints")
        self.name = QLineEdit()
        self.category = QComboBox()
        self.category.addItems(list(CATEGORIES))
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("如 件、家次、%、μg/m³、万元")
        self.decimals = QSpinBox()
        self.decimals.setRange(0, 6)
        self.better = _combo(BETTER)
        self.period_agg = _combo(AGG)
        self.unit_agg = _combo(AGG)
        self.yoy = _combo(YOY)
        self.min_value = QLineEdit()
        self.max_value = QLineEdit()
        self.parent_box = QComboBox()
        self.parent_box.addItem("（不是分项）", "")
        for ind in all_indicators(db):
            if ind.parent_id is None and not ind.is_computed:
                self.parent_box.addItem(f"{ind.category}：{ind.name}", ind.code)
        self.formula = QLineEdit()
        self.formula.setPlaceholderText("计算指标才填，如 100 * complaint_cases / complaints")
        self.error = QLabel()
        self.error.setStyleSheet("color: #c00000")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        for label, widget in (
            ("代码", self.code), ("名称", self.name), ("类别", self.category),
            ("计量单位", self.unit), ("小数位数", self.decimals), ("优劣方向", self.better),
            ("跨期汇总", self.period_agg), ("跨单位汇总", self.unit_agg), ("同比方式", self.yoy),
            ("下限", self.min_value), ("上限", self.max_value), ("属于合计", self.parent_box),
            ("公式", self.formula),
        ):  # fmt: skip
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        form.addRow(self.error)
        form.addRow(buttons)

    def _save(self) -> None:
        try:
            spec = IndicatorSpec(
                code=self.code.text().strip(),
                name=self.name.text().strip(),
                category=self.category.currentText(),
                unit=self.unit.text().strip(),
                decimals=self.decimals.value(),
                better=self.better.currentData(),
                min_value=_float(self.min_value.text()),
                max_value=_float(self.max_value.text()),
                period_agg=self.period_agg.currentData(),
                unit_agg=self.unit_agg.currentData(),
                yoy=self.yoy.currentData(),
                parent=self.parent_box.currentData(),
                formula=self.formula.text().strip(),
            )
            self.created = add_indicator(self._db, spec)
        except ValueError:
            self.error.setText("上限和下限必须是数字")
            return
        except KnownError as exc:
            self.error.setText(exc.with_hint())
            return
        self.accept()
