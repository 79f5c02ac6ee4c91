"""Saved chart sets: create, replace by name, list newest first, delete; the file refuses junk."""

from __future__ import annotations

import sqlite3

import pytest

from db import chart_sets
from db.connection import Database
from db.errors import StorageError

SPECS = '[{"type": "ranking", "indicators": ["pm25"]}]'


def test_save_replace_list_delete(empty_db: Database) -> None:
    first = chart_sets.save_chart_set(empty_db, " 月度局务会 ", "局务会材料", SPECS)
    assert first.name == "月度局务会" and first.title == "局务会材料"
    chart_sets.save_chart_set(empty_db, "调度会", "", SPECS)
    two = '[{"type": "yoy"}, {"type": "trend", "indicators": ["pm25"]}]'
    again = chart_sets.save_chart_set(empty_db, "月度局务会", "十月局务会", two)
    assert again.id == first.id and again.created_at == first.created_at
    assert again.title == "十月局务会" and again.specs == two
    names = [s.name for s in chart_sets.all_chart_sets(empty_db)]
    assert sorted(names) == ["月度局务会", "调度会"]
    chart_sets.delete_chart_set(empty_db, "调度会")
    assert [s.name for s in chart_sets.all_chart_sets(empty_db)] == ["月度局务会"]
    with pytest.raises(StorageError, match="没有名为“调度会”的图表组"):
        chart_sets.chart_set_by_name(empty_db, "调度会")
    with pytest.raises(StorageError, match="没有名为"):
        chart_sets.delete_chart_set(empty_db, "调度会")


def test_refuses_empty_names_and_bad_specs(empty_db: Database) -> None:
    with pytest.raises(StorageError, match="名称不能为空"):
        chart_sets.save_chart_set(empty_db, "  ", "", SPECS)
    with pytest.raises(StorageError, match="不是有效的 JSON"):
        chart_sets.save_chart_set(empty_db, "坏", "", "[{")
    with pytest.raises(StorageError, match="至少要有一张图表"):
        chart_sets.save_chart_set(empty_db, "空", "", "[]")
    # The file itself refuses a set that is not a JSON array, whatever program writes it.
    with pytest.raises(sqlite3.IntegrityError):
        empty_db.conn.execute(
            "INSERT INTO chart_set (name, specs, created_at, updated_at) "
            "VALUES ('x', '{\"a\": 1}', '', '')"
        )
