"""Migration 3: saved chart sets (图表组) for the monthly meeting pack.

A chart set is what an office re-runs every month: a name, a pack title and the list of chart
specs. The specs are kept as JSON text because their shape belongs to the chart code, not to the
store; the file only checks that the text is a JSON array, so a half-written set cannot be saved.
Append-only: a later change is a new migration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.migrations.runner import run_script

if TYPE_CHECKING:
    import sqlite_utils

NAME = "图表组"

SCHEMA = """
-- Saved chart sets: re-run next month with the new period in one click.
CREATE TABLE chart_set (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE CHECK (trim(name) <> ''),
    title      TEXT NOT NULL DEFAULT '',
    specs      TEXT NOT NULL CHECK (json_valid(specs) AND json_type(specs) = 'array'),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""


def apply(db: sqlite_utils.Database) -> None:
    run_script(db, SCHEMA)
