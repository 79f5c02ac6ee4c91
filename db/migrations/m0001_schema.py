"""Migration 1: the base schema (units, indicators, values, targets, locks, audit).

Append-only: a later change to the schema is a new migration, never an edit here, so every
database in the field can be brought forward step by step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.migrations.runner import run_script

if TYPE_CHECKING:
    import sqlite_utils

NAME = "基础架构"

SCHEMA = """
-- EcoDesk schema version 1. Append-only: later changes go in new migrations, never here.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE migration (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

-- Organisation units as a tree: 市局 → 区/县分局.
CREATE TABLE unit (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    short_name TEXT NOT NULL DEFAULT '',
    level      TEXT NOT NULL DEFAULT '其他'
               CHECK (level IN ('省厅', '市局', '分局', '县局', '其他')),
    parent_id  INTEGER REFERENCES unit (id) ON DELETE RESTRICT,
    sort_order INTEGER NOT NULL DEFAULT 0,
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX unit_parent ON unit (parent_id);

-- The indicator catalog. A part of a total names its total in parent_id; a computed indicator
-- has a formula over other codes and is never stored in value.
CREATE TABLE indicator (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    category    TEXT NOT NULL
                CHECK (category IN ('大气', '水', '土壤固废', '执法', '信访', '审批',
                                    '督察整改', '投资', '双碳', '其他')),
    unit        TEXT NOT NULL DEFAULT '',
    decimals    INTEGER NOT NULL DEFAULT 0 CHECK (decimals BETWEEN 0 AND 6),
    better      TEXT NOT NULL DEFAULT 'none' CHECK (better IN ('higher', 'lower', 'none')),
    min_value   REAL,
    max_value   REAL,
    period_agg  TEXT NOT NULL DEFAULT 'none'
                CHECK (period_agg IN ('sum', 'mean', 'last', 'none')),
    unit_agg    TEXT NOT NULL DEFAULT 'none'
                CHECK (unit_agg IN ('sum', 'mean', 'last', 'none')),
    yoy         TEXT NOT NULL DEFAULT 'percent'
                CHECK (yoy IN ('percent', 'points', 'difference', 'none')),
    parent_id   INTEGER REFERENCES indicator (id) ON DELETE RESTRICT,
    formula     TEXT,
    kind        TEXT NOT NULL DEFAULT 'number' CHECK (kind IN ('number', 'water_class')),
    description TEXT NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0,
    builtin     INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    CHECK (min_value IS NULL OR max_value IS NULL OR min_value <= max_value),
    CHECK (formula IS NULL OR parent_id IS NULL)
);
CREATE INDEX indicator_parent ON indicator (parent_id);

-- One figure per (unit, period, indicator). Keyed period-first so that a unit's sheet for one
-- period is a single range read.
CREATE TABLE value (
    unit_id      INTEGER NOT NULL REFERENCES unit (id) ON DELETE RESTRICT,
    period       TEXT NOT NULL,
    indicator_id INTEGER NOT NULL REFERENCES indicator (id) ON DELETE RESTRICT,
    value        REAL,
    note         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (unit_id, period, indicator_id)
) WITHOUT ROWID;
CREATE INDEX value_indicator ON value (indicator_id);

-- Annual targets (年度目标).
CREATE TABLE target (
    unit_id      INTEGER NOT NULL REFERENCES unit (id) ON DELETE RESTRICT,
    indicator_id INTEGER NOT NULL REFERENCES indicator (id) ON DELETE RESTRICT,
    year         INTEGER NOT NULL,
    value        REAL NOT NULL,
    PRIMARY KEY (unit_id, indicator_id, year)
) WITHOUT ROWID;

-- A unit's period marked 已报送 (submitted): read-only until unlocked.
CREATE TABLE period_lock (
    unit_id   INTEGER NOT NULL REFERENCES unit (id) ON DELETE CASCADE,
    period    TEXT NOT NULL,
    locked_at TEXT NOT NULL,
    locked_by TEXT NOT NULL,
    PRIMARY KEY (unit_id, period)
) WITHOUT ROWID;

-- Cross-indicator checks shipped with the catalog (PM2.5 ≤ PM10, 优良天数 ≤ days in period).
CREATE TABLE check_rule (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('le', 'le_days')),
    left_code  TEXT NOT NULL,
    right_code TEXT,
    message    TEXT NOT NULL
);

-- Who changed what, when. Ids are kept without foreign keys so history outlives its subjects.
CREATE TABLE audit (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    user         TEXT NOT NULL,
    action       TEXT NOT NULL,
    unit_id      INTEGER,
    indicator_id INTEGER,
    period       TEXT,
    old_value    TEXT,
    new_value    TEXT,
    source       TEXT NOT NULL DEFAULT ''
);
-- No index beyond the rowid: the log is appended to in bulk and read newest-first.

-- Locked periods refuse changes whatever program writes to the file.
CREATE TRIGGER value_locked_insert BEFORE INSERT ON value
WHEN EXISTS (SELECT 1 FROM period_lock WHERE unit_id = NEW.unit_id AND period = NEW.period)
BEGIN
    SELECT RAISE(ABORT, 'ecodesk:period-locked');
END;

CREATE TRIGGER value_locked_update BEFORE UPDATE ON value
WHEN EXISTS (SELECT 1 FROM period_lock
             WHERE (unit_id = OLD.unit_id AND period = OLD.period)
                OR (unit_id = NEW.unit_id AND period = NEW.period))
BEGIN
    SELECT RAISE(ABORT, 'ecodesk:period-locked');
END;

CREATE TRIGGER value_locked_delete BEFORE DELETE ON value
WHEN EXISTS (SELECT 1 FROM period_lock WHERE unit_id = OLD.unit_id AND period = OLD.period)
BEGIN
    SELECT RAISE(ABORT, 'ecodesk:period-locked');
END;

-- A computed indicator is never stored.
CREATE TRIGGER value_not_computed BEFORE INSERT ON value
WHEN (SELECT formula FROM indicator WHERE id = NEW.indicator_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'ecodesk:computed-indicator');
END;
"""


def apply(db: sqlite_utils.Database) -> None:
    run_script(db, SCHEMA)
