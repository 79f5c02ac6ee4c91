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
  ``DiskFull``, ``DatabaseBusy``, ``NoPermission``, ``PeriodLocked`` and ``ValueRejected`` for
  the cases callers tell apart. ``as_known`` maps an ``sqlite3`` or ``OSError`` failure of the
  disk or the file (full, read-only, corrupt, busy, no permission, I/O) to one of them, once
  for every site; ``explain`` uses it, so an excepthook or a message box given any exception
  shows that sentence when there is one.
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
    """The text to show for ``exc``: a ``KnownError`` as it is, a full disk, a corrupt file, a
    busy database or a refused permission (``sqlite3`` or ``OSError``) as the sentence
    ``as_known`` gives it, anything else as its own text."""
    known = exc if isinstance(exc, KnownError) else as_known(exc)
    if known is not None:
        return known.one_line() if one_line else known.with_hint()
    return str(exc)


def as_known(exc: BaseException, where: object = None) -> KnownError | None:
    """The sentence for a failure of the disk or the file, from ``sqlite3`` or the OS, or None.

    One mapping for every site that writes (commit, migration backup, restore, backup, export),
    so a full disk reads the same wherever it strikes. ``where`` names the file in the sentence.
    SQLite's result codes are read from ``sqlite_errorcode`` (primary code in the low byte);
    an ``OSError`` by its ``errno``. Returns None for what is not a known failure of the
    environment (a constraint, a bug): the caller lets it through.
    """
    if where is None and isinstance(exc, OSError) and exc.filename:
        where = exc.filename  # the OS names the file it failed on: say which
    name = f"“{where}”" if where is not None else "数据库文件"
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        primary = code & 0xFF
        factory = _SQLITE_ERRORS.get(primary)
        if factory is None and primary == _SQLITE_IOERR and _is_disk_full_text(str(exc)):
            factory = _SQLITE_ERRORS[_SQLITE_FULL]
        return None if factory is None else factory(name)
    if isinstance(exc, OSError) and exc.errno in _OS_ERRORS:
        return _OS_ERRORS[exc.errno](name)
    if type(exc).__name__ == "OperationalError" and "no such savepoint" in str(exc):
        # SQLite rolled the whole transaction back on its own (a full disk, an I/O error):
        # nothing was written. Said as the full disk it nearly always is.
        return _SQLITE_ERRORS[_SQLITE_FULL](name)
    return None


def _is_disk_full_text(text: str) -> bool:
    return "disk is full" in text or "No space left" in text


_SQLITE_IOERR = 10
_SQLITE_FULL = 13


def _disk_full(name: str) -> KnownError:
    return DiskFull(
        f"磁盘空间不足，{name}未能写入；本次修改没有保存，已有数据完好",
        "清理该磁盘（或把数据库移到空间充足的磁盘）后重试",
    )


def _corrupt(name: str) -> KnownError:
    return CorruptDatabase(
        f"{name}已损坏或不是数据库文件，无法读取；原文件未作修改",
        "在“备份与恢复”中选一个较早的备份恢复，或联系管理员",
    )


def _busy(name: str) -> KnownError:
    return DatabaseBusy(
        f"{name}正被另一个程序占用（其他 EcoDesk、同步软件或杀毒软件），暂时无法写入",
        "稍等片刻再试；如反复出现，关闭其他打开该文件的程序",
    )


def _read_only(name: str) -> KnownError:
    return ReadOnlyDatabase(
        f"{name}或其所在文件夹是只读的，无法写入",
        "把文件复制到本机可写的文件夹（如“文档”）后再打开，或请管理员开放写权限",
    )


def _no_permission(name: str) -> KnownError:
    return NoPermission(
        f"没有权限写入{name}，或它正被其他程序占用",
        "关闭正在使用该文件的程序，或请管理员开放该文件夹的写权限",
    )


def _io_error(name: str) -> KnownError:
    return StorageError(
        f"读写{name}时磁盘出错（可能是网络中断、U 盘拔出或磁盘故障）；本次修改没有保存",
        "检查磁盘或网络连接后重试；如反复出现，先备份数据再检查磁盘",
    )


def _cannot_open(name: str) -> KnownError:
    return StorageError(
        f"无法打开{name}：文件或其所在文件夹不存在、不可访问，或网络盘已断开",
        "检查文件位置和网络连接后重试",
    )


_SQLITE_ERRORS = {
    3: _no_permission,  # SQLITE_PERM
    5: _busy,  # SQLITE_BUSY
    6: _busy,  # SQLITE_LOCKED
    8: _read_only,  # SQLITE_READONLY
    10: _io_error,  # SQLITE_IOERR
    11: _corrupt,  # SQLITE_CORRUPT
    _SQLITE_FULL: _disk_full,
    14: _cannot_open,  # SQLITE_CANTOPEN
    23: _no_permission,  # SQLITE_AUTH
    26: _corrupt,  # SQLITE_NOTADB
}
_OS_ERRORS = {
    errno.ENOSPC: _disk_full,
    getattr(errno, "EDQUOT", errno.ENOSPC): _disk_full,
    errno.EROFS: _read_only,
    errno.EACCES: _no_permission,
    errno.EPERM: _no_permission,
    errno.EIO: _io_error,
}


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


class UpgradeNeeded(StorageError):
    """The file is from an older EcoDesk and was opened read-only, so it cannot be upgraded."""

    default_hint = "用 EcoDesk 以可写方式打开一次（升级前会自动备份），或让占用它的程序先关闭"


class ReadOnlyDatabase(StorageError):
    """A change was attempted on a database opened read-only, or the file system is read-only."""


class DiskFull(StorageError):
    """The disk (or the user's quota) is full: the change was not saved, the data is intact."""


class DatabaseBusy(StorageError):
    """Another program holds SQLite's lock on the file longer than we wait."""


class NoPermission(StorageError):
    """The OS refused access to the file or its folder."""


class PeriodLocked(StorageError):
    """The unit's period is marked 已报送 and refuses changes until unlocked."""

    default_hint = "先在数据填报页点“解除锁定”解锁该期间，再重试"


class ValueRejected(StorageError):
    """A single value failed a rule that refuses input (not a number, out of range)."""
