"""No silent failure: every unexpected error is logged and shown in Chinese, from any thread.

``install`` (called once at start by ``desktop.app``) sets ``sys.excepthook`` (exceptions
escaping a slot or an event handler: PySide6 hands those to it), ``threading.excepthook``
(any other thread) and Qt's message handler (Qt's own warnings go to the log). ``report``
is the one place an error becomes the dialog "出错了：…，已记录到 <日志文件>"; the worker
(``desktop.tasks``) calls it for a bug in a task.

The bundle has no console: without this, a slot that raised did nothing visible at all.
"""

from __future__ import annotations

import sys
import threading
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QObject, QtMsgType, Signal, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from desktop import logbook


class _Relay(QObject):
    """Carries an error from another thread to the GUI thread (a queued signal)."""

    raised = Signal(object)


_relay: _Relay | None = None
#: The message handler before ``install`` (tests put it back).
previous_message_handler: object = None
_showing = False


def report(exc: BaseException, where: str = "") -> None:
    """Log ``exc`` and, on the GUI thread, show the error dialog (one at a time)."""
    global _showing
    log = logbook.record(exc, where)
    app = QApplication.instance()
    if app is None or _showing:  # no GUI, or an error inside the error dialog: the log has it
        return
    if threading.current_thread() is not threading.main_thread():
        if _relay is not None:
            _relay.raised.emit(exc)
        return
    from desktop.ui.error_dialog import ErrorDialog

    _showing = True
    try:
        parent = QApplication.activeWindow()
        ErrorDialog(logbook.failure_sentence(exc, log), logbook.details(exc), parent).exec()
    finally:
        _showing = False


def _show_only(exc: BaseException) -> None:
    """On the GUI thread, for an error another thread already logged."""
    global _showing
    if _showing:
        return
    from desktop.ui.error_dialog import ErrorDialog

    _showing = True
    try:
        sentence = logbook.failure_sentence(exc, logbook.log_path())
        ErrorDialog(sentence, logbook.details(exc), QApplication.activeWindow()).exec()
    finally:
        _showing = False


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if isinstance(exc, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    exc.__traceback__ = tb
    report(exc)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    exc = args.exc_value or args.exc_type()
    exc.__traceback__ = args.exc_traceback
    report(exc, f"线程 {args.thread.name if args.thread is not None else '?'}")


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: 10,
    QtMsgType.QtInfoMsg: 20,
    QtMsgType.QtWarningMsg: 30,
    QtMsgType.QtCriticalMsg: 40,
    QtMsgType.QtFatalMsg: 50,
}


#: Qt warnings that say nothing about EcoDesk: the offscreen platform (tests, benchmarks, a
#: headless self-test) says this on every window shown.
_NOISE = frozenset({"This plugin does not support propagateSizeHints()"})


def _qt_messages(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own warnings (a failed font, a bad connection) go to the log, not to a console."""
    level = _QT_LEVELS.get(kind, 30)
    if level >= 30 and message not in _NOISE:
        logbook.logger().log(level, "Qt：%s", message)


def install(app: QApplication) -> None:
    """Route every unexpected error to the log and the error dialog, from now on."""
    global _relay
    _relay = _Relay(app)
    _relay.raised.connect(_show_only)
    sys.excepthook = _excepthook
    threading.excepthook = _thread_hook
    global previous_message_handler
    previous_message_handler = qInstallMessageHandler(_qt_messages)
