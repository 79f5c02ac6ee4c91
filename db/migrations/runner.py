"""Applying migrations: each in its own transaction together with its record.

sqlite-utils wraps the same ``sqlite3`` connection the rest of the store uses, so a migration can
use its table helpers for bulk loads while the version bump stays in one transaction with it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

from db.schema_version import APPLICATION_ID


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite_utils.Database], None]


def run_script(db: sqlite_utils.Database, script: str) -> None:
    """Run several statements inside the caller's transaction.

    ``executescript`` would commit first, which is exactly what a migration must not do, so
    statements are split with SQLite's own completeness test and run one by one.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not statement.strip():
            continue
        statement += line
        if sqlite3.complete_statement(statement):
            db.conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"unterminated statement in migration: {statement[:80]!r}")


def apply_pending(conn: sqlite3.Connection, migrations: list[Migration]) -> list[int]:
    """Apply every migration newer than the file's ``user_version``; return the versions applied.

    The connection must be in autocommit mode (``isolation_level=None``): each migration runs in
    an explicit ``BEGIN IMMEDIATE`` … ``COMMIT`` and rolls back whole on any error.
    """
    import sqlite_utils

    current = conn.execute("PRAGMA user_version").fetchone()[0]
    applied: list[int] = []
    db = sqlite_utils.Database(conn)
    for migration in migrations:
        if migration.version <= current:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            migration.apply(db)
            conn.execute(
                "INSERT INTO migration (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, datetime.now().isoformat(timespec="seconds")),
            )
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {migration.version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
