"""The audit log (who changed what, when, from which source): writing one row, reading them.

Value and target changes are recorded set-wise by ``db.values`` and TEMP triggers; everything
else (locks, indicators, plans, the ledger, reports) records through ``record`` here, so the
user and the source always come from the connection's session.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from db.connection import Database


def record(
    conn: sqlite3.Connection,
    action: str,
    *,
    unit_id: int | None = None,
    indicator_id: int | None = None,
    period: str | None = None,
    old: str | None = None,
    new: str | None = None,
    source: str | None = None,
) -> None:
    """One audit row inside the caller's transaction; ``source`` overrides the session's."""
    conn.execute(
        "INSERT INTO audit (at, user, action, unit_id, indicator_id, period, old_value, "
        "new_value, source) SELECT ?, user, ?, ?, ?, ?, ?, ?, coalesce(?, source) "
        "FROM temp.session",
        (
            datetime.now().isoformat(timespec="seconds"),
            action, unit_id, indicator_id, period, old, new, source,
        ),
    )  # fmt: skip


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    user: str
    action: str
    unit_id: int | None
    indicator_id: int | None
    period: str | None
    old_value: str | None
    new_value: str | None
    source: str


def recent(db: Database, limit: int = 200, unit_id: int | None = None) -> list[AuditEntry]:
    """The newest entries first, optionally for one unit."""
    where, params = ("WHERE unit_id = ?", (unit_id, limit)) if unit_id else ("", (limit,))
    rows = db.conn.execute(
        "SELECT id, at, user, action, unit_id, indicator_id, period, old_value, new_value, "
        f"source FROM audit {where} ORDER BY id DESC LIMIT ?",
        params,
    ).fetchall()
    return [AuditEntry(*r) for r in rows]


#: How far back (audit rows) the 工作台 looks for the last imports: a bound, so that a file
#: with millions of audit rows answers as fast as a new one.
RECENT_WINDOW = 50_000


def recent_sources(
    db: Database, unit_id: int | None = None, limit: int = 5
) -> list[tuple[str, str]]:
    """The latest imports and bulk writes by their audit source: (source, last time), newest
    first, from the last ``RECENT_WINDOW`` audit rows.

    Every import and bulk write names its source (the file, "演示数据", "整改台账：…"), so this
    is the "last imports" list of the 工作台 without a table of its own. It reads the compact
    log (migration 8) by row id, not the ``audit`` view, so it does not join every row.
    """
    sql = (
        "SELECT s.name, max(l.id) AS last FROM audit_log AS l "
        "JOIN audit_name AS s ON s.id = l.source_id "
        "WHERE l.id > (SELECT coalesce(max(id), 0) FROM audit_log) - ? AND s.name <> ''"
    )
    params: list[object] = [RECENT_WINDOW]
    if unit_id is not None:
        sql += " AND (l.unit_id = ? OR l.unit_id IS NULL)"
        params.append(unit_id)
    sql += " GROUP BY l.source_id ORDER BY last DESC LIMIT ?"
    params.append(limit)
    found = []
    for source, last in db.conn.execute(sql, params).fetchall():
        (when,) = db.conn.execute("SELECT at FROM audit WHERE id = ?", (last,)).fetchone()
        found.append((str(source), str(when)))
    return found


def last_id(db: Database) -> int:
    """The newest audit row's id: every write to the store adds one, so a page that shows
    derived figures can tell cheaply whether anything changed since it last read them."""
    return int(db.conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0])
