"""One writer for sure: the lock survives another descriptor of the lock file being closed, is
never handed to two processes at once, and is recovered from a killed holder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeDatabase

from db import instance_lock
from db.connection import open_database

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    sys.platform == "win32",
    reason="SIGKILL and fcntl are POSIX; the Windows path (msvcrt.locking) is not tested here",
)


def _child(code: str, *args: str, stdin: bool = False) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdin=subprocess.PIPE if stdin else None,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


_TRY_OPEN = """
    import sys
    from db.connection import open_database
    db = open_database(sys.argv[1])
    print("read-only" if db.read_only else "writable", db.read_only_reason, flush=True)
    db.close()
"""


def _second_opener(path: Path) -> str:
    child = _child(_TRY_OPEN, str(path))
    out, _ = child.communicate(timeout=60)
    return out.strip()


def test_looking_at_the_lock_file_in_the_same_process_keeps_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "数据.ecodesk"
    db = open_database(path, create=True)
    try:
        lock_file = instance_lock.lock_path_for(path)
        # What a file dialog does with the files of the folder it shows: it opens each to
        # guess its type, and closes it again.
        QMimeDatabase().mimeTypeForFile(str(lock_file))
        with lock_file.open("rb") as peek:
            peek.read()
        second = _second_opener(path)
        assert second.startswith("read-only"), second
        assert "已被计算机" in second and "打开" in second, "says who holds it"
    finally:
        db.close()
    assert _second_opener(path).startswith("writable"), "released on close"
    assert instance_lock.lock_path_for(path).exists(), "the lock file is never deleted"


_RACE = """
    import os, sys, time
    from pathlib import Path
    from db import instance_lock
    database, flag, seconds = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
    print("ready", flush=True)
    sys.stdin.readline()  # both start together, however slowly each was launched
    double = held = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        got = instance_lock.acquire(database)
        if isinstance(got, instance_lock.Holder):
            continue
        held += 1
        try:
            fd = os.open(flag, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            double += 1  # the other process holds the lock too
        else:
            os.close(fd)
            os.unlink(flag)
        got.release()
        time.sleep(0.0005)  # a breath between sessions, or a loaded PC starves the other racer
    print(held, double, flush=True)
"""


def test_two_processes_racing_never_both_hold(tmp_path: Path) -> None:
    database = tmp_path / "数据.ecodesk"
    flag = tmp_path / "held.flag"
    racers = [_child(_RACE, str(database), str(flag), "2.5", stdin=True) for _ in range(2)]
    for racer in racers:
        assert racer.stdout is not None and racer.stdout.readline().strip() == "ready"
    for racer in racers:
        assert racer.stdin is not None
        racer.stdin.write("go\n")
        racer.stdin.flush()
    results = [tuple(map(int, r.communicate(timeout=60)[0].split())) for r in racers]
    assert all(held > 0 for held, _ in results), f"both took the lock in turn: {results}"
    assert sum(double for _, double in results) == 0, f"two holders at once: {results}"


_HOLD = """
    import sys, time
    from pathlib import Path
    from db import instance_lock
    got = instance_lock.acquire(Path(sys.argv[1]))
    print("held" if isinstance(got, instance_lock.InstanceLock) else "refused", flush=True)
    time.sleep(60)
"""


def test_a_killed_holder_leaves_the_lock_to_the_next_opener(tmp_path: Path) -> None:
    database = tmp_path / "数据.ecodesk"
    holder = _child(_HOLD, str(database))
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        refused = instance_lock.acquire(database)
        assert isinstance(refused, instance_lock.Holder) and refused.pid == holder.pid
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.communicate(timeout=30)
    time.sleep(0.05)
    got = instance_lock.acquire(database)
    assert isinstance(got, instance_lock.InstanceLock), "the dead holder's lock is recovered"
    got.release()


def test_a_file_system_that_cannot_lock_opens_read_only_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import fcntl

    path = tmp_path / "数据.ecodesk"
    open_database(path, create=True).close()

    def refuse(fd: int, operation: int) -> None:  # what an SMB mount without locks answers
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", refuse)
    db = open_database(path)
    try:
        assert db.read_only and "不支持文件锁" in db.read_only_reason
    finally:
        db.close()


_OTHER_PC = """
    import fcntl, os, sys, time
    with open(sys.argv[1], "a+b") as handle:
        # What another PC's lock looks like from here: a record lock the file server holds.
        fcntl.lockf(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 1 << 20, os.SEEK_SET)
        print("held", flush=True)
        time.sleep(60)
"""


def test_on_a_share_the_file_servers_record_lock_is_also_taken(tmp_path: Path) -> None:
    database = tmp_path / "数据.ecodesk"
    other = _child(_OTHER_PC, str(instance_lock.lock_path_for(database)))
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "held"
        refused = instance_lock.acquire(database, shared_drive=True)
        assert isinstance(refused, instance_lock.Holder), "another PC holds the share's lock"
        local = instance_lock.acquire(database)  # our flock was let go again
        assert isinstance(local, instance_lock.InstanceLock)
        local.release()
    finally:
        other.kill()
        other.communicate(timeout=30)
    got = instance_lock.acquire(database, shared_drive=True)
    assert isinstance(got, instance_lock.InstanceLock)
    got.release()
