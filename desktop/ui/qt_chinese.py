"""Qt's own dialogs in Chinese, where Qt's shipped catalogue (``qtbase_zh_CN.qm``) has gaps.

``desktop.app.install_translations`` loads Qt's catalogue; on a 信创 Linux desktop without a
platform file dialog, Qt's own file chooser still showed "Look in:", "Files of type:" and a
"Folder" type column: the first two are set without asking any translator, the last has no
entry in the catalogue. ``install`` fills both gaps for the whole application.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QFileDialog

#: (context, source) → Chinese, for strings Qt asks for but its catalogue lacks.
MISSING = {
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "File"): "文件",
}

#: The file dialog's labels Qt sets without a translator.
FILE_DIALOG_LABELS = {
    QFileDialog.DialogLabel.LookIn: "查找范围：",
    QFileDialog.DialogLabel.FileType: "文件类型：",
}


class GapTranslator(QTranslator):
    """Answers only the strings in ``MISSING``; everything else goes to Qt's catalogue."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None (a null string) passes the question on; "" would blank every other word.
        return MISSING.get((context, source))

    def isEmpty(self) -> bool:  # noqa: N802 - a Qt override
        return False


class FileDialogWords(QObject):
    """Sets the file dialog's untranslated labels each time one is shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QFileDialog):
            for label, text in FILE_DIALOG_LABELS.items():
                watched.setLabelText(label, text)
        return False


def install(app: QCoreApplication) -> None:
    app.installTranslator(GapTranslator(app))
    words = FileDialogWords(app)

    def join() -> None:
        app.installEventFilter(words)

    # An application-wide filter in Python sees every event of every widget: installed at once
    # it cost ~50 ms CPU while the first window was built and painted. No file dialog can open
    # before the event loop runs, so the filter joins on its second turn, after the first paint
    # (the timers die with ``words`` if that is deleted first).
    QTimer.singleShot(0, words, lambda: QTimer.singleShot(0, words, join))
