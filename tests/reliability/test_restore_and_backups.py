"""Restore audited and keeping the later audit rows, pre-upgrade backups restorable; backups
taken only when something changed; the full integrity check in 备份与恢复."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from db import audit, backup, values
from db.connection import Database, open_database
from db.errors import KnownError
from db.indicators import indicator_by_code
from db.migrations import MIGRATIONS, apply_pending
from db.schema_version import LATEST_VERSION


def _write(db: Database, value: float) -> None:
    pm25 = indicator_by_code(db, "pm25").id
    values.write_values(db, [values.ValueWrite(1, "2030-Y", pm25, value)])


def test_a_restore_is_audited_and_keeps_the_audit_rows_written_after_the_backup(
    demo_db: Database,
) -> None:
    made = backup.make_backup(demo_db, "manual")
    assert made is not None
    _write(demo_db, 30.0)
    written_after = audit.recent(demo_db, 1)[0]
    assert written_after.new_value in ("30.0", 30.0)
    backup.restore(demo_db, made.path)
    entries = audit.recent(demo_db, 5)
    assert entries[0].action == "restore" and entries[0].user == demo_db.user
    assert made.path.name in str(entries[0].new_value) and "1 条修改记录保留" in str(
        entries[0].new_value
    )
    kept = [(e.action, e.new_value, e.at) for e in entries[1:]]
    assert (written_after.action, written_after.new_value, written_after.at) in kept
    pm25 = indicator_by_code(demo_db, "pm25").id
    row = demo_db.conn.execute(
        "SELECT value FROM value WHERE period = '2030-Y' AND indicator_id = ?", (pm25,)
    ).fetchone()
    assert row is None, "the data is the backup's"


def test_a_backup_from_before_an_upgrade_is_migrated_and_restored(tmp_path: Path) -> None:
    path = tmp_path / "old.ecodesk"
    conn = sqlite3.connect(path, isolation_level=None)
    apply_pending(conn, MIGRATIONS[:1])
    conn.execute("INSERT INTO meta (key, value) VALUES ('own_unit', '旧单位')")
    conn.close()
    db = open_database(path)  # migrates, leaving the *升级前* copy
    try:
        assert db.migration_backup is not None
        db.set_meta("own_unit", "新单位")
        backup.restore(db, db.migration_backup)
        assert db.schema_version == LATEST_VERSION
        assert db.meta("own_unit") == "旧单位"
        assert audit.recent(db, 1)[0].action == "restore"
    finally:
        db.close()


def test_a_newer_backup_is_refused_before_anything_changes(demo_db: Database) -> None:
    made = backup.make_backup(demo_db, "manual", compress=False)
    assert made is not None
    conn = sqlite3.connect(made.path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    before = values.value_count(demo_db)
    with pytest.raises(Exception, match="更新版本"):
        backup.restore(demo_db, made.path)
    assert values.value_count(demo_db) == before
    assert [b.reason for b in backup.list_backups(demo_db.path)] == ["manual"], "no safety copy"


def test_an_unchanged_file_is_not_copied_again(demo_db: Database) -> None:
    first = backup.make_backup(demo_db, "close", only_if_changed=True)
    assert first is not None
    assert backup.make_backup(demo_db, "close", only_if_changed=True) is None
    path = demo_db.path
    demo_db.close()
    reopened = open_database(path)  # a session that only reads
    try:
        assert backup.make_backup(reopened, "close", only_if_changed=True) is None
        _write(reopened, 31.0)
        assert backup.make_backup(reopened, "close", only_if_changed=True) is not None
    finally:
        reopened.close()


def test_the_dialog_restores_and_checks_through_its_buttons(
    demo_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui import backup_dialog

    made = backup.make_backup(demo_db, "manual")
    assert made is not None
    _write(demo_db, 32.0)
    monkeypatch.setattr(
        backup_dialog.QMessageBox, "question", lambda *_: QMessageBox.StandardButton.Yes
    )
    shown: list[str] = []
    monkeypatch.setattr(
        backup_dialog.QMessageBox, "information", lambda _p, _t, text: shown.append(text)
    )
    dialog = backup_dialog.BackupDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "完整性检查通过" in shown[0]
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.restored), timeout=10_000)
    assert audit.recent(demo_db, 1)[0].action == "restore"


def test_the_audit_log_is_migrated_to_its_compact_form_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "v7.ecodesk"
    conn = sqlite3.connect(path, isolation_level=None)
    apply_pending(conn, MIGRATIONS[:7])
    rows = [
        (n, f"2022-11-{n % 28 + 1:02d}T10:{n % 60:02d}:00", f"user{n % 3}", "value", 1, 2,
         "2022-M1", "1.0", str(n), f"第{n % 5}批返回表.xlsx")
        for n in range(1, 2001)
    ]  # fmt: skip
    rows.append((2001, "昨天", "张三", "problem", None, None, None, None, "新问题", ""))
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    before = conn.execute("SELECT * FROM audit ORDER BY id").fetchall()
    conn.close()
    db = open_database(path)
    try:
        after = db.conn.execute("SELECT * FROM audit ORDER BY id").fetchall()
        assert after == before, "every row reads back as it was, through the view"
        names = db.conn.execute("SELECT count(*) FROM audit_name").fetchone()[0]
        # 4 users, 5 file names, '', 4 actions, 1 period, and this session's user and source:
        assert names <= 17, "each repeated word stored once, not once a row"
        with db.transaction() as conn:
            audit.record(conn, "problem", new="新问题")
        newest = audit.recent(db, 1)[0]
        assert newest.user == db.user and newest.source == "手工录入"
        assert newest.at[:4].isdigit() and "T" in newest.at
        share = dict(
            db.conn.execute(
                "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'audit%' GROUP BY name"
            ).fetchall()
        )
        assert share["audit_log"] < 2000 * 60, "about 60 bytes a row, not 110"
    finally:
        db.close()


def test_a_damaged_backup_is_refused_by_its_name_before_anything_changes(
    demo_db: Database, tmp_path: Path
) -> None:
    made = backup.make_backup(demo_db, "manual", compress=False)
    assert made is not None
    damaged = tmp_path / "坏备份.ecodesk"
    data = bytearray(made.path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    damaged.write_bytes(bytes(data))
    before = values.value_count(demo_db)
    with pytest.raises(KnownError, match=r"“坏备份\.ecodesk”已损坏"):
        backup.restore(demo_db, damaged)
    assert values.value_count(demo_db) == before
    assert [b.reason for b in backup.list_backups(demo_db.path)] == ["manual"], "no safety copy"
