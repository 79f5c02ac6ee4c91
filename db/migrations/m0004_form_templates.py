"""Migration 4: bureau form templates (表样) for Excel exchange.

A template is a higher bureau's form mapped once: which cells hold which unit, indicator,
period and field. It is found again by the shape of next month's copy (its signature), so the
same form imports and fills without mapping it again. The original file is kept so that
"fill this form" works even before next month's copy arrives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.migrations.runner import run_script

if TYPE_CHECKING:
    import sqlite_utils

NAME = "报表表样"

SCHEMA = """
CREATE TABLE form_template (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (trim(name) <> ''),
    signature   TEXT NOT NULL,
    layouts     TEXT NOT NULL CHECK (json_valid(layouts) AND json_type(layouts) = 'array'),
    file_name   TEXT NOT NULL,
    file        BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX form_template_signature ON form_template (signature);
"""


def apply(db: sqlite_utils.Database) -> None:
    run_script(db, SCHEMA)
