"""Saved bureau form templates (表样): the mapping of a form, its signature and the original.

The store keeps the layouts as JSON text (their shape belongs to the Excel exchange code) and
the original file as a blob, so a template travels with the database file.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from db.connection import Database
from db.errors import StorageError

_COLUMNS = "id, name, signature, layouts, file_name, file, created_at, updated_at"


@dataclass(frozen=True)
class FormTemplate:
    id: int
    name: str
    signature: str
    #: JSON text: an array of sheet layouts.
    layouts: str
    file_name: str
    file: bytes
    created_at: str
    updated_at: str


def _template(row: tuple[object, ...]) -> FormTemplate:
    return FormTemplate(*row)  # type: ignore[arg-type]


def save_template(
    db: Database, name: str, signature: str, layouts: str, file_name: str, file: bytes
) -> FormTemplate:
    """Create the template, or replace the one with that name (mapping it again = updating)."""
    name = name.strip()
    if not name:
        raise StorageError("请为表样起一个名称")
    now = datetime.now().isoformat(timespec="seconds")
    with db.transaction() as conn:
        try:
            conn.execute(
                "INSERT INTO form_template (name, signature, layouts, file_name, file, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET signature = excluded.signature, "
                "layouts = excluded.layouts, file_name = excluded.file_name, "
                "file = excluded.file, updated_at = excluded.updated_at",
                (name, signature, layouts, file_name, file, now, now),
            )
        except sqlite3.IntegrityError as exc:
            raise StorageError(f"表样“{name}”无法保存：{exc}") from exc
    return template_by_name(db, name)


def template_by_name(db: Database, name: str) -> FormTemplate:
    row = db.conn.execute(
        f"SELECT {_COLUMNS} FROM form_template WHERE name = ?", (name,)
    ).fetchone()
    if row is None:
        raise StorageError(f"没有名为“{name}”的表样")
    return _template(row)


def templates_with_signature(db: Database, signature: str) -> list[FormTemplate]:
    rows = db.conn.execute(
        f"SELECT {_COLUMNS} FROM form_template WHERE signature = ? ORDER BY updated_at DESC",
        (signature,),
    ).fetchall()
    return [_template(r) for r in rows]


def all_templates(db: Database) -> list[FormTemplate]:
    rows = db.conn.execute(f"SELECT {_COLUMNS} FROM form_template ORDER BY name").fetchall()
    return [_template(r) for r in rows]


def delete_template(db: Database, name: str) -> None:
    with db.transaction() as conn:
        if conn.execute("DELETE FROM form_template WHERE name = ?", (name,)).rowcount == 0:
            raise StorageError(f"没有名为“{name}”的表样")
