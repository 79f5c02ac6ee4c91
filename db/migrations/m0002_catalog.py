"""Migration 2: load the shipped indicator catalog and its cross-checks.

The catalog is data (``resources/catalog/*.csv``), read once here; a later catalog release adds
a migration of its own that inserts what is new, so users' own indicators are never touched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.catalog import load_shipped_catalog, load_shipped_rules

if TYPE_CHECKING:
    import sqlite_utils

NAME = "指标目录"


def apply(db: sqlite_utils.Database) -> None:
    specs = load_shipped_catalog()
    ids = {spec.code: number for number, spec in enumerate(specs, start=1)}
    rows = [
        {
            "id": ids[spec.code],
            "code": spec.code,
            "name": spec.name,
            "category": spec.category,
            "unit": spec.unit,
            "decimals": spec.decimals,
            "better": spec.better,
            "min_value": spec.min_value,
            "max_value": spec.max_value,
            "period_agg": spec.period_agg,
            "unit_agg": spec.unit_agg,
            "yoy": spec.yoy,
            "parent_id": ids[spec.parent] if spec.parent else None,
            "formula": spec.formula or None,
            "kind": spec.kind,
            "description": spec.description,
            "sort_order": ids[spec.code] * 10,
            "builtin": 1,
        }
        for spec in specs
    ]
    db.table("indicator").insert_all(rows)
    db.table("check_rule").insert_all(
        {"kind": r.kind, "left_code": r.left, "right_code": r.right or None, "message": r.message}
        for r in load_shipped_rules()
    )
