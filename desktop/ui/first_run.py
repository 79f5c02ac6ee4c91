"""First start: ask once for the office's own unit and where to keep the database, or offer
the demo. No dialog maze: one window, three choices."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.records import UNIT_LEVELS
from desktop.ui.main_window import FILE_FILTER


class FirstRunDialog(QDialog):
    """Result: ``choice`` is "new", "demo" or "open"; ``path`` and the unit fields for "new"."""

    def __init__(self, default_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("欢迎使用 EcoDesk 生态环境工作台")
        self.choice = ""
        self.path = default_path
        intro = QLabel(
            "EcoDesk 把本单位的指标、报告、计划和整改台账保存在本机的一个数据库文件中，"
            "无需服务器和网络。请选择："
        )
        intro.setWordWrap(True)

        new_box = QGroupBox("新建本单位数据库")
        self.unit_name = QLineEdit()
        self.unit_name.setPlaceholderText("如：某某市生态环境局某某分局")
        self.unit_code = QLineEdit()
        self.unit_code.setPlaceholderText("如行政区划代码 330305")
        self.level = QComboBox()
        self.level.addItems(list(UNIT_LEVELS))
        self.level.setCurrentText("分局")
        self.path_edit = QLineEdit(str(default_path))
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        browse.setAutoDefault(False)  # Enter in a field means "create", not "browse"
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c00000")
        create = QPushButton("新建并打开")
        create.setDefault(True)
        create.clicked.connect(self._create)
        form = QFormLayout(new_box)
        form.addRow("本单位名称", self.unit_name)
        form.addRow("单位代码", self.unit_code)
        form.addRow("级别", self.level)
        form.addRow("数据库文件", path_row)
        form.addRow(self.error)
        form.addRow(create)

        demo = QPushButton("先看看演示数据（五个样例单位）")
        demo.clicked.connect(lambda: self._finish("demo"))
        open_existing = QPushButton("打开已有数据库…")
        open_existing.clicked.connect(self._open_existing)
        for button in (demo, open_existing):
            button.setAutoDefault(False)
        others = QHBoxLayout()
        others.addWidget(demo)
        others.addWidget(open_existing)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(new_box)
        layout.addLayout(others)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "数据库文件", self.path_edit.text(), FILE_FILTER
        )
        if path:
            self.path_edit.setText(path)

    def _create(self) -> None:
        if not self.unit_name.text().strip() or not self.unit_code.text().strip():
            self.error.setText("请填写本单位名称和代码")
            return
        path = Path(self.path_edit.text().strip())
        if path.exists():
            self.error.setText("该文件已存在：请换一个文件名，或用“打开已有数据库”")
            return
        self.path = path
        self._finish("new")

    def _open_existing(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "打开数据库", str(self.path.parent), FILE_FILTER
        )
        if path:
            self.path = Path(path)
            self._finish("open")

    def _finish(self, choice: str) -> None:
        self.choice = choice
        self.accept()
