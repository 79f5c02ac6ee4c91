"""Other names of indicators and units (别名): reading them, and an office adding its own.

An indicator alias comes with the catalog (``catalog``) or from a form's row an office mapped
once and confirmed (``office``); a unit alias is how returns name a branch (南湖区,
嘉兴市生态环境局南湖分局). Adding one is audited, and an alias already naming another
indicator or unit is refused: one written name means one thing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from db import audit
from db.catalog import load_shipped_aliases
from db.connection import Database
from db.errors import StorageError


@dataclass(frozen=True)
class IndicatorAlias:
    indicator_id: int
    code: str
    alias: str
    origin: str  # "catalog" or "office"
    created_at: str


@dataclass(frozen=True)
class UnitAlias:
    unit_id: int
    code: str
    alias: str


@lru_cache(maxsize=1)
def _shipped() -> tuple[tuple[str, str], ...]:
    """The shipped list, read once per process (it changes only with a new version)."""
    return tuple(load_shipped_aliases())


def indicator_aliases(db: Database) -> list[IndicatorAlias]:
    """Every indicator alias: the shipped list's first, read from ``aliases.csv`` now (so a
    word removed from or added to it reaches a database made before), then the office's own.

    Migration 10 copied the shipped list into each new database (origin ``catalog``); those
    rows are no longer read: an alias found wrong and taken out of the list must not go on
    matching in the databases made before. An office alias wins over a shipped one.
    """
    office = [
        IndicatorAlias(*row)
        for row in db.conn.execute(
            "SELECT a.indicator_id, i.code, a.alias, a.origin, a.created_at "
            "FROM indicator_alias a JOIN indicator i ON i.id = a.indicator_id "
            "WHERE a.origin = 'office' ORDER BY a.id"
        ).fetchall()
    ]
    taken = {a.alias for a in office}
    ids = dict(db.conn.execute("SELECT code, id FROM indicator").fetchall())
    shipped = [
        IndicatorAlias(ids[code], code, alias, "catalog", "")
        for code, alias in _shipped()
        if code in ids and alias not in taken
    ]
    return shipped + office


def remember_indicator_alias(db: Database, code: str, alias: str, *, source: str = "") -> bool:
    """Keep ``alias`` as this office's name for indicator ``code``; False if it already was.

    Refused (``StorageError``) when the alias names another indicator already."""
    alias = alias.strip()
    if not alias:
        raise StorageError("别名不能为空")
    row = db.conn.execute("SELECT id, name FROM indicator WHERE code = ?", (code,)).fetchone()
    if row is None:
        raise StorageError(f"没有代码为“{code}”的指标")
    indicator_id, name = row
    if alias == name:
        return False
    found = next((a for a in indicator_aliases(db) if a.alias == alias), None)
    if found is not None:
        if found.indicator_id == indicator_id:
            return False
        other = db.conn.execute(
            "SELECT name FROM indicator WHERE id = ?", (found.indicator_id,)
        ).fetchone()[0]
        raise StorageError(f"“{alias}”已是指标“{other}”的别名，不能再指“{name}”")
    with db.transaction() as conn:
        # A copy of the shipped list made at creation may still hold the word (taken out of
        # the list since): the office's confirmation replaces it.
        conn.execute("DELETE FROM indicator_alias WHERE alias = ? AND origin = 'catalog'", (alias,))
        conn.execute(
            "INSERT INTO indicator_alias (indicator_id, alias, origin, created_at) "
            "VALUES (?, ?, 'office', ?)",
            (indicator_id, alias, datetime.now().isoformat(timespec="seconds")),
        )
        audit.record(
            conn, "指标别名", indicator_id=indicator_id, new=alias, source=source or "确认对应"
        )
    return True


def unit_aliases(db: Database) -> list[UnitAlias]:
    rows = db.conn.execute(
        "SELECT a.unit_id, u.code, a.alias FROM unit_alias a JOIN unit u ON u.id = a.unit_id "
        "ORDER BY a.id"
    ).fetchall()
    return [UnitAlias(*row) for row in rows]


def add_unit_alias(db: Database, code: str, alias: str) -> bool:
    """Another name for unit ``code``; False if it already was one. Refused when the name is
    another unit's name, code or alias."""
    alias = alias.strip()
    if not alias:
        raise StorageError("别名不能为空")
    row = db.conn.execute("SELECT id, name FROM unit WHERE code = ?", (code,)).fetchone()
    if row is None:
        raise StorageError(f"没有代码为“{code}”的单位")
    unit_id, name = row
    other = db.conn.execute(
        "SELECT id, name FROM unit WHERE id <> ? AND (name = ? OR code = ? OR short_name = ?) "
        "UNION SELECT u.id, u.name FROM unit_alias a JOIN unit u ON u.id = a.unit_id "
        "WHERE a.alias = ?",
        (unit_id, alias, alias, alias, alias),
    ).fetchone()
    if other is not None:
        if other[0] == unit_id:
            return False
        raise StorageError(f"“{alias}”已指单位“{other[1]}”，不能再作“{name}”的别名")
    with db.transaction() as conn:
        try:
            conn.execute(
                "INSERT INTO unit_alias (unit_id, alias, created_at) VALUES (?, ?, ?)",
                (unit_id, alias, datetime.now().isoformat(timespec="seconds")),
            )
        except sqlite3.IntegrityError as exc:  # pragma: no cover - checked above
            raise StorageError(f"“{alias}”已是别名") from exc
        audit.record(conn, "单位别名", unit_id=unit_id, new=alias, source="单位管理")
    return True
