"""Backups: consistent copies, pruning of automatic ones, restore that can itself be undone."""

from __future__ import annotations

import shutil
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
    assert safety.compressed and safety.path.name.endswith(".ecodesk.zip")
    with backup.unpacked(safety.path) as plain:
        copy = sqlite3.connect(plain)
        assert copy.execute("SELECT count(*) FROM value").fetchone()[0] == before + 1
        copy.close()


def test_automatic_backups_are_kept_daily_for_a_week_then_weekly(demo_db: Database) -> None:
    manual = backup.make_backup(demo_db, "manual")
    assert manual is not None
    folder = manual.path.parent
    now = datetime(2026, 11, 29, 18, 0, 0)
    # Two closes a day for six weeks, as an office that opens the file morning and afternoon.
    for days in range(42):
        for hour in (9, 17):
            taken = now - timedelta(days=days) - timedelta(hours=18 - hour)
            name = f"{demo_db.path.stem}-{taken:%Y%m%d-%H%M%S}-close.ecodesk"
            shutil.copyfile(manual.path, folder / name)
    backup.prune(demo_db.path, keep=20, now=now)
    kept = [b.taken_at for b in backup.list_backups(demo_db.path) if b.reason == "close"]
    days = [(now - t).days for t in kept]
    assert days[:7] == [0, 1, 2, 3, 4, 5, 6], "the newest of each day of the last week"
    assert len(days) <= 7 + 5 and max(days) <= 35, "then one a week for a month, nothing older"
    assert manual.path.exists(), "manual backups stay"
    size = manual.path.stat().st_size
    backup.prune(demo_db.path, keep=20, max_bytes=3 * size, now=now)
    kept = [b for b in backup.list_backups(demo_db.path) if b.reason == "close"]
    assert len(kept) == 3 and kept[0].taken_at == now - timedelta(hours=1), "size cap: newest"
    backup.prune(demo_db.path, keep=2, now=now)
    assert len([b for b in backup.list_backups(demo_db.path) if b.reason == "close"]) == 2


def test_daily_backup_is_due_once_a_day(demo_db: Database) -> None:
    assert backup.daily_backup_due(demo_db.path)
    backup.make_backup(demo_db, "auto")
    assert not backup.daily_backup_due(demo_db.path)
    assert backup.daily_backup_due(demo_db.path, datetime.now() + timedelta(days=1))
