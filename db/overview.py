"""全部单位一览: one period's figures of every unit, held in a temp table and read back in the
order the user sorts by — in SQL, so a bureau with a hundred 街道/乡镇 sorts as fast as one with
three, and no proxy model sits over the whole table.

The figures themselves are derived in Python (``db.sheet``: typed, from months, totals from
parts, formulas) exactly as the grid shows them, then loaded once per period into
``temp.overview_cell``; every sort or filter is one recursive query over the unit tree that keeps
children under their parent and orders siblings by the chosen column. A temp table lives in the
connection's own temp database, so this works on a read-only file too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from db.connection import Database

_CREATE = (
    "CREATE TEMP TABLE IF NOT EXISTS overview_cell ("
    "unit_id INTEGER NOT NULL, indicator_id INTEGER NOT NULL, value REAL, "
    "PRIMARY KEY (unit_id, indicator_id)) WITHOUT ROWID"
)


@dataclass(frozen=True)
class OverviewSort:
    """How siblings are ordered: the tree's own order, by unit name, or by one indicator."""

    indicator_id: int | None = None
    by_name: bool = False
    descending: bool = False


@dataclass(frozen=True)
class OverviewFilter:
    """Which units are listed: a name fragment, a level (市局/分局…), only those with a gap."""

    name: str = ""
    level: str = ""
    missing_of: tuple[int, ...] = ()  # list only units lacking one of these indicators


#: The tree's own order, and every unit: the defaults.
TREE_ORDER = OverviewSort()
EVERY_UNIT = OverviewFilter()


def load_cells(db: Database, cells: Iterable[tuple[int, int, float | None]]) -> None:
    """Replace the held figures with (unit id, indicator id, value) rows."""
    conn = db.conn
    conn.execute(_CREATE)
    conn.execute("DELETE FROM temp.overview_cell")
    conn.executemany("INSERT INTO temp.overview_cell VALUES (?, ?, ?)", cells)


def _order(sort: OverviewSort) -> str:
    """The sibling order as SQL text, from a fixed set of expressions (no user text)."""
    tree = "u.sort_order, u.code"
    direction = "DESC" if sort.descending else "ASC"
    if sort.by_name:
        return f"coalesce(nullif(u.short_name, ''), u.name) {direction}, {tree}"
    if sort.indicator_id is None:
        return tree
    # Units without the figure come last whichever way the column is sorted.
    return f"c.value {direction} NULLS LAST, {tree}"


def ordered_units(
    db: Database, sort: OverviewSort = TREE_ORDER, wanted: OverviewFilter = EVERY_UNIT
) -> list[tuple[int, int]]:
    """(unit id, depth) in tree order, siblings ordered by ``sort``, filtered by ``wanted``."""
    db.conn.execute(_CREATE)
    order = _order(sort)
    params: dict[str, object] = {"indicator": sort.indicator_id or 0}
    sql = f"""
        WITH RECURSIVE keyed AS (
            SELECT u.id, u.parent_id, u.name, u.short_name, u.level,
                   printf('%09d', row_number() OVER (PARTITION BY u.parent_id ORDER BY {order}))
                   AS key
            FROM unit AS u
            LEFT JOIN temp.overview_cell AS c ON c.unit_id = u.id AND c.indicator_id = :indicator
        ),
        tree (id, depth, path) AS (
            SELECT id, 0, key FROM keyed WHERE parent_id IS NULL
            UNION ALL
            SELECT k.id, t.depth + 1, t.path || char(31) || k.key
            FROM keyed AS k JOIN tree AS t ON k.parent_id = t.id
        )
        SELECT tree.id, tree.depth FROM tree JOIN keyed ON keyed.id = tree.id WHERE 1
    """
    if wanted.name.strip():
        sql += " AND (instr(keyed.name, :name) > 0 OR instr(keyed.short_name, :name) > 0)"
        params["name"] = wanted.name.strip()
    if wanted.level:
        sql += " AND keyed.level = :level"
        params["level"] = wanted.level
    if wanted.missing_of:
        marks = ", ".join(f":m{n}" for n in range(len(wanted.missing_of)))
        sql += (
            " AND (SELECT count(*) FROM temp.overview_cell AS f WHERE f.unit_id = tree.id"
            f" AND f.value IS NOT NULL AND f.indicator_id IN ({marks})) < :wanted_count"
        )
        params.update({f"m{n}": i for n, i in enumerate(wanted.missing_of)})
        params["wanted_count"] = len(set(wanted.missing_of))
    sql += " ORDER BY tree.path"
    return [(int(r[0]), int(r[1])) for r in db.conn.execute(sql, params)]


def held_values(db: Database, indicator_ids: Sequence[int]) -> dict[int, dict[int, float | None]]:
    """The held figures of these indicators: unit id → indicator id → value."""
    db.conn.execute(_CREATE)
    marks = ", ".join("?" * len(indicator_ids))
    found: dict[int, dict[int, float | None]] = {}
    rows = db.conn.execute(
        f"SELECT unit_id, indicator_id, value FROM temp.overview_cell "
        f"WHERE indicator_id IN ({marks})",
        list(indicator_ids),
    )
    for unit_id, indicator_id, value in rows:
        found.setdefault(unit_id, {})[indicator_id] = value
    return found
