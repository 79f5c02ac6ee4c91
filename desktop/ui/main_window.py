"""The main window: navigation on the left, the context bar on top, pages on the right.

It owns the one undo stack, the status bar and the automatic backups (daily while open and on
close). Opening another database asks the application to build a new window for it.

Signals:
    open_requested(str): the user picked another database file (path).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db import locks, units, values
from db.connection import Database
from db.errors import KnownError
from db.periods import Period
from desktop import __version__, paths, tasks
from desktop.ui.context_bar import ContextBar
from desktop.ui.entry_actions import entry_actions

if TYPE_CHECKING:
    from db.backup import BackupFile
    from desktop.ui.entry_page import EntryPage

FULL_CONTEXT = frozenset({"unit", "year", "period"})
FILE_FILTER = "EcoDesk 数据库 (*.ecodesk *.db *.sqlite);;所有文件 (*)"
HOUR_MS = 60 * 60 * 1000
#: Up to this size the close backup (copy and compress) takes well under a second and runs
#: right in ``closeEvent``; a larger file is backed up on the worker with a progress dialog.
QUICK_CLOSE_BYTES = 32 << 20


def default_context(db: Database) -> tuple[int, Period] | None:
    """The office's own unit and its latest period with figures (else this year's 1-N月)."""
    all_units = units.all_units(db)
    if not all_units:
        return None
    own = db.meta("own_unit")
    unit = next((u for u in all_units if u.code == own), all_units[0])
    periods = [Period.parse(code) for code in values.periods_with_data(db, unit.id)]
    if periods:
        return unit.id, max(periods, key=lambda p: (p.year, max(p.months()), p.kind != "M"))
    today = date.today()
    return unit.id, Period.ytd(today.year, max(1, today.month - 1))


class MainWindow(QMainWindow):
    open_requested = Signal(str)

    def __init__(self, db: Database, clock: Callable[[], date] = date.today) -> None:
        super().__init__()
        self.db = db
        self.clock = clock  # today for the 工作台; a test or a screenshot passes a fixed day
        self.setWindowTitle(f"EcoDesk 生态环境工作台 — {db.path.name}")
        self.setAcceptDrops(True)
        self.resize(1280, 800)
        self.undo_stack = QUndoStack(self)
        #: A backup on closing (off only for ``--startup-probe``, which times start-up alone).
        self.backup_on_close = True

        self.context_bar = ContextBar()
        self.nav = QListWidget()
        self.nav.setFixedWidth(120)
        self.pages = QStackedWidget()
        self._factories: list[Callable[[], QWidget]] = []
        self._built: dict[int, QWidget] = {}
        self._page_changes = 0
        self._context: tuple[int, Period, str] | None = None
        self._entry: EntryPage | None = None
        # In the 数据 menu from the start; the grid itself is built on first use.
        self.entry_actions = entry_actions(self)
        # The one list of pages, in navigation order; the first is shown at start.
        pages: list[tuple[str, Callable[[], QWidget]]] = [
            ("工作台", self._make_workbench_page),
            ("数据填报", self._make_entry_page),
            ("全部单位一览", self._make_overview_page),
            ("图表", self._chart_page),
            ("计划清单", self._make_plan_page),
            ("整改台账", self._make_ledger_page),
            ("数据交换", self._make_exchange_page),
            ("监测数据", self._make_monitoring_page),
            ("工作报告", self._make_report_page),
        ]
        for title, factory in pages:
            self.add_page(title, factory)
        self.nav.currentRowChanged.connect(self._show_page)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.nav)
        body.addWidget(self.pages, 1)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.context_bar)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        self.message = QLabel()
        self.state_label = QLabel()
        self.file_label = QLabel(str(db.path))
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.message, 1)
        self.statusBar().addPermanentWidget(self.state_label)
        self.statusBar().addPermanentWidget(self.file_label)

        self._build_menus()
        self.context_bar.context_changed.connect(self._context_changed)

        self.reload_units()
        context = default_context(db)
        if context:
            self.context_bar.set_context(*context)
        self._show_state(self._current_locked())
        if db.read_only:
            self.show_status(f"只读：{db.read_only_reason}")
        elif db.migration_backup:
            self.show_status(f"数据结构已升级，升级前的文件已保存为 {db.migration_backup.name}")
        else:
            self.show_status("就绪：所有修改即时保存")
        self._backup_timer = QTimer(self)
        self._backup_timer.timeout.connect(self.daily_backup)
        self._backup_timer.start(HOUR_MS)
        # Not before the first paint: a backup of a large file must not delay start-up.
        QTimer.singleShot(3000, self.daily_backup)

    # ------------------------------------------------------------------ menus
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        open_action = QAction("打开数据库(&O)…", self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self.choose_database)
        new_action = QAction("新建数据库(&N)…", self)
        new_action.triggered.connect(self.create_database)
        backup_action = QAction("立即备份(&B)", self)
        backup_action.triggered.connect(self.backup_now)
        restore_action = QAction("备份与恢复(&R)…", self)
        restore_action.triggered.connect(self.show_backups)
        quit_action = QAction("退出(&X)", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (open_action, new_action, None, backup_action, restore_action, None):
            if action is None:
                file_menu.addSeparator()
            else:
                file_menu.addAction(action)
        file_menu.addAction(quit_action)

        edit_menu = self.menuBar().addMenu("编辑(&E)")
        undo = self.undo_stack.createUndoAction(self, "撤销")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "重做")
        redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence(QKeySequence.StandardKey.Redo)])
        self.undo_action, self.redo_action = undo, redo
        save = QAction("保存(&S)", self)
        save.setShortcut(QKeySequence.StandardKey.Save)
        save.triggered.connect(lambda: self.show_status("所有修改已即时保存，无需另存"))
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        edit_menu.addAction(save)
        refresh = QAction("刷新(&R)", self)
        refresh.setShortcut(QKeySequence("F5"))
        refresh.triggered.connect(self._refresh)
        edit_menu.addAction(refresh)
        self.addAction(save)
        self.addAction(refresh)

        data_menu = self.menuBar().addMenu("数据(&D)")
        shared = self.entry_actions
        for action in (shared.check, shared.lock, shared.add):
            data_menu.addAction(action)
        shared.check.triggered.connect(lambda: self._first_entry_action("run_checks"))
        shared.lock.triggered.connect(lambda: self._first_entry_action("toggle_lock"))
        shared.add.triggered.connect(self.add_indicator)
        units_action = QAction("单位管理(&U)…", self)
        units_action.triggered.connect(self.manage_units)
        data_menu.addAction(units_action)
        data_menu.addSeparator()
        audit_action = QAction("本单位审计日志(&A)…", self)
        audit_action.triggered.connect(self.show_audit)
        data_menu.addAction(audit_action)

        self.go_menu = self.menuBar().addMenu("转到(&G)")
        for row in range(self.nav.count()):
            self._add_go_action(row)

        help_menu = self.menuBar().addMenu("帮助(&H)")
        guide = QAction("使用说明(&G)", self)
        guide.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        guide.triggered.connect(self.show_guide)
        help_menu.addAction(guide)
        self.addAction(guide)
        about = QAction("关于 EcoDesk", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    # ------------------------------------------------------------------ context
    def reload_units(self) -> None:
        all_units = units.all_units(self.db)
        self.context_bar.set_units([(u, units.depth_of(all_units, u)) for u in all_units])

    # ------------------------------------------------------------------ pages
    def add_page(self, title: str, factory: Callable[[], QWidget]) -> None:
        """A navigation entry whose page is built when first shown (heavy imports wait).

        A page that has ``set_context(unit_id, period, unit_name)`` follows the context bar;
        its ``CONTEXT_SCOPE`` (a subset of {"unit", "year", "period"}, all by default) says
        which parts of the bar it uses, the rest is greyed while it shows. The first nine
        pages get Ctrl+1…Ctrl+9 in the 转到 menu, in the order they were added.
        """
        self._factories.append(factory)
        self.nav.addItem(title)
        if self.nav.count() == 1:
            self.nav.setCurrentRow(0)
            self._show_page(0)
        if hasattr(self, "go_menu"):  # a page added after the menus were built
            self._add_go_action(self.nav.count() - 1)

    def _add_go_action(self, row: int) -> None:
        action = QAction(self.nav.item(row).text(), self)
        if row < 9:
            action.setShortcut(QKeySequence(f"Ctrl+{row + 1}"))
        action.triggered.connect(lambda _checked=False, r=row: self.nav.setCurrentRow(r))
        self.go_menu.addAction(action)
        self.addAction(action)

    @property
    def entry_page(self) -> EntryPage:
        """数据填报 (built on first use: start-up shows the 工作台 only)."""
        if self._entry is None:
            self.page(self._row_titled("数据填报"))
        assert self._entry is not None
        return self._entry

    def _make_entry_page(self) -> QWidget:
        from desktop.ui.entry_page import EntryPage

        page = EntryPage(self.db, self.undo_stack, actions=self.entry_actions)
        page.status.connect(self.show_status)
        page.lock_changed.connect(self._show_state)
        page.lock_changed.connect(self._figures_changed)
        self._entry = page
        return page

    def _first_entry_action(self, slot: str) -> None:
        """校验本期 / 标记已报送 chosen before the grid exists: build it (its own slots then
        answer every later trigger) and do what was asked, on the grid."""
        if self._entry is not None:
            return
        self.show_page_titled("数据填报")
        getattr(self.entry_page, slot)()

    def _row_titled(self, title: str) -> int:
        return next(r for r in range(self.nav.count()) if self.nav.item(r).text() == title)

    def _current_locked(self) -> bool:
        """Whether the context's period is locked, from the grid if built, else the file."""
        if self._entry is not None:
            return self._entry.model.current_locked()
        if self._context is None:
            return False
        unit_id, period, _ = self._context
        return locks.lock_info(self.db, unit_id, period.code) is not None

    def _make_workbench_page(self) -> QWidget:
        from desktop.ui.workbench_page import WorkbenchPage

        page = WorkbenchPage(self.db, self.undo_stack, self.clock)
        page.status.connect(self.show_status)
        page.open_period.connect(self.show_grid)
        page.fill_form.connect(self.fill_form)
        page.open_page.connect(self.show_page_titled)
        self.workbench_page = page
        return page

    def show_page_titled(self, title: str) -> QWidget | None:
        """Navigate to the page with this title ("备份" opens 备份与恢复)."""
        if title == "备份":
            self.show_backups()
            return None
        for row in range(self.nav.count()):
            if self.nav.item(row).text() == title:
                self.nav.setCurrentRow(row)
                return self.page(row)
        return None

    def _go_to_period(self, period: object) -> None:
        unit_id = self.context_bar.unit_id()
        if isinstance(period, Period) and unit_id is not None:
            self.context_bar.set_context(unit_id, period)

    def show_grid(self, period: object) -> None:
        """数据填报 for the context unit and ``period`` (the 工作台's 去填报)."""
        self._go_to_period(period)
        self.show_page_titled("数据填报")
        self.entry_page.view.setFocus()

    def fill_form(self, template: str, period: object) -> None:
        """按表样填报 of ``template`` for ``period`` (the 工作台's button): the exchange page's
        own dialog, with the form chosen."""
        self._go_to_period(period)
        page = self.show_page_titled("数据交换")
        select = getattr(page, "fill_with_template", None)
        if select is not None:
            select(template)

    def _chart_page(self) -> QWidget:
        """图表 is built when first opened, so matplotlib is not loaded at start-up."""
        from desktop.ui.chart_page import ChartPage

        page = ChartPage(self.db)
        page.status.connect(self.show_status)
        return page

    def _make_overview_page(self) -> QWidget:
        from desktop.ui.overview_page import OverviewPage

        page = OverviewPage(self.db)
        page.status.connect(self.show_status)
        return page

    def _make_plan_page(self) -> QWidget:
        from desktop.ui.plan_page import PlanPage

        page = PlanPage(self.db, self.undo_stack)
        page.status.connect(self.show_status)
        return page

    def _make_ledger_page(self) -> QWidget:
        from desktop.ui.ledger_page import LedgerPage

        page = LedgerPage(self.db, self.undo_stack)
        page.status.connect(self.show_status)
        page.data_changed.connect(self._figures_changed)
        return page

    def _make_exchange_page(self) -> QWidget:
        from desktop.ui.exchange_page import ExchangePage

        page = ExchangePage(self.db, self.undo_stack)
        page.status.connect(self.show_status)
        page.data_changed.connect(self._figures_changed)
        return page

    def _make_monitoring_page(self) -> QWidget:
        from desktop.ui.monitoring_page import MonitoringPage

        page = MonitoringPage(self.db, self.undo_stack)
        page.status.connect(self.show_status)
        page.data_changed.connect(self._figures_changed)
        return page

    def _make_report_page(self) -> QWidget:
        from desktop.ui.report_page import ReportPage

        page = ReportPage(self.db, self.undo_stack)
        page.status.connect(self.show_status)
        page.data_changed.connect(self._figures_changed)
        return page

    def _figures_changed(self) -> None:
        if self._entry is not None:
            self._entry.refresh()
        self._refresh_workbench()

    def exchange_page(self) -> QWidget:
        """The 数据交换 page (built on first use)."""
        row = self._row_titled("数据交换")
        self.nav.setCurrentRow(row)
        return self.page(row)

    # Drag a workbook onto the window to import it.
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if tasks.busy():  # the window is disabled: no new import while one is written
            return
        if any(_is_workbook(url.toLocalFile()) for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [url.toLocalFile() for url in event.mimeData().urls()]
        books = [Path(f) for f in files if _is_workbook(f)]
        if books:
            event.acceptProposedAction()
            page = self.exchange_page()
            page.preview(books[0])  # type: ignore[attr-defined]

    def page(self, row: int) -> QWidget:
        if row not in self._built:
            widget = self._factories[row]()
            self._built[row] = widget
            self.pages.addWidget(widget)
            if self._context is not None:
                _follow(widget, *self._context)
        return self._built[row]

    def _show_page(self, row: int) -> None:
        if 0 <= row < len(self._factories):
            widget = self.page(row)
            self.pages.setCurrentWidget(widget)
            self.context_bar.set_scope(getattr(widget, "CONTEXT_SCOPE", FULL_CONTEXT))
            if self._page_changes:  # what the last page did is not news on this one
                self.message.clear()
            self._page_changes += 1

    def _context_changed(self, unit_id: int, period: Period) -> None:
        unit = units.unit_by_id(self.db, unit_id)
        self._context = (unit_id, period, unit.name)
        for widget in self._built.values():
            _follow(widget, unit_id, period, unit.name)
        locked = self._current_locked()
        if self._entry is None:
            self.entry_actions.show_lock(locked, self.db.read_only)
        self._show_state(locked)

    def _refresh(self) -> None:
        if self._entry is not None:
            self._entry.model.refresh()
        self.show_status("已刷新")

    def show_status(self, text: str) -> None:
        self.message.setText(text)

    def _show_state(self, locked: bool) -> None:
        """The state beside the status line: 只读 (and why), 共享盘, 本期已报送·锁定."""
        shared = self.db.location.label
        words, tips = [], []
        if self.db.read_only:
            words.append("【只读】")
            tips.append(self.db.read_only_reason)
        if shared:
            words.append(f"【{shared}】")
            tips.append(f"数据库在{shared}上：修改直接写入共享文件，同一时间只有一人可以修改")
        if locked and not self.db.read_only:
            words.append("【本期已报送·锁定】")
            tips.append("解除锁定后才能修改本期数据")
        self.state_label.setText("".join(words))
        self.state_label.setToolTip("\n".join(tips))

    # ------------------------------------------------------------------ files and backups
    def choose_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "打开数据库", str(self.db.path.parent), FILE_FILTER
        )
        if path:
            self.open_requested.emit(path)

    def create_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "新建数据库", str(self.db.path.parent / "新数据库.ecodesk"), FILE_FILTER
        )
        if path:
            if Path(path).exists():
                QMessageBox.warning(self, "新建数据库", f"“{path}”已存在，请换一个文件名")
                return
            self.open_requested.emit("new:" + path)

    def daily_backup(self) -> None:
        """The day's first backup, on the GUI thread at a moment no task runs.

        Not a task: it would disable the window under a user typing figures, once a day and
        unasked; it only reads the connection, and nothing else can use it meanwhile.
        """
        from db import backup  # not on the way to the first paint: the first check is at 3 s

        if self.db.read_only or not backup.daily_backup_due(self.db.path):
            return
        if tasks.busy():  # an import is reading the file on the worker: try again shortly
            QTimer.singleShot(60_000, self.daily_backup)
            return
        try:
            made = backup.make_backup(self.db, "auto", only_if_changed=True)
        except KnownError as exc:
            self.show_status(f"自动备份失败：{exc.one_line()}")
            return
        if made is not None:  # None: the newest backup already holds this data
            self.show_status(f"已自动备份：{made.path.name}")
            self._refresh_workbench()

    def backup_now(self) -> None:
        """立即备份, on the worker: a large file takes seconds to copy."""
        from db import backup

        tasks.run_task(
            self, "正在备份…", lambda _: backup.make_backup(self.db, "manual"),
            self._backup_made,
            lambda message: QMessageBox.warning(self, "备份", message), cancellable=False,
        )  # fmt: skip

    def _backup_made(self, made: BackupFile) -> None:
        self.show_status(f"已备份：{made.path}")
        self._refresh_workbench()

    def _refresh_workbench(self) -> None:
        """After figures, due items or backups change. A backup counts: the day's first, taken
        seconds after start, left the 工作台 saying 尚无备份 beside the status bar's 已自动备份."""
        bench = getattr(self, "workbench_page", None)
        if bench is not None:
            bench.refresh_if_shown()

    def show_backups(self) -> None:
        from desktop.ui.backup_dialog import BackupDialog

        dialog = BackupDialog(self.db, self)
        if dialog.exec() and dialog.restored:
            self.undo_stack.clear()
            self.reload_units()
            context = default_context(self.db)
            if context:
                self.context_bar.set_context(*context)
            self.show_status(dialog.restored)

    def manage_units(self) -> None:
        from desktop.ui.units_dialog import UnitsDialog

        dialog = UnitsDialog(self.db, self)
        dialog.exec()
        if dialog.added:
            current = self.context_bar.unit_id()
            self.reload_units()
            if current is not None:
                self.context_bar.set_context(current, self.context_bar.period())
            self.show_status(f"已新增 {dialog.added} 个单位")

    def show_audit(self) -> None:
        from desktop.ui.audit_dialog import AuditDialog

        AuditDialog(self.db, self.context_bar.unit_id(), self).exec()

    def add_indicator(self) -> None:
        from desktop.ui.indicator_dialog import IndicatorDialog

        dialog = IndicatorDialog(self.db, self)
        if dialog.exec() and dialog.created is not None:
            if self._entry is not None:  # else the grid reads the new catalog when built
                self._entry.model.reload_catalog()
            self.show_status(f"已新增指标：{dialog.created.name}")

    def show_guide(self) -> None:
        """F1: the built-in user guide, with this window's own shortcuts."""
        from desktop.ui.user_guide import GuideDialog

        GuideDialog(self).exec()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "关于 EcoDesk",
            f"EcoDesk 生态环境工作台 {__version__}\n\n数据库：{self.db.path}\n"
            f"数据结构版本：{self.db.schema_version}",
        )

    def _file_bytes(self) -> int:
        """The database's pages: what a backup copies (its -wal included)."""
        conn = self.db.conn
        return int(conn.execute("PRAGMA page_count").fetchone()[0]) * int(
            conn.execute("PRAGMA page_size").fetchone()[0]
        )

    def _backup_then_close(self) -> None:
        """The close backup on the worker: copying and compressing a large file takes seconds,
        during which the window shows 关闭前正在备份… instead of freezing."""
        from db import backup

        def done(_: object) -> None:
            self.backup_on_close = False
            QTimer.singleShot(0, self.close)  # once the task has let go of the window

        def failed(message: str) -> None:
            answer = QMessageBox.question(
                self, "关闭", f"{message}\n\n仍然关闭吗？（数据本身已保存）"
            )
            if answer == QMessageBox.StandardButton.Yes:
                done(None)

        tasks.run_task(
            self, "关闭前正在备份…",
            lambda _: backup.make_backup(self.db, "close", only_if_changed=True),
            done, failed, cancellable=False,
        )  # fmt: skip

    def closeEvent(self, event: QCloseEvent) -> None:
        if tasks.busy():  # the worker may be writing this file: it must finish first
            self.show_status("正在处理数据，请等完成后再关闭")
            event.ignore()
            return
        # A report section typed less than the autosave pause ago is written now: its timer
        # would otherwise fire on a closed database (text lost, an error on screen).
        for widget in self._built.values():
            flush = getattr(widget, "save_now", None)
            if flush is not None:
                flush()
        if not self.db.read_only and self.backup_on_close:
            from db import backup

            if self._file_bytes() > QUICK_CLOSE_BYTES:
                if not backup.unchanged_since_last_backup(self.db):
                    event.ignore()  # closed again once the backup is written
                    self._backup_then_close()
                    return
            else:
                try:
                    backup.make_backup(self.db, "close", only_if_changed=True)
                except KnownError as exc:
                    answer = QMessageBox.question(
                        self, "关闭", f"{exc.with_hint()}\n\n仍然关闭吗？（数据本身已保存）"
                    )
                    if answer != QMessageBox.StandardButton.Yes:
                        event.ignore()
                        return
        settings = QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)
        settings.setValue("last_database", str(self.db.path))
        self.db.close()
        event.accept()


def _follow(widget: QWidget, unit_id: int, period: Period, unit_name: str) -> None:
    set_context = getattr(widget, "set_context", None)
    if set_context is not None:
        set_context(unit_id, period, unit_name)


def _is_workbook(path: str) -> bool:
    return path.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods"))
