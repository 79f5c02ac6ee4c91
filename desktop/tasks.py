"""Long work on the one worker thread, behind a progress dialog, with the window disabled.

The GUI thread and this worker share one database connection, whose transactions nest through
a counter that only one thread may use at a time (``db.connection``): two writes must never
overlap, and the GUI must not read while the worker writes. Hence:

* One worker. A single long-lived thread runs every task, strictly one after another in the
  order they were started. A task started while another runs waits its turn (it is not
  refused), and the next one starts only after the previous one's result was handled on the
  GUI thread, so a page re-reading after an import never reads while the next task writes.
* The window is disabled from the moment a task is started until its tasks have ended
  (success, failure or cancel), not only once the progress dialog shows after 0.8 s: no
  button, menu or shortcut can read or write the database meanwhile, and the window refuses
  to close. The progress dialog stays usable, for its 取消 button.

The work function receives ``progress(done, total) -> bool``; returning False asks it to stop
(the services raise ``db.errors.Cancelled``), which leaves the database as it was since nothing is
written until the user commits. A commit runs in one transaction and cannot be stopped halfway:
``run_task(..., cancellable=False)`` shows no 取消 button.

Signals (of ``Task``), delivered on the GUI thread:
    progressed(int, int): done and total.
    succeeded(object): the work function's result.
    failed(str): a sentence for the status bar: a ``KnownError``'s message and hint on one line,
        "已取消…" for a cancelled task, or for a bug "出错了：程序内部错误…，已记录到 <日志文件>"
        (its traceback is written to the log, ``desktop.logbook``: the bundle has no console).
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from db.errors import Cancelled, KnownError
from desktop import logbook

ProgressFn = Callable[[int, int], bool]
CANCELLED = "已取消，数据库未作修改"


class Task(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    _ended = Signal(bool, object)  # from the worker: succeeded?, the result or the sentence

    def __init__(self, work: Callable[[ProgressFn], Any], *, cancelled: str = CANCELLED) -> None:
        super().__init__()
        self._work = work
        self._cancel = threading.Event()
        self.cancel_message = cancelled
        self._ended.connect(self._deliver)  # queued: the Task lives on the GUI thread

    def cancel(self) -> None:
        self._cancel.set()

    def _progress(self, done: int, total: int) -> bool:
        self.progressed.emit(done, total)
        return not self._cancel.is_set()

    def _run(self) -> None:
        """On the worker: the work, and the one place where what stopped it becomes a sentence."""
        try:
            result = self._work(self._progress)
        except Cancelled:
            self._ended.emit(False, self.cancel_message)
        except KnownError as exc:
            self._ended.emit(False, exc.one_line())
        except Exception as exc:  # a bug: keep the app alive, log it and say so
            self._ended.emit(False, logbook.failure_sentence(exc, logbook.record(exc, "后台任务")))
        else:
            self._ended.emit(True, result)

    def _deliver(self, ok: bool, outcome: object) -> None:
        """On the GUI thread: hand the result to the page, then let the next task start."""
        try:
            if ok:
                self.succeeded.emit(outcome)
            else:
                self.failed.emit(str(outcome))
        finally:
            _WORKER.ended(self)


class _Worker:
    """The one thread that runs tasks, and the line of tasks waiting for it."""

    def __init__(self) -> None:
        self._line: deque[Task] = deque()
        self._current: Task | None = None
        # The last task that ended: dropping it inside its own slot (``_deliver``) would delete
        # the QObject while Qt is still delivering to it. It goes when the next one ends.
        self._retired: Task | None = None
        self._inbox: queue.SimpleQueue[Task] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def busy(self) -> bool:
        return self._current is not None or bool(self._line)

    def start(self, task: Task) -> None:
        """Queue ``task``; it runs when every task started before it has ended."""
        self._line.append(task)
        self._next()

    def ended(self, task: Task) -> None:
        if self._current is task:
            self._current = None
        self._retired = task
        self._next()

    def _next(self) -> None:
        if self._current is not None or not self._line:
            return
        self._current = self._line.popleft()
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="ecodesk-worker", daemon=True)
            self._thread.start()
        self._inbox.put(self._current)

    def _loop(self) -> None:
        while True:
            self._inbox.get()._run()


_WORKER = _Worker()


def busy() -> bool:
    """Whether a task is running on the worker or waiting for it.

    Timers on the GUI thread (the automatic backup, the report's autosave) wait while one is:
    the connection is shared, and only one thread may use it at a time.
    """
    return _WORKER.busy()


class _Hold(QObject):
    """A window kept disabled while it has tasks; closing it is refused meanwhile."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.count = 0
        self.focus: QWidget | None = None
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            event.ignore()
            return True
        return False


_holds: list[_Hold] = []


def _find(window: QWidget) -> _Hold | None:
    """The window's hold, matched by the Qt object (two Python wrappers may name one window)."""
    _holds[:] = [h for h in _holds if shiboken6.isValid(h.window)]  # closed and deleted since
    address = shiboken6.getCppPointer(window)
    return next((h for h in _holds if shiboken6.getCppPointer(h.window) == address), None)


def _hold(window: QWidget) -> None:
    hold = _find(window)
    if hold is None:
        hold = _Hold(window)
        _holds.append(hold)
    if hold.count == 0:
        hold.focus = QApplication.focusWidget()
        window.setEnabled(False)
    hold.count += 1


def _release(window: QWidget) -> None:
    if not shiboken6.isValid(window):
        return
    hold = _find(window)
    if hold is None:
        return
    hold.count -= 1
    if hold.count > 0:
        return
    _holds.remove(hold)
    window.removeEventFilter(hold)
    window.setEnabled(True)
    focus = hold.focus
    if focus is not None and shiboken6.isValid(focus) and focus.isVisible() and focus.isEnabled():
        focus.setFocus()
    hold.deleteLater()


def run_task(
    parent: QWidget,
    label: str,
    work: Callable[[ProgressFn], Any],
    on_success: Callable[[Any], object],
    on_failure: Callable[[str], object],
    *,
    cancellable: bool = True,
    cancelled: str = CANCELLED,
) -> Task:
    """Run ``work`` on the worker with ``parent``'s window disabled until it has ended.

    A progress dialog appears after 0.8 s. ``on_success`` or ``on_failure`` runs on the GUI
    thread once the window is usable again (so a message box it opens can be answered).
    ``cancelled`` is the sentence ``on_failure`` gets when the user cancels.
    """
    window = parent.window()
    dialog = QProgressDialog(label, "取消", 0, 0, parent)
    dialog.setWindowTitle("请稍候")
    dialog.setMinimumDuration(800)
    if not cancellable:
        dialog.setCancelButton(None)
    # Not modal: the disabled window already keeps the user out, and a modal dialog's
    # setValue() would process events (and deliver other results) inside our slots.
    _hold(window)
    dialog.setEnabled(True)  # a dialog is a window: usable although its parent is disabled
    dialog.setValue(0)  # starts the 0.8 s clock even for work that reports no progress
    task = Task(work, cancelled=cancelled)

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    def finish() -> None:
        _release(window)
        dialog.reset()
        dialog.deleteLater()

    def succeeded(result: object) -> None:
        finish()
        on_success(result)

    def failed(message: str) -> None:
        finish()
        on_failure(message)

    task.progressed.connect(progressed)
    task.succeeded.connect(succeeded)
    task.failed.connect(failed)
    if cancellable:
        dialog.canceled.connect(task.cancel)
    _WORKER.start(task)
    return task
