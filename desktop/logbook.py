"""The log file, and the one sentence a user reads for any error: shared by the GUI and the CLI.

The bundle has no console, so a traceback printed to stderr goes nowhere: every unexpected
error is written here, to ``ecodesk.log`` in the ``logs`` folder of the per-user data folder,
rotated at 1 MB with four old files kept, and the user reads one sentence that names this file.
No Qt here: the command line uses it too.

``failure_sentence`` decides what the user reads:

- a ``KnownError`` (a refusal the user can act on, including the environment errors that
  ``db.errors.explain`` maps from SQLite's and the OS's codes) is its own message and hint;
- an ``OSError`` escaping a site that did not expect it still says, in Chinese, why the system
  refused and which file;
- anything else is a bug of ours and says so, never with a traceback (that is in the log).
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from db.errors import KnownError, as_known, os_reason
from desktop import paths

LOGGER_NAME = "ecodesk"
MAX_BYTES = 1_000_000
BACKUPS = 4

_handler: logging.Handler | None = None
_handler_path: Path | None = None


def log_path() -> Path:
    """Where the log is written (the folder is made on first use)."""
    return paths.user_data_dir() / "logs" / "ecodesk.log"


def logger() -> logging.Logger:
    """The application's logger, writing to the rotating log file (set up on first use).

    The file follows the user data folder (``ECODESK_HOME`` may change between tests). A folder
    that cannot be written (a locked-down profile) must not turn an error report into a second
    error: the log then goes to stderr.
    """
    global _handler, _handler_path
    log = logging.getLogger(LOGGER_NAME)
    path = log_path()
    if _handler is None or _handler_path != path:
        close()
        handler: logging.Handler
        # Imported here: with socket, pickle and queue it costs 9 ms of every start-up.
        from logging.handlers import RotatingFileHandler

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = RotatingFileHandler(
                path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
            )
        except OSError:
            handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
        _handler, _handler_path = handler, path
    return log


def close() -> None:
    """Release the log file (on Windows an open file cannot be moved or deleted)."""
    global _handler, _handler_path
    if _handler is not None:
        logging.getLogger(LOGGER_NAME).removeHandler(_handler)
        _handler.close()
        _handler, _handler_path = None, None


def details(exc: BaseException) -> str:
    """The traceback as text: for the log and the 复制详情 button, never shown in a window."""
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def record(exc: BaseException, where: str = "") -> Path:
    """Write ``exc`` with its traceback to the log; return the log file's path."""
    logger().error("%s未处理的错误：\n%s", f"{where}：" if where else "", details(exc))
    return log_path()


def is_bug(exc: BaseException) -> bool:
    """Whether ``exc`` is ours to fix, not something the user or the computer can put right."""
    return _parts(exc)[2]


def _parts(exc: BaseException) -> tuple[str, str, bool]:
    """Message, hint, and whether it is a bug."""
    # db.errors maps SQLite's and the OS's codes (disk full, read-only, locked, corrupt,
    # permission) to a known error once, for every site.
    known = exc if isinstance(exc, KnownError) else as_known(exc)
    if known is not None:
        return known.message, known.hint, False
    if isinstance(exc, OSError):
        name = f"“{exc.filename}”" if exc.filename else "文件"
        return (
            f"无法读写{name}：{os_reason(exc)}",
            "检查磁盘空间、文件是否正被其他程序打开，以及是否有写入权限",
            False,
        )
    return (
        f"程序内部错误（{type(exc).__name__}），刚才的操作没有完成，已保存的数据不受影响",
        "点“复制详情”，把详情发给维护人员",
        True,
    )


def failure_sentence(exc: BaseException, log: Path) -> str:
    """What the error dialog and the command line say: "出错了：…，已记录到 <日志文件>"."""
    message, hint, _bug = _parts(exc)
    text = f"出错了：{message.rstrip('。')}，已记录到 {log}"
    return f"{text}\n提示：{hint}" if hint else text
