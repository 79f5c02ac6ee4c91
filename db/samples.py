"""Monitoring values kept per station, day and item: air daily values and water samples.

Both tables have the same shape (station, ISO day, item, decimal text), so one reader and one
writer serve both; ``AIR`` and ``WATER`` name the table and its item column. Values cross this
boundary as ``Decimal`` and are stored as plain decimal text (``"35.5"``, never ``"3.55E+1"``)
so that a standard's rounding sees exactly the published figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from db.connection import Database
from db.stations import Kind


@dataclass(frozen=True)
class SampleTable:
    table: str
    item_column: str
    kind: Kind  # the kind of station the values belong to


AIR = SampleTable("air_daily", "measure", "air")
WATER = SampleTable("water_sample", "item", "water")

#: (station id, ISO day, item) → value
SampleKey = tuple[int, str, str]


def decimal_text(value: Decimal) -> str:
    """``Decimal("35.50")`` → "35.5", ``Decimal("1E+2")`` → "100": plain, no exponent."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def read_samples(
    db: Database,
    table: SampleTable,
    station_ids: Sequence[int],
    start: date | None = None,
    end: date | None = None,
) -> dict[SampleKey, Decimal]:
    """Every stored value of the stations, optionally between two days (inclusive)."""
    if not station_ids:
        return {}
    marks = ",".join("?" * len(station_ids))
    sql = (
        f"SELECT station_id, day, {table.item_column}, value FROM {table.table} "
        f"WHERE station_id IN ({marks})"
    )
    params: list[object] = list(station_ids)
    if start is not None:
        sql += " AND day >= ?"
        params.append(start.isoformat())
    if end is not None:
        sql += " AND day <= ?"
        params.append(end.isoformat())
    return {(s, d, i): Decimal(v) for s, d, i, v in db.conn.execute(sql, params)}


def write_samples(
    db: Database, table: SampleTable, rows: Iterable[tuple[SampleKey, Decimal | None]]
) -> None:
    """Insert, replace or (value None) delete values; must run inside the caller's transaction."""
    put: list[tuple[int, str, str, str]] = []
    gone: list[tuple[int, str, str]] = []
    for (station, day, item), value in rows:
        if value is None:
            gone.append((station, day, item))
        else:
            put.append((station, day, item, decimal_text(value)))
    db.conn.executemany(
        f"INSERT INTO {table.table} (station_id, day, {table.item_column}, value) "
        f"VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value",
        put,
    )
    db.conn.executemany(
        f"DELETE FROM {table.table} WHERE station_id = ? AND day = ? AND {table.item_column} = ?",
        gone,
    )
