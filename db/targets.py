"""Annual targets (年度目标) per unit, indicator and year."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from db import locks
from db.connection import Database


def targets_for(db: Database, unit_id: int, year: int) -> dict[int, float]:
    return targets_for_years(db, unit_id, [year]).get(year, {})


def targets_for_years(
    db: Database, unit_id: int, years: Sequence[int]
) -> dict[int, dict[int, float]]:
    """A unit's targets of several years, by year then indicator id, in one query."""
    rows = db.conn.execute(
        "SELECT year, indicator_id, value FROM target "
        "WHERE unit_id = ? AND year IN (SELECT value FROM json_each(?))",
        (unit_id, json.dumps(list(years))),
    )
    found: dict[int, dict[int, float]] = {}
    for year, indicator_id, value in rows:
        found.setdefault(year, {})[indicator_id] = value
    return found


def set_targets(db: Database, rows: Iterable[tuple[int, int, int, float | None]]) -> None:
    """Set or clear (value None) targets given as (unit_id, indicator_id, year, value).

    A year with a submitted (locked) period refuses the whole call (a trigger in the file).
    """
    sets, clears = [], []
    for unit_id, indicator_id, year, value in rows:
        if value is None:
            clears.append((unit_id, indicator_id, year))
        else:
            sets.append((unit_id, indicator_id, year, value))
    with locks.refusals(), db.transaction() as conn:
        # An UPDATE, then an INSERT of what is still missing, rather than one upsert: under
        # ``ON CONFLICT DO UPDATE`` the audit trigger's own ``INSERT OR IGNORE`` of a word the
        # log already knows (the user, the year) failed, so no target could ever be changed.
        conn.executemany(
            "UPDATE target SET value = ?4 WHERE unit_id = ?1 AND indicator_id = ?2 AND year = ?3",
            sets,
        )
        conn.executemany(
            "INSERT INTO target (unit_id, indicator_id, year, value) SELECT ?1, ?2, ?3, ?4 "
            "WHERE NOT EXISTS (SELECT 1 FROM target "
            "WHERE unit_id = ?1 AND indicator_id = ?2 AND year = ?3)",
            sets,
        )
        conn.executemany(
            "DELETE FROM target WHERE unit_id = ? AND indicator_id = ? AND year = ?", clears
        )
