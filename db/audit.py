"""Reading the audit log (who changed what, when, from which source)."""

from __future__ import annotations

from dataclasses import dataclass

from db.connection import Database


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
