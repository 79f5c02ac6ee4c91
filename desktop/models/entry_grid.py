"""The entry grid's model: one unit's period as rows of indicators grouped by category.

Columns follow the bureau form: 指标 / 单位 / 本期 / 去年同期 / 同比 / 年度目标 / 完成进度 / 备注.
The model reads the store's ``Sheet`` (which computes totals, rates, 同比 and progress) and never
computes a figure itself. Edits are not written here: ``setData`` checks the input and hands a
``CellEdit`` to ``edit_requested``; the page turns it into an undoable command, which calls
``apply`` to write in one transaction and reload.

Signals:
    edit_requested(list): ``CellEdit`` items that passed the input rules.
    input_rejected(QModelIndex, str): the reason an input was refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from db import locks, targets, values
from db.connection import Database
from db.errors import StorageError, ValueRejected
from db.formulas import readable
from db.indicators import all_indicators
from db.periods import Period
from db.records import Failure, Indicator, Severity
from db.sheet import Sheet, SheetRow, Source, display, read_sheet
from db.validation import Rules, accept_input, check_sheet, load_rules

Index = QModelIndex | QPersistentModelIndex
RAW_ROLE = Qt.ItemDataRole.UserRole + 1
CODE_ROLE = Qt.ItemDataRole.UserRole + 2


class Col(IntEnum):
    NAME = 0
    UNIT = 1
    CURRENT = 2
    LAST_YEAR = 3
    CHANGE = 4
    TARGET = 5
    PROGRESS = 6
    NOTE = 7


HEADERS = {
    Col.NAME: "指标",
    Col.UNIT: "单位",
    Col.CURRENT: "本期",
    Col.LAST_YEAR: "去年同期",
    Col.CHANGE: "同比",
    Col.TARGET: "年度目标",
    Col.PROGRESS: "完成进度",
    Col.NOTE: "备注",
}
EDITABLE_COLUMNS = (Col.CURRENT, Col.LAST_YEAR, Col.TARGET, Col.NOTE)
_COLUMNS = tuple(Col)
_READ_ONLY_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_EDITABLE_FLAGS = _READ_ONLY_FLAGS | Qt.ItemFlag.ItemIsEditable
_SOURCE_NOTES = {
    Source.MONTHS: "由各月数据汇总（直接填写可覆盖）",
    Source.PARTS: "由分项合计得出",
    Source.FORMULA: "由公式计算",
}

GOOD = QColor(0, 128, 0)
BAD = QColor(192, 0, 0)
DERIVED_TEXT = QColor(40, 70, 140)
READ_ONLY_BG = QColor(242, 242, 242)
GROUP_BG = QColor(221, 235, 247)
ERROR_BG = QColor(255, 214, 214)
WARNING_BG = QColor(255, 243, 205)


@dataclass(frozen=True)
class CellEdit:
    """One cell change, keyed by what it changes so that undo works after the view moved on."""

    column: Col
    unit_id: int
    period: str  # period code for values and notes; the year for targets
    indicator_id: int
    old: float | str | None
    new: float | str | None
    label: str  # "PM2.5平均浓度 本期" for the undo menu


@dataclass(frozen=True)
class _Group:
    category: str


class EntryGridModel(QAbstractTableModel):
    edit_requested = Signal(list)
    input_rejected = Signal(QModelIndex, str)

    def __init__(self, db: Database) -> None:
        super().__init__()
        self._db = db
        self._indicators: list[Indicator] = all_indicators(db)
        self._rules: Rules = load_rules(db)
        self._sheet: Sheet | None = None
        self._rows: list[_Group | SheetRow] = []
        self._failures: dict[str, list[Failure]] = {}
        # Cells whose last input was refused stay marked (with the reason) until they take one.
        self._rejected: dict[tuple[int, int], str] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    # ------------------------------------------------------------------ loading
    @property
    def sheet(self) -> Sheet | None:
        return self._sheet

    @property
    def failures(self) -> list[Failure]:
        return [f for group in self._failures.values() for f in group]

    @property
    def period(self) -> Period | None:
        return self._sheet.period if self._sheet else None

    @property
    def unit_id(self) -> int | None:
        return self._sheet.unit_id if self._sheet else None

    def load(self, unit_id: int, period: Period) -> None:
        """Show another unit or period (rebuilds the rows)."""
        self.beginResetModel()
        self._rejected.clear()
        self._read(unit_id, period)
        self.endResetModel()

    def readable_formula(self, formula: str) -> str:
        """A formula as a person reads it: indicator names, not codes (× and ÷ for * and /)."""
        return readable(formula, {i.code: i.name for i in self._indicators})

    def reload_catalog(self) -> None:
        self._indicators = all_indicators(self._db)
        if self._sheet is not None:
            self.load(self._sheet.unit_id, self._sheet.period)

    def refresh(self) -> None:
        """Re-read figures after a write; the rows stay, so the selection stays too."""
        if self._sheet is None:
            return
        before = {key: self._cell_text(*key) for key in self._rejected}
        self._read(self._sheet.unit_id, self._sheet.period)
        # A refused input's mark goes once its cell holds something else (an undo, a paste,
        # an import): it must not stay pink over a valid value.
        for key, text in before.items():
            if self._cell_text(*key) != text:
                del self._rejected[key]
        if self._rows:
            last = self.index(len(self._rows) - 1, len(Col) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def _cell_text(self, row: int, column: int) -> str:
        item = self._rows[row] if 0 <= row < len(self._rows) else None
        if not isinstance(item, SheetRow):
            return ""
        return str(self._text(item, _COLUMNS[column]) or "")

    def _read(self, unit_id: int, period: Period) -> None:
        self._sheet = read_sheet(self._db, unit_id, period, self._indicators)
        rows: list[_Group | SheetRow] = []
        category = None
        for row in self._sheet.rows:
            if row.indicator.category != category:
                category = row.indicator.category
                rows.append(_Group(category))
            rows.append(row)
        self._rows = rows
        self._failures = {}
        for failure in check_sheet(self._sheet, self._rules):
            self._failures.setdefault(failure.indicator_code, []).append(failure)

    # ------------------------------------------------------------------ shape
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_COLUMNS)  # len(Col) walks the enum each call

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Col):
            return HEADERS[Col(section)]
        return None

    def is_group(self, row: int) -> bool:
        return 0 <= row < len(self._rows) and isinstance(self._rows[row], _Group)

    def row_at(self, row: int) -> SheetRow | None:
        item = self._rows[row] if 0 <= row < len(self._rows) else None
        return item if isinstance(item, SheetRow) else None

    def row_of(self, code: str) -> int:
        for number, item in enumerate(self._rows):
            if isinstance(item, SheetRow) and item.indicator.code == code:
                return number
        raise KeyError(code)

    def current_locked(self) -> bool:
        return self._sheet is not None and self._sheet.locked is not None

    def read_only_reason(self, index: Index) -> str:
        """Why a cell cannot be edited, for the status bar; empty when it can."""
        row = self.row_at(index.row())
        column = _COLUMNS[index.column()]
        if self._db.read_only:
            return f"数据库只读：{self._db.read_only_reason}"
        if row is None:
            return "分类标题行不能编辑"
        if column not in EDITABLE_COLUMNS:
            return f"“{HEADERS[column]}”由程序计算"
        assert self._sheet is not None
        ind = row.indicator
        if column in (Col.CURRENT, Col.LAST_YEAR):
            if ind.is_computed:
                return f"“{ind.name}”由公式计算：{self.readable_formula(ind.formula or '')}"
            figure = row.current if column is Col.CURRENT else row.last_year
            if figure.source is Source.PARTS:
                return f"“{ind.name}”由分项合计得出，请修改分项"
        if column is Col.NOTE and ind.is_computed:  # the store keeps no row for it to note on
            return f"“{ind.name}”由公式计算，不能填写备注；请写在它的分项指标的备注中"
        if self._sheet.locked:  # every figure shown for the period: 去年同期 and 目标 too
            return f"{self._sheet.period.label}已报送（已锁定），请先解锁"
        if column is Col.LAST_YEAR and self._sheet.last_year_locked:
            last = self._sheet.period.same_period_last_year()
            return f"{last.label}已报送（已锁定），请先解锁"
        if column in (Col.CURRENT, Col.NOTE) and self._sheet.next_year_locked:
            period = self._sheet.period
            later = Period(period.year + 1, period.kind, period.num)
            return f"{later.label}已报送（已锁定），本期是其去年同期，请先解锁{later.label}"
        if column is Col.TARGET and self._sheet.targets_locked is not None:
            return f"{locks.target_refusal(self._sheet.targets_locked)}，请先解锁"
        return ""

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.is_group(index.row()):
            return Qt.ItemFlag.ItemIsEnabled
        # The combined flags made once (an enum "|" per cell showed in the first paint).
        return _READ_ONLY_FLAGS if self.read_only_reason(index) else _EDITABLE_FLAGS

    # ------------------------------------------------------------------ reading
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._rows[index.row()]
        column = _COLUMNS[index.column()]  # a tuple look-up: Col(n) costs far more per cell
        if isinstance(item, _Group):
            return self._group_data(item, column, role)
        ind = item.indicator
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(item, column)
        if role == RAW_ROLE:
            return self._raw(item, column)
        if role == CODE_ROLE:
            return ind.code
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (Col.NAME, Col.NOTE):
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            if column is Col.UNIT:
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(item, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(index, item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index, item, column)
        return None

    def _group_data(self, group: _Group, column: Col, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and column is Col.NAME:
            return group.category
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(GROUP_BG)
        return None

    def _text(self, row: SheetRow, column: Col) -> str:
        ind = row.indicator
        if column is Col.NAME:
            return ("    " if row.is_part else "") + ind.name
        if column is Col.UNIT:
            return ind.unit
        if column is Col.CURRENT:
            return display(ind, row.current.value)
        if column is Col.LAST_YEAR:
            return display(ind, row.last_year.value)
        if column is Col.CHANGE:
            return row.change.text if row.change else ""
        if column is Col.TARGET:
            return display(ind, row.target)
        if column is Col.PROGRESS:
            return row.progress.text if row.progress else ""
        return row.note

    def _raw(self, row: SheetRow, column: Col) -> float | str | None:
        if column is Col.CURRENT:
            return row.current.value
        if column is Col.LAST_YEAR:
            return row.last_year.value
        if column is Col.TARGET:
            return row.target
        if column is Col.CHANGE:
            return row.change.amount if row.change else None
        if column is Col.PROGRESS:
            return row.progress.percent if row.progress else None
        if column is Col.NOTE:
            return row.note
        return self._text(row, column)

    def _foreground(self, row: SheetRow, column: Col) -> QBrush | None:
        if column is Col.CHANGE and row.change and row.change.verdict:
            return QBrush(GOOD if row.change.verdict > 0 else BAD)
        if column is Col.PROGRESS and row.progress and row.progress.verdict:
            return QBrush(GOOD if row.progress.verdict > 0 else BAD)
        if column is Col.CURRENT and row.current.derived:
            return QBrush(DERIVED_TEXT)
        if column is Col.LAST_YEAR and row.last_year.derived:
            return QBrush(DERIVED_TEXT)
        return None

    def _background(self, index: Index, row: SheetRow, column: Col) -> QBrush | None:
        if (index.row(), index.column()) in self._rejected:
            return QBrush(ERROR_BG)
        if column is Col.CURRENT:
            marks = self._failures.get(row.indicator.code, [])
            if any(f.severity is Severity.ERROR for f in marks):
                return QBrush(ERROR_BG)
            if marks:
                return QBrush(WARNING_BG)
        if column in EDITABLE_COLUMNS and self.read_only_reason(index):
            return QBrush(READ_ONLY_BG)
        if column not in EDITABLE_COLUMNS and column not in (Col.NAME, Col.UNIT):
            return QBrush(READ_ONLY_BG)
        return None

    def _tooltip(self, index: Index, row: SheetRow, column: Col) -> str | None:
        ind = row.indicator
        lines = []
        if column is Col.NAME:
            lines.append(f"{ind.name}（{ind.code}）")
            if ind.description:
                lines.append(ind.description)
        refused = self._rejected.get((index.row(), index.column()))
        if refused:
            lines.append(f"未接受：{refused}")
        if column in (Col.CURRENT, Col.LAST_YEAR):
            figure = row.current if column is Col.CURRENT else row.last_year
            lines.append(_SOURCE_NOTES.get(figure.source, ""))
        if column is Col.CURRENT:
            lines.extend(f.message for f in self._failures.get(ind.code, []))
        if column in EDITABLE_COLUMNS:
            reason = self.read_only_reason(index)
            if reason:
                lines.append(reason)
        return "\n".join(line for line in lines if line) or None

    # ------------------------------------------------------------------ editing
    def make_edit(self, index: Index, text: str) -> CellEdit:
        """Check ``text`` for a cell and describe the change; raise ``ValueRejected``."""
        reason = self.read_only_reason(index)
        if reason:
            raise ValueRejected(reason)
        row = self.row_at(index.row())
        assert row is not None and self._sheet is not None
        ind, column = row.indicator, Col(index.column())
        period = self._sheet.period
        new: float | str | None
        if column is Col.NOTE:
            old: float | str | None = row.note
            new = text.strip()
            key = period.code
        elif column is Col.TARGET:
            old, key = row.target, str(period.year)
            new = accept_input(ind, text, Period.whole_year(period.year), self._rules, target=True)
        else:
            target_period = period if column is Col.CURRENT else period.same_period_last_year()
            figure = row.current if column is Col.CURRENT else row.last_year
            old = figure.value if figure.source is Source.TYPED else None
            new = accept_input(ind, text, target_period, self._rules)
            key = target_period.code
        label = f"{ind.name} {HEADERS[column]}"
        return CellEdit(column, self._sheet.unit_id, key, ind.id, old, new, label)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        try:
            edit = self.make_edit(index, "" if value is None else str(value))
        except ValueRejected as exc:
            self._rejected[(index.row(), index.column())] = exc.message
            plain = self.index(index.row(), index.column())
            self.dataChanged.emit(plain, plain)
            self.input_rejected.emit(plain, exc.message)
            return False
        if self._rejected.pop((index.row(), index.column()), None) is not None:
            plain = self.index(index.row(), index.column())
            self.dataChanged.emit(plain, plain)
        if edit.old == edit.new:
            return True
        self.edit_requested.emit([edit])
        return True

    def apply(self, edits: list[CellEdit], *, undo: bool = False) -> None:
        """Write edits (or their reversal) in one transaction, then show the new figures."""
        writes: list[values.ValueWrite] = []
        goals: list[tuple[int, int, int, float | None]] = []
        for edit in edits:
            new = edit.old if undo else edit.new
            if edit.column is Col.TARGET:
                goals.append((edit.unit_id, edit.indicator_id, int(edit.period), _num(new)))
            elif edit.column is Col.NOTE:
                writes.append(
                    values.ValueWrite(
                        edit.unit_id, edit.period, edit.indicator_id,
                        self._stored_value(edit), str(new or ""),
                    )
                )  # fmt: skip
            else:
                writes.append(
                    values.ValueWrite(edit.unit_id, edit.period, edit.indicator_id, _num(new))
                )
        try:
            with self._db.transaction():
                if writes:
                    values.write_values(self._db, writes)
                if goals:
                    targets.set_targets(self._db, goals)
        finally:
            self.refresh()

    def _stored_value(self, edit: CellEdit) -> float | None:
        """The typed value kept when only a note changes."""
        stored = values.values_for(self._db, edit.unit_id, edit.period).get(edit.indicator_id)
        return stored.value if stored else None

    def clear_edits(self, indexes: list[QModelIndex]) -> tuple[list[CellEdit], list[str]]:
        """Edits that empty the given cells, and reasons for those that cannot be emptied."""
        edits, problems = [], []
        for index in indexes:
            if self.is_group(index.row()) or Col(index.column()) not in EDITABLE_COLUMNS:
                continue
            try:
                edit = self.make_edit(index, "")
            except StorageError as exc:
                problems.append(exc.message)
                continue
            if edit.old not in (None, ""):
                edits.append(edit)
        return edits, problems

    def paste_edits(self, top: int, left: int, block: list[list[str]]) -> list[CellEdit]:
        """Edits for a block pasted at (top, left); raise ``ValueRejected`` naming the cell.

        Group rows in the grid are skipped, so a block copied from a form without category
        rows lands on the indicator rows in order. Nothing is written if any cell fails.
        """
        edits: list[CellEdit] = []
        row = top
        for line_no, line in enumerate(block, start=1):
            while self.is_group(row):
                row += 1
            if row >= len(self._rows):
                raise ValueRejected(f"粘贴的第{line_no}行超出表格末尾")
            for offset, text in enumerate(line):
                column = left + offset
                if column >= len(Col):
                    raise ValueRejected(f"粘贴的第{line_no}行第{offset + 1}列超出表格右边")
                index = self.index(row, column)
                if not text.strip() and Col(column) not in EDITABLE_COLUMNS:
                    continue
                current = self._text(self.row_at(row), Col(column))  # type: ignore[arg-type]
                if text.strip() == current:
                    continue  # a computed column copied along with the figures
                try:
                    edit = self.make_edit(index, text)
                except ValueRejected as exc:
                    name = self._text(self.row_at(row), Col.NAME).strip()  # type: ignore[arg-type]
                    raise ValueRejected(
                        f"粘贴的第{line_no}行第{offset + 1}列（{name}/{HEADERS[Col(column)]}）："
                        f"{exc.message}"
                    ) from exc
                if edit.old != edit.new:
                    edits.append(edit)
            row += 1
        return edits


def _num(value: float | str | None) -> float | None:
    return None if value is None or value == "" else float(value)
