"""Typed figures: (unit, period, indicator) → value and note.

Every write goes through ``write_values`` in one transaction: a single cell typed in the grid
and a 500,000-value import take the same path, the same lock checks (a trigger in the file) and
the same audit (TEMP triggers set up by ``open_database``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from db import locks
from db.connection import Database
from db.text_limits import clean_entry


class ValueWrite(NamedTuple):
    """One change: ``value`` None clears the figure; ``note`` None keeps the note as it is.

    A named tuple, in the staging table's column order: an import builds hundreds of thousands
    of these, and a tuple is made in a third of a frozen dataclass's time and goes to
    ``executemany`` as it is, with no second row built from it.
    """

    unit_id: int
    period: str
    indicator_id: int
    value: float | None
    note: str | None = None


def write_values(db: Database, writes: Iterable[ValueWrite]) -> int:
    """Apply all writes in one transaction (all or nothing); return how many were given.

    The writes go through a TEMP staging table so that the audit rows (old → new, who, when,
    source) are written by one set-wise INSERT … SELECT, and the values by one upsert: the same
    path serves one typed cell and a 500,000-value import.
    """
    rows = list(writes)
    now = datetime.now().isoformat(timespec="seconds")
    with locks.refusals(), db.transaction() as conn:
        conn.execute("DELETE FROM temp.staging")
        if any(w.note is not None for w in rows):
            staged = [w if w.note is None else w._replace(note=_note(w.note)) for w in rows]
            conn.executemany("INSERT INTO temp.staging VALUES (?, ?, ?, ?, ?)", staged)
        else:
            # An import's figures carry no note: four plain columns (a slice of a named tuple is
            # a plain tuple) stage in two thirds of the time of the five-item named tuples.
            conn.executemany(_STAGE_FIGURES, [w[:4] for w in rows])
        conn.execute(_AUDIT_PERIODS)
        conn.execute(_AUDIT_VALUES, (now,))
        conn.execute(_AUDIT_NOTES, (now,))
        conn.execute(_UPSERT_KEEPING_NOTES)
        conn.execute(_UPSERT_WITH_NOTES)
        # A row left with neither value nor note is removed, so clearing a cell leaves no
        # trace but the audit log.
        conn.execute(
            "DELETE FROM value WHERE (unit_id, period, indicator_id) IN "
            "(SELECT unit_id, period, indicator_id FROM temp.staging WHERE value IS NULL) "
            "AND value IS NULL AND note = ''"
        )
        conn.execute("DELETE FROM temp.staging")
    return len(rows)


def _note(text: str) -> str:
    """A note as the store keeps it: no control characters, no longer than a cell holds."""
    return clean_entry(text, "备注")


_STAGE_FIGURES = (
    "INSERT INTO temp.staging (unit_id, period, indicator_id, value) VALUES (?, ?, ?, ?)"
)
# Straight into the compact table (migration 8), not through the ``audit`` view's per-row
# trigger: the period codes are added to ``audit_name`` once per write, set-wise.
_AUDIT_PERIODS = "INSERT OR IGNORE INTO audit_name (name) SELECT DISTINCT period FROM temp.staging"
_AUDIT_VALUES = (
    "INSERT INTO audit_log (at, user_id, action_id, unit_id, indicator_id, period_id, old_value, "
    "new_value, source_id) SELECT CAST(strftime('%s', ?1) AS INTEGER), session.user_id, "
    "(SELECT id FROM audit_name WHERE name = 'value'), s.unit_id, s.indicator_id, p.id, "
    "v.value, s.value, session.source_id FROM temp.staging AS s "
    "JOIN audit_name AS p ON p.name = s.period "
    "LEFT JOIN value AS v USING (unit_id, period, indicator_id), temp.session "
    "WHERE v.value IS NOT s.value"
)
_AUDIT_NOTES = (
    "INSERT INTO audit_log (at, user_id, action_id, unit_id, indicator_id, period_id, old_value, "
    "new_value, source_id) SELECT CAST(strftime('%s', ?1) AS INTEGER), session.user_id, "
    "(SELECT id FROM audit_name WHERE name = 'note'), s.unit_id, s.indicator_id, p.id, "
    "v.note, s.note, session.source_id FROM temp.staging AS s "
    "JOIN audit_name AS p ON p.name = s.period "
    "LEFT JOIN value AS v USING (unit_id, period, indicator_id), temp.session "
    "WHERE s.note IS NOT NULL AND coalesce(v.note, '') IS NOT s.note"
)
# ``WHERE true`` lets SQLite parse an upsert that follows a SELECT (a documented quirk).
_UPSERT_KEEPING_NOTES = (
    "INSERT INTO value (unit_id, period, indicator_id, value) "
    "SELECT unit_id, period, indicator_id, value FROM temp.staging WHERE note IS NULL "
    "ON CONFLICT (unit_id, period, indicator_id) DO UPDATE SET value = excluded.value"
)
_UPSERT_WITH_NOTES = (
    "INSERT INTO value (unit_id, period, indicator_id, value, note) "
    "SELECT unit_id, period, indicator_id, value, note FROM temp.staging WHERE note IS NOT NULL "
    "ON CONFLICT (unit_id, period, indicator_id) DO UPDATE SET value = excluded.value, "
    "note = excluded.note"
)


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


def notes_for_periods(db: Database, unit_id: int, periods: list[str]) -> dict[str, dict[int, str]]:
    """The notes (备注) written under several periods of one unit, by period then indicator id;
    only those not empty (most figures have none, and a sheet reads them beside its numbers)."""
    rows = db.conn.execute(
        "SELECT period, indicator_id, note FROM value WHERE unit_id = ? "
        "AND period IN (SELECT value FROM json_each(?)) AND note <> ''",
        (unit_id, json.dumps(periods)),
    )
    found: dict[str, dict[int, str]] = {}
    for period, indicator_id, note in rows:
        found.setdefault(period, {})[indicator_id] = note
    return found


def numbers_for_periods(
    db: Database, unit_id: int, periods: list[str]
) -> dict[str, dict[int, float | None]]:
    """The typed numbers (no notes) of several periods of one unit, by period then indicator:
    what an import's dry run holds each cell to, without a record built per figure.

    One query per period, its rows made into a dict in C (``dict(fetchall())``): a quarter
    faster than one query for all periods sorted out row by row in Python, for the tens of
    thousands of figures of an export.
    """
    execute = db.conn.execute
    query = "SELECT indicator_id, value FROM value WHERE unit_id = ? AND period = ?"
    return {code: dict(execute(query, (unit_id, code)).fetchall()) for code in periods}


def value_count(db: Database) -> int:
    return int(db.conn.execute("SELECT count(*) FROM value").fetchone()[0])


def periods_with_data(db: Database, unit_id: int) -> list[str]:
    """Period codes for which the unit has any stored figure."""
    rows = db.conn.execute(
        "SELECT DISTINCT period FROM value WHERE unit_id = ?", (unit_id,)
    ).fetchall()
    return [r[0] for r in rows]
