"""The one dialog for an unexpected error: a Chinese sentence naming the log file, 复制详情.

The traceback is never shown (a user cannot act on it); 复制详情 puts it on the clipboard so
it can be pasted into a message to whoever maintains EcoDesk.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

TITLE = "出错了"
COPY = "复制详情"


class ErrorDialog(QMessageBox):
    """A warning box with the sentence, 复制详情 (keeps the box open) and 确定."""

    def __init__(self, sentence: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(TITLE)
        self.setText(sentence)
        self.details = details
        self.copy_button = self.addButton(COPY, QMessageBox.ButtonRole.ActionRole)
        self.addButton("确定", QMessageBox.ButtonRole.AcceptRole)
        # An ActionRole button would close the box; copying must leave it open.
        self.copy_button.clicked.disconnect()
        self.copy_button.clicked.connect(self.copy_details)

    def copy_details(self) -> None:
        QApplication.clipboard().setText(f"{self.text()}\n\n{self.details}")
        self.copy_button.setText("已复制")
