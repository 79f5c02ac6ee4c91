"""数据填报: the entry grid for the current unit and period, with checks and the period lock.

Every edit is written at once, in one transaction, and pushed on the undo stack; there is no
separate save step that could lose work.

Signals:
    status(str): a line for the status bar (what the last action did, or why it was refused).
    lock_changed(bool): the current period was locked or unlocked.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from db import locks, units
from db.connection import Database
from db.errors import KnownError, ValueRejected
from db.periods import Period
from db.records import Severity
from desktop.models.entry_grid import Col, EntryGridModel
from desktop.ui.entry_actions import TEXT, EntryActions, entry_actions
from desktop.ui.grid_view import GridView
from desktop.ui.undo.base import write_then_push
from desktop.ui.undo.entry import EntryEditCommand


class EntryPage(QWidget):
    status = Signal(str)
    lock_changed = Signal(bool)

    def __init__(
        self,
        db: Database,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
        actions: EntryActions | None = None,
    ) -> None:
        """``actions``: the main window's (they are in its 数据 menu too); else the page's own."""
        super().__init__(parent)
        self._db = db
        self._undo = undo_stack
        self.model = EntryGridModel(db)
        self.view = GridView()
        self.view.setModel(self.model)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in {
            Col.NAME: 260, Col.UNIT: 70, Col.CURRENT: 100, Col.LAST_YEAR: 100,
            Col.CHANGE: 120, Col.TARGET: 100, Col.PROGRESS: 90,
        }.items():  # fmt: skip
            self.view.setColumnWidth(column, width)
        self.view.verticalHeader().hide()

        self.toolbar = QToolBar()
        self.shared_actions = actions or entry_actions(self)
        self.check_action = self.shared_actions.check
        self.lock_action = self.shared_actions.lock
        self.add_action = self.shared_actions.add
        self.print_action = QAction("打印…", self)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.print_action.setToolTip("打印本表（A4，先预览；Ctrl+P）")
        self.print_action.triggered.connect(self.print_preview)
        self.addAction(self.print_action)
        self.toolbar.addAction(self.check_action)
        self.toolbar.addAction(self.lock_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.add_action)
        self.toolbar.addAction(self.print_action)
        self.title = QLabel()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.findings = QListWidget()
        self.findings.setMaximumHeight(140)
        self.findings.itemActivated.connect(self._jump_to_finding)
        self.findings.itemClicked.connect(self._jump_to_finding)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.toolbar)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.findings)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        # The check panel follows the model: every edit, undo, redo, paste and import re-reads
        # it (one timer, so a burst of changes refills the list once).
        self._findings_timer = QTimer(self)
        self._findings_timer.setSingleShot(True)
        self._findings_timer.setInterval(0)
        self._findings_timer.timeout.connect(self._fill_findings)
        self.model.dataChanged.connect(lambda *_: self._findings_timer.start())
        self.model.modelReset.connect(lambda: self._findings_timer.start())
        self.model.edit_requested.connect(self.apply_edits)
        self.model.input_rejected.connect(self._rejected)
        self.view.clear_requested.connect(self.clear_selection)
        self.view.copy_requested.connect(self.copy_selection)
        self.view.paste_requested.connect(self.paste)
        self.view.typed_on_read_only.connect(self._typed_on_read_only)
        self.check_action.triggered.connect(self.run_checks)
        self.lock_action.triggered.connect(self.toggle_lock)
        self.view.selectionModel().currentChanged.connect(self._current_changed)

    # ------------------------------------------------------------------ context
    def set_context(self, unit_id: int, period: Period, unit_name: str) -> None:
        self.model.load(unit_id, period)
        self.title.setText(f"<b>{unit_name}</b>　{period.label}　主要生态环境指标")
        self._show_lock_state()
        self._fill_findings()
        first = next((r for r in range(self.model.rowCount()) if not self.model.is_group(r)), 0)
        self.view.setCurrentIndex(self.model.index(first, Col.CURRENT))

    def _show_lock_state(self) -> None:
        locked = self.model.current_locked()
        self.shared_actions.show_lock(locked, self._db.read_only)
        self.lock_changed.emit(locked)

    # ------------------------------------------------------------------ edits
    def apply_edits(self, edits: list[object]) -> None:
        """Write edits now; push them for undo only if the write succeeded."""
        cell_edits = [e for e in edits if e is not None]
        if not cell_edits:
            return
        command = EntryEditCommand(self.model, cell_edits, self.status.emit)  # type: ignore[arg-type]
        if not write_then_push(self._undo, command):
            return
        self._fill_findings()
        if len(cell_edits) == 1:
            self.status.emit(f"已保存：{cell_edits[0].label}")  # type: ignore[attr-defined]
        else:
            self.status.emit(f"已保存 {len(cell_edits)} 个单元格")

    def _rejected(self, index: QModelIndex, message: str) -> None:
        self.status.emit(f"未接受：{message}")
        self.view.hold_position()

    def clear_selection(self) -> None:
        edits, problems = self.model.clear_edits(self.view.selected_block())
        if problems and not edits:
            self.status.emit(f"不能清除：{problems[0]}")
            return
        self.apply_edits(list(edits))

    def copy_selection(self) -> None:
        cells = self.view.selected_block()
        if not cells:
            return
        rows: dict[int, dict[int, str]] = {}
        for index in cells:
            rows.setdefault(index.row(), {})[index.column()] = str(index.data() or "").strip()
        left = min(i.column() for i in cells)
        right = max(i.column() for i in cells)
        text = "\n".join(
            "\t".join(row.get(c, "") for c in range(left, right + 1)) for row in rows.values()
        )
        QGuiApplication.clipboard().setText(text)
        self.status.emit(f"已复制 {len(cells)} 个单元格")

    def paste(self) -> None:
        text = QGuiApplication.clipboard().text()
        if not text:
            return
        block = [line.split("\t") for line in text.rstrip("\r\n").replace("\r", "").split("\n")]
        start = self.view.currentIndex()
        if not start.isValid():
            return
        try:
            edits = self.model.paste_edits(start.row(), start.column(), block)
        except ValueRejected as exc:
            self.status.emit(f"未粘贴（全部未写入）：{exc.message}")
            return
        if not edits:
            self.status.emit("粘贴的内容与现有数据相同")
            return
        self.apply_edits(list(edits))

    def print_job(self) -> object:
        """The table as shown: every indicator with its figures, group rows in bold."""
        from datetime import date

        from desktop.ui.table_print import TableJob

        model = self.model
        rows: list[tuple[str, ...]] = []
        bold: set[int] = set()
        for row in range(model.rowCount()):
            cells = tuple(str(model.index(row, c).data() or "") for c in range(model.columnCount()))
            if model.is_group(row):
                bold.add(len(rows))
            rows.append(cells)
        header = tuple(
            str(model.headerData(c, Qt.Orientation.Horizontal) or "")
            for c in range(model.columnCount())
        )
        return TableJob(
            title=self.title.text().replace("<b>", "").replace("</b>", "").replace("　", " "),
            lines=(TEXT["locked"],) if model.current_locked() else (),
            header=header, rows=rows, widths=(26, 7, 10, 10, 12, 10, 9, 26),
            day=date.today(), bold_rows=frozenset(bold),
        )  # fmt: skip

    def print_preview(self) -> None:
        """Ctrl+P: the entry table on A4 through the preview."""
        from desktop.ui.table_print import TableJob, preview

        job = self.print_job()
        assert isinstance(job, TableJob)
        preview(self, job)

    def _typed_on_read_only(self) -> None:
        reason = self.model.read_only_reason(self.view.currentIndex())
        if reason:
            self.status.emit(f"不能输入：{reason}")

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self.model.is_group(current.row()):
            reason = self.model.read_only_reason(current)
            if reason and Col(current.column()) in (Col.CURRENT, Col.LAST_YEAR):
                self.status.emit(reason)

    # ------------------------------------------------------------------ checks and locks
    def refresh(self) -> None:
        """Re-read figures written elsewhere (an import) without touching the status bar."""
        self.model.refresh()
        self._fill_findings()

    def run_checks(self) -> None:
        self.model.refresh()
        self._fill_findings()
        failures = self.model.failures
        errors = sum(1 for f in failures if f.severity is Severity.ERROR)
        if failures:
            self.status.emit(f"校验完成：{errors} 项错误，{len(failures) - errors} 项警告")
        else:
            self.status.emit(TEXT["no_failures"])

    def _fill_findings(self) -> None:
        self.findings.clear()
        failures = self.model.failures
        if not failures:
            self.findings.addItem(TEXT["no_failures"])
            return
        for failure in failures:
            mark = "×" if failure.severity is Severity.ERROR else "▲"
            item = QListWidgetItem(f"{mark} {failure.severity.value}：{failure.message}")
            item.setData(Qt.ItemDataRole.UserRole, failure.indicator_code)
            self.findings.addItem(item)

    def _jump_to_finding(self, item: QListWidgetItem) -> None:
        code = item.data(Qt.ItemDataRole.UserRole)
        if code:
            row = self.model.row_of(code)
            self.view.setCurrentIndex(self.model.index(row, Col.CURRENT))
            self.view.setFocus()

    def toggle_lock(self) -> None:
        """标记已报送 after a confirmation naming the unit and period; 解除锁定 with a reason."""
        unit_id, period = self.model.unit_id, self.model.period
        if unit_id is None or period is None:
            return
        unit = units.unit_by_id(self._db, unit_id).name
        try:
            if self.model.current_locked():
                reason, ok = QInputDialog.getText(
                    self, TEXT["unlock"],
                    f"{unit}{period.label}已报送。解除锁定后可以修改本期数据。\n"
                    "请说明原因（记入审计日志，如“市局退回，更正PM2.5”）：",
                )  # fmt: skip
                if not ok or not reason.strip():
                    if ok:
                        self.status.emit("未解除锁定：须说明原因")
                    self._show_lock_state()
                    return
                locks.unlock_period(self._db, unit_id, period.code, reason)
                self.status.emit(f"已解除锁定：{unit}{period.label}（原因：{reason.strip()}）")
            else:
                answer = QMessageBox.question(
                    self, TEXT["lock"],
                    f"将{unit}{period.label}标记为已报送并锁定吗？\n\n锁定后本期的全部数字"
                    "（本期、去年同期、年度目标、备注）只能查看；解除锁定须说明原因。",
                )  # fmt: skip
                if answer != QMessageBox.StandardButton.Yes:
                    self._show_lock_state()
                    return
                locks.lock_period(self._db, unit_id, period.code)
                self.status.emit(f"已标记为已报送：{unit}{period.label}（修改前需先解锁）")
        except KnownError as exc:
            self.status.emit(exc.one_line())
        self.model.refresh()
        self._show_lock_state()
