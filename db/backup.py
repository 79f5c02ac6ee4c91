"""Automatic and manual backups, and restoring one.

Backups use SQLite's online backup API, so a copy is consistent even while EcoDesk has the file
open. They go to a folder beside the database (``<name>.备份/``) so that they travel with it when
an office copies its data folder, and only the newest ``keep`` automatic ones are kept.

Restoring copies the chosen backup *into* the open database through the same API: it happens in
one step under SQLite's own lock, and a backup of the state being replaced is written first so
that a restore can itself be undone.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from db.connection import Database, open_database
from db.errors import StorageError, os_reason

DEFAULT_KEEP = 10
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>[^.]+)\.ecodesk$")

REASONS = {"auto": "自动", "close": "关闭时", "manual": "手动", "restore": "恢复前"}


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    reason: str

    @property
    def label(self) -> str:
        kind = REASONS.get(self.reason, self.reason)
        return f"{self.taken_at:%Y-%m-%d %H:%M:%S}（{kind}）"


def backup_dir(database: Path) -> Path:
    return database.with_name(database.name + ".备份")


def list_backups(database: Path) -> list[BackupFile]:
    """Backups of ``database``, newest first."""
    folder = backup_dir(database)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match:
            stamp = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
            found.append(BackupFile(path, stamp, match["reason"]))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def make_backup(db: Database, reason: str = "manual", keep: int = DEFAULT_KEEP) -> BackupFile:
    """Write a consistent copy now; prune old automatic copies beyond ``keep``."""
    folder = backup_dir(db.path)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise StorageError(f"无法创建备份文件夹“{folder}”：{os_reason(exc)}") from exc
    now = datetime.now()
    target = folder / f"{db.path.stem}-{now:%Y%m%d-%H%M%S}-{reason}.ecodesk"
    counter = 1
    while target.exists():  # two backups within one second
        now += timedelta(seconds=1)
        target = folder / f"{db.path.stem}-{now:%Y%m%d-%H%M%S}-{reason}.ecodesk"
        counter += 1
    part = target.with_name(target.name + ".part")
    try:
        dest = sqlite3.connect(part)
        try:
            db.conn.backup(dest)
        finally:
            dest.close()
        part.replace(target)
    except (OSError, sqlite3.Error) as exc:
        part.unlink(missing_ok=True)
        raise StorageError(f"备份失败（{target}）：{exc}") from exc
    prune(db.path, keep)
    return BackupFile(target, now.replace(microsecond=0), reason)


def prune(database: Path, keep: int) -> list[Path]:
    """Delete automatic backups beyond the newest ``keep``; manual ones stay until deleted."""
    automatic = [b for b in list_backups(database) if b.reason in ("auto", "close")]
    removed = []
    for old in automatic[keep:]:
        old.path.unlink(missing_ok=True)
        removed.append(old.path)
    return removed


def daily_backup_due(database: Path, now: datetime | None = None) -> bool:
    """True when no backup of any kind was taken today."""
    now = now or datetime.now()
    backups = list_backups(database)
    return not backups or backups[0].taken_at.date() < now.date()


def restore(db: Database, backup: Path) -> BackupFile:
    """Replace the open database's content with ``backup``; return the safety copy taken first.

    The backup is opened and checked like any database first (ours, not corrupt, not newer), so
    a wrong file is refused before anything changes.
    """
    if db.read_only:
        raise StorageError(f"数据库以只读方式打开（{db.read_only_reason}），不能恢复备份")
    source = open_database(backup, read_only=True)
    try:
        if source.schema_version != db.schema_version:
            raise StorageError(
                f"备份“{backup.name}”的数据结构版本为 {source.schema_version}，"
                f"当前为 {db.schema_version}，不能直接恢复"
            )
        safety = make_backup(db, "restore")
        source.conn.backup(db.conn)
    finally:
        source.close()
    return safety
