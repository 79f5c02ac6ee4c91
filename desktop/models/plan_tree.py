"""The plan checklist as a tree model: groups and items of any depth, status in colour and word.

The model holds the rows computed by ``desktop.services.plans.checklist`` (overdue, computed target
progress, group counts) and rebuilds them after every change: a plan is tens of items, so
recomputing is cheaper than keeping two copies of the rules. Edits are not written here: they go out
as ``edit_requested`` so the page can make them undoable commands.

Signals:
    edit_requested(int, str, object): item id, field name, new value.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from db.connection import Database
from db.plans import Plan
from desktop.services.common.deadlines import deadline_text
from desktop.services.plans import checklist
from desktop.services.plans.checklist import Filter, Row, Summary

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("工作任务", "责任科室", "责任人", "完成时限", "状态", "进度", "最新进展")
FIELDS = ("text", "department", "lead", "deadline", "status", "progress", None)
STATUS_COLUMN = 4
ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1

#: tone → (text colour, background, sign): never colour alone, the sign and the word say it too.
TONES: dict[str, tuple[str, str, str]] = {
    "done": ("#1e7b34", "#e3f4e6", "√"),
    "progress": ("#1f5fbf", "#e3edfb", "→"),
    "late": ("#b42318", "#fbe3e1", "！"),
    "idle": ("#555555", "#eeeeee", "○"),
    "longterm": ("#8a5a00", "#fff1c2", "◆"),
    "cancelled": ("#777777", "#f4f4f4", "×"),
    "group": ("#333333", "#ffffff", ""),
}


class PlanTreeModel(QAbstractItemModel):
    edit_requested = Signal(int, str, object)

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.plan: Plan | None = None
        self.today = date.today()
        self.filter = Filter()
        self.rows: list[Row] = []
        self._by_id: dict[int, Row] = {}
        self._children: dict[int | None, list[int]] = {}

    # ------------------------------------------------------------------ loading
    def set_plan(self, plan: Plan | None, today: date | None = None) -> None:
        self.plan = plan
        if today is not None:
            self.today = today
        self.reload()

    def set_filter(self, wanted: Filter) -> None:
        self.filter = wanted
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = checklist.checklist(self.db, self.plan, self.today) if self.plan else []
        self._by_id = {r.item.id: r for r in self.rows}
        shown = checklist.visible_ids(self.rows, self.filter)
        self._children = {}
        for row in self.rows:
            if row.item.id in shown:
                self._children.setdefault(row.item.parent_id, []).append(row.item.id)
        self.endResetModel()

    def summary(self) -> Summary:
        return checklist.summarise(self.rows)

    def row_of(self, item_id: int) -> Row:
        return self._by_id[item_id]

    def index_of(self, item_id: int, column: int = 0) -> QModelIndex:
        row = self._by_id.get(item_id)
        if row is None:
            return QModelIndex()
        siblings = self._children.get(row.item.parent_id, [])
        if item_id not in siblings:
            return QModelIndex()
        return self.createIndex(siblings.index(item_id), column, item_id)

    # ------------------------------------------------------------------ structure
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        parent_id = int(parent.internalId()) if parent.isValid() else None
        children = self._children.get(parent_id, [])
        if not 0 <= row < len(children) or not 0 <= column < len(COLUMNS):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        row = self._by_id.get(int(index.internalId()))
        if row is None or row.item.parent_id is None:
            return QModelIndex()
        return self.index_of(row.item.parent_id)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        parent_id = int(parent.internalId()) if parent.isValid() else None
        return len(self._children.get(parent_id, []))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    # ------------------------------------------------------------------ data
    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        row = self._by_id[int(index.internalId())]
        name = FIELDS[index.column()]
        editable = name is not None and not self.db.read_only
        if row.is_group and name not in ("text",):
            editable = False
        if name == "progress" and row.target is not None:
            editable = False  # computed from the indicator store
        return base | Qt.ItemFlag.ItemIsEditable if editable else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._by_id.get(int(index.internalId()))
        if row is None:
            return None
        column = index.column()
        if role == ITEM_ID_ROLE:
            return row.item.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.EditRole:
            name = FIELDS[column]
            value = getattr(row.item, name) if name else None
            if name == "progress":
                return "" if value is None else f"{value:g}"
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        colour = TONES[row.tone]
        if column == STATUS_COLUMN or (column == 3 and row.tone == "late"):
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(colour[0]))
            if role == Qt.ItemDataRole.BackgroundRole and not row.is_group:
                return QBrush(QColor(colour[1]))
        if role == Qt.ItemDataRole.FontRole and row.is_group and column == 0:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None

    def _display(self, row: Row, column: int) -> str:
        item = row.item
        if column == 0:
            return item.label
        if column == 1:
            return item.department
        if column == 2:
            return item.lead
        if column == 3:
            return "" if row.is_group else deadline_text(item.deadline)
        if column == STATUS_COLUMN:
            sign = TONES[row.tone][2]
            return f"{sign} {row.status_word}".strip()
        if column == 5:
            if row.progress is None:
                return "—" if row.target is not None else ""
            return f"{row.progress:.0f}%"
        if item.notes:
            note = item.notes[-1]
            return f"{note.day} {note.text}"
        return row.target.text if row.target is not None else ""

    def _tooltip(self, row: Row, column: int) -> str | None:
        if column == 5 and row.target is not None:
            return f"量化目标：{row.target.text}（由指标库计算）"
        if column == 6 and row.item.notes:
            return "\n".join(f"{n.day} {n.text}" for n in row.item.notes)
        if column == 0:
            return row.item.label
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        name = FIELDS[index.column()]
        if name is None:
            return False
        row = self._by_id[int(index.internalId())]
        new: object = value
        if name == "progress":
            text = str(value).strip().removesuffix("%")
            try:
                new = float(text) if text else None
            except ValueError:
                new = text  # the store refuses it with a sentence
        elif isinstance(value, str):
            new = value.strip()
        if new == getattr(row.item, name):
            return False
        self.edit_requested.emit(row.item.id, name, new)
        return True
