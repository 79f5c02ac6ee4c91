"""计划清单: the unit's year plan as an expandable checklist, following the context bar.

Status, deadline, 科室 and the rest are edited in the tree; every edit is written at once and
pushed on the main window's undo stack (Ctrl+Z). An outline pasted from Word or a web page
(一、 （一） 1. （1）) becomes items in one step. The summary line and the colours are computed
by ``desktop.services.plans.checklist`` against today's date.

Signals:
    status(str): a line for the status bar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from db import plans
from db.connection import Database
from db.errors import KnownError
from db.periods import Period
from db.plans import ITEM_STATUSES, Plan
from desktop.models.plan_tree import COLUMNS, ITEM_ID_ROLE, STATUS_COLUMN, TONES, PlanTreeModel
from desktop.services.plans import checklist
from desktop.services.plans.checklist import Filter
from desktop.ui.undo.base import write_then_push
from desktop.ui.undo.callbacks import ActionCommand, FieldCommand

TEXT = {
    "no_plan": "{unit}{year}年还没有计划：点“新建计划…”，再“粘贴提纲…”即可录入",
    "all_status": "全部状态",
    "all_departments": "全部科室",
}


_LEGEND = (
    ("done", "已完成"), ("progress", "推进中"), ("late", "逾期/滞后"), ("idle", "未开始"),
    ("cancelled", "取消"),
)  # fmt: skip


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down of fixed choices for one column (status), the default editor elsewhere."""

    def __init__(self, column: int, choices: Sequence[str], parent: QWidget | None = None):
        super().__init__(parent)
        self._column, self._choices = column, list(choices)

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        if index.column() != self._column:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.addItems(self._choices)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole)))
        else:
            super().setEditorData(editor, index)

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class PlanPage(QWidget):
    #: The context bar's parts this page uses (a plan is a year's).
    CONTEXT_SCOPE = frozenset({"unit", "year"})

    status = Signal(str)

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.undo_stack = undo_stack
        self.unit_id: int | None = None
        self.unit_name = ""
        self.year = date.today().year
        self.today = date.today()
        self.model = PlanTreeModel(db)
        self.model.edit_requested.connect(self._edit)

        self.plan_box = QComboBox()
        self.plan_box.setMinimumWidth(260)
        self.plan_box.currentIndexChanged.connect(self._plan_chosen)
        self.status_box = QComboBox()
        self.status_box.addItems([TEXT["all_status"], *ITEM_STATUSES])
        self.department_box = QComboBox()
        self.overdue_box = QCheckBox("只看逾期")
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("查找（Ctrl+F）")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.textChanged.connect(self._filter_changed)
        for box in (self.status_box, self.department_box):
            box.currentIndexChanged.connect(self._filter_changed)
        self.overdue_box.toggled.connect(self._filter_changed)

        self.new_plan_action = self._action("新建计划…", self.new_plan)
        self.paste_action = self._action("粘贴提纲…", self._paste_clicked, "Ctrl+Shift+V")
        self.add_action = self._action("新增条目", self.add_item, "Ctrl+N")
        self.note_action = self._action("进展记录…", self.add_note, "Ctrl+M")
        self.target_action = self._action("量化目标…", self.edit_target, "Ctrl+T")
        self.delete_action = self._action("删除条目", self.delete_item)
        self.export_action = self._action("导出Excel…", self.export)
        self.print_action = self._action("打印…", self.print_preview, "Ctrl+P")
        self._action("查找", lambda: self.find_edit.setFocus(), "Ctrl+F")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("计划："))
        bar.addWidget(self.plan_box)
        for action in (self.new_plan_action, self.paste_action, self.add_action,
                       self.note_action, self.target_action, self.delete_action, self.export_action,
                       self.print_action):  # fmt: skip
            button = QPushButton(action.text())
            button.setToolTip(action.shortcut().toString() or action.text())
            button.clicked.connect(action.trigger)
            bar.addWidget(button)
        bar.addStretch(1)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("筛选："))
        filters.addWidget(self.status_box)
        filters.addWidget(self.department_box)
        filters.addWidget(self.overdue_box)
        filters.addWidget(self.find_edit)
        filters.addStretch(1)

        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setItemDelegate(ChoiceDelegate(STATUS_COLUMN, ITEM_STATUSES, self.view))
        self.view.setEditTriggers(
            QTreeView.EditTrigger.DoubleClicked
            | QTreeView.EditTrigger.EditKeyPressed
            | QTreeView.EditTrigger.AnyKeyPressed
        )
        self.view.setUniformRowHeights(True)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("summary")
        self.legend = QLabel(
            "　".join(
                f'<span style="color:{TONES[t][0]}">{TONES[t][2]} {w}</span>' for t, w in _LEGEND
            )
        )
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary_label, 1)
        bottom.addWidget(self.legend)
        layout.addLayout(bottom)

    def _action(self, text: str, slot: Callable[[], None], keys: str = "") -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # ------------------------------------------------------------------ context
    def set_context(self, unit_id: int, period: Period, unit_name: str) -> None:
        self.unit_id, self.year, self.unit_name = unit_id, period.year, unit_name
        self.reload_plans()

    def showEvent(self, event: QShowEvent) -> None:
        """Figures typed on 数据填报 since the last visit change computed target progress."""
        super().showEvent(event)
        if self.unit_id is not None:
            self._load(keep=self._selected_id())

    def set_today(self, today: date) -> None:
        """The date overdue is judged against (tests fix it; the page uses the real date)."""
        self.today = today
        self._load()

    def reload_plans(self, select: int | None = None) -> None:
        found = plans.plans_for(self.db, self.unit_id, self.year) if self.unit_id else []
        self.plan_box.blockSignals(True)
        self.plan_box.clear()
        for plan in found:
            self.plan_box.addItem(f"{plan.year}年 {plan.title}", plan.id)
        if select is not None:
            self.plan_box.setCurrentIndex(max(0, self.plan_box.findData(select)))
        self.plan_box.blockSignals(False)
        self._load()

    def current_plan(self) -> Plan | None:
        plan_id = self.plan_box.currentData()
        return plans.plan_by_id(self.db, int(plan_id)) if plan_id is not None else None

    def _plan_chosen(self, _index: int) -> None:
        self._load()

    def _load(self, keep: int | None = None) -> None:
        plan = self.current_plan()
        self.model.set_plan(plan, self.today)
        self.view.expandAll()
        for column in range(1, len(COLUMNS) - 1):
            self.view.resizeColumnToContents(column)
        self.view.setColumnWidth(0, 460)
        departments = checklist.departments(self.model.rows)
        current = self.department_box.currentText()
        self.department_box.blockSignals(True)
        self.department_box.clear()
        self.department_box.addItems([TEXT["all_departments"], *departments])
        self.department_box.setCurrentText(current)
        self.department_box.blockSignals(False)
        if keep is not None:
            index = self.model.index_of(keep)
            if index.isValid():
                self.view.setCurrentIndex(index)
        self._show_summary()

    def _show_summary(self) -> None:
        if self.current_plan() is None:
            self.summary_label.setText(TEXT["no_plan"].format(unit=self.unit_name, year=self.year))
            return
        text = self.model.summary().text
        if self.model.filter.active:
            text += "（已筛选）"
        self.summary_label.setText(f"{text}　截至 {self.today.isoformat()}")

    def _filter_changed(self) -> None:
        status = self.status_box.currentText()
        department = self.department_box.currentText()
        self.model.filter = Filter(
            overdue_only=self.overdue_box.isChecked(),
            department="" if department == TEXT["all_departments"] else department,
            status="" if status == TEXT["all_status"] else status,
            text=self.find_edit.text().strip(),
        )
        self._load()

    def summary_text(self) -> str:
        return self.summary_label.text()

    # ------------------------------------------------------------------ edits
    def _edit(self, item_id: int, name: str, new: object) -> None:
        item = plans.item_by_id(self.db, item_id)
        old = getattr(item, name)
        label = f"{item.label[:16]} {plans.FIELD_LABELS[name]}：{old if old is not None else ''}"
        label += f" → {new if new is not None else ''}"

        def apply(value: object) -> None:
            plans.update_item(self.db, item_id, **{name: value})
            self._load(keep=item_id)

        command = FieldCommand(label, apply, old, new, self.status.emit)
        write_then_push(self.undo_stack, command, done=f"已保存：{label}")

    def _selected_id(self) -> int | None:
        index = self.view.currentIndex()
        value = index.data(ITEM_ID_ROLE) if index.isValid() else None
        return int(value) if value is not None else None

    def _refuse(self, exc: KnownError) -> None:
        self.status.emit(exc.one_line())
        QMessageBox.warning(self, "计划清单", exc.with_hint())

    def new_plan(self) -> None:
        if self.unit_id is None:
            return
        title, ok = QInputDialog.getText(
            self, "新建计划", f"{self.unit_name}{self.year}年计划名称：", text="年度工作计划"
        )
        if not ok:
            return
        try:
            plan = plans.create_plan(self.db, self.unit_id, self.year, title)
        except KnownError as exc:
            self._refuse(exc)
            return
        self.reload_plans(select=plan.id)
        self.status.emit(f"已新建计划：{plan.year}年 {plan.title}")

    def _paste_clicked(self) -> None:
        self.paste_outline()

    def paste_outline(self, text: str | None = None) -> int:
        """Add a pasted outline under the selected group (or at the top); return the count."""
        plan = self.current_plan()
        if plan is None:
            self.status.emit("请先新建计划")
            return 0
        if text is None:
            from desktop.ui.plan_dialogs import PastePlanDialog

            dialog = PastePlanDialog(self)
            if not dialog.exec():
                return 0
            text = dialog.edit.toPlainText()
        selected = self._selected_id()
        parent = None
        if selected is not None and self.model.row_of(selected).is_group:
            parent = selected
        added: list[int] = []
        counted: list[int] = []

        def do() -> None:
            count, ids = checklist.paste_outline(self.db, plan.id, text or "", parent)
            added[:] = ids
            counted[:] = [count]
            self._load()
            self.status.emit(f"已从提纲添加 {count} 个条目（Ctrl+Z 可撤销）")

        def undo() -> None:
            for item_id in added:
                plans.delete_item(self.db, item_id)
            self._load()

        try:
            checklist.parse_outline_or_refuse(text)
        except KnownError as exc:
            self._refuse(exc)
            return 0
        command = ActionCommand("粘贴提纲", do, undo, self.status.emit)
        write_then_push(self.undo_stack, command, refused="未完成")
        return counted[0] if counted else 0

    def add_item(self) -> None:
        plan = self.current_plan()
        if plan is None:
            return
        text, ok = QInputDialog.getText(self, "新增条目", "工作任务：")
        if not ok or not text.strip():
            return
        selected = self._selected_id()
        parent = None
        if selected is not None:
            row = self.model.row_of(selected)
            parent = selected if row.is_group else row.item.parent_id
        try:
            (item_id,) = plans.add_items(self.db, plan.id, [plans.NewItem(text)], parent)
        except KnownError as exc:
            self._refuse(exc)
            return
        self._load(keep=item_id)
        self.status.emit(f"已新增条目：{text.strip()}")

    def add_note(self) -> None:
        item_id = self._selected_id()
        if item_id is None:
            self.status.emit("请先选中一个条目")
            return
        # Several lines: a progress note is often a paragraph (what was done, what is next).
        text, ok = QInputDialog.getMultiLineText(
            self, "进展记录", f"{self.today.isoformat()} 进展情况（可写多行）：", ""
        )
        if not ok or not text.strip():
            return
        try:
            plans.add_note(self.db, item_id, self.today.isoformat(), text)
        except KnownError as exc:
            self._refuse(exc)
            return
        self._load(keep=item_id)
        self.status.emit("已添加进展记录")

    def edit_target(self) -> None:
        """Link the selected item to an indicator and a target (suggested from its text)."""
        from desktop.ui.plan_dialogs import TargetDialog

        item_id = self._selected_id()
        if item_id is None or self.model.row_of(item_id).is_group:
            self.status.emit("请先选中一个条目（不是分组）")
            return
        item = plans.item_by_id(self.db, item_id)
        dialog = TargetDialog(self.db, item, self)
        if not dialog.exec():
            return
        old = (item.indicator_id, item.target_op, item.target_value)
        new = dialog.chosen()

        def apply(value: object) -> None:
            assert isinstance(value, tuple)
            plans.set_target(self.db, item_id, *value)
            self._load(keep=item_id)

        label = f"{item.label[:16]} 量化目标"
        command = FieldCommand(label, apply, old, new, self.status.emit)
        write_then_push(self.undo_stack, command, done=f"已保存：{label}")

    def delete_item(self) -> None:
        item_id = self._selected_id()
        if item_id is None:
            return
        row = self.model.row_of(item_id)
        extra = f"及其下 {row.leaves} 个条目" if row.is_group else ""
        answer = QMessageBox.question(self, "删除条目", f"删除“{row.item.label}”{extra}？")
        if answer != QMessageBox.StandardButton.Yes:
            return
        removed = plans.subtree(self.db, item_id)
        current = [item_id]

        def do() -> None:
            plans.delete_item(self.db, current[0])
            self._load()
            self.status.emit(f"已删除：{row.item.label}（Ctrl+Z 可撤销）")

        def undo() -> None:
            current[0] = plans.restore(self.db, removed)
            self._load(keep=current[0])

        command = ActionCommand(f"删除“{row.item.label[:16]}”", do, undo, self.status.emit)
        write_then_push(self.undo_stack, command, refused="未完成")

    # ------------------------------------------------------------------ output
    def export(self) -> None:
        plan = self.current_plan()
        if plan is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            "导出计划清单",
            f"{self.unit_name}{plan.year}年{plan.title}.xlsx",
            "Excel (*.xlsx)",
        )
        if not path:
            return
        from pathlib import Path

        try:
            count = checklist.export_plan(self.db, plan, Path(path), self.today)
        except KnownError as exc:
            self._refuse(exc)
            return
        self.status.emit(f"已导出 {count} 行：{path}")

    def print_job(self) -> object:
        from desktop.ui.table_print import TableJob

        plan = self.current_plan()
        rows = [r for r in self.model.rows if self.model.index_of(r.item.id).isValid()]
        title = f"{self.unit_name}{self.year}年{plan.title if plan else '计划'}"
        return TableJob(
            title=title,
            lines=(f"单位：{self.unit_name}　{self.model.summary().text}",),
            header=checklist.PLAN_HEADER,
            rows=checklist.plan_table(rows),
            widths=(5, 34, 9, 6, 8, 9, 5, 24),
            day=self.today,
            tints=[TONES[r.tone][1] if not r.is_group else "" for r in rows],
            tint_column=5,
            bold_rows=frozenset(n for n, r in enumerate(rows) if r.is_group),
        )

    def print_preview(self) -> None:
        from desktop.ui.table_print import TableJob, preview

        if self.current_plan() is None:
            self.status.emit("没有可打印的计划")
            return
        job = self.print_job()
        assert isinstance(job, TableJob)
        preview(self, job)
