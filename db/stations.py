"""Monitoring stations (空气站点) and water sections (地表水断面) of a unit.

A station is named as the monitoring centre names it; importing a file creates the stations it
mentions inside the import's own transaction, so a refused import leaves no stray station.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from db.connection import Database

Kind = Literal["air", "water"]


@dataclass(frozen=True)
class Station:
    id: int
    unit_id: int
    kind: str
    name: str
    water_body: str  # "河流" / "湖库" for a section, "" for an air station


_COLUMNS = "id, unit_id, kind, name, water_body"


def stations_of(db: Database, unit_id: int, kind: Kind) -> list[Station]:
    """A unit's stations or sections of one kind, by name."""
    rows = db.conn.execute(
        f"SELECT {_COLUMNS} FROM station WHERE unit_id = ? AND kind = ? ORDER BY name",
        (unit_id, kind),
    ).fetchall()
    return [Station(*r) for r in rows]


def find_station(db: Database, unit_id: int, kind: Kind, name: str) -> Station | None:
    row = db.conn.execute(
        f"SELECT {_COLUMNS} FROM station WHERE unit_id = ? AND kind = ? AND name = ?",
        (unit_id, kind, name),
    ).fetchone()
    return Station(*row) if row else None


def ensure_station(
    db: Database, unit_id: int, kind: Kind, name: str, water_body: str = ""
) -> Station:
    """The named station, added when new; must run inside the caller's transaction.

    A water section's body type is updated when the file says otherwise (the latest import is
    what the office now states); an air station never has one.
    """
    body = water_body if kind == "water" else ""
    found = find_station(db, unit_id, kind, name)
    if found is None:
        cursor = db.conn.execute(
            "INSERT INTO station (unit_id, kind, name, water_body) VALUES (?, ?, ?, ?)",
            (unit_id, kind, name, body),
        )
        assert cursor.lastrowid is not None
        return Station(cursor.lastrowid, unit_id, kind, name, body)
    if body and found.water_body != body:
        db.conn.execute("UPDATE station SET water_body = ? WHERE id = ?", (body, found.id))
        return Station(found.id, unit_id, kind, name, body)
    return found
