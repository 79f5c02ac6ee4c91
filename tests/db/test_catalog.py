"""The shipped catalog: complete enough for the seeds, and checked like a user's indicator."""

from __future__ import annotations

import pytest

from db.catalog import IndicatorSpec, check_catalog, load_shipped_catalog, load_shipped_rules
from db.connection import Database
from db.errors import StorageError
from db.indicators import add_indicator, all_indicators
from db.records import CATEGORIES


def test_shipped_catalog_covers_every_category_with_units() -> None:
    specs = load_shipped_catalog()
    assert 40 <= len(specs) <= 80
    assert {s.category for s in specs} == set(CATEGORIES)
    assert all(s.unit for s in specs), "every indicator has a unit of measure"
    assert not check_catalog(specs)
    assert {r.left for r in load_shipped_rules()} <= {s.code for s in specs}


def test_catalog_in_database_orders_parts_under_their_total(demo_db: Database) -> None:
    ordered = all_indicators(demo_db)
    codes = [i.code for i in ordered]
    assert codes.index("problems_found") + 1 == codes.index("problems_water")
    categories = [i.category for i in ordered if i.parent_id is None]
    assert categories == sorted(categories, key=CATEGORIES.index)


def test_user_indicator_is_added_and_bad_ones_are_refused(demo_db: Database) -> None:
    spec = IndicatorSpec(
        code="noise_complaints", name="噪声投诉", category="信访", unit="件",
        period_agg="sum", unit_agg="sum",
    )  # fmt: skip
    added = add_indicator(demo_db, spec)
    assert not added.builtin
    assert added.code in {i.code for i in all_indicators(demo_db)}
    with pytest.raises(StorageError, match="已存在"):
        add_indicator(demo_db, spec)
    with pytest.raises(StorageError, match="不存在的指标"):
        add_indicator(demo_db, IndicatorSpec("bad_rate", "坏比率", "信访", "%", formula="x / y"))
    with pytest.raises(StorageError, match="类别"):
        add_indicator(demo_db, IndicatorSpec("odd", "奇怪", "天气", "个"))
