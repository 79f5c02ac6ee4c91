"""数据交换: export figures in the bureau layout, import a filled workbook after a preview,
and consolidate the branches' returns into one table.

Reading and judging workbooks, exporting, filling and the summary table run on the one worker
(``desktop.tasks``) behind a progress dialog with a cancel button. Nothing is written until the
user presses 导入; the commit runs on the worker too, with the window disabled, and a committed
import can be undone (Ctrl+Z) like a typed figure, its undo and redo also on the worker.

Signals:
    status(str): a line for the status bar.
    data_changed(): figures were written (the entry grid should re-read).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db import form_templates, units
from db.connection import Database
from db.errors import KnownError
from db.periods import Period
from desktop.models.dry_run_table import DryRunModel
from desktop.services.common.dry_run import DryRun, Status
from desktop.services.common.workbook import read_workbook
from desktop.services.exchange import consolidate, summary_table, templates
from desktop.services.exchange.export import Selection, export_workbook
from desktop.services.exchange.filling import FillReport, fill_form
from desktop.services.exchange.importing import dry_run_file
from desktop.tasks import ProgressFn, Task, run_task
from desktop.ui.undo.exchange import ExchangeImportCommand

WORKBOOKS = "表格文件 (*.xlsx *.xlsm *.xls *.ods);;所有文件 (*)"
FILTERS = [("全部", None), ("错误", Status.ERROR), ("新增", Status.NEW), ("修改", Status.CHANGED),
           ("不变", Status.UNCHANGED)]  # fmt: skip


class ExchangePage(QWidget):
    status = Signal(str)
    data_changed = Signal()

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.undo_stack = undo_stack
        self._unit_id: int | None = None
        self._period: Period | None = None
        self.task: Task | None = None
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_export(), "导出报表")
        self.tabs.addTab(self._build_import(), "导入报表")
        self.tabs.addTab(self._build_consolidate(), "汇总各单位报表")
        self.tabs.addTab(self._build_templates(), "上级表样")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.tabs)

    # ------------------------------------------------------------------ context
    def set_context(self, unit_id: int, period: Period, unit_name: str) -> None:
        self._unit_id, self._period = unit_id, period
        self.export_period.setText(f"期间：{period.label}（在顶部切换）")
        self.consolidate_period.setText(f"汇总期间：{period.label}（在顶部切换）")
        for row in range(self.export_units.count()):
            item = self.export_units.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == unit_id:
                item.setCheckState(Qt.CheckState.Checked)

    # ------------------------------------------------------------------ export
    def _build_export(self) -> QWidget:
        page = QWidget()
        self.export_units = QListWidget()
        all_units = units.all_units(self.db)
        for unit in all_units:
            item = QListWidgetItem("　" * units.depth_of(all_units, unit) + unit.name)
            item.setData(Qt.ItemDataRole.UserRole, unit.id)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.export_units.addItem(item)
        self.export_period = QLabel()
        self.with_last_period = QCheckBox("同时导出上一期（同类期间）")
        self.only_with_data = QCheckBox("只导出有数据的指标")
        self.only_with_data.setChecked(True)
        button = QPushButton("导出为 Excel…")
        button.clicked.connect(self.choose_export)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("勾选要导出的单位（每个单位一张工作表）："))
        layout.addWidget(self.export_units, 1)
        layout.addWidget(self.export_period)
        layout.addWidget(self.only_with_data)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        return page

    def checked_units(self) -> list[int]:
        return [
            int(self.export_units.item(r).data(Qt.ItemDataRole.UserRole))
            for r in range(self.export_units.count())
            if self.export_units.item(r).checkState() == Qt.CheckState.Checked
        ]

    def choose_export(self) -> None:
        if self._period is None:
            return
        default = str(self.db.path.parent / f"{self._period.label}主要生态环境指标.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "导出报表", default, "Excel 工作簿 (*.xlsx)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        ids = self.checked_units()
        if not ids or self._period is None:
            self.status.emit("请先勾选要导出的单位")
            return
        selection = Selection(ids, [self._period], only_with_data=self.only_with_data.isChecked())

        def work(progress: ProgressFn) -> int:
            return export_workbook(self.db, selection, path, progress=progress)

        self.task = run_task(
            self, "正在导出…", work,
            lambda count: self.status.emit(f"已导出 {len(ids)} 个单位、{count} 项数据：{path}"),
            lambda message: self.status.emit(f"导出失败：{message}"),
        )  # fmt: skip

    # ------------------------------------------------------------------ import
    def _build_import(self) -> QWidget:
        page = QWidget()
        choose = QPushButton("选择要导入的文件…")
        choose.clicked.connect(self.choose_import)
        self.import_summary = QLabel("导入前先预览：每个单元格都会标明新增、修改、不变或错误。")
        self.import_summary.setWordWrap(True)
        self.filter_box = QComboBox()
        for label, status in FILTERS:
            self.filter_box.addItem(label, status)
        self.dry_run_model = DryRunModel()
        self.filter_box.currentIndexChanged.connect(
            lambda: self.dry_run_model.set_filter(self.filter_box.currentData())
        )
        self.dry_run_view = QTableView()
        self.dry_run_view.setModel(self.dry_run_model)
        self.dry_run_view.verticalHeader().hide()
        self.dry_run_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )
        self.dry_run_view.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((50, 150, 110, 110, 180, 70, 90, 80, 80)):
            self.dry_run_view.setColumnWidth(column, width)
        self.commit_button = QPushButton("导入")
        self.commit_button.setEnabled(False)
        self.commit_button.clicked.connect(self.commit)
        self.discard_button = QPushButton("放弃")
        self.discard_button.setEnabled(False)
        self.discard_button.clicked.connect(self.discard_clicked)
        top = QHBoxLayout()
        top.addWidget(choose)
        top.addStretch(1)
        top.addWidget(QLabel("显示："))
        top.addWidget(self.filter_box)
        bottom = QHBoxLayout()
        bottom.addWidget(self.import_summary, 1)
        bottom.addWidget(self.discard_button)
        bottom.addWidget(self.commit_button)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.dry_run_view, 1)
        layout.addLayout(bottom)
        self._dry_run_source = ""
        return page

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "导入报表", str(self.db.path.parent), WORKBOOKS)
        if path:
            self.preview(Path(path))

    def preview(self, path: Path) -> None:
        """Judge every cell of ``path`` on a worker thread; show the result for approval."""
        self.tabs.setCurrentIndex(1)

        def work(progress: ProgressFn) -> DryRun:
            return dry_run_file(self.db, path, progress=progress)

        self.task = run_task(
            self, f"正在读取“{path.name}”…", work,
            lambda dry_run: self._show_dry_run(dry_run, f"导入 {path.name}"),
            lambda message: self.status.emit(f"未能读取：{message}"),
        )  # fmt: skip

    def _show_dry_run(self, dry_run: DryRun, source: str) -> None:
        self._dry_run_source = source
        self.dry_run_model.set_dry_run(dry_run)
        # Counted, not listed: a first import's 新增 cells stay compact until the commit.
        accepted = dry_run.count(Status.NEW) + dry_run.count(Status.CHANGED)
        errors = dry_run.count(Status.ERROR)
        # Every row accounted for: the rows not recognised (by sheet!cell), then a line per file.
        lines = dry_run.closing_lines()
        shown = (
            lines if len(lines) <= 25 else [*lines[:20], f"……（共 {len(lines)} 行）", *lines[-3:]]
        )
        self.import_summary.setText("\n".join(shown) or dry_run.summary())
        self.commit_button.setText(
            f"导入 {accepted} 项" + (f"（{errors} 项错误将跳过）" if errors else "")
        )
        self.commit_button.setEnabled(accepted > 0 and not self.db.read_only)
        self.discard_button.setEnabled(True)
        if errors:
            self.filter_box.setCurrentIndex(0)
        self.status.emit(f"预览完成：{dry_run.summary()}（尚未写入）")

    def commit(self) -> None:
        """Write the previewed import on the worker; once written it goes on the undo stack."""
        dry_run = self.dry_run_model.dry_run
        errors = dry_run.count(Status.ERROR)

        def written(count: int) -> None:
            self.status.emit(f"已导入 {count} 项，{errors} 项错误（Ctrl+Z 可撤销本次导入）")
            self.discard()
            self.data_changed.emit()

        def refused(message: str) -> None:
            # The status bar still said 预览完成: say the import was not written, and why.
            self.status.emit(f"导入未完成，数据库未作修改：{message}")
            QMessageBox.warning(self, "导入", message)

        command = ExchangeImportCommand(self, dry_run, self._dry_run_source)
        self.task = command.push_when_written(written, refused)

    def discard(self) -> None:
        self.dry_run_model.set_dry_run(DryRun())
        self.commit_button.setEnabled(False)
        self.commit_button.setText("导入")
        self.discard_button.setEnabled(False)
        self.import_summary.setText("已清空预览")

    def discard_clicked(self) -> None:
        """放弃: the preview goes, and the status bar says nothing was written."""
        self.discard()
        self.status.emit("已放弃预览，未作任何修改")

    # ------------------------------------------------------------------ templates
    def _build_templates(self) -> QWidget:
        page = QWidget()
        note = QLabel(
            "上级下发的表格只需对应一次：保存为表样后，下月同样的表导入时自动识别，"
            "并可“按表样填报”——把本单位本期数据填入上级原表（另存新文件，保留原格式、合并单元格和公式）。"
        )
        note.setWordWrap(True)
        self.templates_list = QListWidget()
        add = QPushButton("从上级表格建立表样…")
        add.clicked.connect(self.choose_template_source)
        fill = QPushButton("按表样填报…")
        fill.clicked.connect(self.choose_fill)
        remove = QPushButton("删除表样")
        remove.clicked.connect(self.remove_template)
        buttons = QHBoxLayout()
        for button in (add, fill, remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(note)
        layout.addWidget(self.templates_list, 1)
        layout.addLayout(buttons)
        self.reload_templates()
        return page

    def reload_templates(self) -> None:
        self.templates_list.clear()
        for item in form_templates.all_templates(self.db):
            entry = QListWidgetItem(f"{item.name}　（原表：{item.file_name}）")
            entry.setData(Qt.ItemDataRole.UserRole, item.name)
            self.templates_list.addItem(entry)

    def _chosen_template(self) -> str | None:
        item = self.templates_list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def choose_template_source(self) -> None:
        folder = str(self.db.path.parent)
        path, _ = QFileDialog.getOpenFileName(self, "上级下发的表格", folder, WORKBOOKS)
        if path:
            self.map_form(Path(path))

    def map_form(self, path: Path) -> None:
        from desktop.ui.mapping_dialog import MappingDialog

        try:
            grid = read_workbook(path)
        except KnownError as exc:
            QMessageBox.warning(self, "建立表样", exc.with_hint())
            return
        dialog = MappingDialog(self.db, grid, self._period, self)
        if dialog.exec() and dialog.saved:
            self.reload_templates()
            self.status.emit(f"已保存表样“{dialog.saved}”，下月同样的表导入时会自动识别")

    def fill_with_template(self, name: str) -> None:
        """Show 上级表样 with ``name`` chosen and start 按表样填报 (the 工作台's one click)."""
        self.tabs.setCurrentIndex(self.tabs.count() - 1)
        for row in range(self.templates_list.count()):
            item = self.templates_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == name:
                self.templates_list.setCurrentRow(row)
                self.choose_fill()
                return
        self.status.emit(f"没有名为“{name}”的表样")

    def choose_fill(self) -> None:
        name = self._chosen_template()
        if name is None or self._period is None:
            self.status.emit("请先选择一个表样")
            return
        form, _ = QFileDialog.getOpenFileName(
            self, "本月收到的表格（取消则用建立表样时的原表）", str(self.db.path.parent), WORKBOOKS
        )
        default = str(self.db.path.parent / f"{name}_{self._period.label}_已填.xlsx")
        kinds = "Excel 工作簿 (*.xlsx *.xlsm)"
        out, _ = QFileDialog.getSaveFileName(self, "另存为", default, kinds)
        if out:
            self.fill_template(name, Path(form) if form else None, Path(out))

    def fill_template(self, name: str, form: Path | None, out: Path) -> None:
        """Fill the template's form (this month's copy, or the stored original) into ``out``."""
        if self._unit_id is None or self._period is None:
            return
        unit, period = units.unit_by_id(self.db, self._unit_id), self._period

        def work(progress: ProgressFn) -> FillReport:
            progress(0, 1)
            template = templates.load(self.db, name)
            with tempfile.TemporaryDirectory() as folder:
                source = form or templates.original_file(self.db, name, Path(folder))
                return fill_form(
                    self.db, source, template.layouts, out, unit_code=unit.code, period=period
                )

        def done(report: FillReport) -> None:
            self.status.emit(f"{unit.display_name} {period.label}：{report.summary()}：{out}")
            if report.skipped:
                QMessageBox.information(self, "按表样填报", "\n".join(report.skipped[:40]))

        self.task = run_task(
            self, f"正在填报“{name}”…", work, done,
            lambda message: QMessageBox.warning(self, "按表样填报", message),
        )  # fmt: skip

    def remove_template(self) -> None:
        name = self._chosen_template()
        if name is None:
            return
        if QMessageBox.question(self, "删除表样", f"删除表样“{name}”吗？") != (
            QMessageBox.StandardButton.Yes
        ):
            return
        form_templates.delete_template(self.db, name)
        self.reload_templates()
        self.status.emit(f"已删除表样“{name}”")

    # ------------------------------------------------------------------ consolidate
    def _build_consolidate(self) -> QWidget:
        page = QWidget()
        self.consolidate_period = QLabel()
        folder = QPushButton("选择报回文件所在文件夹…")
        folder.clicked.connect(self.choose_returns)
        self.files_list = QListWidget()
        self.save_summary = QPushButton("生成汇总表…")
        self.save_summary.setEnabled(False)
        self.save_summary.clicked.connect(self.choose_summary)
        note = QLabel(
            "各单位按“填报单位”识别（或按文件名中的单位名称）。预览后在“导入报表”页确认导入，"
            "再生成汇总表（各单位一行，合计按指标的汇总规则计算）。"
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(self.consolidate_period)
        layout.addWidget(note)
        layout.addWidget(folder, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.files_list, 1)
        layout.addWidget(self.save_summary, 0, Qt.AlignmentFlag.AlignLeft)
        self._consolidated: list[int] = []
        return page

    def choose_returns(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "报回文件所在文件夹", str(self.db.path.parent)
        )
        if folder:
            self.consolidate_files(consolidate.collect_files([Path(folder)]))

    def consolidate_files(self, files: list[Path]) -> None:
        period = self._period
        if period is None:
            return
        if not files:
            self.status.emit("该文件夹中没有表格文件")
            return

        def work(progress: ProgressFn) -> consolidate.Consolidation:
            return consolidate.dry_run_returns(self.db, files, period, progress=progress)

        self.task = run_task(
            self, f"正在读取 {len(files)} 个文件…", work, self._show_consolidation,
            lambda message: self.status.emit(f"汇总未完成：{message}"),
        )  # fmt: skip

    def _show_consolidation(self, result: consolidate.Consolidation) -> None:
        self.files_list.clear()
        for line in (f.line() for f in result.files):
            self.files_list.addItem(line)
        self._consolidated = result.unit_ids()
        self.save_summary.setEnabled(bool(self._consolidated))
        self._show_dry_run(result.dry_run, f"汇总导入 {len(result.files)} 个文件")
        self.tabs.setCurrentIndex(2)

    def choose_summary(self) -> None:
        if self._period is None:
            return
        default = str(self.db.path.parent / f"{self._period.label}主要生态环境指标汇总表.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "生成汇总表", default, "Excel 工作簿 (*.xlsx)")
        if path:
            self.write_summary(Path(path))

    def write_summary(self, path: Path) -> None:
        """The consolidated table of the imported returns, written on the worker."""
        if self._period is None:
            return
        period, unit_ids = self._period, list(self._consolidated)
        parent = units.unit_by_id(self.db, self._unit_id) if self._unit_id else None

        def work(progress: ProgressFn) -> None:
            progress(0, 1)
            summary_table.write_summary(self.db, unit_ids, period, path, parent=parent)

        self.task = run_task(
            self, "正在生成汇总表…", work,
            lambda _: self.status.emit(f"汇总表已保存：{path}"),
            lambda message: self.status.emit(f"汇总表未保存：{message}"),
        )  # fmt: skip
