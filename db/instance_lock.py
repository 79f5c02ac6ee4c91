"""One writer per database file: a lock file beside it, held with an OS lock for the session.

SQLite itself would let two EcoDesk windows write the same file in turn, and each would show
stale figures to its user. So the first EcoDesk to open a file takes ``<file>.lock``: it writes
who it is (PC, user, since when) at the start of the file and holds an OS lock on it for as long
as the database is open. A second EcoDesk finds it locked, reads who holds it, and opens the
database read-only.

Two rules make this sure, because both were broken once:

- The lock must be one no other descriptor can drop. POSIX record locks (``fcntl``/``lockf``)
  belong to the *process* and vanish when it closes *any* descriptor of the file — a file
  dialog that merely peeked at ``<file>.lock`` handed the database to a second writer. So on
  Linux and macOS it is ``flock``, which belongs to the open file description this module holds;
  on Windows ``msvcrt.locking`` (``LockFile``), which belongs to the handle.
- The lock file is never deleted. Deleting it after unlocking let a process that had opened it
  in between lock a file no longer in the folder while the next opener created and locked a
  new one: two writers. An empty ``.lock`` left beside the database is harmless.

The OS drops the lock when the process dies, even when it is killed, so a lock file left behind
by a crash is never mistaken for a live holder. A file system that cannot lock at all (some
network shares) gives ``NoLocking``; the caller then opens read-only and says why.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

# On Windows the locked byte lies past any holder text so that readers can still read the text:
# byte-range locks there are mandatory.
_LOCK_OFFSET = 1 << 20
#: errno values that mean "someone else holds it" (Windows reports EACCES or EDEADLOCK).
_HELD = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, getattr(errno, "EDEADLOCK", -1)}


@dataclass(frozen=True)
class NoLocking:
    """The file system refuses locks (some network shares): one writer cannot be guaranteed."""

    reason: str


@dataclass(frozen=True)
class Holder:
    """Who holds a database open for writing."""

    host: str
    user: str
    pid: int
    since: str

    def describe(self) -> str:
        since = self.since.replace("T", " ")
        return f"计算机“{self.host}”上的用户“{self.user}”自 {since} 起"


def current_user() -> str:
    """The OS user name recorded in the audit log."""
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):  # what getpass.getuser() reads first
        user = os.environ.get(name)
        if user:
            return user
    try:
        import getpass  # only when the environment does not say (its import loads termios)

        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers) or no environment variables
        return f"uid{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def _try_lock(handle: IO[bytes], *, shared_drive: bool = False) -> bool | NoLocking:
    """Lock ``handle`` without waiting; False when another holds it, ``NoLocking`` when the
    file system cannot lock at all.

    On a network share under Linux a ``flock`` may be kept on this PC only (CIFS, NFS emulate
    it locally or through record locks), so there a record lock on the byte past the holder
    text is taken as well: the file server sees that one, and other PCs are refused.
    """
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(_LOCK_OFFSET)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            if shared_drive:
                try:
                    fcntl.lockf(
                        handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _LOCK_OFFSET, os.SEEK_SET
                    )
                except OSError:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
                    raise
    except OSError as exc:
        if exc.errno in _HELD:
            return False
        return NoLocking(f"文件系统不支持文件锁（{exc.strerror}）")
    return True


class InstanceLock:
    """The held lock; ``release()`` (or process exit) frees it. The file itself stays."""

    def __init__(self, path: Path, handle: IO[bytes]) -> None:
        self.path = path
        self._handle: IO[bytes] | None = handle

    @property
    def held(self) -> bool:
        return self._handle is not None

    def release(self) -> None:
        if self._handle is None:
            return
        handle, self._handle = self._handle, None
        with contextlib.suppress(OSError):
            handle.seek(0)
            handle.truncate(0)  # no stale "who" for the next reader
            handle.flush()
        handle.close()  # closing our descriptor drops the OS lock; the file is not deleted


def lock_path_for(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def acquire(database: Path, *, shared_drive: bool = False) -> InstanceLock | Holder | NoLocking:
    """Take the writer lock for ``database``, or return who holds it, or why it cannot be locked.

    ``shared_drive``: the file is on a network share (``db.filesystems``), see ``_try_lock``.

    Raises ``OSError`` when the lock file cannot be created at all (a read-only folder); the
    caller then opens the database read-only anyway and says why.
    """
    path = lock_path_for(database)
    handle = path.open("a+b")
    try:
        locked = _try_lock(handle, shared_drive=shared_drive)
    except BaseException:
        handle.close()
        raise
    if isinstance(locked, NoLocking):
        handle.close()
        return locked
    if not locked:
        try:
            return _read_holder(handle)
        finally:
            handle.close()
    holder = Holder(
        host=host_name(),
        user=current_user(),
        pid=os.getpid(),
        since=datetime.now().isoformat(timespec="seconds"),
    )
    handle.seek(0)
    handle.truncate(0)
    text = "\n".join(f"{key}={value}" for key, value in holder.__dict__.items())
    handle.write(text.encode("utf-8"))
    handle.flush()
    return InstanceLock(path, handle)


def _read_holder(handle: IO[bytes]) -> Holder:
    """Who holds the lock: the holder writes its text just after locking, so wait briefly."""
    for _ in range(10):
        handle.seek(0)
        text = handle.read(4096).decode("utf-8", errors="replace")
        if "since=" in text:
            return _parse_holder(text)
        time.sleep(0.02)
    return _parse_holder(text)


def _parse_holder(text: str) -> Holder:
    data = dict(line.partition("=")[::2] for line in text.rstrip("\x00").splitlines())
    try:
        return Holder(data["host"], data["user"], int(data["pid"]), data["since"])
    except (ValueError, KeyError):
        return Holder("未知", "未知", 0, "未知时间")


def host_name() -> str:
    """This PC's name, as colleagues know it (no socket import: it costs start-up time)."""
    if sys.platform == "win32":
        return os.environ.get("COMPUTERNAME", "未知计算机")
    return os.uname().nodename
