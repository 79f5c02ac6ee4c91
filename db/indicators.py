"""The indicator catalog in the database: reading it and adding a user's own indicators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from db import audit
from db.connection import Database
from db.errors import StorageError
from db.records import CATEGORIES, Indicator

if TYPE_CHECKING:
    from db.catalog import IndicatorSpec

_COLUMNS = (
    "id, code, name, category, unit, decimals, better, min_value, max_value, period_agg, "
    "unit_agg, yoy, parent_id, formula, kind, description, sort_order, builtin"
)


def _indicator(row: tuple[object, ...]) -> Indicator:
    values = list(row)
    values[-1] = bool(values[-1])
    return Indicator(*values)  # type: ignore[arg-type]


def all_indicators(db: Database) -> list[Indicator]:
    """The catalog in entry-grid order: by category, then each total followed by its parts."""
    rows = db.conn.execute(f"SELECT {_COLUMNS} FROM indicator ORDER BY sort_order, id").fetchall()
    indicators = [_indicator(r) for r in rows]
    parts: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        if indicator.parent_id is not None:
            parts.setdefault(indicator.parent_id, []).append(indicator)
    ordered: list[Indicator] = []
    for category in CATEGORIES:
        for indicator in indicators:
            if indicator.category == category and indicator.parent_id is None:
                ordered.append(indicator)
                ordered.extend(parts.get(indicator.id, []))
    return ordered


def indicator_by_code(db: Database, code: str) -> Indicator:
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM indicator WHERE code = ?", (code,)).fetchone()
    if row is None:
        raise StorageError(f"没有代码为“{code}”的指标")
    return _indicator(row)


def add_indicator(db: Database, spec: IndicatorSpec) -> Indicator:
    """Add a user-defined indicator after the same checks the shipped catalog passes."""
    from db.catalog import check_spec

    existing = {i.code: i for i in all_indicators(db)}
    problems = check_spec(spec, set(existing))
    if spec.code in existing:
        problems.append(f"指标代码“{spec.code}”已存在")
    if problems:
        raise StorageError("；".join(problems))
    parent = existing[spec.parent] if spec.parent else None
    if parent is not None and parent.category != spec.category:
        raise StorageError(f"分项指标应与合计“{parent.name}”同属“{parent.category}”类")
    # A new indicator goes to the end of its category, or of its total's parts.
    sort_order = max((i.sort_order for i in existing.values()), default=0) + 10
    with db.transaction() as conn:
        cursor = conn.execute(
            f"INSERT INTO indicator ({_COLUMNS.removeprefix('id, ')}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
            (
                spec.code, spec.name, spec.category, spec.unit, spec.decimals, spec.better,
                spec.min_value, spec.max_value, spec.period_agg, spec.unit_agg, spec.yoy,
                parent.id if parent else None, spec.formula or None, spec.kind,
                spec.description, sort_order,
            ),
        )  # fmt: skip
        audit.record(
            conn, "indicator", indicator_id=cursor.lastrowid,
            new=f"{spec.code} {spec.name}", source="新增指标",
        )  # fmt: skip
    return indicator_by_code(db, spec.code)
