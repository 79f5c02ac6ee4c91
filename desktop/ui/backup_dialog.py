"""备份与恢复: list the database's backups, make one, or restore one (itself undoable).

Both copy the whole file, so they run on the one worker (``desktop.tasks``) with the dialog
disabled: a large database takes seconds, and a restore must not overlap any other write.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import backup
from db.connection import Database
from desktop.tasks import ProgressFn, run_task


def size_text(size: int) -> str:
    """Bytes as an office user reads a file's size (Explorer's units: 1 KB = 1024 bytes)."""
    if size < 1 << 20:
        return f"{-(-size // 1024)} KB"  # rounded up, as Explorer shows it
    if size < 1 << 30:
        return f"{size / (1 << 20):.1f} MB"
    return f"{size / (1 << 30):.2f} GB"


class BackupDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("备份与恢复")
        self.resize(560, 380)
        self._db = db
        self.restored = ""
        self.check_result = ""
        self.list = QListWidget()
        folder = backup.backup_dir(db.path)
        note = QLabel(
            f"备份保存在：{folder}\n每天首次打开和关闭时，如数据有改动即自动备份；自动备份保留"
            f"最近一周每天一份、一个月内每周一份（最多 {backup.DEFAULT_KEEP} 份）。"
            "手动备份一直保留。备份压缩为 .zip（可用 Windows 资源管理器直接解压），"
            "所列大小为实际占用的磁盘空间。\n恢复前会先备份当前数据；恢复后，备份之后的修改记录仍保留，"
            "旧版本的备份会自动升级后恢复。"
        )
        note.setWordWrap(True)
        self.backup_button = QPushButton("立即备份")
        self.restore_button = QPushButton("恢复所选备份…")
        self.check_button = QPushButton("完整性检查")
        self.check_button.setToolTip(
            "逐页检查数据库文件和所选备份（解压后）是否完好（大文件需要几十秒）"
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.backup_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.backup_button.clicked.connect(self._backup)
        self.restore_button.clicked.connect(self._restore)
        self.check_button.clicked.connect(self._check)
        self.backup_button.setEnabled(not db.read_only)
        self.restore_button.setEnabled(not db.read_only)
        self._fill()

    def _fill(self) -> None:
        self.list.clear()
        for item in backup.list_backups(self._db.path):
            packed = "，已压缩" if item.compressed else ""
            entry = QListWidgetItem(f"{item.label}　{size_text(item.size)}{packed}")
            entry.setToolTip(str(item.path))
            entry.setData(256, str(item.path))
            self.list.addItem(entry)
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.list.addItem("（还没有备份）")

    def _backup(self) -> None:
        def failed(message: str) -> None:
            QMessageBox.warning(self, "备份", message)
            self._fill()

        run_task(
            self, "正在备份…", lambda _: backup.make_backup(self._db, "manual"),
            lambda _: self._fill(), failed, cancellable=False,
        )  # fmt: skip

    def _check(self) -> None:
        """The open database, then the selected backup (a compressed one on its unpacked copy)."""
        item = self.list.currentItem()
        chosen = item.data(256) if item else None
        selected = Path(chosen) if chosen else None

        def work(_: ProgressFn) -> tuple[list[str], list[str]]:
            mine = backup.check_integrity(self._db)
            return mine, backup.check_backup(selected) if selected else []

        def checked(found: tuple[list[str], list[str]]) -> None:
            mine, theirs = found
            if mine:
                shown = "\n".join(mine[:10])
                QMessageBox.warning(
                    self, "完整性检查",
                    f"“{self._db.path.name}”未通过完整性检查：\n{shown}\n\n"
                    "请立即另存一份备份，并从较早的备份恢复。",
                )  # fmt: skip
                return
            if theirs:
                shown = "\n".join(theirs[:10])
                assert selected is not None
                QMessageBox.warning(
                    self, "完整性检查",
                    f"“{self._db.path.name}”完整性检查通过，但所选备份“{selected.name}”"
                    f"未通过：\n{shown}\n\n请不要从这份备份恢复，并立即另做一份备份。",
                )  # fmt: skip
                return
            self.check_result = f"“{self._db.path.name}”完整性检查通过" + (
                f"；所选备份“{selected.name}”也完好" if selected else ""
            )
            QMessageBox.information(self, "完整性检查", self.check_result)

        run_task(
            self, "正在检查数据库…", work, checked,
            lambda message: QMessageBox.warning(self, "完整性检查", message), cancellable=False,
        )  # fmt: skip

    def _restore(self) -> None:
        item = self.list.currentItem()
        path = item.data(256) if item else None
        if not path:
            return
        label = item.text()
        answer = QMessageBox.question(
            self,
            "恢复备份",
            f"用“{label}”的备份替换当前全部数据吗？\n当前数据会先另存为一份备份。",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def work(_: ProgressFn) -> backup.BackupFile:
            return backup.restore(self._db, Path(path))

        def restored(safety: backup.BackupFile) -> None:
            self.restored = f"已从备份恢复（{label}）；恢复前的数据另存为 {safety.path.name}"
            self.accept()

        run_task(
            self, "正在恢复备份…", work, restored,
            lambda message: QMessageBox.warning(self, "恢复备份", message), cancellable=False,
        )  # fmt: skip
