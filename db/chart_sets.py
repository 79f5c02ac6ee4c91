"""Saved chart sets (图表组): a name, a pack title and chart specs kept as JSON text.

The store does not read the specs: their shape belongs to ``desktop.services.charts.building``,
which writes and reads them. Keeping them as one JSON array per set means a set is saved or replaced
in one statement, and a set saved by a newer EcoDesk with a chart type this one lacks still lists.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from db.connection import Database
from db.errors import StorageError

_COLUMNS = "id, name, title, specs, created_at, updated_at"


@dataclass(frozen=True)
class ChartSet:
    id: int
    name: str
    title: str
    #: JSON text: an array of chart specs.
    specs: str
    created_at: str
    updated_at: str


def _chart_set(row: tuple[object, ...]) -> ChartSet:
    return ChartSet(*row)  # type: ignore[arg-type]


def save_chart_set(db: Database, name: str, title: str, specs: str) -> ChartSet:
    """Create the set, or replace the title and specs of the set with that name.

    Saving under an existing name is what "save the set again after changing a chart" means to
    the user, so it replaces rather than refuses; ``created_at`` is kept.
    """
    name = name.strip()
    if not name:
        raise StorageError("图表组名称不能为空")
    try:
        parsed = json.loads(specs)
    except ValueError as exc:
        raise StorageError(f"图表组“{name}”的图表设置不是有效的 JSON") from exc
    if not isinstance(parsed, list) or not parsed:
        raise StorageError(f"图表组“{name}”至少要有一张图表")
    now = datetime.now().isoformat(timespec="seconds")
    with db.transaction() as conn:
        try:
            conn.execute(
                "INSERT INTO chart_set (name, title, specs, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                "title = excluded.title, specs = excluded.specs, updated_at = excluded.updated_at",
                (name, title.strip(), specs, now, now),
            )
        except sqlite3.IntegrityError as exc:  # pragma: no cover - guarded above
            raise StorageError(f"图表组“{name}”无法保存：{exc}") from exc
    return chart_set_by_name(db, name)


def chart_set_by_name(db: Database, name: str) -> ChartSet:
    row = db.conn.execute(
        f"SELECT {_COLUMNS} FROM chart_set WHERE name = ?", (name.strip(),)
    ).fetchone()
    if row is None:
        raise StorageError(f"没有名为“{name}”的图表组")
    return _chart_set(row)


def all_chart_sets(db: Database) -> list[ChartSet]:
    """Every saved set, the most recently changed first (last month's set is the one wanted)."""
    rows = db.conn.execute(
        f"SELECT {_COLUMNS} FROM chart_set ORDER BY updated_at DESC, name"
    ).fetchall()
    return [_chart_set(r) for r in rows]


def delete_chart_set(db: Database, name: str) -> None:
    with db.transaction() as conn:
        cursor = conn.execute("DELETE FROM chart_set WHERE name = ?", (name.strip(),))
    if cursor.rowcount == 0:
        raise StorageError(f"没有名为“{name}”的图表组")
