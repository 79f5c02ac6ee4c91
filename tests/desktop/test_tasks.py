"""The one worker: tasks run one at a time, the window is disabled while they are queued or
running, and results, failures and cancels come back on the GUI thread.

What the status bar gets when work does not succeed: a known error gives its sentence and hint,
a cancelled task says 已取消, anything else is a bug reported as 内部错误 with its traceback.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QProgressDialog, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from db import units
from db.connection import Database
from db.errors import Cancelled, StorageError
from db.periods import Period
from desktop import logbook
from desktop.services.common.workbook import WorkbookError
from desktop.services.exchange.export import Selection, export_workbook
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
                raise Cancelled
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


def _outcome(qtbot: QtBot, work: object) -> object:
    window, _ = _window(qtbot)
    outcomes: list[object] = []
    run_task(window, "处理中…", work, outcomes.append, outcomes.append)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: bool(outcomes) and not busy(), timeout=10_000)
    return outcomes[0]


def test_a_known_error_gives_its_sentence_and_hint(qtbot: QtBot) -> None:
    """Any ``KnownError``, not only a ``StorageError`` (a workbook error is not one)."""

    def work(progress: ProgressFn) -> None:
        raise WorkbookError("“报表.xlsx”已损坏", "请重新获取该文件")

    assert _outcome(qtbot, work) == "“报表.xlsx”已损坏。提示：请重新获取该文件"


def test_a_cancelled_export_says_so_and_leaves_no_file(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "导出.xlsx"
    unit = units.unit_by_code(demo_db, "330300-01")
    selection = Selection([unit.id], [Period.parse("2022-YTD10")])

    def work(progress: ProgressFn) -> int:
        # the user pressed 取消 before the first unit was written
        return export_workbook(demo_db, selection, out, progress=lambda done, total: False)

    assert _outcome(qtbot, work) == "已取消，数据库未作修改"
    assert not out.exists()


def test_anything_else_is_a_bug_said_in_chinese_with_its_traceback_in_the_log(
    qtbot: QtBot,
) -> None:
    def work(progress: ProgressFn) -> None:
        raise RuntimeError("oops")

    sentence = _outcome(qtbot, work)
    assert sentence.startswith("出错了：程序内部错误")
    assert str(logbook.log_path()) in sentence and "Traceback" not in sentence
    logbook.close()
    logged = logbook.log_path().read_text(encoding="utf-8")
    assert "Traceback" in logged and "RuntimeError: oops" in logged
