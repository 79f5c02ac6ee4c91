"""Qt's own dialogs in Chinese: the file chooser a 信创 Linux desktop shows has no English left."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.app import install_translations
from desktop.ui.qt_chinese import label_file_dialogs


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    install_translations(qapp)
    yield
    for translator in qapp.findChildren(QTranslator):
        qapp.removeTranslator(translator)
        translator.deleteLater()
    qapp.focusWindowChanged.disconnect(label_file_dialogs)


def test_the_file_chooser_and_message_boxes_speak_chinese(chinese: None, qtbot: QtBot) -> None:
    dialog = QFileDialog(None, "导入报表", ".", "表格文件 (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()  # what the window system does for a new dialog

    def labels() -> set[str]:
        return {label.text() for label in dialog.findChildren(QLabel)}

    wanted = {"查找范围：", "文件类型：", "文件名称(&N)："}
    qtbot.waitUntil(lambda: wanted <= labels(), timeout=2000)
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


def test_a_long_session_of_translated_words_does_not_wear_out_python(chinese: None) -> None:
    """Qt asks the installed translators for every word it shows. A ``QTranslator`` subclass
    in Python lost a reference to ``None`` on each question (PySide 6.12), so after some
    thousands of words the app died with "Fatal Python error: deallocating None"."""
    before = sys.getrefcount(None)
    for _ in range(2000):
        QCoreApplication.translate("QAbstractFileIconProvider", "Folder", "All other platforms")
        QCoreApplication.translate("QFileDialog", "Look in:")
    assert sys.getrefcount(None) >= before - 50
