"""``desktop.tasks``: what the status bar gets when work on the worker thread does not succeed.

A known error gives its sentence and hint, a cancelled task says 已取消, anything else is a bug
reported as 内部错误 with its traceback printed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from db import units
from db.connection import Database
from db.periods import Period
from desktop.services.common.workbook import WorkbookError
from desktop.services.exchange.export import Selection, export_workbook
from desktop.tasks import ProgressFn, Task


def _failure(qtbot: QtBot, task: Task) -> str:
    with qtbot.waitSignal(task.failed, timeout=10_000) as blocker:
        task.start()
    assert task.worker is not None
    task.worker.join(5)
    message: str = blocker.args[0] if blocker.args else ""
    return message


def test_a_known_error_gives_its_sentence_and_hint(qtbot: QtBot) -> None:
    """Any ``KnownError``, not only a ``StorageError`` (a workbook error is not one)."""

    def work(progress: ProgressFn) -> None:
        raise WorkbookError("“报表.xlsx”已损坏", "请重新获取该文件")

    assert _failure(qtbot, Task(work)) == "“报表.xlsx”已损坏。提示：请重新获取该文件"


def test_a_cancelled_task_says_so_and_leaves_no_file(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "导出.xlsx"
    unit = units.unit_by_code(demo_db, "330300-01")
    selection = Selection([unit.id], [Period.parse("2022-YTD10")])

    def work(progress: ProgressFn) -> int:
        return export_workbook(demo_db, selection, out, progress=progress)

    task = Task(work)
    task.cancel()  # the user pressed 取消 before the first unit was written
    assert _failure(qtbot, task) == "已取消，数据库未作修改"
    assert not out.exists()


def test_anything_else_is_a_bug_with_its_traceback(
    qtbot: QtBot, capsys: pytest.CaptureFixture[str]
) -> None:
    def work(progress: ProgressFn) -> None:
        raise RuntimeError("oops")

    assert _failure(qtbot, Task(work)) == "内部错误：oops"
    assert "Traceback" in capsys.readouterr().err
