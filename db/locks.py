"""Period locks (已报送): a submitted period is read-only until it is unlocked.

The refusal itself is a trigger in the database file; this module sets and lifts locks and
writes both actions to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from db import audit
from db.connection import Database
from db.errors import StorageError


@dataclass(frozen=True)
class LockInfo:
    locked_at: str
    locked_by: str


def lock_info(db: Database, unit_id: int, period: str) -> LockInfo | None:
    row = db.conn.execute(
        "SELECT locked_at, locked_by FROM period_lock WHERE unit_id = ? AND period = ?",
        (unit_id, period),
    ).fetchone()
    return LockInfo(row[0], row[1]) if row else None


def locked_periods(db: Database) -> set[tuple[int, str]]:
    """Every (unit id, period code) marked 已报送, for checks over many cells at once."""
    return {(r[0], r[1]) for r in db.conn.execute("SELECT unit_id, period FROM period_lock")}


def _audit(db: Database, action: str, unit_id: int, period: str, reason: str = "") -> None:
    audit.record(db.conn, action, unit_id=unit_id, period=period, new=reason or None)


def lock_period(db: Database, unit_id: int, period: str) -> None:
    """Mark the period 已报送; refuse if it is already locked."""
    with db.transaction() as conn:
        if lock_info(db, unit_id, period) is not None:
            raise StorageError("该期间已经是已报送状态")
        conn.execute(
            "INSERT INTO period_lock (unit_id, period, locked_at, locked_by) VALUES "
            "(?, ?, strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'), ?)",
            (unit_id, period, db.user),
        )
        _audit(db, "lock", unit_id, period)


def unlock_period(db: Database, unit_id: int, period: str, reason: str = "") -> None:
    """Lift the lock; ``reason`` (why a submitted period is changed) is kept in the audit log."""
    with db.transaction() as conn:
        if lock_info(db, unit_id, period) is None:
            raise StorageError("该期间未锁定")
        conn.execute("DELETE FROM period_lock WHERE unit_id = ? AND period = ?", (unit_id, period))
        _audit(db, "unlock", unit_id, period, reason.strip())
