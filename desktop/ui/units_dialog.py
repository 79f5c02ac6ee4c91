"""单位管理: the organisation tree (市局 → 分局) and adding a unit to it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import units
from db.connection import Database
from db.errors import KnownError
from db.records import UNIT_LEVELS


class UnitsDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("单位管理")
        self.resize(620, 520)
        self._db = db
        self.added = 0
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["单位", "代码", "级别"])
        self.tree.setColumnWidth(0, 320)
        form_box = QGroupBox("新增单位")
        self.name = QLineEdit()
        self.short_name = QLineEdit()
        self.short_name.setPlaceholderText("可选，如“金东分局”")
        self.code = QLineEdit()
        self.level = QComboBox()
        self.level.addItems(list(UNIT_LEVELS))
        self.level.setCurrentText("分局")
        self.parent_box = QComboBox()
        self.error = QLabel()
        self.error.setStyleSheet("color: #c00000")
        add = QPushButton("新增")
        add.clicked.connect(self._add)
        form = QFormLayout(form_box)
        form.addRow("名称", self.name)
        form.addRow("简称", self.short_name)
        form.addRow("代码", self.code)
        form.addRow("级别", self.level)
        form.addRow("上级单位", self.parent_box)
        form.addRow(self.error)
        form.addRow(add)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(form_box)
        layout.addWidget(buttons)
        add.setEnabled(not db.read_only)
        self._fill()

    def _fill(self) -> None:
        self.tree.clear()
        self.parent_box.clear()
        self.parent_box.addItem("（无，顶级单位）", None)
        items: dict[int, QTreeWidgetItem] = {}
        all_units = units.all_units(self._db)
        for unit in all_units:
            parent = items.get(unit.parent_id) if unit.parent_id else None
            item = QTreeWidgetItem([unit.name, unit.code, unit.level])
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            items[unit.id] = item
            depth = units.depth_of(all_units, unit)
            self.parent_box.addItem("　" * depth + unit.name, unit.code)
        self.tree.expandAll()

    def _add(self) -> None:
        try:
            units.add_unit(
                self._db,
                self.code.text(),
                self.name.text(),
                short_name=self.short_name.text(),
                level=self.level.currentText(),
                parent_code=self.parent_box.currentData(),
            )
        except KnownError as exc:
            self.error.setText(exc.with_hint())
            return
        self.added += 1
        self.error.setText("")
        for field in (self.name, self.short_name, self.code):
            field.clear()
        self._fill()
