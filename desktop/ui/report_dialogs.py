"""Dialogs of the 工作报告 page: check an imported outline, accept figures, pick a field.

The import preview is where a damaged source gets fixed before anything is stored: the user
sees the tree the numbering gave, moves a heading up or down a level, merges a false heading
into the section above, and corrects title, kind, year and period.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.periods import Period
from db.records import Indicator
from db.reports import KINDS, NewNode
from desktop.services.common.wording import bracketed
from desktop.services.reports.figures import Candidate
from desktop.services.reports.text_import import ImportedReport

TEXTS = {
    "import_title": "导入报告：核对提纲",
    "up": "升一级",
    "down": "降一级",
    "merge": "并入上一节",
    "figures_title": "报告中的数字",
    "accept": "写入所选",
    "all": "全选",
    "none": "全不选",
    "pick_title": "插入数字字段",
}


def flatten(nodes: list[NewNode], depth: int = 0) -> list[tuple[int, NewNode]]:
    """The tree as (depth, node) rows in document order, children detached."""
    rows: list[tuple[int, NewNode]] = []
    for node in nodes:
        children = node.children
        rows.append((depth, NewNode(node.level, node.marker, node.heading, node.body, node.run_in)))
        rows.extend(flatten(children, depth + 1))
    return rows


def rebuild(rows: list[tuple[int, NewNode]]) -> list[NewNode]:
    """Nest (depth, node) rows again; a depth deeper than possible hangs under the last row."""
    roots: list[NewNode] = []
    stack: list[tuple[int, NewNode]] = []
    for depth, node in rows:
        node.children = []
        while stack and stack[-1][0] >= depth:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(node)
        stack.append((len(stack), node))
    return roots


class ImportDialog(QDialog):
    """Shows the proposed outline; the user fixes it, then the page saves ``result()``."""

    def __init__(self, imported: ImportedReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TEXTS["import_title"])
        self.resize(760, 620)
        self.imported = imported
        self.rows = flatten(imported.nodes)

        self.title = QLineEdit(imported.title)
        self.kind = QComboBox()
        self.kind.addItems(list(KINDS))
        self.kind.setCurrentText(imported.kind)
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setValue(imported.year or 2022)
        self.period = QLineEdit(imported.period)
        self.period.setPlaceholderText("如 2022-YTD10（1-10月）、2022-Y（全年）")
        form = QFormLayout()
        form.addRow("标题", self.title)
        form.addRow("类型", self.kind)
        form.addRow("年度", self.year)
        form.addRow("数字所属期间", self.period)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["标题", "字数"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        buttons_row = QHBoxLayout()
        for key, slot in (("up", self.promote), ("down", self.demote), ("merge", self.merge)):
            button = QPushButton(TEXTS[key])
            button.clicked.connect(slot)
            buttons_row.addWidget(button)
        buttons_row.addStretch(1)
        warnings = QLabel("\n".join(f"提示：{w}" for w in imported.warnings))
        warnings.setWordWrap(True)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons_row)
        layout.addWidget(warnings)
        layout.addWidget(box)
        self._fill()

    def _fill(self, select: int = 0) -> None:
        self.tree.clear()
        parents: list[QTreeWidgetItem] = []
        for index, (depth, node) in enumerate(self.rows):
            item = QTreeWidgetItem([node.label or "（前言）", str(len(node.body))])
            item.setData(0, Qt.ItemDataRole.UserRole, index)
            del parents[depth:]
            if parents:
                parents[-1].addChild(item)
            else:
                self.tree.addTopLevelItem(item)
            parents.append(item)
        self.tree.expandAll()
        items = self.tree.findItems("", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive)
        for item in items:
            if item.data(0, Qt.ItemDataRole.UserRole) == select:
                self.tree.setCurrentItem(item)

    def _current(self) -> int:
        item = self.tree.currentItem()
        return int(item.data(0, Qt.ItemDataRole.UserRole)) if item is not None else -1

    def promote(self) -> None:
        index = self._current()
        if index >= 0 and self.rows[index][0] > 0:
            depth, node = self.rows[index]
            node.level = max(0, node.level - 1)
            self.rows[index] = (depth - 1, node)
            self._fill(index)

    def demote(self) -> None:
        index = self._current()
        if index > 0 and self.rows[index][0] <= self.rows[index - 1][0]:
            depth, node = self.rows[index]
            node.level = min(6, node.level + 1)
            self.rows[index] = (depth + 1, node)
            self._fill(index)

    def merge(self) -> None:
        """A false heading (a numbered sentence) becomes text of the section above."""
        index = self._current()
        if index <= 0:
            return
        _depth, node = self.rows.pop(index)
        above = self.rows[index - 1][1]
        text = "\n".join(t for t in (f"{node.label}。{node.body}".strip("。"),) if t)
        above.body = f"{above.body}\n{text}" if above.body else text
        self._fill(index - 1)

    def result_report(self) -> ImportedReport:
        self.imported.title = self.title.text().strip()
        self.imported.kind = self.kind.currentText()
        self.imported.year = self.year.value()
        self.imported.period = self.period.text().strip()
        self.imported.nodes = rebuild(self.rows)
        return self.imported


class FiguresDialog(QDialog):
    """Every figure found, with its sentence: tick the ones to write, then 写入所选."""

    def __init__(self, candidates: list[Candidate], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TEXTS["figures_title"])
        self.resize(900, 520)
        self.candidates = candidates
        self.table = QTableWidget(len(candidates), 5)
        self.table.setHorizontalHeaderLabels(["指标", "数值", "期间", "说明", "原句"])
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for row, candidate in enumerate(candidates):
            name = QTableWidgetItem(candidate.name)
            name.setFlags(name.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            name.setCheckState(Qt.CheckState.Checked)
            cells = [
                name,
                QTableWidgetItem(f"{candidate.value:g}{candidate.unit}"),
                QTableWidgetItem(candidate.period),
                QTableWidgetItem(candidate.note),
                QTableWidgetItem(candidate.sentence),
            ]
            for column, cell in enumerate(cells):
                if column:
                    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, cell)
        select_all, select_none = QPushButton(TEXTS["all"]), QPushButton(TEXTS["none"])
        select_all.clicked.connect(lambda: self._check(Qt.CheckState.Checked))
        select_none.clicked.connect(lambda: self._check(Qt.CheckState.Unchecked))
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.button(QDialogButtonBox.StandardButton.Ok).setText(TEXTS["accept"])
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(select_all)
        bottom.addWidget(select_none)
        bottom.addStretch(1)
        bottom.addWidget(box)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("勾选要写入指标库的数字（写入后记入审计日志，来源为本报告）："))
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def _check(self, state: Qt.CheckState) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None:
                item.setCheckState(state)

    def accepted_candidates(self) -> list[Candidate]:
        chosen: list[Candidate] = []
        for row, candidate in enumerate(self.candidates):
            item = self.table.item(row, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                chosen.append(candidate)
        return chosen


class FieldPicker(QDialog):
    """Choose the indicator a field shows; the report's unit and period apply by default."""

    def __init__(self, catalog: list[Indicator], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TEXTS["pick_title"])
        self.catalog = [i for i in catalog if i.kind == "number"]
        self.indicator = QComboBox()
        self.indicator.setEditable(True)
        self.indicator.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for indicator in self.catalog:
            self.indicator.addItem(
                f"{indicator.category}｜{indicator.name}{bracketed(indicator.unit)}"
            )
        self.period = QLineEdit()
        self.period.setPlaceholderText("留空：本报告的期间")
        self.bare = QComboBox()
        self.bare.addItems(["数值和计量单位（97.0%）", "只要数值（97.0）"])
        form = QFormLayout(self)
        form.addRow("指标", self.indicator)
        form.addRow("期间", self.period)
        form.addRow("显示", self.bare)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def chosen(self) -> tuple[str, bool, str]:
        """(indicator code, bare number, period code or "")."""
        index = max(0, self.indicator.currentIndex())
        return self.catalog[index].code, self.bare.currentIndex() == 1, self.period.text().strip()


class ReportInfoDialog(QDialog):
    """Title, kind, year and the period the report's figure fields read."""

    def __init__(
        self, title: str, kind: str, year: int, period: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("报告信息")
        self.title = QLineEdit(title)
        self.kind = QComboBox()
        self.kind.addItems(list(KINDS))
        self.kind.setCurrentText(kind)
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setValue(year)
        # Periods as a person reads them (2022年1-10月); the code is only the item's data.
        self.period = QComboBox()
        self._fill_periods(period)
        self.year.valueChanged.connect(self._year_changed)
        form = QFormLayout(self)
        form.addRow("标题", self.title)
        form.addRow("类型", self.kind)
        form.addRow("年度", self.year)
        form.addRow("数字所属期间", self.period)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def _year_changed(self, year: int) -> None:
        """The same kind of period in the new year: 2022年第三季度 → 2023年第三季度."""
        code = self.chosen_period()
        self._fill_periods(f"{year}-{code.split('-', 1)[1]}" if "-" in code else "")

    def _fill_periods(self, current: str) -> None:
        year = self.year.value()
        periods = [Period.whole_year(year)]
        periods += [Period.ytd(year, m) for m in range(1, 12)]
        periods += [Period.quarter(year, q) for q in range(1, 5)]
        periods += [Period.month(year, m) for m in range(1, 13)]
        self.period.blockSignals(True)
        self.period.clear()
        self.period.addItem(f"未注明（按{year}年全年）", "")
        for period in periods:
            self.period.addItem(period.label, period.code)
        found = self.period.findData(current)
        if found < 0 and current:
            try:
                self.period.addItem(Period.parse(current).label, current)
            except ValueError:
                self.period.addItem(current, current)
            found = self.period.count() - 1
        self.period.setCurrentIndex(max(found, 0))
        self.period.blockSignals(False)

    def chosen_period(self) -> str:
        return str(self.period.currentData() or "")

    def values(self) -> tuple[str, str, int, str]:
        return (
            self.title.text().strip(),
            self.kind.currentText(),
            self.year.value(),
            self.chosen_period(),
        )
