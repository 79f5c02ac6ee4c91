"""The report store: trees round-trip, every change is audited, the search index follows."""

from __future__ import annotations

import pytest

from db import reports, units
from db.connection import Database
from db.errors import StorageError
from db.reports import NewNode


def _tree() -> list[NewNode]:
    return [
        NewNode(1, body="前言：空气质量优良率保持高位。"),
        NewNode(
            1,
            "一、",
            "工作总结",
            children=[
                NewNode(2, "（一）", "蓝天保卫", "PM2.5平均浓度为17μg/m3。", run_in=True),
                NewNode(2, "（二）", "碧水攻坚", "完成埭口河清淤。"),
            ],
        ),
    ]


def _unit(db: Database) -> int:
    """A unit of its own: the demo database has reports already."""
    with db.transaction():
        if not units.all_units(db):
            units.add_unit(db, "330300-01", "海岛区分局")
    return units.all_units(db)[0].id


def test_tree_round_trips_in_document_order(empty_db: Database) -> None:
    report_id = reports.create_report(
        empty_db, _unit(empty_db), 2022, "工作总结", "测试总结", _tree(), period="2022-YTD10"
    )
    nodes = reports.nodes_of(empty_db, report_id)
    assert [n.label for n in nodes] == ["", "一、工作总结", "（一）蓝天保卫", "（二）碧水攻坚"]
    assert nodes[2].parent_id == nodes[1].id and nodes[2].run_in
    assert reports.report_by_id(empty_db, report_id).period == "2022-YTD10"


def test_changes_are_audited_with_the_report_as_source(empty_db: Database) -> None:
    report_id = reports.create_report(
        empty_db, _unit(empty_db), 2022, "工作总结", "测试总结", _tree()
    )
    node = reports.nodes_of(empty_db, report_id)[3]
    old = reports.update_node(empty_db, node.id, heading="碧水攻坚", body="完成清淤和生态缓冲带。")
    assert old.body == "完成埭口河清淤。"
    reports.delete_report(empty_db, report_id)
    rows = empty_db.conn.execute(
        "SELECT old_value, new_value, source FROM audit WHERE action = 'report' ORDER BY id"
    ).fetchall()
    assert [r[2] for r in rows] == ["报告 测试总结"] * 3
    assert "完成埭口河清淤" in rows[1][0] and "生态缓冲带" in rows[1][1]
    assert reports.nodes_of(empty_db, report_id) == []


def test_search_index_follows_edits_and_deletes(empty_db: Database) -> None:
    report_id = reports.create_report(
        empty_db, _unit(empty_db), 2022, "工作总结", "测试总结", _tree()
    )
    hits = reports.search_nodes(empty_db, "埭口河")
    assert [h.heading for h in hits] == ["（二）碧水攻坚"]
    assert "\x02埭口河\x03" in hits[0].snippet
    node = reports.nodes_of(empty_db, report_id)[3]
    reports.update_node(empty_db, node.id, heading="碧水攻坚", body="完成海滨河整治。")
    assert reports.search_nodes(empty_db, "埭口河") == []
    assert len(reports.search_nodes(empty_db, "海滨河")) == 1
    assert len(reports.search_nodes(empty_db, "碧水")) == 1  # two characters: no trigram
    reports.delete_report(empty_db, report_id)
    assert reports.search_nodes(empty_db, "海滨河") == []


def test_refuses_unknown_kind_and_empty_title(empty_db: Database) -> None:
    with pytest.raises(StorageError, match="报告类型"):
        reports.create_report(empty_db, _unit(empty_db), 2022, "总结", "标题", [])
    with pytest.raises(StorageError, match="标题"):
        reports.create_report(empty_db, _unit(empty_db), 2022, "工作总结", " ", [])


def test_search_quotes_fts_syntax(empty_db: Database) -> None:
    reports.create_report(empty_db, _unit(empty_db), 2022, "工作总结", "测试总结", _tree())
    assert reports.search_nodes(empty_db, 'AND "OR') == []
    assert reports.search_nodes(empty_db, "%_\\") == []
