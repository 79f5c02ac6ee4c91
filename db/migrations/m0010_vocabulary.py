"""Migration 10: the words people use for indicators and units (别名).

The same figure has several official names (空气质量优良率 = 优良天数比例 = AQI达标率) and a
branch is written as 南湖分局, 南湖区 or 嘉兴市生态环境局南湖分局. An indicator's aliases come
from the shipped list (``resources/catalog/aliases.csv``, origin ``catalog``) or from a mapping
an office confirmed once (origin ``office``); a unit's aliases are the office's own. An alias
names one indicator or one unit only, so a form's row can never match two. The unit tree's own
order (``unit.sort_order``, since migration 1) is the office's order of its branches.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from db.catalog import load_shipped_aliases
from db.migrations.runner import run_script

if TYPE_CHECKING:
    import sqlite_utils

NAME = "指标与单位别名"

SCHEMA = """
CREATE TABLE indicator_alias (
    id           INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES indicator (id) ON DELETE CASCADE,
    alias        TEXT NOT NULL UNIQUE CHECK (trim(alias) <> ''),
    origin       TEXT NOT NULL CHECK (origin IN ('catalog', 'office')),
    created_at   TEXT NOT NULL
);
CREATE INDEX indicator_alias_indicator ON indicator_alias (indicator_id);
CREATE TABLE unit_alias (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES unit (id) ON DELETE CASCADE,
    alias      TEXT NOT NULL UNIQUE CHECK (trim(alias) <> ''),
    created_at TEXT NOT NULL
);
CREATE INDEX unit_alias_unit ON unit_alias (unit_id);
"""


def apply(db: sqlite_utils.Database) -> None:
    run_script(db, SCHEMA)
    ids = dict(db.conn.execute("SELECT code, id FROM indicator").fetchall())
    now = datetime.now().isoformat(timespec="seconds")
    db.conn.executemany(
        "INSERT OR IGNORE INTO indicator_alias (indicator_id, alias, origin, created_at) "
        "VALUES (?, ?, 'catalog', ?)",
        [(ids[code], alias, now) for code, alias in load_shipped_aliases() if code in ids],
    )
