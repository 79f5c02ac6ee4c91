"""新增报送任务: a duty's name, the period kind it reports, its due rule and what it needs.

What it needs is either a saved bureau form (表样: its indicators) or indicator groups (the
catalog's categories); the due rule is written as the office says it and checked at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import form_templates
from db.connection import Database
from db.duties import Duty
from db.errors import KnownError
from db.indicators import all_indicators
from desktop.services.workbench.duties import KIND_WORDS, add_duty, group_indicators

RULE_HINT = "如“每月5日前”“季后10日内”“次年1月20日前”"
DEFAULT_RULES = {"M": "每月5日前", "YTD": "每月5日前", "Q": "季后10日内", "Y": "次年1月20日前"}


class DutyDialog(QDialog):
    """``created`` holds the new duty after 保存."""

    def __init__(self, db: Database, unit_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新增报送任务")
        self.resize(460, 480)
        self._db, self._unit_id = db, unit_id
        self.created: Duty | None = None
        self.name = QLineEdit()
        self.name.setPlaceholderText("如“市局主要指标月报”")
        self.kind = QComboBox()
        for kind, word in KIND_WORDS.items():
            self.kind.addItem(word, kind)
        self.kind.setCurrentIndex(1)
        self.rule = QLineEdit(DEFAULT_RULES["YTD"])
        self.rule.setPlaceholderText(RULE_HINT)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.template = QComboBox()
        self.template.addItem("（不用表样，按指标组）", None)
        for t in form_templates.all_templates(db):
            self.template.addItem(t.name, t.id)
        self.groups = QListWidget()
        self._catalog = all_indicators(db)
        for category in dict.fromkeys(i.category for i in self._catalog):
            item = QListWidgetItem(category)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.groups.addItem(item)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c00000")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("任务名称", self.name)
        form.addRow("报送期间", self.kind)
        form.addRow("报送时限", self.rule)
        form.addRow("上级表样", self.template)
        form.addRow("或指标组", self.groups)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _kind_changed(self) -> None:
        if self.rule.text().strip() in DEFAULT_RULES.values():
            self.rule.setText(DEFAULT_RULES[str(self.kind.currentData())])

    def chosen_codes(self) -> tuple[str, ...]:
        groups = [
            self.groups.item(r).text()
            for r in range(self.groups.count())
            if self.groups.item(r).checkState() == Qt.CheckState.Checked
        ]
        return group_indicators(self._db, groups)

    def save(self) -> None:
        template = self.template.currentData()
        try:
            self.created = add_duty(
                self._db,
                self._unit_id,
                self.name.text(),
                str(self.kind.currentData()),
                self.rule.text().strip(),
                None if template is None else int(template),
                () if template is not None else self.chosen_codes(),
            )
        except KnownError as exc:
            self.error.setText(exc.with_hint())
            return
        self.accept()
