"""对应表样: map a bureau's form once — which row is which indicator, which column is which
field, where the unit and the period come from — and save it as a template.

What EcoDesk could read from the headers is filled in; the user corrects or completes it. A
form of a few dozen rows fits in a dialog, so the lists here are plain table widgets.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import units
from db.connection import Database
from db.errors import KnownError
from db.indicators import all_indicators
from db.periods import Period
from desktop.services.common.wording import FIELD_LABELS
from desktop.services.common.workbook import SheetGrid, WorkbookGrid, cell_address
from desktop.services.exchange import templates
from desktop.services.exchange.detect import (
    Matcher,
    detect_sheet,
    is_heading,
    role_of,
    spread_merged,
)
from desktop.services.exchange.layout import Key, SheetLayout

ROLES = {"": "（忽略）", **FIELD_LABELS, "measure": "计量单位"}
HEADER_ROWS = 12  # where a form's headers are looked for when nothing was recognised


class MappingDialog(QDialog):
    """Result: ``saved`` is the template name once stored."""

    def __init__(
        self,
        db: Database,
        grid: WorkbookGrid,
        period: Period | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"对应表样：{grid.path.name}")
        self.resize(1180, 680)
        self._db, self._grid, self._period = db, grid, period
        self.saved = ""
        indicators = all_indicators(db)
        self._indicators = indicators
        self._matcher = Matcher.from_db(db)
        #: The label of every row shown, and the indicator EcoDesk matched on its own.
        self._labels: dict[int, str] = {}
        self._automatic: dict[int, str | None] = {}
        self.sheet_box = QComboBox()
        for sheet in grid.sheets:
            if not sheet.hidden:
                self.sheet_box.addItem(sheet.name)
        self.unit_box = QComboBox()
        self.unit_box.addItem("按表中“填报单位”", None)
        for unit in units.all_units(db):
            self.unit_box.addItem(unit.name, unit.code)
        self.period_box = QComboBox()
        self.period_box.addItem("按表中标题或表头", None)
        if period is not None:
            self.period_box.addItem(f"固定为{period.label}", period.code)
        self.name_edit = QLineEdit(grid.path.stem)
        self.rows_table = QTableWidget(0, 4)
        self.rows_table.setHorizontalHeaderLabels(["行", "表中文字", "对应指标", "建议（相似度）"])
        self.columns_table = QTableWidget(0, 3)
        self.columns_table.setHorizontalHeaderLabels(["列", "表头文字", "栏目"])
        for table in (self.rows_table, self.columns_table):
            table.verticalHeader().hide()
            table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
            table.setColumnWidth(0, 60)
            table.setColumnWidth(1, 220)
        self.rows_table.setColumnWidth(3, 200)
        self.counts = QLabel()
        self.error = QLabel()
        self.error.setStyleSheet("color: #c00000")
        form = QFormLayout()
        form.addRow("工作表", self.sheet_box)
        form.addRow("填报单位", self.unit_box)
        form.addRow("期间", self.period_box)
        form.addRow("表样名称", self.name_edit)
        tables = QHBoxLayout()
        tables.addWidget(self.rows_table, 3)
        tables.addWidget(self.columns_table, 2)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            QLabel("每个指标行选择对应的指标，每个数据列选择栏目；未对应的行和列不导入。")
        )
        layout.addLayout(tables, 1)
        layout.addWidget(self.counts)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.sheet_box.currentIndexChanged.connect(self._fill)
        self._fill()

    def _sheet(self) -> SheetGrid:
        return self._grid.sheet(self.sheet_box.currentText())

    def _fill(self) -> None:
        sheet = self._sheet()
        detected = detect_sheet(sheet, self._matcher, file_stem=self._grid.path.stem)
        layout = detected.layout if detected else SheetLayout(sheet.name)
        # The headers end where detection says (the row under a two-row merged header is the
        # first data row), never at the first row that happened to match an indicator.
        header_end = detected.header_end if detected else _header_end(sheet)
        texts = spread_merged(sheet, range(header_end))
        data_columns = [
            c for c in range(sheet.width)
            if role_of(texts.get((max(0, header_end - 1), c), "")) in FIELD_LABELS
        ]  # fmt: skip
        first_data_col = min([*layout.columns, *data_columns], default=sheet.width)
        # The unit stays "按表中“填报单位”" unless the user fixes one: a template serves every
        # branch's copy, and a unit guessed from this copy (the city's own file name) would
        # send every return through it to that unit.
        self._unit_cell = layout.unit_cell
        self.rows_table.setRowCount(0)
        self._labels.clear()
        self._automatic.clear()
        rows = detected.data_rows if detected else range(header_end, sheet.height)
        for row in rows:
            if row in sheet.hidden_rows:
                continue
            label = (
                sheet.text(row, detected.name_col)
                if detected
                else self._label(sheet, row, first_data_col)
            )
            if not label or (not detected and is_heading(label)):
                continue
            found = self._matcher.indicator(label)
            chosen = layout.rows.get(row, Key()).indicator or (found.code if found else None)
            self._labels[row] = label
            self._automatic[row] = found.code if found else None
            self._add_row(row, label, chosen)
        matched = sum(1 for code in self._automatic.values() if code)
        left = len(self._automatic) - matched
        self.counts.setText(
            f"自动对应 {matched} 行；{left} 行未识别（右侧为相近指标的建议，需选择或保持“不导入”）"
            if left
            else f"全部 {matched} 行已自动对应"
        )
        self.columns_table.setRowCount(0)
        for col in range(sheet.width):
            if col in sheet.hidden_columns and col not in layout.columns:
                continue  # hidden by the bureau (a code column): never a field unless mapped
            header = next(
                (texts[(r, col)] for r in range(header_end - 1, -1, -1) if texts.get((r, col))),
                "",
            )
            if not header:
                continue
            key = layout.columns.get(col)
            role = key.field if key else ("measure" if col == layout.measure_column else "")
            if not layout.columns:  # nothing recognised: suggest from the header's words
                suggested = role_of(header)
                role = suggested if suggested in ROLES and suggested != "skip" else ""
            self._add_column(col, header, role or "")

    def _label(self, sheet: SheetGrid, row: int, before: int) -> str:
        """The row's indicator name as the form writes it: a text the catalog knows, else the
        longest text left of the figures (a group label like "空气" is shorter)."""
        texts = [sheet.text(row, c) for c in range(min(before, sheet.width)) if sheet.text(row, c)]
        known = [t for t in texts if self._matcher.indicator(t) is not None]
        return (known or sorted(texts, key=len, reverse=True) or [""])[0]

    def _add_row(self, row: int, label: str, indicator: str | None) -> None:
        """A row's choice: its match selected; suggestions (with their score) listed first but
        never selected; then the whole catalog."""
        n = self.rows_table.rowCount()
        self.rows_table.insertRow(n)
        self.rows_table.setItem(n, 0, _fixed(str(row + 1), row))
        self.rows_table.setItem(n, 1, _fixed(label, row))
        box = QComboBox()
        box.addItem("（不导入）", None)
        hint = ""
        if indicator is None:
            suggestions = self._matcher.suggest(label)
            for suggestion in suggestions:
                box.addItem(
                    f"建议：{suggestion.indicator.name}（相似度 {suggestion.score}）",
                    suggestion.indicator.code,
                )
            if suggestions:
                box.insertSeparator(box.count())
            hint = "；".join(f"{s.indicator.name} {s.score}" for s in suggestions) or "无相近指标"
        advice = _fixed(hint, row)
        if hint:
            advice.setBackground(QColor("#FFF4CE"))
            advice.setToolTip("相近的指标只作建议，不会自动采用：请在“对应指标”中选择")
        self.rows_table.setItem(n, 3, advice)
        for ind in self._indicators:
            box.addItem(f"{ind.category}｜{ind.name}", ind.code)
        box.setCurrentIndex(max(0, box.findData(indicator)) if indicator else 0)
        self.rows_table.setCellWidget(n, 2, box)

    def _add_column(self, col: int, header: str, role: str) -> None:
        n = self.columns_table.rowCount()
        self.columns_table.insertRow(n)
        self.columns_table.setItem(n, 0, _fixed(cell_address(0, col).rstrip("1"), col))
        self.columns_table.setItem(n, 1, _fixed(header, col))
        box = QComboBox()
        for value, text in ROLES.items():
            box.addItem(text, value)
        box.setCurrentIndex(max(0, box.findData(role)))
        self.columns_table.setCellWidget(n, 2, box)

    def layout_chosen(self) -> SheetLayout:
        """The mapping as the user left it."""
        sheet = self._sheet()
        layout = SheetLayout(
            sheet.name,
            default=Key(unit=self.unit_box.currentData(), period=self.period_box.currentData()),
            unit_cell=self._unit_cell,
        )
        # "按表中标题或表头" keeps no period: next month's copy says 1-11月 in its own title.
        for n in range(self.rows_table.rowCount()):
            code = self._combo(self.rows_table, n).currentData()
            if code:
                layout.rows[self._number(self.rows_table, n)] = Key(indicator=code)
            else:  # shown and left at 不导入: every import names it as such
                layout.ignored.add(self._number(self.rows_table, n))
        for n in range(self.columns_table.rowCount()):
            role = self._combo(self.columns_table, n).currentData()
            col = self._number(self.columns_table, n)
            if role == "measure":
                layout.measure_column = col
            elif role:
                layout.columns[col] = Key(field=role)
        return layout

    def _number(self, table: QTableWidget, row: int) -> int:
        """The sheet row or column a line of the mapping table stands for."""
        item = table.item(row, 0)
        assert item is not None
        return int(item.data(Qt.ItemDataRole.UserRole))

    def _combo(self, table: QTableWidget, row: int) -> QComboBox:
        widget = table.cellWidget(row, 2)
        assert isinstance(widget, QComboBox)
        return widget

    def save(self) -> None:
        layout = self.layout_chosen()
        if not layout.rows or not layout.columns:
            self.error.setText("请至少对应一个指标行和一个数据列")
            return
        confirmed = [
            (self._labels[row], key.indicator)
            for row, key in layout.rows.items()
            if key.indicator and row in self._labels and self._automatic.get(row) is None
        ]
        try:
            templates.save(self._db, self.name_edit.text(), self._grid, [layout])
            templates.remember_confirmed(
                self._db, confirmed, source=f"表样“{self.name_edit.text().strip()}”"
            )
        except KnownError as exc:
            self.error.setText(exc.with_hint())
            return
        self.saved = self.name_edit.text().strip()
        self.accept()


def _fixed(text: str, number: int) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setData(Qt.ItemDataRole.UserRole, number)
    return item


def _header_end(sheet: SheetGrid) -> int:
    """The first row below the headers of a form nothing was recognised in: just under the last
    row (near the top) that names a field such as 本期, 累计, 去年同期 or 目标."""
    end = 0
    for row in range(min(HEADER_ROWS, sheet.height)):
        if any(role_of(sheet.text(row, col)) not in (None, "skip") for col in range(sheet.width)):
            end = row + 1
    return end
