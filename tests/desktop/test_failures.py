"""No silent failure: a slot that raises, a thread that raises and a command that hits a bug all
end in one Chinese sentence naming the log file, with the traceback in the log and never on
screen; 复制详情 puts the traceback on the clipboard."""

from __future__ import annotations

import errno
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, qInstallMessageHandler, qWarning
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from db.connection import Database
from desktop import failures, logbook
from desktop.cli import main as cli_main
from desktop.ui.error_dialog import ErrorDialog


@pytest.fixture
def hooks(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """``failures.install`` as the app does it; pytest-qt's own hooks are put back after.

    Yields the texts of the error dialogs shown, each answered by pressing 复制详情 and 确定.
    """
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    failures.install(qapp)
    shown: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ErrorDialog):
            shown.append(dialog.text())
            dialog.copy_button.click()  # must not close the box
            assert dialog.isVisible()
            dialog.accept()

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(20)
    yield shown
    timer.stop()
    qInstallMessageHandler(failures.previous_message_handler)  # type: ignore[arg-type]
    logbook.close()


def _log() -> str:
    logbook.close()
    return logbook.log_path().read_text(encoding="utf-8")


def test_a_slot_that_raises_shows_a_chinese_dialog_and_logs_the_traceback(
    hooks: list[str], qtbot: QtBot
) -> None:
    button = QPushButton("导入")
    qtbot.addWidget(button)

    def broken() -> None:
        raise ValueError("path is False")

    button.clicked.connect(broken)
    button.click()
    qtbot.waitUntil(lambda: bool(hooks))
    assert hooks[0].startswith("出错了：程序内部错误")
    assert f"已记录到 {logbook.log_path()}" in hooks[0]
    assert "Traceback" not in hooks[0] and "path is False" not in hooks[0]
    copied = QApplication.clipboard().text()
    assert "Traceback" in copied and "ValueError: path is False" in copied
    assert "ValueError: path is False" in _log()


def test_an_error_in_another_thread_reaches_the_dialog(hooks: list[str], qtbot: QtBot) -> None:
    def disk_full() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "D:/数据/office.ecodesk")

    thread = threading.Thread(target=disk_full, name="备份")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(hooks))
    assert "磁盘空间不足" in hooks[0] and "office.ecodesk" in hooks[0]
    assert "程序内部错误" not in hooks[0]  # the computer's problem, not a bug
    assert "线程 备份" in _log()


def test_qt_warnings_go_to_the_log(hooks: list[str]) -> None:
    qWarning("QFont::setPointSize: Point size <= 0")
    assert "Point size <= 0" in _log()


def test_the_cli_says_one_sentence_exits_2_and_logs_the_traceback(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_args: object) -> object:
        raise KeyError("unit")

    monkeypatch.setattr("desktop.cli.data.units.all_units", broken)
    assert cli_main(["units", "--db", str(demo_db.path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("出错了：程序内部错误") and str(logbook.log_path()) in err
    assert "Traceback" not in err
    assert "KeyError: 'unit'" in _log()


def test_the_cli_names_the_file_the_system_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*_args: object, **_kwargs: object) -> object:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "x.ecodesk"))

    monkeypatch.setattr("desktop.cli.units.open_db", refused)
    assert cli_main(["units", "--db", str(tmp_path / "x.ecodesk")]) == 2
    err = capsys.readouterr().err
    assert "x.ecodesk" in err and "没有权限" in err and "Traceback" not in err
