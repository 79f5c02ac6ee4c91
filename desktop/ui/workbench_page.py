"""工作台: the first page — what is due, what is missing, what was done last, for the context unit
and today's date.

Three blocks: the reporting duties (each with the period it is for, its due day and state, and
one button to the grid or to fill the bureau's form), the plan items and ledger problems due
within 30 days or overdue, and the last imports and backups. The counts at the top are links
that jump to what they count. The page reads everything through
``desktop.services.workbench.agenda.workbench`` and refreshes whenever it is shown, the context
changes or the window says data changed. ``clock`` gives today (a test or a screenshot passes a
fixed day; nothing touches the system date).

Signals:
    status(str): a sentence for the status bar.
    open_period(object): show the grid for this ``Period`` (the context unit).
    fill_form(str, object): fill the named 表样 for this ``Period``.
    open_page(str): show the page with this navigation title.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import duties
from db.connection import Database
from db.errors import KnownError
from db.periods import Period
from desktop.services.common.wording import date_text
from desktop.services.workbench.agenda import Workbench, workbench
from desktop.services.workbench.duties import KIND_WORDS, DutyState, DutyStatus
from desktop.ui.undo.base import write_then_push
from desktop.ui.undo.callbacks import ActionCommand

#: State → (background, foreground); the word is always in the cell too (never colour alone).
TONES: dict[DutyState, tuple[QColor, QColor]] = {
    DutyState.OVERDUE: (QColor(255, 220, 220), QColor(170, 0, 0)),
    DutyState.MISSING: (QColor(255, 243, 205), QColor(120, 80, 0)),
    DutyState.FILLED: (QColor(220, 235, 255), QColor(0, 70, 150)),
    DutyState.DONE: (QColor(220, 245, 220), QColor(0, 110, 0)),
}
STATE_MARKS = {
    DutyState.OVERDUE: "× ",
    DutyState.MISSING: "● ",
    DutyState.FILLED: "◐ ",
    DutyState.DONE: "√ ",
}
DUTY_HEADERS = ("报送任务", "期间", "时限", "状态", "")
ITEM_HEADERS = ("类别", "事项", "所属", "时限", "状态")
REASONS = {"auto": "自动", "manual": "手动", "close": "关闭时", "restore": "恢复前"}


class WorkbenchPage(QWidget):
    #: Only the unit: the periods shown follow from today's date, not the context bar.
    CONTEXT_SCOPE = frozenset({"unit"})
    status = Signal(str)
    open_period = Signal(object)
    fill_form = Signal(str, object)
    open_page = Signal(str)

    def __init__(
        self,
        db: Database,
        undo_stack: QUndoStack | None = None,
        clock: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.clock = clock
        self._unit_id: int | None = None
        self._unit_name = ""
        self.bench: Workbench | None = None

        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.counts.linkActivated.connect(self._link)
        self.counts.setToolTip("点击数字查看对应事项")

        self.duty_table = QTableWidget(0, len(DUTY_HEADERS))
        self.duty_table.setHorizontalHeaderLabels(list(DUTY_HEADERS))
        self._table_style(self.duty_table)
        self.duty_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("新增报送任务…")
        self.add_button.clicked.connect(self.add_duty)
        self.remove_button = QPushButton("删除所选任务")
        self.remove_button.clicked.connect(self.remove_duty)
        duty_buttons = QHBoxLayout()
        duty_buttons.addWidget(self.add_button)
        duty_buttons.addWidget(self.remove_button)
        duty_buttons.addStretch(1)
        duty_box = QGroupBox("报送任务")
        duty_layout = QVBoxLayout(duty_box)
        duty_layout.addWidget(self.duty_table, 1)
        duty_layout.addLayout(duty_buttons)

        self.item_table = QTableWidget(0, len(ITEM_HEADERS))
        self.item_table.setHorizontalHeaderLabels(list(ITEM_HEADERS))
        self._table_style(self.item_table)
        self.item_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.item_table.cellDoubleClicked.connect(self._open_item)
        self.item_table.setToolTip("双击打开计划清单或整改台账")
        item_box = QGroupBox("30天内到期与逾期（计划清单、整改台账）")
        item_layout = QVBoxLayout(item_box)
        item_layout.addWidget(self.item_table)

        self.recent = QLabel()
        self.recent.setTextFormat(Qt.TextFormat.RichText)
        self.recent.setWordWrap(True)
        self.recent.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.recent.linkActivated.connect(self._link)
        recent_box = QGroupBox("最近导入与备份")
        recent_layout = QVBoxLayout(recent_box)
        recent_layout.addWidget(self.recent)

        bottom = QHBoxLayout()
        bottom.addWidget(item_box, 3)
        bottom.addWidget(recent_box, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.counts)
        layout.addWidget(duty_box, 1)
        layout.addLayout(bottom, 1)
        if db.read_only:
            for button in (self.add_button, self.remove_button):
                button.setEnabled(False)
                button.setToolTip(f"只读：{db.read_only_reason}")

    @staticmethod
    def _table_style(table: QTableWidget) -> None:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    # ------------------------------------------------------------------ context
    def set_context(self, unit_id: int, period: Period, unit_name: str) -> None:
        """The page follows the unit only: its periods come from today's date."""
        self._unit_id, self._unit_name = unit_id, unit_name
        self.refresh_if_shown()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # figures typed on another page since: the states follow

    def refresh_if_shown(self) -> None:
        """Refresh now if the page is on screen; a hidden page refreshes when it is shown.

        At start-up the context arrives before the window is shown: one refresh, not three.
        """
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if self._unit_id is None:
            return
        today = self.clock()
        try:
            self.bench = workbench(self.db, self._unit_id, today)
        except KnownError as exc:
            self.status.emit(exc.one_line())
            return
        self.title.setText(f"工作台　{self._unit_name}　今天是 {date_text(today)}")
        self._show_counts(self.bench)
        self._show_duties(self.bench)
        self._show_items(self.bench)
        self._show_recent(self.bench)

    # ------------------------------------------------------------------ blocks
    def _show_counts(self, bench: Workbench) -> None:
        def link(key: str, word: str, count: int, colour: str) -> str:
            if not count:
                return f"{word} 0 项"
            return f'<a href="{key}" style="color:{colour}"><b>{word} {count} 项</b></a>'

        parts = [
            link("duty:逾期", "报送逾期", bench.count(DutyState.OVERDUE), "#b00000"),
            link("duty:未填", "待填报", bench.count(DutyState.MISSING), "#8a5a00"),
            link("duty:已填", "已填待报送", bench.count(DutyState.FILLED), "#00468c"),
            link("duty:已报送", "已报送", bench.count(DutyState.DONE), "#006e00"),
            link("items:overdue", "计划与台账逾期", bench.overdue_items, "#b00000"),
            link(
                "items:soon",
                "30天内到期",
                sum(1 for i in (*bench.plan_items, *bench.problems) if not i.overdue),
                "#00468c",
            ),
        ]
        if not bench.duties:
            parts[:4] = ['尚未设置报送任务：<a href="add">新增报送任务</a>']
        self.counts.setText("　·　".join(parts))

    def _show_duties(self, bench: Workbench) -> None:
        table = self.duty_table
        for row in range(table.rowCount()):  # the old buttons go now, not at the next idle
            old = table.cellWidget(row, 4)
            if old is not None:
                table.removeCellWidget(row, 4)
                old.setParent(None)
                old.deleteLater()
        table.setRowCount(len(bench.duties))
        for row, status in enumerate(bench.duties):
            background, foreground = TONES[status.state]
            cells = [
                status.duty.name
                + ("" if not status.template_name else f"（表样：{status.template_name}）"),
                f"{status.period.label}　{KIND_WORDS[status.duty.period_kind]}",
                f"{status.duty.due_rule}：{status.due_text}",
                STATE_MARKS[status.state] + status.state_text,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, status.duty.id)
                if column == 3:
                    item.setBackground(QBrush(background))
                    item.setForeground(QBrush(foreground))
                    if status.missing:
                        item.setToolTip("未填：" + "、".join(status.missing))
                table.setItem(row, column, item)
            table.setCellWidget(row, 4, self._action_button(status))
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _action_button(self, status: DutyStatus) -> QPushButton:
        """去填报 / 按表样填报 for one duty; which is read back from the row on click."""
        if status.template_name:
            button = QPushButton("按表样填报…")
            button.setToolTip(f"把{status.period.label}的数据填入“{status.template_name}”")
        else:
            button = QPushButton("查看数据" if status.state is DutyState.DONE else "去填报")
            button.setToolTip(f"打开数据填报：{status.period.label}")
        button.setProperty("duty_id", status.duty.id)
        button.clicked.connect(self._act)
        return button

    def _act(self) -> None:
        button = self.sender()
        if self.bench is None or button is None:
            return
        duty_id = button.property("duty_id")
        status = next((d for d in self.bench.duties if d.duty.id == duty_id), None)
        if status is None:
            return
        if status.template_name:
            self.fill_form.emit(status.template_name, status.period)
        else:
            self.open_period.emit(status.period)

    def _show_items(self, bench: Workbench) -> None:
        items = sorted((*bench.plan_items, *bench.problems), key=lambda i: (i.due, i.kind))
        table = self.item_table
        table.setRowCount(len(items))
        for row, entry in enumerate(items):
            left = (entry.due - bench.today).days
            gap = f"逾期 {-left} 天" if left < 0 else f"还有 {left} 天"
            when = f"{entry.due.isoformat()}（{gap}）"
            cells = [
                "计划" if entry.kind == "plan" else "台账",
                entry.text,
                entry.where,
                when,
                ("× 逾期·" if entry.overdue else "") + entry.status,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, entry.kind)
                if entry.overdue and column in (3, 4):
                    item.setForeground(QBrush(QColor(170, 0, 0)))
                table.setItem(row, column, item)
        if not items:
            table.setRowCount(1)
            table.setItem(0, 1, QTableWidgetItem("30天内没有到期或逾期的事项"))

    def _show_recent(self, bench: Workbench) -> None:
        lines = ["<b>最近导入与写入</b>"]
        for source, when in bench.imports:
            lines.append(f"{when.replace('T', ' ')[:16]}　{source}")
        if not bench.imports:
            lines.append("尚无导入记录")
        lines.append('<br><b>最近备份</b>　<a href="backups">备份与恢复…</a>')
        for made in bench.backups:
            reason = REASONS.get(made.reason, made.reason)
            lines.append(f"{made.taken_at:%Y-%m-%d %H:%M}　{reason}　{made.path.name}")
        if not bench.backups:
            lines.append("尚无备份（每天第一次打开时自动备份）")
        self.recent.setText("<br>".join(lines))

    # ------------------------------------------------------------------ actions
    def _link(self, key: str) -> None:
        if key == "add":
            self.add_duty()
        elif key == "backups":
            self.open_page.emit("备份")
        elif key.startswith("duty:"):
            word = key.split(":", 1)[1]
            self._select_duties(word)
        elif key == "items:overdue":
            self._select_items(overdue=True)
        elif key == "items:soon":
            self._select_items(overdue=False)

    def _select_duties(self, word: str) -> None:
        self.duty_table.clearSelection()
        self.duty_table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row in range(self.duty_table.rowCount()):
            item = self.duty_table.item(row, 3)
            if item is not None and word in item.text():
                self.duty_table.selectRow(row)
        self.duty_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.duty_table.setFocus()

    def _select_items(self, overdue: bool) -> None:
        self.item_table.clearSelection()
        self.item_table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row in range(self.item_table.rowCount()):
            item = self.item_table.item(row, 4)
            if item is not None and ("逾期" in item.text()) == overdue:
                self.item_table.selectRow(row)
        self.item_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.item_table.setFocus()

    def _open_item(self, row: int, _column: int) -> None:
        item = self.item_table.item(row, 0)
        if item is not None:
            kind = item.data(Qt.ItemDataRole.UserRole)
            self.open_page.emit("计划清单" if kind == "plan" else "整改台账")

    def selected_duty(self) -> int | None:
        rows = {i.row() for i in self.duty_table.selectedIndexes()}
        if len(rows) != 1:
            return None
        item = self.duty_table.item(rows.pop(), 0)
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def add_duty(self) -> None:
        if self._unit_id is None:
            return
        from desktop.ui.duty_dialog import DutyDialog

        dialog = DutyDialog(self.db, self._unit_id, self)
        if dialog.exec() and dialog.created is not None:
            self.refresh()
            self.status.emit(f"已新增报送任务：{dialog.created.name}（{dialog.created.due_rule}）")

    def remove_duty(self) -> None:
        """Delete the chosen duty; Ctrl+Z puts it back as it was."""
        duty_id = self.selected_duty()
        if duty_id is None or self._unit_id is None:
            self.status.emit("请先选择一个报送任务")
            return
        duty = next(d for d in duties.duties_of(self.db, self._unit_id) if d.id == duty_id)

        def do() -> None:
            duties.delete_duty(self.db, duty.id)
            self.refresh()

        def undo() -> None:
            duties.restore_duty(self.db, duty)
            self.refresh()

        command = ActionCommand(f"删除报送任务“{duty.name}”", do, undo, self.status.emit)
        write_then_push(self.undo_stack, command, done=f"已删除报送任务“{duty.name}”")
