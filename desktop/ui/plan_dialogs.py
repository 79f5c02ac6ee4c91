"""Small dialogs of the 计划清单 page: pasting an outline, and an item's quantitative target."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from db.connection import Database
from db.indicators import all_indicators
from db.numbers import format_number
from db.plans import PlanItem
from desktop.services.common.wording import bracketed
from desktop.services.plans.checklist import suggest_target

PASTE_HINT = "粘贴计划提纲：每行以 一、（一）1.（1）等编号开头；没有编号的行接在上一条后面。"
OPS = (("≥（不少于）", ">="), ("≤（不高于）", "<="))


class PastePlanDialog(QDialog):
    """Paste an outline; the preview counts what it will add before anything is written."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("粘贴计划提纲")
        self.resize(640, 480)
        self.edit = QPlainTextEdit()
        self.edit.setPlaceholderText("一、……\n（一）……\n1.……")
        clip = QGuiApplication.clipboard().text()
        if clip:
            self.edit.setPlainText(clip)
        self.count = QLabel()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(PASTE_HINT))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        self.edit.textChanged.connect(self._recount)
        self._recount()

    def _recount(self) -> None:
        from desktop.services.plans.outline import parse_outline

        outline = parse_outline(self.edit.toPlainText())
        self.count.setText(f"将添加 {outline.count()} 个条目（{len(outline.roots)} 个顶层）")


class TargetDialog(QDialog):
    """Choose the indicator, ≥/≤ and the target value; prefilled from the item's text."""

    def __init__(self, db: Database, item: PlanItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("量化目标")
        self.resize(520, 200)
        indicators = all_indicators(db)
        self.indicator = QComboBox()
        self.indicator.addItem("（无量化目标）", None)
        for indicator in indicators:
            label = f"{indicator.category}｜{indicator.name}{bracketed(indicator.unit)}"
            self.indicator.addItem(label, indicator.id)
        self.op = QComboBox()
        for label, op in OPS:
            self.op.addItem(label, op)
        self.value = QLineEdit()
        hint = QLabel("进度将由指标库中本年度最新期间的数值计算，不再手填。")
        if item.indicator_id is not None and item.target_value is not None:
            self.indicator.setCurrentIndex(self.indicator.findData(item.indicator_id))
            self.op.setCurrentIndex(self.op.findData(item.target_op or ">="))
            self.value.setText(format_number(item.target_value, 4).rstrip("0").rstrip("."))
        else:
            suggested = suggest_target(item.text, indicators)
            if suggested is not None:
                found, op, value = suggested
                self.indicator.setCurrentIndex(self.indicator.findData(found.id))
                self.op.setCurrentIndex(self.op.findData(op))
                self.value.setText(f"{value:g}")
                hint.setText(hint.text() + "（已按条目文字建议，请确认）")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b42318")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(item.label))
        form.addRow("指标：", self.indicator)
        form.addRow("比较：", self.op)
        form.addRow("目标值：", self.value)
        form.addRow(hint)
        form.addRow(self.error)
        form.addRow(buttons)

    def _accept(self) -> None:
        if self.indicator.currentData() is not None:
            try:
                float(self.value.text())
            except ValueError:
                self.error.setText(f"目标值“{self.value.text()}”不是数字")
                return
        self.accept()

    def chosen(self) -> tuple[int | None, str | None, float | None]:
        indicator_id = self.indicator.currentData()
        if indicator_id is None:
            return None, None, None
        return int(indicator_id), str(self.op.currentData()), float(self.value.text())
