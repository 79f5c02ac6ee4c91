"""The rectification ledger as a table: one row per problem, status in colour and word.

A unit's ledger is tens to a few hundred problems, read whole and filtered in Python by the
same rules the printout and the command line use. Edits go out as ``edit_requested`` so the page
can make them undoable commands.

Signals:
    edit_requested(int, str, object): problem id, field name, new value.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from db import ledger
from db.connection import Database
from db.ledger import Problem
from desktop.models.plan_tree import TONES
from desktop.services.ledger import tracking

Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    "批次", "序号", "问题描述", "类别", "责任单位", "整改时限", "整改措施", "整改进展", "状态",
    "销号情况",
)  # fmt: skip
FIELDS = (
    None, None, "description", "category", "responsible", "deadline", "measures", "progress",
    "status", None,
)  # fmt: skip
STATUS_COLUMN = 8
PROBLEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class LedgerTableModel(QAbstractTableModel):
    edit_requested = Signal(int, str, object)

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.unit_id: int | None = None
        self.today = date.today()
        self.batch = ""
        self.overdue_only = False
        self.text = ""  # 查找: in the description, 责任单位, 措施 or 进展
        self.all: list[Problem] = []
        self.problems: list[Problem] = []

    def set_unit(self, unit_id: int | None, today: date | None = None) -> None:
        self.unit_id = unit_id
        if today is not None:
            self.today = today
        self.reload()

    def set_filter(self, batch: str, overdue_only: bool) -> None:
        self.batch, self.overdue_only = batch, overdue_only
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.all = ledger.problems_for(self.db, self.unit_id) if self.unit_id is not None else []
        shown = [p for p in self.all if not self.batch or p.batch == self.batch]
        if self.overdue_only:
            shown = [p for p in shown if tracking.is_overdue(p, self.today)]
        if self.text:
            shown = [
                p for p in shown
                if self.text in f"{p.description} {p.responsible} {p.measures} {p.progress}"
            ]  # fmt: skip
        self.problems = shown
        self.endResetModel()

    def summaries(self) -> list[tracking.BatchSummary]:
        problems = [p for p in self.all if not self.batch or p.batch == self.batch]
        return tracking.summarise(problems, self.today)

    def problem_at(self, row: int) -> Problem:
        return self.problems[row]

    def row_of(self, problem_id: int) -> int:
        return next((n for n, p in enumerate(self.problems) if p.id == problem_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.problems)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if FIELDS[index.column()] is not None and not self.db.read_only:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.problems):
            return None
        problem = self.problems[index.row()]
        column = index.column()
        if role == PROBLEM_ID_ROLE:
            return problem.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(problem, column)
        if role == Qt.ItemDataRole.EditRole:
            name = FIELDS[column]
            return getattr(problem, name) if name else None
        if role == Qt.ItemDataRole.ToolTipRole and column in (2, 6, 7, 9):
            return self._display(problem, column) or None
        tone = tracking.status_tone(problem, self.today)
        if column == STATUS_COLUMN or (column == 5 and tone == "late"):
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(TONES[tone][0]))
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(TONES[tone][1]))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 3, 5, 8):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, problem: Problem, column: int) -> str:
        if column == 0:
            return problem.batch
        if column == 1:
            return str(problem.seq)
        if column == STATUS_COLUMN:
            tone = tracking.status_tone(problem, self.today)
            return f"{TONES[tone][2]} {tracking.status_word(problem, self.today)}"
        if column == 9:
            return tracking.closing_text(problem)
        if column == 5:
            return problem.deadline or "—"
        name = FIELDS[column]
        return str(getattr(problem, name)) if name else ""

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        name = FIELDS[index.column()]
        if name is None:
            return False
        problem = self.problems[index.row()]
        new = value.strip() if isinstance(value, str) else value
        if new == getattr(problem, name):
            return False
        self.edit_requested.emit(problem.id, name, new)
        return True
