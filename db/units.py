"""Organisation units (市局 → 分局): reading the tree and adding units."""

from __future__ import annotations

import sqlite3

from db.connection import Database
from db.errors import StorageError
from db.records import UNIT_LEVELS, Unit

_COLUMNS = "id, code, name, short_name, level, parent_id, sort_order"


def _unit(row: tuple[object, ...]) -> Unit:
    return Unit(*row)  # type: ignore[arg-type]


def all_units(db: Database) -> list[Unit]:
    """Every unit, parents before children, siblings in their sort order."""
    rows = db.conn.execute(f"SELECT {_COLUMNS} FROM unit ORDER BY sort_order, code").fetchall()
    units = [_unit(r) for r in rows]
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[Unit] = []

    def walk(parent: int | None) -> None:
        for child in children.get(parent, []):
            ordered.append(child)
            walk(child.id)

    walk(None)
    return ordered


def depth_of(units: list[Unit], unit: Unit) -> int:
    by_id = {u.id: u for u in units}
    depth, current = 0, unit
    while current.parent_id is not None and current.parent_id in by_id:
        depth, current = depth + 1, by_id[current.parent_id]
    return depth


def unit_by_code(db: Database, code: str) -> Unit:
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM unit WHERE code = ?", (code,)).fetchone()
    if row is None:
        raise StorageError(f"没有代码为“{code}”的单位")
    return _unit(row)


def unit_by_id(db: Database, unit_id: int) -> Unit:
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM unit WHERE id = ?", (unit_id,)).fetchone()
    if row is None:
        raise StorageError(f"没有编号为 {unit_id} 的单位")
    return _unit(row)


def add_unit(
    db: Database,
    code: str,
    name: str,
    *,
    short_name: str = "",
    level: str = "其他",
    parent_code: str | None = None,
) -> Unit:
    """Add a unit; refuse a duplicate code, an unknown parent or level."""
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise StorageError("单位代码和名称都不能为空")
    if level not in UNIT_LEVELS:
        raise StorageError(f"单位级别“{level}”无效，应为 {'/'.join(UNIT_LEVELS)}")
    parent_id = unit_by_code(db, parent_code).id if parent_code else None
    with db.transaction() as conn:
        try:
            cursor = conn.execute(
                "INSERT INTO unit (code, name, short_name, level, parent_id, sort_order) "
                "VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(sort_order), 0) + 10 FROM unit))",
                (code, name, short_name.strip(), level, parent_id),
            )
        except sqlite3.IntegrityError as exc:
            raise StorageError(f"单位代码“{code}”已存在") from exc
        new_id = cursor.lastrowid
        assert new_id is not None
    return unit_by_id(db, new_id)


def set_order(db: Database, codes: list[str]) -> None:
    """Put the named units first among their siblings, in the given order (the office's own
    order of its branches, used by the summary table and every unit list)."""
    found = [unit_by_code(db, code) for code in codes]
    with db.transaction() as conn:
        for number, unit in enumerate(found, start=1):
            conn.execute("UPDATE unit SET sort_order = ? WHERE id = ?", (number, unit.id))
        others = [u for u in all_units(db) if u.code not in set(codes)]
        for number, unit in enumerate(others, start=len(found) + 1):
            conn.execute("UPDATE unit SET sort_order = ? WHERE id = ?", (number * 10, unit.id))
