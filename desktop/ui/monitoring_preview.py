"""The dry run of a monitoring file shown before anything is written, and its commit.

Shared by the air and water panels of 监测数据: the same preview table as the exchange page's
import (one row per value: 新增 / 修改 old → new / 不变 / 错误 with sheet and cell), the file's
warnings (missing days, PM2.5 above PM10) above it, and 导入 / 放弃. 导入 writes on the one worker
with the window disabled; the committed import goes on the main window's undo stack, so Ctrl+Z
takes it back whole (on the worker too).

Signals (of ``ImportPreviewDialog``): ``accepted`` — the user chose 导入.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.connection import Database
from desktop.models.dry_run_table import DryRunModel
from desktop.services.common.dry_run import Status
from desktop.services.monitoring.sample_import import MonitoringImport
from desktop.tasks import Task
from desktop.ui.undo.monitoring import MonitoringImportCommand

FILTERS = (("全部", None), ("错误", Status.ERROR), ("新增", Status.NEW), ("修改", Status.CHANGED),
           ("不变", Status.UNCHANGED))  # fmt: skip


class ImportPreviewDialog(QDialog):
    """Every value of the file and what importing it would do; 导入 commits them all."""

    def __init__(self, imp: MonitoringImport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.imp = imp
        self.setWindowTitle(f"导入预览：{imp.file}")
        self.resize(1000, 620)
        summary = QLabel(f"{imp.file}：{imp.summary()}。确认后一次写入，有错误的值跳过。")
        summary.setWordWrap(True)
        self.warnings = QListWidget()
        self.warnings.addItems(imp.notes + imp.warnings)
        self.warnings.setMaximumHeight(90)
        self.warnings.setVisible(bool(imp.notes or imp.warnings))
        self.model = DryRunModel()
        self.model.HEADERS = ("状态", "文件", "位置", "点位/断面", "项目", "项目代码", "日期",
                              "原值", "新值", "说明")  # fmt: skip
        self.model.set_dry_run(imp.dry_run)
        self.filter_box = QComboBox()
        for label, status in FILTERS:
            self.filter_box.addItem(label, status)
        self.filter_box.currentIndexChanged.connect(
            lambda: self.model.set_filter(self.filter_box.currentData())
        )
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((50, 0, 110, 110, 150, 0, 90, 70, 70)):
            self.view.setColumnWidth(column, width)
        # One file, and the item's code repeats its label: room for the reason instead.
        self.view.setColumnHidden(1, True)
        self.view.setColumnHidden(5, True)
        accepted = len(imp.dry_run.accepted)
        errors = imp.dry_run.count(Status.ERROR)
        buttons = QDialogButtonBox()
        self.commit_button = QPushButton(
            f"导入 {accepted} 项" + (f"（{errors} 项错误将跳过）" if errors else "")
            if accepted or not imp.classes
            else f"设置点位属性 {len(imp.classes)} 项"
        )
        self.commit_button.setEnabled(accepted > 0 or bool(imp.classes))
        self.commit_button.setDefault(True)
        buttons.addButton(self.commit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("放弃", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(summary, 1)
        top.addWidget(QLabel("显示："))
        top.addWidget(self.filter_box)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        said = [f"点位属性 {len(imp.notes)} 条（导入时设置库中未设的项）"] if imp.notes else []
        if imp.warnings:
            said.append(f"警告 {len(imp.warnings)} 条（不影响导入）")
        if said:
            layout.addWidget(QLabel("，".join(said) + "："))
        layout.addWidget(self.warnings)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)


def commit_with_undo(
    db: Database,
    imp: MonitoringImport,
    undo_stack: QUndoStack,
    parent: QWidget,
    report: Callable[[str], None],
    changed: Callable[[], None],
) -> Task:
    """Commit the previewed import on the worker (``parent``'s window disabled meanwhile);
    once written, push it on the undo stack and report."""
    errors = imp.dry_run.count(Status.ERROR)

    def written(count: int) -> None:
        classes = f"，设置点位属性 {len(imp.classes)} 个" if imp.classes else ""
        report(
            f"已导入 {count} 项监测数据{classes}，{errors} 项错误已跳过（Ctrl+Z 可撤销本次导入）"
        )
        changed()

    label = f"导入监测数据 {imp.file}"
    command = MonitoringImportCommand(db, imp, label, report, changed, undo_stack, parent)
    return command.push_when_written(written, lambda message: report(f"未导入：{message}"))
