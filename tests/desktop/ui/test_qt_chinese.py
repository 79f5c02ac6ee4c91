"""Qt's own dialogs in Chinese: the file chooser a 信创 Linux desktop shows has no English left."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.app import install_translations
from desktop.ui.qt_chinese import FileDialogWords


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    install_translations(qapp)
    yield
    for translator in qapp.findChildren(QTranslator):
        qapp.removeTranslator(translator)
        translator.deleteLater()
    for words in qapp.findChildren(FileDialogWords):
        qapp.removeEventFilter(words)
        words.deleteLater()


def test_the_file_chooser_and_message_boxes_speak_chinese(chinese: None, qtbot: QtBot) -> None:
    qtbot.wait(10)  # the event loop's first turn: before it no user can open a dialog
    dialog = QFileDialog(None, "导入报表", ".", "表格文件 (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"查找范围：", "文件类型：", "文件名称(&N)："} <= labels
    assert dialog.labelText(QFileDialog.DialogLabel.Accept) == "打开(&O)"
    folder = QCoreApplication.translate(
        "QAbstractFileIconProvider", "Folder", "All other platforms"
    )
    assert folder == "文件夹"
    box = QMessageBox(QMessageBox.Icon.Question, "解除锁定", "确定吗？")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    yes = box.button(QMessageBox.StandardButton.Yes)
    assert yes is not None and yes.text() == "是(&Y)"
