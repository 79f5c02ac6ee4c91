"""One writer per database file: a lock file beside it, held with an OS lock.

SQLite itself would let two EcoDesk windows write the same file in turn, and each would show
stale figures to its user. So the first EcoDesk to open a file takes ``<file>.lock``: it writes
who it is (PC, user, since when) at the start of the file and holds an OS lock on a byte far
past that text. The OS drops the lock when the process dies, even when it is killed, so a lock
file left behind by a crash is never mistaken for a live holder. A second EcoDesk finds the byte
locked, reads who holds it, and opens the database read-only.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

# The locked byte lies past any holder text so that readers can still read the text on Windows,
# where byte-range locks are mandatory.
_LOCK_OFFSET = 1 << 20


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
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers) or no environment variables
        return f"uid{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def _try_lock(handle: IO[bytes]) -> bool:
    handle.seek(_LOCK_OFFSET)
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.lockf(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _LOCK_OFFSET, os.SEEK_SET)
    except OSError:
        return False
    return True


class InstanceLock:
    """The held lock; ``release()`` (or process exit) frees it."""

    def __init__(self, path: Path, handle: IO[bytes]) -> None:
        self.path = path
        self._handle: IO[bytes] | None = handle

    def release(self) -> None:
        if self._handle is None:
            return
        handle, self._handle = self._handle, None
        with contextlib.suppress(OSError):
            handle.seek(0)
            handle.truncate(0)
        handle.close()  # closing drops the OS lock
        with contextlib.suppress(OSError):
            self.path.unlink()


def lock_path_for(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def acquire(database: Path) -> InstanceLock | Holder:
    """Take the writer lock for ``database``, or return who holds it.

    Raises ``OSError`` when the lock file cannot be created at all (a read-only folder); the
    caller then opens the database read-only anyway.
    """
    path = lock_path_for(database)
    handle = path.open("a+b")
    if not _try_lock(handle):
        handle.seek(0)
        text = handle.read(4096).decode("utf-8", errors="replace")
        handle.close()
        return _parse_holder(text)
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
