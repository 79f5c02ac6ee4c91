"""Period locks (已报送): a submitted period is read-only until it is unlocked.

The refusal itself is a trigger in the database file (migrations 1 and 12): a locked period's
values and notes, the values a year earlier that its sheet shows as 去年同期, and the unit's
年度目标 of that year. This module sets and lifts locks, writes both actions to the audit log,
says which lock freezes a figure (``freezing_value``, ``freezing_target``: the grid and the
import previews ask the same rule the triggers apply) and turns a trigger's refusal into a
sentence (``refusals``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from db import audit
from db.connection import Database
from db.errors import PeriodLocked, StorageError
from db.periods import Period


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


def freezing_value(db: Database, unit_id: int, period: str) -> Period | None:
    """The locked period that freezes the value and note stored under ``period``: the period
    itself, or the same period a year later (whose sheet shows this one as 去年同期)."""
    own = Period.parse(period)
    for candidate in (own, Period(own.year + 1, own.kind, own.num)):
        if lock_info(db, unit_id, candidate.code) is not None:
            return candidate
    return None


def freezing_target(db: Database, unit_id: int, year: int) -> Period | None:
    """A locked period of ``year`` (the first), which freezes the unit's 年度目标 of that year."""
    rows = db.conn.execute(
        "SELECT period FROM period_lock WHERE unit_id = ? AND substr(period, 1, 4) = ?",
        (unit_id, str(year)),
    )
    return first_locked_in((r[0] for r in rows), year)


def unit_locks(db: Database, unit_id: int) -> dict[str, LockInfo]:
    """Every locked period of one unit, by period code: for reading many of its sheets."""
    return {
        r[0]: LockInfo(r[1], r[2])
        for r in db.conn.execute(
            "SELECT period, locked_at, locked_by FROM period_lock WHERE unit_id = ?", (unit_id,)
        )
    }


def first_locked_in(locked: Iterable[str], year: int) -> Period | None:
    """``freezing_target`` over a unit's locked period codes already read (``unit_locks``)."""
    prefix = str(year)
    first = min((code for code in locked if code[:4] == prefix), default=None)
    return Period.parse(first) if first is not None else None


def frozen_words(locked: Period, period: str) -> str:
    """Which submitted period froze the value under ``period``: its own, or the one a year
    later that shows it as 去年同期 (“2023年1-10月已报送（已锁定），2022年1-10月是其去年同期”)."""
    if locked.code == period:
        return f"{locked.label}已报送（已锁定）"
    return f"{locked.label}已报送（已锁定），{Period.parse(period).label}是其去年同期"


def value_refusal(locked: Period, period: str) -> str:
    """Why a value under ``period`` is refused, naming the submitted period that froze it."""
    return f"{frozen_words(locked, period)}，不能修改"


def target_refusal(locked: Period) -> str:
    return f"{locked.label}已报送（已锁定），{locked.year}年的年度目标不能修改"


@contextmanager
def refusals() -> Iterator[None]:
    """Turn the file's own refusals (raised by triggers) into sentences for the user."""
    try:
        yield
    except sqlite3.IntegrityError as exc:
        text = str(exc)
        if "ecodesk:period-locked" in text:
            raise PeriodLocked("该期间已报送（已锁定），不能修改") from exc
        if "ecodesk:last-year-locked" in text:
            raise PeriodLocked("这是已报送期间的去年同期（次年同期已锁定），不能修改") from exc
        if "ecodesk:target-locked" in text:
            raise PeriodLocked("该年度已有期间报送（已锁定），年度目标不能修改") from exc
        if "ecodesk:computed-indicator" in text:
            raise StorageError("计算指标由公式得出，不能直接填写") from exc
        if "FOREIGN KEY" in text:
            raise StorageError("单位或指标不存在") from exc
        raise


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
