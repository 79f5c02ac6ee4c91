"""The one worker: tasks run one at a time, the window is disabled while they are queued or
running, and results, failures and cancels come back on the GUI thread."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QProgressDialog, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from db.errors import StorageError
from desktop.tasks import ProgressFn, busy, run_task


def _window(qtbot: QtBot) -> tuple[QWidget, QLineEdit]:
    window = QWidget()
    field = QLineEdit(window)
    layout = QVBoxLayout(window)
    layout.addWidget(QPushButton("导入", window))
    layout.addWidget(field)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    field.setFocus()
    assert field.hasFocus()
    return window, field


def test_a_second_task_waits_for_the_first_and_the_window_stays_disabled(qtbot: QtBot) -> None:
    window, field = _window(qtbot)
    events: list[str] = []
    release = threading.Event()

    def slow(_: ProgressFn) -> str:
        events.append("slow start")
        release.wait(5)
        events.append("slow end")
        return "slow"

    def quick(_: ProgressFn) -> str:
        events.append("quick start")
        return "quick"

    def handled(result: object) -> None:
        events.append(f"{result} handled")

    run_task(window, "第一项", slow, handled, events.append)
    assert not field.isEnabled(), "disabled at once, not after the progress dialog's delay"
    run_task(window, "第二项", quick, handled, events.append)
    qtbot.wait(300)
    assert events == ["slow start"], "the second task waits while the first runs"
    assert busy() and not field.isEnabled()
    release.set()
    qtbot.waitUntil(lambda: not busy(), timeout=5000)
    assert events == ["slow start", "slow end", "slow handled", "quick start", "quick handled"]
    assert field.isEnabled() and field.hasFocus(), "focus is back where the user left it"


def test_cancel_failure_and_close_while_running(qtbot: QtBot) -> None:
    window, field = _window(qtbot)
    outcomes: list[object] = []

    def until_cancelled(progress: ProgressFn) -> None:
        for done in range(1000):
            if not progress(done, 1000):
                raise InterruptedError
            time.sleep(0.01)

    run_task(window, "读取中…", until_cancelled, outcomes.append, outcomes.append)
    window.close()
    assert window.isVisible(), "the window refuses to close while its task runs"
    dialog = window.findChild(QProgressDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.isEnabled(), "the dialog stays usable"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(outcomes), timeout=5000)
    assert outcomes == ["已取消，数据库未作修改"] and field.isEnabled() and not busy()

    def refused(_: ProgressFn) -> None:
        raise StorageError("2022年1-10月已报送（已锁定）")

    run_task(window, "写入中…", refused, outcomes.append, outcomes.append, cancellable=False)
    qtbot.waitUntil(lambda: len(outcomes) == 2, timeout=5000)
    assert outcomes[-1] == "2022年1-10月已报送（已锁定）" and field.isEnabled()
