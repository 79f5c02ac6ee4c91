"""整改台账: the unit's inspection problems by batch, their completion rate, 销号 and Excel.

Edits in the table are written at once and undoable (Ctrl+Z). 销号 asks for the date and the
verification note it needs. "写入指标库" puts the batch's counts into the indicator store for
the context period, so the entry grid's 整改完成率 is the ledger's. Importing a returned
workbook shows the dry run (新增 / 修改 / 不变 / 错误 with sheet!cell) before one transaction;
reading it and the commit run on the one worker, the window disabled meanwhile.

Signals:
    status(str): a line for the status bar.
    data_changed(): figures in the indicator store changed (the entry grid refreshes).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import ledger
from db.connection import Database
from db.errors import KnownError
from db.periods import Period
from desktop.models.ledger_table import PROBLEM_ID_ROLE, STATUS_COLUMN, LedgerTableModel
from desktop.models.plan_tree import TONES
from desktop.services.common.dry_run import Status
from desktop.services.ledger import spreadsheet, tracking
from desktop.tasks import ProgressFn, run_task
from desktop.ui.plan_page import ChoiceDelegate
from desktop.ui.undo.base import write_then_push
from desktop.ui.undo.callbacks import ActionCommand, FieldCommand

ALL_BATCHES = "全部批次"
_LEGEND = (
    ("done", "已完成/立行立改/已销号"), ("progress", "整改中"), ("late", "逾期"),
    ("longterm", "长期坚持"),
)  # fmt: skip


class _CheckedDialog(QDialog):
    """A dialog that says in itself what is missing and stays open, keeping what was typed."""

    def _make_error_label(self) -> QLabel:
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828")
        self.error.setWordWrap(True)
        self.error.hide()
        return self.error

    def refusal(self) -> str:
        return ""

    def accept(self) -> None:
        problem = self.refusal()
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        super().accept()


NO_DATE = QDate(2000, 1, 1)


class CloseDialog(_CheckedDialog):
    """销号: the closing date and the verification note, both required and both entered by
    the user (the date is not pre-filled with today: a 销号 date nobody entered is not one)."""

    def __init__(self, problem: ledger.Problem, today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("销号")
        self.day = QDateEdit()
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setCalendarPopup(True)
        self.day.setMinimumDate(NO_DATE)
        self.day.setSpecialValueText("（请选择销号日期）")
        self.day.setDate(NO_DATE)
        self.day.calendarWidget().setCurrentPage(today.year, today.month)  # opens on this month
        self.note = QLineEdit()
        self.note.setPlaceholderText("如：现场核查到位，同意销号")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(f"{problem.batch} 第{problem.seq}号：{problem.description}"))
        form.addRow("销号日期：", self.day)
        form.addRow("核查情况：", self.note)
        form.addRow(self._make_error_label())
        form.addRow(buttons)

    def closing_day(self) -> str:
        """The date entered, as 2022-11-05 ("" while none was chosen)."""
        day = self.day.date()
        return "" if day == NO_DATE else day.toString("yyyy-MM-dd")

    def refusal(self) -> str:
        missing = [w for w, v in (("销号日期", self.closing_day()),
                                  ("核查情况", self.note.text().strip())) if not v]  # fmt: skip
        return f"请填写{'和'.join(missing)}" if missing else ""


class ProblemDialog(_CheckedDialog):
    """A new problem: source, batch, description and the rest of the printed columns."""

    def __init__(self, batches: list[tuple[str, str]], year: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("新增问题")
        self.resize(560, 420)
        self.source = QComboBox()
        self.source.addItems(ledger.SOURCES)
        self.batch = QComboBox()
        self.batch.setEditable(True)
        self.batch.addItems([b for b, _ in batches])
        self._sources = dict(batches)
        self.batch.currentTextChanged.connect(self._batch_changed)
        self.description = QPlainTextEdit()
        self.category = QComboBox()
        self.category.addItems(ledger.CATEGORIES)
        self.responsible = QLineEdit()
        self.deadline = QLineEdit()
        self.deadline.setPlaceholderText("2023-06-30 或 年底前 / 上半年 / 按序时")
        self.measures = QLineEdit()
        self.year = year
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("来源：", self.source)
        form.addRow("批次：", self.batch)
        form.addRow("问题描述：", self.description)
        form.addRow("类别：", self.category)
        form.addRow("责任单位：", self.responsible)
        form.addRow("整改时限：", self.deadline)
        form.addRow("整改措施：", self.measures)
        form.addRow(self._make_error_label())
        form.addRow(buttons)
        self._batch_changed(self.batch.currentText())

    def _batch_changed(self, batch: str) -> None:
        if batch in self._sources:
            self.source.setCurrentText(self._sources[batch])

    def refusal(self) -> str:
        """The store's own check of the fields, said here so nothing typed is lost."""
        try:
            ledger.check_values(
                {"batch": self.batch.currentText(), "description": self.description.toPlainText(),
                 "deadline": self.deadline.text()}
            )  # fmt: skip
        except KnownError as exc:
            return exc.message
        return ""

    def problem(self, seq: int) -> ledger.NewProblem:
        return ledger.NewProblem(
            source=self.source.currentText(),
            batch=self.batch.currentText().strip(),
            seq=seq,
            year=self.year,
            description=self.description.toPlainText(),
            category=self.category.currentText(),
            responsible=self.responsible.text(),
            deadline=self.deadline.text(),
            measures=self.measures.text(),
        )


class BatchDialog(QDialog):
    """Which source and batch the rows of a bureau's own ledger belong to."""

    def __init__(self, batches: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("导入整改台账：来源与批次")
        self.source = QComboBox()
        self.source.addItems(ledger.SOURCES)
        self.batch = QComboBox()
        self.batch.setEditable(True)
        self.batch.addItems([b for b, _ in batches])
        sources = dict(batches)
        self.batch.currentTextChanged.connect(
            lambda b: self.source.setCurrentText(sources[b]) if b in sources else None
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel("表中没有注明来源和批次，请指定："))
        form.addRow("来源：", self.source)
        form.addRow("批次：", self.batch)
        form.addRow(buttons)


class ImportDialog(QDialog):
    """The dry run of a ledger import: every row's verdict, then confirm or cancel."""

    def __init__(self, dry_run: spreadsheet.LedgerImport, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("导入整改台账：预览")
        self.resize(820, 480)
        lines = QPlainTextEdit("\n".join(item.describe() for item in dry_run.items))
        lines.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        commit = buttons.addButton(
            f"导入 {len(dry_run.accepted)} 项", QDialogButtonBox.ButtonRole.AcceptRole
        )
        commit.setEnabled(bool(dry_run.accepted))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(dry_run.summary() + "（错误项不导入；确认后一次性写入）"))
        layout.addWidget(lines, 1)
        layout.addWidget(buttons)


class LedgerPage(QWidget):
    status = Signal(str)
    data_changed = Signal()

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.undo_stack = undo_stack
        self.unit_id: int | None = None
        self.unit_name = ""
        self.period: Period | None = None
        self.today = date.today()
        self.model = LedgerTableModel(db)
        self.model.edit_requested.connect(self._edit)

        self.batch_box = QComboBox()
        self.batch_box.setMinimumWidth(220)
        self.overdue_box = QCheckBox("只看逾期")
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("查找（Ctrl+F）")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.setMaximumWidth(180)
        self.find_edit.textChanged.connect(self._filter_changed)
        self.batch_box.currentIndexChanged.connect(self._filter_changed)
        self.overdue_box.toggled.connect(self._filter_changed)
        self.actions_by_name: dict[str, QAction] = {}
        bar = QHBoxLayout()
        bar.addWidget(QLabel("批次："))
        bar.addWidget(self.batch_box)
        bar.addWidget(self.overdue_box)
        bar.addWidget(self.find_edit)
        for name, keys, slot in (
            ("新增问题…", "Ctrl+N", self.add_problem),
            ("销号…", "", self.close_problem),
            ("删除问题", "", self.delete_problem),
            ("写入指标库", "", self.feed_store),
            ("导出Excel…", "", self.export),
            ("导入Excel…", "", self.choose_import),
            ("打印…", "Ctrl+P", self.print_preview),
        ):
            action = QAction(name, self)
            if keys:
                action.setShortcut(QKeySequence(keys))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            self.actions_by_name[name] = action
            button = QPushButton(name)
            button.setToolTip(keys or name)
            button.clicked.connect(action.trigger)
            bar.addWidget(button)
        bar.addStretch(1)
        find = QAction("查找", self)
        find.setShortcut(QKeySequence("Ctrl+F"))
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(lambda: self.find_edit.setFocus())
        self.addAction(find)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(True)
        self.view.setItemDelegate(
            ChoiceDelegate(STATUS_COLUMN, [s for s in ledger.PROBLEM_STATUSES if s != "已销号"])
        )
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.legend = QLabel(
            "　".join(
                f'<span style="color:{TONES[t][0]}">{TONES[t][2]} {w}</span>' for t, w in _LEGEND
            )
        )
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary_label, 1)
        bottom.addWidget(self.legend)
        layout.addLayout(bottom)

    # ------------------------------------------------------------------ context
    def set_context(self, unit_id: int, period: Period, unit_name: str) -> None:
        self.unit_id, self.period, self.unit_name = unit_id, period, unit_name
        self._reload_batches()

    def set_today(self, today: date) -> None:
        self.today = today
        self.model.today = today
        self._load()

    def _reload_batches(self) -> None:
        batches = ledger.batches_for(self.db, self.unit_id) if self.unit_id else []
        current = self.batch_box.currentText()
        self.batch_box.blockSignals(True)
        self.batch_box.clear()
        self.batch_box.addItems([ALL_BATCHES, *(b for b, _ in batches)])
        self.batch_box.setCurrentText(current if current else ALL_BATCHES)
        self.batch_box.blockSignals(False)
        self._filter_changed()

    def _filter_changed(self) -> None:
        batch = self.batch_box.currentText()
        self.model.batch = "" if batch == ALL_BATCHES else batch
        self.model.overdue_only = self.overdue_box.isChecked()
        self.model.text = self.find_edit.text().strip()
        self.view.setColumnHidden(0, bool(self.model.batch))  # one batch: its name is above
        self._load()

    def _load(self, keep: int | None = None) -> None:
        self.model.set_unit(self.unit_id, self.today)
        widths = (120, 36, 250, 44, 80, 80, 120, 120, 110, 150)
        for column, width in enumerate(widths):
            self.view.setColumnWidth(column, width)
        self.view.resizeRowsToContents()
        if keep is not None and self.model.row_of(keep) >= 0:
            self.view.selectRow(self.model.row_of(keep))
        lines = [s.text for s in self.model.summaries()]
        if not lines:
            lines = [f"{self.unit_name}的整改台账中还没有问题：点“新增问题…”或“导入Excel…”"]
        self.summary_label.setText("\n".join(lines))

    def summary_text(self) -> str:
        return self.summary_label.text()

    # ------------------------------------------------------------------ edits
    def _edit(self, problem_id: int, name: str, new: object) -> None:
        problem = ledger.problem_by_id(self.db, problem_id)
        old = getattr(problem, name)
        label = f"{problem.batch} 第{problem.seq}号 {ledger.FIELD_LABELS[name]}：{old} → {new}"

        def apply(value: object) -> None:
            ledger.update_problem(self.db, problem_id, **{name: value})
            self._load(keep=problem_id)

        command = FieldCommand(label, apply, old, new, self.status.emit)
        write_then_push(self.undo_stack, command, done=f"已保存：{label}")

    def _selected(self) -> ledger.Problem | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return ledger.problem_by_id(self.db, int(index.data(PROBLEM_ID_ROLE)))

    def _refuse(self, exc: KnownError) -> None:
        self._refused(exc.one_line())

    def add_problem(self) -> None:
        if self.unit_id is None:
            return
        year = self.period.year if self.period else self.today.year
        dialog = ProblemDialog(ledger.batches_for(self.db, self.unit_id), year, self)
        if not dialog.exec():
            return
        batch = dialog.batch.currentText().strip()
        seq = 1 + max((p.seq for p in ledger.problems_for(self.db, self.unit_id, batch)), default=0)
        try:
            (new_id,) = ledger.add_problems(self.db, self.unit_id, [dialog.problem(seq)])
        except KnownError as exc:
            self._refuse(exc)
            return
        self._reload_batches()
        self._load(keep=new_id)
        self.status.emit(f"已新增问题：{batch} 第{seq}号")

    def close_problem(self) -> None:
        problem = self._selected()
        if problem is None:
            self.status.emit("请先选中一个问题")
            return
        refusal = tracking.closing_refusal(problem)
        if refusal:
            self.status.emit(f"不能销号：{refusal}")
            QMessageBox.information(self, "销号", refusal)
            return
        dialog = CloseDialog(problem, self.today, self)
        if not dialog.exec():
            return
        day = dialog.closing_day()
        before = {"status": problem.status, "closed_on": problem.closed_on,
                  "verification": problem.verification}  # fmt: skip
        after = {"status": "已销号", "closed_on": day, "verification": dialog.note.text()}

        def apply(values: object) -> None:
            assert isinstance(values, dict)
            ledger.update_problem(self.db, problem.id, **values)
            self._load(keep=problem.id)

        label = f"{problem.batch} 第{problem.seq}号 销号"
        command = FieldCommand(label, apply, before, after, self.status.emit)
        write_then_push(self.undo_stack, command, done=f"已保存：{label}")

    def delete_problem(self) -> None:
        """Delete the selected problem after asking; Ctrl+Z adds it back with every field."""
        problem = self._selected()
        if problem is None:
            self.status.emit("请先选中一个问题")
            return
        what = f"{problem.batch} 第{problem.seq}号"
        answer = QMessageBox.question(self, "删除问题", f"删除“{what}”？（可用 Ctrl+Z 撤销）")
        if answer != QMessageBox.StandardButton.Yes:
            return
        current = [problem.id]

        def do() -> None:
            ledger.delete_problem(self.db, current[0])
            self._load()
            self.status.emit(f"已删除：{what}（Ctrl+Z 可撤销）")

        def undo() -> None:
            (current[0],) = ledger.add_problems(self.db, problem.unit_id, [ledger.as_new(problem)])
            self._load(keep=current[0])

        command = ActionCommand(f"删除 {what}", do, undo, self.status.emit)
        write_then_push(self.undo_stack, command, refused="未完成")

    def feed_store(self) -> None:
        if self.unit_id is None or self.period is None:
            return
        batches = [self.model.batch] if self.model.batch else [
            b for b, source in ledger.batches_for(self.db, self.unit_id)
            if source in tracking.STORE_PREFIX
        ]  # fmt: skip
        if not batches:
            self.status.emit("没有可写入指标库的批次（央督、举一反三）")
            return
        try:
            done = [tracking.feed_store(self.db, self.unit_id, b, self.period) for b in batches]
        except KnownError as exc:
            self._refuse(exc)
            return
        self.data_changed.emit()
        rates = "；".join(f"{s.batch} {s.rate:.1f}%" for s in done if s.rate is not None)
        self.status.emit(f"已写入 {self.period.label} 指标库：{rates}")

    # ------------------------------------------------------------------ Excel and print
    def export(self) -> None:
        if self.unit_id is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "导出整改台账", f"{self.unit_name}整改台账.xlsx", "Excel (*.xlsx)"
        )
        if not path:
            return
        try:
            count = spreadsheet.export_ledger(
                self.db, self.unit_id, Path(path), self.today,
                overdue_only=self.overdue_box.isChecked(),
            )  # fmt: skip
        except KnownError as exc:
            self._refuse(exc)
            return
        self.status.emit(f"已导出 {count} 个问题：{path}")

    def choose_import(self) -> None:
        """导入Excel…: its own slot, since ``triggered`` passes ``checked`` as a first argument."""
        path, _ = QFileDialog.getOpenFileName(
            self, "导入整改台账", "", "Excel (*.xlsx *.xlsm *.xls *.ods)"
        )
        if path:
            self.import_workbook(Path(path))

    def import_workbook(self, path: Path) -> None:
        """Read and judge the workbook on the worker, show the dry run, commit on the worker."""
        if self.unit_id is not None:
            self._judge(path, self.unit_id)

    def _judge(self, path: Path, unit_id: int, source: str = "", batch: str = "") -> None:
        def work(progress: ProgressFn) -> spreadsheet.LedgerImport:
            progress(0, 1)
            return spreadsheet.dry_run_ledger(self.db, unit_id, path, source=source, batch=batch)

        def judged(dry_run: spreadsheet.LedgerImport) -> None:
            if spreadsheet.needs_batch(dry_run) and not batch:
                # A bureau's own ledger: ask once which source and batch its rows belong to.
                dialog = BatchDialog(ledger.batches_for(self.db, unit_id), self)
                if dialog.exec():
                    chosen = dialog.source.currentText(), dialog.batch.currentText().strip()
                    self._judge(path, unit_id, *chosen)
                return
            if not ImportDialog(dry_run, self).exec():
                self.status.emit("已取消导入，未作任何修改")
                return
            self._commit(path, dry_run)

        run_task(self, f"正在读取“{path.name}”…", work, judged, self._refused)

    def _commit(self, path: Path, dry_run: spreadsheet.LedgerImport) -> None:
        year = self.period.year if self.period else self.today.year
        errors = dry_run.count(Status.ERROR)

        def work(progress: ProgressFn) -> int:
            progress(0, 1)
            return spreadsheet.commit_import(self.db, dry_run, year, path.name)

        def written(count: int) -> None:
            self._reload_batches()
            self.status.emit(f"已导入 {count} 项，{errors} 项错误")

        run_task(self, "正在导入整改台账…", work, written, self._refused, cancellable=False)

    def _refused(self, message: str) -> None:
        self.status.emit(message)
        QMessageBox.warning(self, "整改台账", message)

    def print_job(self) -> object:
        from desktop.ui.table_print import TableJob

        problems = self.model.problems
        return TableJob(
            title=f"{self.unit_name}整改台账",
            lines=tuple(s.text for s in self.model.summaries()),
            header=("批次", *tracking.LEDGER_HEADER),
            rows=[(p.batch, *row) for p, row in zip(
                problems, tracking.ledger_rows(problems, self.today), strict=True)],
            widths=(10, 4, 25, 9, 9, 17, 18, 8, 12),
            day=self.today,
            tints=[TONES[tracking.status_tone(p, self.today)][1] for p in problems],
            tint_column=7,
        )  # fmt: skip

    def print_preview(self) -> None:
        from desktop.ui.table_print import TableJob, preview

        job = self.print_job()
        assert isinstance(job, TableJob)
        if not job.rows:
            self.status.emit("没有可打印的问题")
            return
        preview(self, job)
