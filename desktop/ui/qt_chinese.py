"""Qt's own dialogs in Chinese, where Qt's shipped catalogue (``qtbase_zh_CN.qm``) has gaps.

``desktop.app.install_translations`` loads Qt's catalogue; on a 信创 Linux desktop without a
platform file dialog, Qt's own file chooser still showed "Look in:", "Files of type:" and a
"Folder" type column: the first two are set without asking any translator, the last has no
entry in the catalogue. ``install`` fills both gaps for the whole application: a catalogue of
the missing entries, and the labels set whenever a file dialog takes the focus.
"""

from __future__ import annotations

from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication, QFileDialog

from resources import locate

#: Compiled from ``resources/translations/qt_gaps_zh_CN.ts`` (``pyside6-lrelease``). A catalogue
#: file, not a ``QTranslator`` subclass in Python: PySide 6.12 drops a reference to ``None`` on
#: every call Qt makes to a Python ``translate`` override, and Qt makes one for every word it
#: shows, so a long session ended in "Fatal Python error: deallocating None".
GAPS_CATALOGUE = "qt_gaps_zh_CN.qm"

#: The file dialog's labels Qt sets without a translator.
FILE_DIALOG_LABELS = {
    QFileDialog.DialogLabel.LookIn: "查找范围：",
    QFileDialog.DialogLabel.FileType: "文件类型：",
}


def label_file_dialogs() -> None:
    """Set the untranslated labels of every file dialog on screen.

    Called when the focused window changes, which a dialog's showing does: a signal fires only
    then, where an application-wide event filter in Python would run for every event of every
    widget all session long (and wrap each object it sees, creating Python enums for its class).
    """
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QFileDialog) and widget.isVisible():
            for label, text in FILE_DIALOG_LABELS.items():
                if widget.labelText(label) != text:
                    widget.setLabelText(label, text)


def install(app: QApplication) -> None:
    """Load the gap catalogue and label file dialogs as they take the focus."""
    gaps = QTranslator(app)
    if gaps.load(str(locate("translations", GAPS_CATALOGUE))):
        app.installTranslator(gaps)
    app.focusWindowChanged.connect(label_file_dialogs)
