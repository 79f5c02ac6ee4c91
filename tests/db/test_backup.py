"""Backups: consistent copies, pruning of automatic ones, restore that can itself be undone."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from db import backup, values
from db.connection import Database
from db.indicators import indicator_by_code


def test_backup_restore_round_trip(demo_db: Database) -> None:
    before = values.value_count(demo_db)
    made = backup.make_backup(demo_db, "manual")
    assert made.path.parent == demo_db.path.with_name(demo_db.path.name + ".备份")
    pm25 = indicator_by_code(demo_db, "pm25")
    values.write_values(demo_db, [values.ValueWrite(1, "2030-Y", pm25.id, 30.0)])
    assert values.value_count(demo_db) == before + 1
    safety = backup.restore(demo_db, made.path)
    assert values.value_count(demo_db) == before
    copy = sqlite3.connect(safety.path)
    assert copy.execute("SELECT count(*) FROM value").fetchone()[0] == before + 1
    copy.close()


def test_only_the_newest_automatic_backups_are_kept(demo_db: Database) -> None:
    manual = backup.make_backup(demo_db, "manual")
    for _ in range(4):
        backup.make_backup(demo_db, "auto", keep=2)
    found = backup.list_backups(demo_db.path)
    assert [b.reason for b in found].count("auto") == 2
    assert manual.path in [b.path for b in found]


def test_daily_backup_is_due_once_a_day(demo_db: Database) -> None:
    assert backup.daily_backup_due(demo_db.path)
    backup.make_backup(demo_db, "auto")
    assert not backup.daily_backup_due(demo_db.path)
    assert backup.daily_backup_due(demo_db.path, datetime.now() + timedelta(days=1))
