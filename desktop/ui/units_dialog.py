"""单位管理: the organisation tree (市局 → 分局) in the office's order, adding a unit with the
names returns use for it (别名: 南湖区, 嘉兴市生态环境局南湖分局…), adding aliases later, and
moving a unit up or down among its siblings (the order of every summary table)."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import aliases, units
from db.connection import Database
from db.errors import KnownError
from db.records import UNIT_LEVELS


class UnitsDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("单位管理")
        self.resize(780, 700)
        self._db = db
        self.added = 0
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["单位", "代码", "级别", "别名"])
        self.tree.setColumnWidth(0, 320)
        self.tree.setColumnWidth(1, 90)
        self.tree.setColumnWidth(2, 60)
        form_box = QGroupBox("新增单位")
        self.name = QLineEdit()
        self.short_name = QLineEdit()
        self.short_name.setPlaceholderText("可选，如“金东分局”")
        self.code = QLineEdit()
        self.level = QComboBox()
        self.level.addItems(list(UNIT_LEVELS))
        self.level.setCurrentText("分局")
        self.parent_box = QComboBox()
        self.alias_edit = QLineEdit()
        self.alias_edit.setPlaceholderText(
            "可选，多个用“、”分隔，如“南湖区、嘉兴市生态环境局南湖分局”"
        )
        self.error = QLabel()
        self.error.setStyleSheet("color: #c00000")
        self.add_button = add = QPushButton("新增")
        add.clicked.connect(self._add)
        form = QFormLayout(form_box)
        form.addRow("名称", self.name)
        form.addRow("简称", self.short_name)
        form.addRow("代码", self.code)
        form.addRow("级别", self.level)
        form.addRow("上级单位", self.parent_box)
        form.addRow("别名", self.alias_edit)
        form.addRow(self.error)
        form.addRow(add)
        self.more_aliases = QLineEdit()
        self.more_aliases.setPlaceholderText("为所选单位加别名（报表中的写法）")
        self.add_alias = QPushButton("加别名")
        self.add_alias.clicked.connect(self._add_aliases)
        self.up, self.down = QPushButton("上移"), QPushButton("下移")
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))
        tools = QHBoxLayout()
        tools.addWidget(self.more_aliases, 1)
        for button in (self.add_alias, self.up, self.down):
            tools.addWidget(button)
            button.setEnabled(not db.read_only)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addLayout(tools)
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
        names: dict[int, list[str]] = {}
        for alias in aliases.unit_aliases(self._db):
            names.setdefault(alias.unit_id, []).append(alias.alias)
        for unit in all_units:
            parent = items.get(unit.parent_id) if unit.parent_id else None
            item = QTreeWidgetItem(
                [unit.name, unit.code, unit.level, "、".join(names.get(unit.id, []))]
            )
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
            with self._db.transaction():  # the unit and its aliases, or nothing
                unit = units.add_unit(
                    self._db,
                    self.code.text(),
                    self.name.text(),
                    short_name=self.short_name.text(),
                    level=self.level.currentText(),
                    parent_code=self.parent_box.currentData(),
                )
                for alias in _split(self.alias_edit.text()):
                    aliases.add_unit_alias(self._db, unit.code, alias)
        except KnownError as exc:
            self.error.setText(exc.with_hint())
            return
        self.added += 1
        self.error.setText("")
        for field in (self.name, self.short_name, self.code, self.alias_edit):
            field.clear()
        self._fill()

    def _chosen(self) -> str | None:
        item = self.tree.currentItem()
        return item.text(1) if item is not None else None

    def _add_aliases(self) -> None:
        code = self._chosen()
        if code is None:
            self.error.setText("请先在上面选择一个单位")
            return
        try:
            with self._db.transaction():
                for alias in _split(self.more_aliases.text()):
                    aliases.add_unit_alias(self._db, code, alias)
        except KnownError as exc:
            self.error.setText(exc.with_hint())
            return
        self.error.setText("")
        self.more_aliases.clear()
        self._fill()
        self._select(code)

    def _move(self, step: int) -> None:
        """Move the chosen unit one place among its siblings (the office's own order)."""
        code = self._chosen()
        if code is None:
            return
        all_units = units.all_units(self._db)
        unit = next(u for u in all_units if u.code == code)
        siblings = [u.code for u in all_units if u.parent_id == unit.parent_id]
        at = siblings.index(code)
        if not 0 <= at + step < len(siblings):
            return
        siblings[at], siblings[at + step] = siblings[at + step], siblings[at]
        try:
            units.set_order(self._db, siblings)
        except KnownError as exc:
            self.error.setText(exc.with_hint())
            return
        self._fill()
        self._select(code)

    def _select(self, code: str) -> None:
        for item in self.tree.findItems(
            code, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive, 1
        ):
            self.tree.setCurrentItem(item)


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[、,，;；\n]", text) if part.strip()]
