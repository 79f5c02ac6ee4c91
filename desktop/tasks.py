"""Long work off the GUI thread, with a progress dialog and a cancel button.

One task at a time: the progress dialog is modal, so the user cannot change the database
while an import or consolidation reads it on the worker thread. The work function receives a
``progress(done, total) -> bool`` callback; returning False asks it to stop (the services raise
``db.errors.Cancelled``), which leaves the database as it was since nothing is written until
the user commits.

Signals (of ``Task``):
    progressed(int, int): done and total, from the worker.
    succeeded(object): the work function's result.
    failed(str): a sentence for the status bar: a ``KnownError``'s message and hint on one line,
        "已取消…" for a cancelled task, or "内部错误…" for a bug (its traceback is printed).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from db.errors import Cancelled, KnownError

ProgressFn = Callable[[int, int], bool]
_running: set[Task] = set()


def busy() -> bool:
    """Whether a task is reading the database on a worker thread right now.

    Timers on the GUI thread (the automatic backup) wait while one is: the connection is
    shared, and a backup taken between a dry run's reads would also stall it.
    """
    return bool(_running)


class Task(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[[ProgressFn], Any]) -> None:
        super().__init__()
        self._work = work
        self._cancel = threading.Event()
        self.worker: threading.Thread | None = None

    def cancel(self) -> None:
        self._cancel.set()

    def _progress(self, done: int, total: int) -> bool:
        self.progressed.emit(done, total)
        return not self._cancel.is_set()

    def _run(self) -> None:
        try:
            result = self._work(self._progress)
        except Cancelled:
            self.failed.emit("已取消，数据库未作修改")
        except KnownError as exc:
            self.failed.emit(exc.one_line())
        except Exception as exc:  # a bug: keep the app alive and say so
            traceback.print_exc()
            self.failed.emit(f"内部错误：{exc}")
        else:
            self.succeeded.emit(result)

    def start(self) -> None:
        _running.add(self)
        self.succeeded.connect(lambda _: _running.discard(self))
        self.failed.connect(lambda _: _running.discard(self))
        self.worker = threading.Thread(target=self._run, name="ecodesk-task", daemon=True)
        self.worker.start()


def run_task(
    parent: QWidget,
    label: str,
    work: Callable[[ProgressFn], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[str], None],
) -> Task:
    """Start ``work`` on a worker thread behind a modal progress dialog (shown after 0.8 s)."""
    dialog = QProgressDialog(label, "取消", 0, 0, parent)
    dialog.setWindowTitle("请稍候")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(800)
    task = Task(work)

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    def finish() -> None:
        dialog.reset()
        dialog.deleteLater()

    task.progressed.connect(progressed)

    def succeeded(result: object) -> None:
        finish()
        on_success(result)

    def failed(message: str) -> None:
        finish()
        on_failure(message)

    task.succeeded.connect(succeeded)
    task.failed.connect(failed)
    dialog.canceled.connect(task.cancel)
    task.start()
    return task
