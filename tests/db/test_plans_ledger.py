"""The plan and ledger store: trees of any depth, checks with sentences, the audit of every
change (who, old → new), and the file's own refusal of 销号 without a date and a note."""

from __future__ import annotations

import sqlite3

import pytest

from db import ledger, plans, units
from db.audit import recent
from db.connection import Database
from db.errors import StorageError
from db.ledger import NewProblem
from db.plans import NewItem


def _unit(db: Database) -> int:
    return units.add_unit(db, "330999", "测试分局", level="分局").id


def test_plan_tree_of_any_depth_in_order(empty_db: Database) -> None:
    unit_id = _unit(empty_db)
    plan = plans.create_plan(empty_db, unit_id, 2022, "年度工作计划")
    deep = NewItem("第四层", "（1）")
    tree = NewItem("组", "一、", children=(NewItem("分组", "（一）", children=(
        NewItem("条目", "1.", children=(deep,)),)),))  # fmt: skip
    plans.add_items(empty_db, plan.id, [tree, NewItem("另一组", "二、")])
    items = plans.items_of(empty_db, plan.id)
    assert [i.label for i in items] == [
        "一、组",
        "（一）分组",
        "1.条目",
        "（1）第四层",
        "二、另一组",
    ]
    by_label = {i.label: i for i in items}
    assert by_label["（1）第四层"].parent_id == by_label["1.条目"].id
    assert by_label["二、另一组"].parent_id is None
    with pytest.raises(StorageError, match="已有名为"):
        plans.create_plan(empty_db, unit_id, 2022, "年度工作计划")


def test_item_changes_are_checked_and_audited(empty_db: Database) -> None:
    unit_id = _unit(empty_db)
    plan = plans.create_plan(empty_db, unit_id, 2022, "计划")
    (item_id,) = plans.add_items(empty_db, plan.id, [NewItem("完成16家以上VOCs企业整改")])
    plans.update_item(empty_db, item_id, status="推进中", deadline="年底前", progress=40)
    with pytest.raises(StorageError, match="状态“做完了”无效"):
        plans.update_item(empty_db, item_id, status="做完了")
    with pytest.raises(StorageError, match="完成时限“下个月”无效"):
        plans.update_item(empty_db, item_id, deadline="下个月")
    with pytest.raises(StorageError, match="进度"):
        plans.update_item(empty_db, item_id, progress=120)
    plans.add_note(empty_db, item_id, "2022-11-05", "已完成12家")
    item = plans.item_by_id(empty_db, item_id)
    assert (item.status, item.deadline, item.progress) == ("推进中", "年底前", 40.0)
    assert [n.text for n in item.notes] == ["已完成12家"]
    log = [e for e in recent(empty_db, unit_id=unit_id) if e.action == "plan_item"]
    status = next(e for e in log if e.new_value and "状态" in e.new_value)
    assert status.old_value == f"条目[{item_id}] 状态：未开始"
    assert status.new_value == f"条目[{item_id}] 状态：推进中"
    assert status.period == "2022" and status.user == empty_db.user


def _problem(seq: int, status: str = "整改中") -> NewProblem:
    return NewProblem("举一反三", "举一反三问题", seq, 2022, f"问题{seq}", status=status)


def test_problem_closing_needs_date_and_note_and_is_audited(empty_db: Database) -> None:
    unit_id = _unit(empty_db)
    (pid,) = ledger.add_problems(empty_db, unit_id, [_problem(1)])
    with pytest.raises(StorageError, match="销号需要填写销号日期和核查情况"):
        ledger.update_problem(empty_db, pid, status="已销号")
    with pytest.raises(StorageError, match="已有序号为 1"):
        ledger.add_problems(empty_db, unit_id, [_problem(1)])
    with pytest.raises(StorageError, match="来源"):
        ledger.add_problems(empty_db, unit_id, [NewProblem("路人反映", "b", 1, 2022, "x")])
    closed = ledger.close_problem(empty_db, pid, "2022-11-05", "现场核查到位")
    assert (closed.status, closed.closed_on) == ("已销号", "2022-11-05")
    # The file itself refuses what the module would have refused.
    with pytest.raises(sqlite3.IntegrityError):
        empty_db.conn.execute("UPDATE problem SET verification = '' WHERE id = ?", (pid,))
    log = [e for e in recent(empty_db, unit_id=unit_id) if e.action == "problem"]
    assert any(e.new_value == f"问题[{pid}] 状态：已销号" for e in log)
    assert any(e.old_value == f"问题[{pid}] 状态：整改中" for e in log)


def test_deleted_subtree_is_restored_in_place_with_notes(empty_db: Database) -> None:
    unit_id = _unit(empty_db)
    plan = plans.create_plan(empty_db, unit_id, 2022, "计划")
    group = NewItem("组", "一、", children=(NewItem("甲", "1."), NewItem("乙", "2.")))
    first, _last = plans.add_items(empty_db, plan.id, [group, NewItem("后一组", "二、")])
    child = plans.items_of(empty_db, plan.id)[1]
    plans.add_note(empty_db, child.id, "2022-05-01", "进展")
    plans.update_item(empty_db, child.id, status="已完成")
    before = [
        (i.label, i.status, [n.text for n in i.notes]) for i in plans.items_of(empty_db, plan.id)
    ]
    removed = plans.subtree(empty_db, first)
    plans.delete_item(empty_db, first)
    assert [i.label for i in plans.items_of(empty_db, plan.id)] == ["二、后一组"]
    plans.restore(empty_db, removed)
    after = [
        (i.label, i.status, [n.text for n in i.notes]) for i in plans.items_of(empty_db, plan.id)
    ]
    assert after == before
    assert any(e.new_value and e.new_value.startswith("恢复条目") for e in recent(empty_db))
