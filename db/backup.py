"""Automatic and manual backups, and restoring one.

Backups are written with SQLite's backup API: a consistent copy even while EcoDesk has the file
open, at the disk's speed. They go to a folder beside the
database (``<name>.备份/``) so that they travel with it when an office copies its data folder.

At scale (a 50-unit, 10-year database of hundreds of MB) three rules keep them cheap:

- **Only when changed.** Every committed transaction stamps ``meta.change_stamp`` with a random
  value (``Database.transaction``); a backup records the stamp it copied, and an automatic backup
  whose stamp equals the newest backup's is skipped: closing a file that was only read copies
  nothing.
- **Retention by age, count and size.** Of the automatic backups, the newest of each day of the
  last week and of each week of the last month are kept, at most ``keep`` of them and at most
  ``max_bytes`` together (the oldest go first, the newest never). Manual backups and the copies
  taken before a restore stay until the user deletes them.
- **No check on every open.** ``db.connection`` runs ``quick_check`` only on small files; the full
  ``integrity_check`` is here (``check_integrity``), run from 备份与恢复.

Restoring builds the restored database in a temporary file first: the backup copied, migrated
if it predates this EcoDesk's schema, the audit rows written after the backup was taken copied
over, and a row saying who restored which backup when. Only then is it copied *into* the open
database in one step under SQLite's own lock, after a safety copy of the state being replaced.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from db import audit
from db.connection import Database, open_database, sqlite_uri
from db.errors import NewerSchema, StorageError, as_known, os_reason

DEFAULT_KEEP = 10
#: The automatic backups together may take at most this much disk.
DEFAULT_MAX_BYTES = 2 << 30
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>[^.]+)\.ecodesk$")

REASONS = {"auto": "自动", "close": "关闭时", "manual": "手动", "restore": "恢复前"}
AUTOMATIC = ("auto", "close")


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


def change_stamp(conn: sqlite3.Connection) -> str:
    """The stamp of the last committed change ("" for a file that never had one)."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'change_stamp'").fetchone()
    except sqlite3.Error:
        return ""
    return str(row[0]) if row else ""


def _stamp_of(path: Path) -> str | None:
    """The change stamp a backup file holds, or None when it cannot be read."""
    try:
        conn = sqlite3.connect(f"{sqlite_uri(path.resolve())}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        return f"{version}:{change_stamp(conn)}"
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def unchanged_since_last_backup(db: Database) -> bool:
    """True when the newest backup holds exactly what the file holds now."""
    newest = list_backups(db.path)
    stamp = change_stamp(db.conn)
    if not newest or not stamp:
        return False
    return _stamp_of(newest[0].path) == f"{db.schema_version}:{stamp}"


def make_backup(
    db: Database,
    reason: str = "manual",
    keep: int = DEFAULT_KEEP,
    *,
    only_if_changed: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> BackupFile | None:
    """Write a consistent copy now, and prune the automatic ones (see the module docstring).

    With ``only_if_changed`` nothing is written (and None returned) when the newest backup
    already holds the current data.
    """
    if only_if_changed and unchanged_since_last_backup(db):
        return None
    folder = backup_dir(db.path)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise StorageError(f"无法创建备份文件夹“{folder}”：{os_reason(exc)}") from exc
    for leftover in folder.glob("*.part"):  # a backup killed half-way
        with contextlib.suppress(OSError):
            leftover.unlink()
    now = datetime.now()
    target = folder / f"{db.path.stem}-{now:%Y%m%d-%H%M%S}-{reason}.ecodesk"
    while target.exists():  # two backups within one second
        now += timedelta(seconds=1)
        target = folder / f"{db.path.stem}-{now:%Y%m%d-%H%M%S}-{reason}.ecodesk"
    part = target.with_name(target.name + ".part")
    try:
        copy_database(db.conn, part)
        part.replace(target)
    except (OSError, sqlite3.Error) as exc:
        part.unlink(missing_ok=True)
        known = as_known(exc, target.name)
        raise StorageError(
            f"备份失败（{target}）：{known.message if known else exc}",
            known.hint if known else "检查磁盘空间和备份文件夹的权限后重试",
        ) from exc
    prune(db.path, keep, max_bytes=max_bytes)
    return BackupFile(target, now.replace(microsecond=0), reason)


def copy_database(conn: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of ``conn``'s main database at ``target``, with SQLite's backup API.

    A page-by-page copy runs at the disk's speed; ``VACUUM INTO`` would also compact the copy
    but rebuilds every table and index, several times slower on a large file (6 s against
    under 1 s at 100 MB), and a backup is taken when the user closes the window.
    """
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()


def keepers(backups: list[BackupFile], now: datetime, keep: int) -> list[BackupFile]:
    """Which automatic backups (newest first) retention keeps: the newest; the newest of each
    day of the last 7 days and of each ISO week of the last 5 weeks; at most ``keep``."""
    kept: list[BackupFile] = []
    days: set[object] = set()
    weeks: set[object] = set()
    for number, item in enumerate(backups):
        age = now - item.taken_at
        day = item.taken_at.date()
        week = item.taken_at.isocalendar()[:2]
        new_day = age <= timedelta(days=7) and day not in days
        new_week = age <= timedelta(days=35) and week not in weeks
        wanted = number == 0 or new_day or new_week
        days.add(day)
        weeks.add(week)
        if wanted:
            kept.append(item)
    return kept[: max(1, keep)]


def prune(
    database: Path, keep: int, *, max_bytes: int = DEFAULT_MAX_BYTES, now: datetime | None = None
) -> list[Path]:
    """Delete automatic backups retention does not keep; manual ones stay until deleted."""
    automatic = [b for b in list_backups(database) if b.reason in AUTOMATIC]
    kept = keepers(automatic, now or datetime.now(), keep)
    total = 0
    for number, item in enumerate(kept):
        with contextlib.suppress(OSError):
            total += item.path.stat().st_size
        if number > 0 and total > max_bytes:
            kept = kept[:number]
            break
    removed = []
    for old in automatic:
        if old not in kept:
            with contextlib.suppress(OSError):
                old.path.unlink()
                removed.append(old.path)
    return removed


def daily_backup_due(database: Path, now: datetime | None = None) -> bool:
    """True when no backup of any kind was taken today."""
    now = now or datetime.now()
    backups = list_backups(database)
    return not backups or backups[0].taken_at.date() < now.date()


def check_integrity(db: Database) -> list[str]:
    """SQLite's full ``integrity_check`` (slow on a large file: run it on the worker).

    Returns the problems found, [] when the file is sound.
    """
    rows = db.conn.execute("PRAGMA integrity_check").fetchall()
    found = [str(row[0]) for row in rows]
    return [] if found == ["ok"] else found


def restore(db: Database, backup: Path) -> BackupFile:
    """Replace the open database's content with ``backup``; return the safety copy taken first.

    The backup is opened and checked like any database first (ours, not corrupt, not newer), so
    a wrong file is refused before anything changes; one from before a schema upgrade is
    migrated. The audit rows written after the backup was taken are kept, and the restore itself
    is audited (who, when, which backup).
    """
    if db.read_only:
        raise StorageError(f"数据库以只读方式打开（{db.read_only_reason}），不能恢复备份")
    staging = Path(tempfile.mkdtemp(prefix="ecodesk-恢复-"))
    try:
        work = staging / backup.name  # refusals name the backup the user chose
        _copy_file(backup, work)
        try:
            restored = open_database(work, user=db.user)  # migrates an older backup
        except NewerSchema as exc:
            raise NewerSchema(
                f"备份“{backup.name}”由更新版本的 EcoDesk 创建，不能在此恢复", exc.hint
            ) from exc
        try:
            _carry_audit(db, restored, backup)
        finally:
            restored.close()
        safety = make_backup(db, "restore")
        assert safety is not None
        source = sqlite3.connect(work)
        try:
            source.backup(db.conn)
        except sqlite3.Error as exc:
            known = as_known(exc, db.path.name)
            raise known or StorageError(f"恢复失败：{exc}") from exc
        finally:
            source.close()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return safety


def _copy_file(backup: Path, target: Path) -> None:
    try:
        shutil.copyfile(backup, target)
    except OSError as exc:
        known = as_known(exc, backup.name)
        raise StorageError(
            f"无法读取备份“{backup.name}”：{known.message if known else os_reason(exc)}"
        ) from exc


def _carry_audit(db: Database, restored: Database, backup: Path) -> None:
    """Copy into ``restored`` the audit rows ``db`` has beyond the backup's, then the restore's."""
    columns = [
        row[1] for row in db.conn.execute("PRAGMA table_info(audit)").fetchall() if row[1] != "id"
    ]
    theirs = {row[1] for row in restored.conn.execute("PRAGMA table_info(audit)").fetchall()}
    shared = [c for c in columns if c in theirs]
    last = restored.conn.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]
    names = ", ".join(shared)
    rows = db.conn.execute(
        f"SELECT {names} FROM audit WHERE id > ? ORDER BY id", (last,)
    ).fetchall()
    taken = datetime.fromtimestamp(backup.stat().st_mtime).isoformat(sep=" ", timespec="seconds")
    with restored.transaction() as conn:
        marks = ", ".join("?" for _ in shared)
        conn.executemany(f"INSERT INTO audit ({names}) VALUES ({marks})", rows)
        audit.record(
            conn,
            "restore",
            old=f"恢复前的数据（{db.path.name}），恢复前另存了一份备份",
            new=f"从备份“{backup.name}”（{taken}）恢复；其后的 {len(rows)} 条修改记录保留",
            source="备份与恢复",
        )
