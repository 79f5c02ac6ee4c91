"""Opening files: new, foreign, corrupt, newer, read-only, held by another EcoDesk, migrated."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from db import connection, values
from db.connection import open_database
from db.errors import (
    CorruptDatabase,
    NewerSchema,
    NotEcoDeskDatabase,
    ReadOnlyDatabase,
    StorageError,
)
from db.migrations import APPLICATION_ID, LATEST_VERSION, MIGRATIONS, apply_pending
from tests.conftest import ROOT

SCHEMA_DUMP = Path(__file__).with_name("schema.sql")


def dump_schema(path: Path) -> str:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
    ).fetchall()
    conn.close()
    return "\n\n".join(f"-- {t} {n}\n{sql};" for t, n, sql in rows) + "\n"


def test_migrations_build_the_checked_in_schema(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.ecodesk", create=True)
    assert db.schema_version == LATEST_VERSION
    db.close()
    dumped = dump_schema(tmp_path / "new.ecodesk")
    if os.environ.get("ECODESK_WRITE_SCHEMA") == "1":  # after a reviewed schema change
        SCHEMA_DUMP.write_text(dumped, encoding="utf-8")
    assert dumped == SCHEMA_DUMP.read_text(encoding="utf-8"), (
        "schema changed: review the diff, then rerun with ECODESK_WRITE_SCHEMA=1 to record it"
    )


def test_new_file_is_marked_as_ours_with_wal_and_foreign_keys(
    empty_db: connection.Database,
) -> None:
    conn = empty_db.conn
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    recorded = [r[0] for r in conn.execute("SELECT version FROM migration ORDER BY version")]
    assert recorded == [m.version for m in MIGRATIONS]


def test_text_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.ecodesk"
    path.write_text("这不是数据库", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(NotEcoDeskDatabase, match="不是 EcoDesk 数据库"):
        open_database(path)
    assert path.read_bytes() == before
    assert not Path(str(path) + "-wal").exists()


def test_other_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotEcoDeskDatabase, match="其他程序"):
        open_database(path)
    assert path.read_bytes() == before


def test_corrupt_file_is_refused_and_left_alone(
    demo_db: connection.Database, tmp_path: Path
) -> None:
    demo_db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = demo_db.path
    demo_db.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 6)):  # garble b-tree pages
        data[offset] = 0xA5
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(CorruptDatabase, match=r"损坏|完整性"):
        open_database(path)
    assert path.read_bytes() == before


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.ecodesk"
    open_database(path, create=True).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerSchema, match="更新版本"):
        open_database(path)
    assert path.read_bytes() == before


def test_missing_file_without_create_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="找不到"):
        open_database(tmp_path / "nope.ecodesk")
    assert not (tmp_path / "nope.ecodesk").exists()


def test_unwritable_file_opens_read_only_and_refuses_changes(
    demo_db: connection.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = demo_db.path
    demo_db.close()
    # Tests run as root in CI, where chmod does not stop writes: simulate the OS answer.
    monkeypatch.setattr(connection, "_writable", lambda _path: False)
    db = open_database(path)
    try:
        assert db.read_only
        assert "不可写" in db.read_only_reason
        with pytest.raises(ReadOnlyDatabase, match="只读"):
            values.write_values(db, [values.ValueWrite(1, "2022-Y", 1, 1.0)])
    finally:
        db.close()


def test_old_file_is_backed_up_next_to_itself_before_migration(tmp_path: Path) -> None:
    path = tmp_path / "old.ecodesk"
    conn = sqlite3.connect(path, isolation_level=None)
    apply_pending(conn, MIGRATIONS[:1])
    conn.execute("INSERT INTO meta (key, value) VALUES ('own_unit', 'X')")
    conn.close()
    db = open_database(path)
    try:
        assert db.schema_version == LATEST_VERSION
        assert db.migration_backup is not None and db.migration_backup.parent == tmp_path
        copy = sqlite3.connect(db.migration_backup)
        assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
        assert copy.execute("SELECT value FROM meta").fetchone()[0] == "X"
        copy.close()
    finally:
        db.close()


HOLDER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from db.connection import open_database
    db = open_database({path!r})
    print("open", flush=True)
    time.sleep(60)
    """
)


def test_second_instance_gets_read_only_and_is_told_who_holds_it(
    demo_db: connection.Database,
) -> None:
    path = demo_db.path
    demo_db.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER.format(root=str(ROOT), path=str(path))],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        second = open_database(path)
        try:
            assert second.read_only
            assert "已被计算机" in second.read_only_reason
            assert second.user in second.read_only_reason
        finally:
            second.close()
    finally:
        holder.kill()
        holder.communicate()
    # The killed holder's lock is gone with its process: the file opens for writing again.
    third = open_database(path)
    try:
        assert not third.read_only
    finally:
        third.close()


KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from db.connection import open_database
    from db import values
    db = open_database({path!r})
    def rows():
        for n in range(200_000):
            if n == 100_000:
                print("half", flush=True)
                time.sleep(60)
            yield values.ValueWrite(1, f"{{2000 + n // 60}}-Y", 1 + n % 60, float(n))
    values.write_values(db, rows())
    """
)


def test_process_killed_during_bulk_change_leaves_file_as_before(
    demo_db: connection.Database,
) -> None:
    path = demo_db.path
    before = values.value_count(demo_db)
    demo_db.close()
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER.format(root=str(ROOT), path=str(path))],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "half"
    writer.kill()
    writer.communicate()
    db = open_database(path)
    try:
        assert values.value_count(db) == before
        assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()
