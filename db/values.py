"""Typed figures: (unit, period, indicator) → value and note.

Every write goes through ``write_values`` in one transaction: a single cell typed in the grid
and a 500,000-value import take the same path, the same lock checks (a trigger in the file) and
the same audit (TEMP triggers set up by ``open_database``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from db.connection import Database
from db.errors import PeriodLocked, StorageError


@dataclass(frozen=True)
class ValueWrite:
    """One change: ``value`` None clears the figure; ``note`` None keeps the note as it is."""

    unit_id: int
    period: str
    indicator_id: int
    value: float | None
    note: str | None = None


@contextmanager
def _storage_errors() -> Iterator[None]:
    """Turn the file's own refusals (raised by triggers) into sentences for the user."""
    try:
        yield
    except sqlite3.IntegrityError as exc:
        text = str(exc)
        if "ecodesk:period-locked" in text:
            raise PeriodLocked("该期间已报送（已锁定），请先解锁再修改") from exc
        if "ecodesk:computed-indicator" in text:
            raise StorageError("计算指标由公式得出，不能直接填写") from exc
        if "FOREIGN KEY" in text:
            raise StorageError("单位或指标不存在") from exc
        raise


def write_values(db: Database, writes: Iterable[ValueWrite]) -> int:
    """Apply all writes in one transaction (all or nothing); return how many were given."""
    upserts: list[tuple[int, str, int, float | None, str | None]] = []
    cleared: list[tuple[int, str, int]] = []
    for w in writes:
        upserts.append((w.unit_id, w.period, w.indicator_id, w.value, w.note))
        if w.value is None:
            cleared.append((w.unit_id, w.period, w.indicator_id))
    with _storage_errors(), db.transaction() as conn:
        conn.executemany(
            "INSERT INTO value (unit_id, period, indicator_id, value, note) "
            "VALUES (?1, ?2, ?3, ?4, coalesce(?5, '')) "
            "ON CONFLICT (unit_id, period, indicator_id) DO UPDATE SET value = excluded.value, "
            "note = coalesce(?5, note)",
            upserts,
        )
        # A row left with neither value nor note is removed, so clearing a cell leaves no
        # trace but the audit log.
        conn.executemany(
            "DELETE FROM value WHERE unit_id = ? AND period = ? AND indicator_id = ? "
            "AND value IS NULL AND note = ''",
            cleared,
        )
    return len(upserts)


def insert_new_values(db: Database, rows: Iterable[tuple[int, str, int, float]]) -> None:
    """Bulk path for values known to be new (demo build, first import of a year).

    A plain INSERT is what SQLite does fastest; an existing key raises instead of being
    overwritten, so the caller's transaction rolls back whole.
    """
    with _storage_errors(), db.transaction() as conn:
        try:
            conn.executemany(
                "INSERT INTO value (unit_id, period, indicator_id, value) VALUES (?, ?, ?, ?)",
                rows,
            )
        except sqlite3.IntegrityError as exc:
            if "UNIQUE" in str(exc):
                raise StorageError("导入的数据与已有数据重复，未作任何修改") from exc
            raise


@dataclass(frozen=True)
class StoredValue:
    value: float | None
    note: str


def values_for(db: Database, unit_id: int, period: str) -> dict[int, StoredValue]:
    """The typed values of one unit's period, by indicator id."""
    rows = db.conn.execute(
        "SELECT indicator_id, value, note FROM value WHERE unit_id = ? AND period = ?",
        (unit_id, period),
    ).fetchall()
    return {r[0]: StoredValue(r[1], r[2]) for r in rows}


def value_count(db: Database) -> int:
    return int(db.conn.execute("SELECT count(*) FROM value").fetchone()[0])


def periods_with_data(db: Database, unit_id: int) -> list[str]:
    """Period codes for which the unit has any stored figure."""
    rows = db.conn.execute(
        "SELECT DISTINCT period FROM value WHERE unit_id = ?", (unit_id,)
    ).fetchall()
    return [r[0] for r in rows]
