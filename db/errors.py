"""Errors the user must act on, kept apart from our own bugs: one family under ``KnownError``.

A ``KnownError`` carries ``message``, a complete Chinese sentence saying what is wrong (naming
the file, sheet or cell where there is one), and ``hint``, what to do about it (may be empty).
The GUI shows both in a message box or the status bar, the command line prints the message and
then ``提示：`` and the hint on the next line. Anything that escapes and is *not* a
``KnownError`` is a bug: the GUI and the command line let it propagate with its traceback.

The family lives here because ``db`` is the lowest layer every package may import. Each area
has one class, and a catch site that only shows a sentence catches ``KnownError`` so that a new
subclass is shown right without touching it:

- ``StorageError`` (here): the database file and the data rules of the store, with
  ``NotEcoDeskDatabase``, ``CorruptDatabase``, ``NewerSchema``, ``ReadOnlyDatabase``,
  ``PeriodLocked`` and ``ValueRejected`` for the cases callers tell apart.
- ``FormulaError`` (``db.formulas``): a computed indicator's formula.
- ``WorkbookError`` (``desktop.services.common.workbook``): a workbook or CSV file read or
  written for an exchange, import or export; ``BodyNeeded`` (``monitoring.water.section_import``)
  when a section file does not say whether a section is a river or a lake.
- ``ChartError`` (``desktop.services.charts.building``): a chart that cannot be drawn.
- ``StandardError`` (``desktop.services.monitoring.standards``): the bundled standards data.
- ``ReportError`` (``desktop.services.reports.text_import``): a report text file.
- ``CliError`` (``desktop.cli.common``): a command-line argument refused.
- ``SelfTestError`` (``desktop.selftest``): a self-test check that did not hold.
- ``Cancelled`` (here): the user pressed 取消. It is no failure and asks nothing of the user,
  but it is not a bug either; long work raises it from its progress callback and callers that
  run such work say "已取消" for it before they handle the other known errors.
"""

from __future__ import annotations

import errno
from typing import ClassVar

SENTENCE_ENDS = "。！？…"


class KnownError(Exception):
    """A refusal or problem the user can understand and act on; its text is shown as it is.

    ``hint`` defaults to the class's ``default_hint`` so that the common cases (a locked period,
    a newer file) give the same advice wherever they are raised.
    """

    default_hint: ClassVar[str] = ""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = self.default_hint if hint is None else hint

    def __str__(self) -> str:
        return self.message

    def with_hint(self) -> str:
        """Message, then ``提示：hint`` on its own line: for a message box or a terminal."""
        return f"{self.message}\n提示：{self.hint}" if self.hint else self.message

    def one_line(self) -> str:
        """Message and hint as one line: for the status bar, which shows no line breaks."""
        if not self.hint:
            return self.message
        stop = "" if self.message.endswith(tuple(SENTENCE_ENDS)) else "。"
        return f"{self.message}{stop}提示：{self.hint}"


def explain(exc: BaseException, *, one_line: bool = False) -> str:
    """The text to show for ``exc`` where a site also shows ``OSError`` and the like as is."""
    if isinstance(exc, KnownError):
        return exc.one_line() if one_line else exc.with_hint()
    return str(exc)


#: Why the file system refused, as a user reads it: ``strerror`` is English on most systems.
_OS_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.ENOENT: "文件或文件夹不存在",
    errno.ENOTDIR: "路径中的文件夹不存在（同名的是一个文件）",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.EACCES: "没有访问权限，或文件正被其他程序占用",
    errno.EPERM: "没有访问权限，或文件正被其他程序占用",
    errno.EROFS: "该位置是只读的",
    errno.ENAMETOOLONG: "文件名或路径太长",
    errno.EIO: "读写磁盘出错",
}


def os_reason(exc: OSError) -> str:
    """The reason an ``OSError`` gives, in Chinese where it is a common one, for a sentence that
    names the file itself ("无法写入“…”：磁盘空间不足")."""
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))


class Cancelled(KnownError):
    """The user cancelled long work; whatever it was building was dropped, nothing written."""

    def __init__(self, message: str = "已取消", hint: str | None = None) -> None:
        super().__init__(message, hint)


class StorageError(KnownError):
    """A problem with the database file or an action the data does not allow."""


class NotEcoDeskDatabase(StorageError):
    """The file is not an SQLite database, or one that some other program made."""


class CorruptDatabase(StorageError):
    """SQLite's integrity check failed: the file must be restored from a backup."""


class NewerSchema(StorageError):
    """The file was written by a newer EcoDesk; opening it here could lose data."""

    default_hint = "升级 EcoDesk 后再打开此文件"


class ReadOnlyDatabase(StorageError):
    """A change was attempted on a database opened read-only."""


class PeriodLocked(StorageError):
    """The unit's period is marked 已报送 and refuses changes until unlocked."""

    default_hint = "先在数据填报页点“解除锁定”解锁该期间，再重试"


class ValueRejected(StorageError):
    """A single value failed a rule that refuses input (not a number, out of range)."""
