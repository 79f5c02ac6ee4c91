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
- **Compressed where it pays.** The copy is packed into a ``.zip`` holding the ``.ecodesk``
  file (Windows' Explorer opens it by hand) when that saves at least a fifth (deflate at its
  fastest level: a database of figures shrinks to about a quarter); the change stamp it holds is
  kept as the zip's comment, so "has anything changed" never unpacks it. Retention counts the
  sizes on disk, so the compressed ones. Old uncompressed backups list, check and restore alike.
- **Never a partial backup.** The copy and the zip are written under ``.part`` names and renamed
  only when whole; ``.part`` leftovers of a killed backup are removed by the next one.
- **No check on every open.** ``db.connection`` runs ``quick_check`` only on small files; the full
  ``integrity_check`` is here (``check_integrity``), run from 备份与恢复.

Restoring builds the restored database in a temporary file first: the backup copied (or
unpacked), migrated
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
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from db import audit
from db.connection import Database, open_database, sqlite_uri
from db.errors import CorruptDatabase, DiskFull, NewerSchema, StorageError, as_known, os_reason

DEFAULT_KEEP = 10
#: The automatic backups together may take at most this much disk.
DEFAULT_MAX_BYTES = 2 << 30
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>[^.]+)\.ecodesk(?P<zip>\.zip)?$"
)
#: A compressed backup is kept only when it takes at most this share of the plain copy.
PAYS = 0.8
#: deflate's fastest level: most of the saving (67 MB → 17 MB) at half the time of level 6.
COMPRESS_LEVEL = 1
_CHUNK = 1 << 20

REASONS = {"auto": "自动", "close": "关闭时", "manual": "手动", "restore": "恢复前"}
AUTOMATIC = ("auto", "close")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    reason: str

    @property
    def compressed(self) -> bool:
        return self.path.suffix == ".zip"

    @property
    def size(self) -> int:
        """Bytes on disk (the compressed size for a .zip), 0 when it cannot be read."""
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

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
    # Two backups within one second (a close, then a manual one): the later written first.
    return sorted(found, key=lambda b: (b.taken_at, _mtime(b.path), b.path.name), reverse=True)


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def change_stamp(conn: sqlite3.Connection) -> str:
    """The stamp of the last committed change ("" for a file that never had one)."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'change_stamp'").fetchone()
    except sqlite3.Error:
        return ""
    return str(row[0]) if row else ""


def _stamp_of(path: Path) -> str | None:
    """The change stamp a backup file holds, or None when it cannot be read."""
    if path.suffix == ".zip":  # kept as the zip's comment: no need to unpack
        try:
            with zipfile.ZipFile(path) as packed:
                return packed.comment.decode("utf-8") or None
        except (OSError, zipfile.BadZipFile, UnicodeDecodeError):
            return None
    try:
        # immutable: a finished backup never changes, and a WAL-mode copy opened plainly
        # read-only would leave -wal/-shm files beside it in the backup folder.
        uri = f"{sqlite_uri(path.resolve())}?mode=ro&immutable=1"
        conn = sqlite3.connect(uri, uri=True)
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
    compress: bool = True,
) -> BackupFile | None:
    """Write a consistent copy now, and prune the automatic ones (see the module docstring).

    With ``only_if_changed`` nothing is written (and None returned) when the newest backup
    already holds the current data. ``compress=False`` writes the plain copy as EcoDesk did
    before backups were compressed.
    """
    if only_if_changed and unchanged_since_last_backup(db):
        return None
    folder = backup_dir(db.path)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise StorageError(f"无法创建备份文件夹“{folder}”：{os_reason(exc)}") from exc
    for leftover in folder.glob("*.part*"):  # a backup killed half-way (and its -wal/-shm)
        with contextlib.suppress(OSError):
            leftover.unlink()
    now = datetime.now()
    target = folder / f"{db.path.stem}-{now:%Y%m%d-%H%M%S}-{reason}.ecodesk"
    while target.exists():  # two backups within one second
        now += timedelta(seconds=1)
        target = folder / f"{db.path.stem}-{now:%Y%m%d-%H%M%S}-{reason}.ecodesk"
    part = target.with_name(target.name + ".part")
    packed = target.with_name(target.name + ".zip.part")
    try:
        copy_database(db.conn, part)
        if compress and _compress(part, packed, target.name):
            target = target.with_name(target.name + ".zip")
            packed.replace(target)
            part.unlink()
        else:
            part.replace(target)
    except (OSError, sqlite3.Error, zlib.error) as exc:
        part.unlink(missing_ok=True)
        packed.unlink(missing_ok=True)
        if isinstance(exc, zlib.error):
            raise StorageError(f"备份失败（{target}）：压缩时出错：{exc}") from exc
        known = as_known(exc, target.name)
        raise StorageError(
            f"备份失败（{target}）：{known.message if known else exc}",
            known.hint if known else "检查磁盘空间和备份文件夹的权限后重试",
        ) from exc
    prune(db.path, keep, max_bytes=max_bytes)
    return BackupFile(target, now.replace(microsecond=0), reason)


def _compress(copy: Path, packed: Path, member: str) -> bool:
    """Pack ``copy`` into ``packed`` (one member named ``member``, the change stamp as the
    comment); True when that pays (see ``PAYS``), else ``packed`` is removed."""
    stamp = _stamp_of(copy) or ""
    with zipfile.ZipFile(
        packed, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL, allowZip64=True
    ) as archive:
        archive.comment = stamp.encode("utf-8")
        archive.write(copy, member)  # streamed in chunks, Zip64 when the file is large
    if packed.stat().st_size <= PAYS * copy.stat().st_size:
        return True
    packed.unlink()
    return False


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
    return _integrity(db.conn)


def _integrity(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    found = [str(row[0]) for row in rows]
    return [] if found == ["ok"] else found


def check_backup(backup: Path) -> list[str]:
    """The full ``integrity_check`` of a backup: a compressed one on its unpacked copy (in a
    temporary folder, removed afterwards). Returns the problems found, [] when sound."""
    try:
        with unpacked(backup) as work:
            return _check_copy(work)
    except CorruptDatabase as exc:  # a zip that does not unpack
        return [exc.message]


def _check_copy(work: Path) -> list[str]:
    try:
        conn = sqlite3.connect(f"{sqlite_uri(work)}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        return _integrity(conn)
    except sqlite3.Error as exc:  # not a database at all
        return [str(exc)]
    finally:
        conn.close()


@contextlib.contextmanager
def unpacked(backup: Path) -> Iterator[Path]:
    """A plain database copy of ``backup`` (unpacked from its .zip) in a temporary folder,
    named like the backup so that refusals name the file the user chose; removed afterwards."""
    staging = Path(tempfile.mkdtemp(prefix="ecodesk-备份-"))
    try:
        work = staging / backup.name
        _copy_file(backup, work)
        yield work
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def restore(db: Database, backup: Path) -> BackupFile:
    """Replace the open database's content with ``backup``; return the safety copy taken first.

    The backup is opened and checked like any database first (ours, not corrupt, not newer), so
    a wrong file is refused before anything changes; one from before a schema upgrade is
    migrated. The audit rows written after the backup was taken are kept, and the restore itself
    is audited (who, when, which backup).
    """
    if db.read_only:
        raise StorageError(f"数据库以只读方式打开（{db.read_only_reason}），不能恢复备份")
    with unpacked(backup) as work:
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
    return safety


def _copy_file(backup: Path, target: Path) -> None:
    """``backup`` as a plain database at ``target``: copied, or unpacked from its .zip."""
    try:
        if backup.suffix == ".zip":
            _unpack(backup, target)
        else:
            shutil.copyfile(backup, target)
    except OSError as exc:
        known = as_known(exc, backup.name)
        raise StorageError(
            f"无法读取备份“{backup.name}”：{known.message if known else os_reason(exc)}"
        ) from exc


def _unpack(backup: Path, target: Path) -> None:
    """The one .ecodesk file inside ``backup`` written to ``target`` (CRC checked on the way)."""
    try:
        with zipfile.ZipFile(backup) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1 or not members[0].filename.endswith(".ecodesk"):
                raise StorageError(
                    f"“{backup.name}”不是 EcoDesk 的备份：压缩包里应只有一个 .ecodesk 文件",
                    "请选择“备份与恢复”中列出的备份",
                )
            free = shutil.disk_usage(target.parent).free
            if members[0].file_size > free:
                raise DiskFull(
                    f"解开备份“{backup.name}”需要 {members[0].file_size / 1e6:.0f} MB，"
                    f"临时文件夹只剩 {free / 1e6:.0f} MB",
                    "请清理磁盘空间后重试",
                )
            with archive.open(members[0]) as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink, _CHUNK)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise CorruptDatabase(
            f"备份“{backup.name}”已损坏（压缩包无法解开：{exc}）", "请选择另一份备份"
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
