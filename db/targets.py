"""Annual targets (年度目标) per unit, indicator and year."""

from __future__ import annotations

from collections.abc import Iterable

from db.connection import Database


def targets_for(db: Database, unit_id: int, year: int) -> dict[int, float]:
    rows = db.conn.execute(
        "SELECT indicator_id, value FROM target WHERE unit_id = ? AND year = ?", (unit_id, year)
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def set_targets(db: Database, rows: Iterable[tuple[int, int, int, float | None]]) -> None:
    """Set or clear (value None) targets given as (unit_id, indicator_id, year, value)."""
    sets, clears = [], []
    for unit_id, indicator_id, year, value in rows:
        if value is None:
            clears.append((unit_id, indicator_id, year))
        else:
            sets.append((unit_id, indicator_id, year, value))
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO target (unit_id, indicator_id, year, value) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (unit_id, indicator_id, year) DO UPDATE SET value = excluded.value",
            sets,
        )
        conn.executemany(
            "DELETE FROM target WHERE unit_id = ? AND indicator_id = ? AND year = ?", clears
        )
