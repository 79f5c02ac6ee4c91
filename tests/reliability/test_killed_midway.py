"""kill -9 at random moments of an import, a migration, a backup and a restore.

Each operation runs in a child process that says "go" just before it starts; the parent kills
it after a random delay (seeded: a failure can be replayed) within the operation's own duration,
measured first by letting it finish once. Afterwards the file must pass ``integrity_check`` and
hold either the state before or the state after — never a mixture — and no partial copy may
pass for a backup. Bounded: three kills per operation.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from db import backup
from db.connection import open_database
from db.migrations import MIGRATIONS, apply_pending
from db.schema_version import LATEST_VERSION
from desktop.services.demo import build_demo

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    sys.platform == "win32",
    reason="kill -9 (SIGKILL) is POSIX; Windows has TerminateProcess, not tested here",
)
KILLS = 3
EXTRA = 20_000  # values one import writes: long enough to be killed in the middle

_CHILD = """
    import sys, time
    from pathlib import Path
    op, path = sys.argv[1], Path(sys.argv[2])
    from db import backup, indicators, values
    from db.connection import open_database
    if op == "migrate":
        print("go", flush=True)
        start = time.perf_counter()
        open_database(path).close()
    else:
        db = open_database(path)
        typed = [i.id for i in indicators.all_indicators(db) if not i.is_computed]
        months = [f"{1900 + k // 12}-M{k % 12 + 1}" for k in range(EXTRA // len(typed) + 1)]
        writes = [
            values.ValueWrite(1, months[n // len(typed)], typed[n % len(typed)], float(n))
            for n in range(EXTRA)
        ]
        print("go", flush=True)
        start = time.perf_counter()
        if op == "import":
            with db.audit_source("大批导入.xlsx"):
                values.write_values(db, writes)
        elif op == "backup":
            backup.make_backup(db, "manual")
        elif op == "restore":
            backup.restore(db, Path(sys.argv[3]))
        db.close()
    print(time.perf_counter() - start, flush=True)
"""


def _run(
    op: str,
    path: Path,
    *extra: str,
    kill_after: float | None = None,
    kill_when: Callable[[], bool] | None = None,
) -> float | None:
    """Run ``op`` in a child; kill it ``kill_after`` seconds after it starts, or as soon as
    ``kill_when()`` holds (neither: let it end). Returns how long the operation took when it
    finished."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(_CHILD).replace("EXTRA", str(EXTRA)),
            op,
            str(path),
            *extra,
        ],
        stdout=subprocess.PIPE,
        text=True,
        # A killed restore leaves its staging folder in the temp folder: keep it in the test's.
        env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(path.parent)},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "go"
    if kill_when is not None:
        deadline = time.monotonic() + 60
        while not kill_when():
            assert child.poll() is None, "the moment to kill it never came"
            assert time.monotonic() < deadline
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        return None
    if kill_after is None:
        out, _ = child.communicate(timeout=120)
        assert child.returncode == 0
        return float(out.strip())
    time.sleep(kill_after)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=60)
    return None


def _sound(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], path.name
    return conn


def _count(path: Path) -> int:
    conn = _sound(path)
    try:
        return int(conn.execute("SELECT count(*) FROM value").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("killed") / "demo.ecodesk"
    build_demo(path).close()
    return path


def _copy(source: Path, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(source, target)
    return target


def _delays(op: str, took: float) -> list[float]:
    rng = random.Random(f"{op}-2026")
    return [rng.uniform(0.05, 0.95) * took for _ in range(KILLS)]


def test_a_killed_import_leaves_all_or_nothing(demo_file: Path, tmp_path: Path) -> None:
    before = _count(demo_file)
    took = _run("import", _copy(demo_file, tmp_path / "full", "db.ecodesk"))
    assert took is not None
    for n, delay in enumerate(_delays("import", took)):
        path = _copy(demo_file, tmp_path / f"kill{n}", "db.ecodesk")
        _run("import", path, kill_after=delay)
        assert _count(path) in (before, before + EXTRA), f"killed after {delay:.3f} s"


def test_a_killed_backup_leaves_no_partial_backup(demo_file: Path, tmp_path: Path) -> None:
    source = _copy(demo_file, tmp_path, "db.ecodesk")
    took = _run("backup", source)
    assert took is not None
    for delay in _delays("backup", max(took, 0.02)):
        _run("backup", source, kill_after=delay)
        for made in backup.list_backups(source):  # every file named as a backup is whole
            assert backup.check_backup(made.path) == [], made.path.name
    db = open_database(source)
    try:
        backup.make_backup(db, "manual")
    finally:
        db.close()
    assert not list(backup.backup_dir(source).glob("*.part")), "leftovers cleaned"


def test_a_kill_while_the_backup_is_compressed_leaves_nothing_listed(
    demo_file: Path, tmp_path: Path
) -> None:
    source = _copy(demo_file, tmp_path, "db.ecodesk")
    _run("import", source)  # a file whose compression lasts long enough to be caught
    folder = backup.backup_dir(source)
    first = _run("backup", source)
    assert first is not None
    [whole] = backup.list_backups(source)
    assert whole.compressed

    def zipping() -> bool:  # the copy is made and its .zip is being written
        return any(p.name.endswith(".zip.part") for p in folder.iterdir())

    for _ in range(KILLS):
        _run("backup", source, kill_when=zipping)
        assert backup.list_backups(source) == [whole], "the half-written zip is no backup"
        assert backup.check_backup(whole.path) == []
    db = open_database(source)
    try:
        made = backup.make_backup(db, "manual")
    finally:
        db.close()
    assert made is not None and backup.check_backup(made.path) == []
    assert not list(folder.glob("*.part")), "the killed copies and zips cleaned"


def test_a_killed_restore_leaves_one_state_or_the_other(demo_file: Path, tmp_path: Path) -> None:
    original = _copy(demo_file, tmp_path / "full", "db.ecodesk")
    db = open_database(original)
    try:
        made = backup.make_backup(db, "manual")
        assert made is not None
    finally:
        db.close()
    _run("import", original)
    grown = _count(original)
    took = _run("restore", _copy(original, tmp_path / "timed", "db.ecodesk"), str(made.path))
    assert took is not None
    for n, delay in enumerate(_delays("restore", took)):
        path = _copy(original, tmp_path / f"kill{n}", "db.ecodesk")
        _run("restore", path, str(made.path), kill_after=delay)
        with backup.unpacked(made.path) as plain:
            backed_up = _count(plain)
        assert _count(path) in (grown, backed_up), f"killed after {delay:.3f} s"


def _old_file(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "old.ecodesk"
    conn = sqlite3.connect(path, isolation_level=None)
    apply_pending(conn, MIGRATIONS[:1])
    conn.execute("INSERT INTO meta (key, value) VALUES ('own_unit', 'X')")
    conn.close()
    return path


def test_a_killed_migration_leaves_a_file_that_opens(tmp_path: Path) -> None:
    took = _run("migrate", _old_file(tmp_path / "full"))
    assert took is not None
    for n, delay in enumerate(_delays("migrate", took)):
        path = _old_file(tmp_path / f"kill{n}")
        _run("migrate", path, kill_after=delay)
        _sound(path).close()
        for copy in path.parent.glob("*升级前*"):
            if not copy.name.endswith(".part"):
                conn = _sound(copy)
                assert conn.execute("PRAGMA user_version").fetchone()[0] == 1, copy.name
                conn.close()
        db = open_database(path)  # migrates now, or already had
        try:
            assert db.schema_version == LATEST_VERSION and db.meta("own_unit") == "X"
        finally:
            db.close()
        assert not list(path.parent.glob("*升级前*.part")), "leftovers cleaned"
        assert all(p.stat().st_size > 0 for p in path.parent.glob("*升级前*"))
