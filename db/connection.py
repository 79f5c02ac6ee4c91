"""Opening an EcoDesk database file safely.

``open_database`` refuses, with a Chinese sentence and without writing a byte, any file that is
not ours, is corrupt, or was written by a newer EcoDesk. A file that cannot be written, or that
another EcoDesk already holds, is opened read-only and says why. Before any migration of an
existing file a copy is written next to it.

Start-up on a current schema uses only the standard ``sqlite3`` module; sqlite-utils is imported
only when migrations have to run.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePath

from db import filesystems, instance_lock
from db.errors import (
    CorruptDatabase,
    NewerSchema,
    NotEcoDeskDatabase,
    ReadOnlyDatabase,
    StorageError,
    UpgradeNeeded,
    as_known,
    os_reason,
)
from db.schema_version import APPLICATION_ID, LATEST_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"

# Per-connection audit of targets: TEMP triggers may read the TEMP session table (who, which
# source), which a trigger stored in the file could not. Values are audited set-wise by
# ``db.values.write_values`` instead, since a per-row trigger made a 500,000-value import four
# times slower; ``staging`` is the table that write goes through.
_AUDIT_SETUP = (
    """CREATE TEMP TABLE session (
        user TEXT NOT NULL, source TEXT NOT NULL, user_id INTEGER, source_id INTEGER)""",
    """CREATE TEMP TABLE staging (
        unit_id INTEGER NOT NULL, period TEXT NOT NULL, indicator_id INTEGER NOT NULL,
        value REAL, note TEXT)""",
    # Through the ``audit`` view (its INSTEAD OF trigger stores the words compactly): targets
    # change a few at a time.
    """CREATE TEMP TRIGGER audit_target_insert AFTER INSERT ON main.target BEGIN
        INSERT INTO audit (at, user, action, unit_id, indicator_id, period, old_value,
                           new_value, source)
        SELECT strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'), user, 'target', NEW.unit_id,
               NEW.indicator_id, NEW.year, NULL, NEW.value, source FROM session;
    END""",
    """CREATE TEMP TRIGGER audit_target_update AFTER UPDATE ON main.target
    WHEN OLD.value IS NOT NEW.value BEGIN
        INSERT INTO audit (at, user, action, unit_id, indicator_id, period, old_value,
                           new_value, source)
        SELECT strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'), user, 'target', NEW.unit_id,
               NEW.indicator_id, NEW.year, OLD.value, NEW.value, source FROM session;
    END""",
    """CREATE TEMP TRIGGER audit_target_delete AFTER DELETE ON main.target BEGIN
        INSERT INTO audit (at, user, action, unit_id, indicator_id, period, old_value,
                           new_value, source)
        SELECT strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'), user, 'target', OLD.unit_id,
               OLD.indicator_id, OLD.year, OLD.value, NULL, source FROM session;
    END""",
)


def audit_name_id(conn: sqlite3.Connection, name: str) -> int:
    """The number the audit log stores ``name`` (a user, a source) under; added when new."""
    row = conn.execute("SELECT id FROM main.audit_name WHERE name = ?", (name,)).fetchone()
    if row is None:
        conn.execute("INSERT OR IGNORE INTO main.audit_name (name) VALUES (?)", (name,))
        row = conn.execute("SELECT id FROM main.audit_name WHERE name = ?", (name,)).fetchone()
    return int(row[0])


#: Every committed transaction leaves a new random stamp: ``db.backup`` skips an automatic backup
#: when the newest one holds the same stamp (nothing changed since).
_STAMP = (
    "INSERT INTO main.meta (key, value) VALUES ('change_stamp', lower(hex(randomblob(8)))) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)
#: Files up to this size get a ``quick_check`` on every open; larger ones are checked in full
#: from 备份与恢复 (a quick_check grows with the file: 1.2 s at 648 MB, on every start).
QUICK_CHECK_LIMIT = 16 << 20


@dataclass
class Database:
    """An open EcoDesk database: the connection plus what the user must know about it.

    Attributes:
        path: the database file.
        conn: an autocommit ``sqlite3`` connection; changes go through ``transaction()``.
        read_only: no change is possible (file not writable, or another EcoDesk holds it).
        read_only_reason: why, as a sentence for the status bar; empty when writable.
        user: the OS user recorded in the audit log.
        migration_backup: the copy written before migrating this file, if any.
        location: where the file lives; ``location.network`` on a share (journal_mode=DELETE
            there, and the status bar says 共享盘).
    """

    path: Path
    conn: sqlite3.Connection
    read_only: bool
    read_only_reason: str
    user: str
    migration_backup: Path | None = None
    location: filesystems.Location = filesystems.LOCAL
    _lock: instance_lock.InstanceLock | None = field(default=None, repr=False)
    _snapshot: Path | None = field(default=None, repr=False)
    _depth: int = field(default=0, repr=False)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing block; nests through savepoints.

        Every bulk change runs inside one of these, so an error or a killed process leaves the
        file as it was before the block. A failure of the disk or the file (full, read-only,
        busy, corrupt) leaves as the sentence ``db.errors.as_known`` gives it. On a full disk
        SQLite may already have rolled the whole transaction back: the savepoints are gone
        then, and undoing them again ("no such savepoint") must not hide the real cause.
        """
        if self.read_only:
            raise ReadOnlyDatabase(f"数据库以只读方式打开（{self.read_only_reason}），不能修改")
        try:
            if self._depth == 0:
                self.conn.execute("BEGIN IMMEDIATE")
            else:
                self.conn.execute(f"SAVEPOINT sp{self._depth}")
        except sqlite3.Error as exc:
            self._raise_known(exc)
            raise
        self._depth += 1
        try:
            yield self.conn
        except BaseException as exc:
            self._depth -= 1
            self._undo()
            if isinstance(exc, sqlite3.Error):
                self._raise_known(exc)
            raise
        self._depth -= 1
        try:
            if self._depth == 0:
                self.conn.execute(_STAMP)
                self.conn.execute("COMMIT")
            else:
                self.conn.execute(f"RELEASE sp{self._depth}")
        except sqlite3.Error as exc:
            self._undo()
            self._raise_known(exc)
            raise

    def _raise_known(self, exc: sqlite3.Error) -> None:
        """Raise the sentence for ``exc`` if it is a known failure of the disk or the file."""
        known = as_known(exc, self.path.name)
        if known is not None:
            raise known from exc

    def _undo(self) -> None:
        """Roll back the innermost level, if SQLite has not rolled everything back already."""
        if not self.conn.in_transaction:
            return
        with contextlib.suppress(sqlite3.OperationalError):
            if self._depth == 0:
                self.conn.execute("ROLLBACK")
            else:
                self.conn.execute(f"ROLLBACK TO sp{self._depth}")
                self.conn.execute(f"RELEASE sp{self._depth}")

    @contextlib.contextmanager
    def audit_source(self, source: str) -> Iterator[None]:
        """Label the audit rows written inside the block (e.g. the imported file's name)."""
        if self.read_only:
            yield
            return
        previous = self.conn.execute("SELECT source, source_id FROM temp.session").fetchone()
        self.conn.execute(
            "UPDATE temp.session SET source = ?, source_id = ?",
            (source, audit_name_id(self.conn, source)),
        )
        try:
            yield
        finally:
            self.conn.execute("UPDATE temp.session SET source = ?, source_id = ?", previous)

    def meta(self, key: str, default: str = "") -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            if not self.read_only:
                self.conn.execute("PRAGMA optimize")
        self.conn.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        if self._snapshot is not None:
            import shutil

            shutil.rmtree(self._snapshot, ignore_errors=True)
            self._snapshot = None


def _check_header(path: Path) -> bool:
    """True for an empty file (a new database), False for an SQLite file; else refuse."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except PermissionError as exc:
        raise StorageError(f"没有权限读取“{path}”：请检查文件权限") from exc
    except OSError as exc:
        raise StorageError(f"无法读取“{path}”：{os_reason(exc)}") from exc
    if not header:
        return True
    if header != SQLITE_HEADER:
        raise NotEcoDeskDatabase(
            f"“{path.name}”不是 EcoDesk 数据库（不是 SQLite 数据库文件），未作任何修改"
        )
    return False


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _connect(
    path: Path, read_only: bool, *, snapshot: bool = False
) -> tuple[sqlite3.Connection, Path | None]:
    """The connection, and the snapshot folder when a read-only file had to be copied first.

    Read-only never means stale: a WAL database whose ``-shm`` cannot be created (a read-only
    folder) cannot be opened ``mode=ro``, and opening it ``immutable=1`` ignored the commits
    still in its ``-wal`` (figures from before the last saves). So when a non-empty ``-wal``
    is there, the file and its ``-wal`` are copied to a private temporary folder and opened
    there: the copy shows everything committed when it was opened. Without a ``-wal`` the main
    file holds every commit and ``immutable=1`` shows it as it is. ``snapshot`` copies even when
    ``mode=ro`` would open: another PC writes the ``-wal`` (coherent over SMB) but its ``-shm``
    index is memory that PC does not share, so only a copy rebuilt from the ``-wal`` is current.
    """
    if not read_only:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 5000")
        return conn, None
    uri = sqlite_uri(path.resolve()) + "?mode=ro"
    wal = path.with_name(path.name + "-wal")
    if not snapshot:
        try:
            return _probe(uri), None
        except sqlite3.DatabaseError as exc:
            if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF in (11, 26):  # CORRUPT, NOTADB
                raise CorruptDatabase(
                    f"“{path.name}”已损坏，无法读取（{exc}）。请从备份恢复，原文件未作修改"
                ) from exc
    has_wal = wal.exists() and wal.stat().st_size > 0
    if not has_wal and not snapshot:
        return _probe(uri + "&immutable=1"), None
    import shutil  # the read-only snapshot path only: neither is needed to open a file normally
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="ecodesk-只读-"))
    try:
        copy = folder / path.name
        for _attempt in range(3):
            # A writer that restarts its -wal between the two copies would pair the main file
            # with frames of another generation: the -wal header (its salts) must not change.
            header = _wal_header(wal)
            if has_wal:
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
            shutil.copyfile(path, copy)
            if _wal_header(wal) == header:
                break
        return _probe(sqlite_uri(copy.resolve()) + "?mode=ro"), folder
    except (OSError, sqlite3.Error) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        if snapshot:
            raise StorageError(
                f"“{path.name}”正被另一台电脑以旧方式（WAL）打开，无法复制出最新数据（{exc}）；"
                "为免显示过时的数字，未打开",
                "请对方关闭 EcoDesk 后再打开",
            ) from exc
        raise StorageError(
            f"“{path.name}”所在文件夹只读，且最近的修改还在“{wal.name}”中，"
            f"无法读取最新数据（{exc}）；为免显示过时的数字，未打开",
            "把数据库文件连同同名的 -wal 文件复制到可写的文件夹后再打开",
        ) from exc


def _leave_wal(conn: sqlite3.Connection) -> bool:
    """Switch a file on a share to the rollback journal; False when another connection (another
    PC) holds it open in WAL mode, which SQLite refuses at once (SQLITE_BUSY) or by keeping WAL."""
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError as exc:
        if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF in (5, 6):  # BUSY, LOCKED
            return False
        raise
    return str(mode).lower() == "delete"


def _wal_header(wal: Path) -> bytes:
    try:
        with wal.open("rb") as handle:
            return handle.read(32)
    except FileNotFoundError:
        return b""


def sqlite_uri(path: PurePath) -> str:
    """``path`` as an SQLite ``file:`` URI (no query), for a UNC path on a share too.

    ``as_uri()`` writes ``\\\\server\\share\\x`` as ``file://server/share/x``, and SQLite refuses
    any URI authority but "localhost"; with an empty authority the server goes into the path:
    ``file:////server/share/x``, which SQLite's Windows VFS opens.
    """
    uri = path.as_uri()
    if uri.startswith("file://") and not uri.startswith("file:///"):
        uri = "file:////" + uri.removeprefix("file://")
    return uri


def _probe(uri: str) -> sqlite3.Connection:
    """Connect to ``uri`` and read the schema once, so an unreadable file fails here."""
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def _inspect(conn: sqlite3.Connection, path: Path) -> tuple[int, bool]:
    """Return (schema version, is empty); refuse foreign, corrupt and newer files.

    The schema is always read (a damaged first page fails here); the ``quick_check`` of every
    page only for files up to ``QUICK_CHECK_LIMIT``.
    """
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        small = _size(path) <= QUICK_CHECK_LIMIT
        check = conn.execute("PRAGMA quick_check").fetchall() if small else [("ok",)]
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabase(
            f"“{path.name}”已损坏，无法读取（{exc}）。请从备份恢复，原文件未作修改"
        ) from exc
    if [row[0] for row in check] != ["ok"]:
        raise CorruptDatabase(
            f"“{path.name}”未通过完整性检查（{check[0][0]}）。请从备份恢复，原文件未作修改"
        )
    empty = tables == 0 and version == 0
    if not empty and app_id != APPLICATION_ID:
        raise NotEcoDeskDatabase(
            f"“{path.name}”是其他程序的 SQLite 数据库，不是 EcoDesk 数据库，未作任何修改"
        )
    if version > LATEST_VERSION:
        raise NewerSchema(
            f"“{path.name}”由更新版本的 EcoDesk 创建（数据结构版本 {version}，本程序支持到 "
            f"{LATEST_VERSION}），文件未作修改"
        )
    return version, empty


#: Marks the copy written before a migration; ``.part`` while it is being written.
UPGRADE_MARK = "升级前"


def _size(path: Path) -> int:
    """The file's size with its -wal (0 if it cannot be read)."""
    total = 0
    for part in (path, path.with_name(path.name + "-wal")):
        with contextlib.suppress(OSError):
            total += part.stat().st_size
    return total


def backup_before_migration(path: Path, version: int) -> Path:
    """Copy the file next to itself before its schema changes.

    The copy is written under a temporary ``.part`` name and renamed only when complete, so a
    full disk or a killed process never leaves a partial copy that would open as an empty
    database; a failure removes the ``.part`` and is said as a sentence.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.v{version}-{UPGRADE_MARK}-{stamp}{path.suffix or '.db'}")
    part = target.with_name(target.name + ".part")
    try:
        source = sqlite3.connect(path)
        try:
            dest = _copy_target(part)
            try:
                source.backup(dest)
            finally:
                dest.close()
        finally:
            source.close()
        part.replace(target)
    except (sqlite3.Error, OSError) as exc:
        part.unlink(missing_ok=True)
        known = as_known(exc, target.name)
        raise StorageError(
            f"升级数据结构前未能备份“{path.name}”（{known.message if known else exc}），"
            "未作任何修改",
            known.hint if known else "检查磁盘空间和文件夹权限后重试",
        ) from exc
    return target


def _copy_target(path: Path) -> sqlite3.Connection:
    """The connection a copy is written through (a seam: tests make it run out of space)."""
    return sqlite3.connect(path)


def clean_leftovers(path: Path) -> list[Path]:
    """Remove what an interrupted migration backup left beside ``path``: ``.part`` copies and
    the 0-byte *升级前* files older versions left on a full disk. Returns what was removed."""
    removed = []
    pattern = f"{path.stem}.v*-{UPGRADE_MARK}-*"
    for leftover in path.parent.glob(pattern):
        try:
            if leftover.name.endswith(".part") or leftover.stat().st_size == 0:
                leftover.unlink()
                removed.append(leftover)
        except OSError:
            continue  # a read-only folder: nothing to clean that we could clean
    return removed


def open_database(
    path: Path | str,
    *,
    create: bool = False,
    read_only: bool = False,
    user: str | None = None,
) -> Database:
    """Open (or with ``create`` make) an EcoDesk database.

    Raises ``StorageError`` subclasses with a Chinese sentence; none of them changes the file.
    """
    path = Path(path)
    created = not path.exists()
    if created:
        if not create:
            raise StorageError(f"找不到数据库文件“{path}”")
        if not path.parent.is_dir():
            raise StorageError(f"文件夹“{path.parent}”不存在，无法在此新建数据库")
        new_file = True
    else:
        if path.is_dir():
            raise StorageError(f"“{path}”是文件夹，不是数据库文件")
        new_file = _check_header(path)
        if new_file and not create:
            raise NotEcoDeskDatabase(
                f"“{path.name}”是空文件（0 字节），不是 EcoDesk 数据库：可能复制、下载或保存时"
                "没有完成。未作任何修改",
                "从“备份与恢复”或原处重新取得该文件；要新建数据库请用“新建”",
            )

    reason = ""
    if read_only:
        reason = "按要求只读打开"
    elif path.exists() and not _writable(path):
        read_only, reason = True, "文件或所在文件夹不可写"

    # WAL's shared memory does not work between PCs: on a share, a rollback journal.
    location = filesystems.classify(path)
    lock: instance_lock.InstanceLock | None = None
    if not read_only:
        try:
            got = instance_lock.acquire(path, shared_drive=location.network)
        except OSError:
            read_only, reason = True, "无法在文件所在文件夹创建锁文件"
        else:
            if isinstance(got, instance_lock.NoLocking):
                read_only = True
                reason = "文件所在位置不支持文件锁（如部分网络共享盘），无法保证只有一人修改"
            elif isinstance(got, instance_lock.Holder):
                read_only = True
                reason = f"该文件已被{got.describe()}打开"
            else:
                lock = got
    if read_only and new_file:
        raise StorageError(f"无法新建“{path}”：{reason}")

    journal = "DELETE" if location.network else "WAL"
    conn: sqlite3.Connection | None = None
    snapshot: Path | None = None
    try:
        conn, snapshot = _connect(path, read_only)
        if snapshot is not None:
            reason += "；最近的修改尚未合并进主文件，显示的是打开时复制的最新数据"
        version, empty = _inspect(conn, path)
        if not read_only and location.network and not _leave_wal(conn):
            # Another PC still has the file open in WAL mode (an older EcoDesk, or one that
            # opened it from a local path): writing now would not be seen by it. Read-only,
            # from a copy rebuilt from its -wal, so that the figures shown are current.
            conn.close()
            conn = None
            if lock is not None:
                lock.release()
                lock = None
            read_only = True
            reason = (
                "另一台电脑仍以旧方式（WAL）打开着此文件（旁边的 -wal/-shm 文件正被使用），"
                "共享盘上不能同时修改；显示的是打开时的最新数据。请对方关闭 EcoDesk"
                "（或升级到本版本）后，重新打开此文件即可修改"
            )
            conn, snapshot = _connect(path, True, snapshot=True)
            version, empty = _inspect(conn, path)
        migration_backup = None
        if version < LATEST_VERSION:
            if read_only:
                raise UpgradeNeeded(
                    f"“{path.name}”需要升级数据结构（版本 {version} → {LATEST_VERSION}），"
                    f"但只能只读打开（{reason}），未作任何修改"
                )
            conn.execute(f"PRAGMA journal_mode = {journal}")
            conn.execute("PRAGMA foreign_keys = ON")
            if not empty:
                clean_leftovers(path)
                migration_backup = backup_before_migration(path, version)
            # Loaded only when needed: start-up on a current schema never imports sqlite-utils.
            from db.migrations import MIGRATIONS, apply_pending

            apply_pending(conn, MIGRATIONS)
        if not read_only:
            conn.execute(f"PRAGMA journal_mode = {journal}")
            conn.execute(f"PRAGMA synchronous = {'FULL' if location.network else 'NORMAL'}")
        conn.execute("PRAGMA foreign_keys = ON")
        who = user or instance_lock.current_user()
        if not read_only:
            # The staging table of bulk writes lives in memory, not in a temp file.
            conn.execute("PRAGMA temp_store = MEMORY")
            for statement in _AUDIT_SETUP:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO temp.session VALUES (?, ?, ?, ?)",
                (who, "手工录入", audit_name_id(conn, who), audit_name_id(conn, "手工录入")),
            )
    except BaseException:
        if conn is not None:
            conn.close()
        if snapshot is not None:
            import shutil

            shutil.rmtree(snapshot, ignore_errors=True)
        if lock is not None:
            lock.release()
        if created:
            for leftover in (
                path,
                path.with_name(path.name + "-wal"),
                path.with_name(path.name + "-shm"),
            ):
                leftover.unlink(missing_ok=True)
        raise
    return Database(
        path=path,
        conn=conn,
        read_only=read_only,
        read_only_reason=reason,
        location=location,
        user=who,
        migration_backup=migration_backup,
        _lock=lock,
        _snapshot=snapshot,
    )
