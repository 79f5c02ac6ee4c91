"""Year plans (计划清单): a unit's plan is a tree of groups and items with progress notes.

Every change to an item writes an audit row (action ``plan_item``) naming the item and the field,
old → new, inside the same transaction as the change, so the log can never disagree with the
plan. The audit's ``period`` column holds the plan's year.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from db import audit
from db.connection import Database
from db.errors import StorageError
from db.text_limits import clean_entry

ITEM_STATUSES: tuple[str, ...] = ("未开始", "推进中", "已完成", "滞后", "取消")
#: Statuses after which an item can no longer be late (the checklist and the 工作台 agree).
CLOSED_STATUSES = frozenset({"已完成", "取消"})
DEADLINE_WORDS: tuple[str, ...] = ("年底前", "上半年", "按序时")
TARGET_OPS: tuple[str, ...] = (">=", "<=")

#: Fields an item edit may change, with the words the audit log and the status bar use.
FIELD_LABELS: dict[str, str] = {
    "text": "内容",
    "marker": "序号",
    "department": "责任科室",
    "lead": "责任人",
    "deadline": "完成时限",
    "status": "状态",
    "progress": "进度",
}


@dataclass(frozen=True)
class Plan:
    id: int
    unit_id: int
    year: int
    title: str
    created_at: str


@dataclass(frozen=True)
class Note:
    id: int
    item_id: int
    day: str
    text: str


@dataclass(frozen=True)
class PlanItem:
    id: int
    plan_id: int
    parent_id: int | None
    position: int
    marker: str
    text: str
    department: str
    lead: str
    deadline: str
    status: str
    progress: float | None
    indicator_id: int | None
    target_op: str | None
    target_value: float | None
    notes: tuple[Note, ...] = field(default=())

    @property
    def label(self) -> str:
        """The item as the plan writes it: "1.推进蓝天保卫"."""
        return f"{self.marker}{self.text}"


@dataclass(frozen=True)
class NewItem:
    """An item to add, with its children (an outline pasted at once)."""

    text: str
    marker: str = ""
    department: str = ""
    lead: str = ""
    deadline: str = ""
    status: str = "未开始"
    progress: float | None = None
    children: tuple[NewItem, ...] = ()


_ITEM_COLUMNS = (
    "id, plan_id, parent_id, position, marker, text, department, lead, deadline, status, "
    "progress, indicator_id, target_op, target_value"
)


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _audit(
    conn: sqlite3.Connection, unit_id: int, year: int, old: str | None, new: str | None
) -> None:
    audit.record(conn, "plan_item", unit_id=unit_id, period=str(year), old=old, new=new)


def check_deadline(text: str) -> str:
    """A deadline as stored: an ISO date or one of the words; raise with a sentence otherwise."""
    text = text.strip()
    if not text or text in DEADLINE_WORDS:
        return text
    try:
        return datetime.strptime(text, "%Y-%m-%d").date().isoformat()
    except ValueError:
        raise StorageError(
            f"完成时限“{text}”无效：应为日期（如 2022-06-30）或“{'/'.join(DEADLINE_WORDS)}”"
        ) from None


# ------------------------------------------------------------------ plans
def plans_for(db: Database, unit_id: int, year: int | None = None) -> list[Plan]:
    """The unit's plans, newest year first (one year's when ``year`` is given)."""
    sql = "SELECT id, unit_id, year, title, created_at FROM plan WHERE unit_id = ?"
    params: tuple[object, ...] = (unit_id,)
    if year is not None:
        sql, params = sql + " AND year = ?", (unit_id, year)
    rows = db.conn.execute(sql + " ORDER BY year DESC, id", params).fetchall()
    return [Plan(*r) for r in rows]


def plan_by_id(db: Database, plan_id: int) -> Plan:
    row = db.conn.execute(
        "SELECT id, unit_id, year, title, created_at FROM plan WHERE id = ?", (plan_id,)
    ).fetchone()
    if row is None:
        raise StorageError(f"没有编号为 {plan_id} 的计划")
    return Plan(*row)


def create_plan(db: Database, unit_id: int, year: int, title: str) -> Plan:
    title = clean_entry(title.strip(), "计划名称")
    if not title:
        raise StorageError("计划名称不能为空")
    with db.transaction() as conn:
        try:
            cursor = conn.execute(
                "INSERT INTO plan (unit_id, year, title, created_at) VALUES (?, ?, ?, ?)",
                (unit_id, year, title, _now()),
            )
        except sqlite3.IntegrityError as exc:
            raise StorageError(f"{year}年已有名为“{title}”的计划") from exc
        plan_id = cursor.lastrowid
        assert plan_id is not None
        _audit(conn, unit_id, year, None, f"新建计划[{plan_id}]：{title}")
    return plan_by_id(db, plan_id)


# ------------------------------------------------------------------ items
def items_of(db: Database, plan_id: int) -> list[PlanItem]:
    """Every item of the plan, parents before children, siblings in order, with their notes."""
    rows = db.conn.execute(
        f"SELECT {_ITEM_COLUMNS} FROM plan_item WHERE plan_id = ? ORDER BY position, id",
        (plan_id,),
    ).fetchall()
    notes: dict[int, list[Note]] = {}
    for row in db.conn.execute(
        "SELECT n.id, n.item_id, n.day, n.text FROM plan_note AS n "
        "JOIN plan_item AS i ON i.id = n.item_id WHERE i.plan_id = ? ORDER BY n.day, n.id",
        (plan_id,),
    ):
        notes.setdefault(row[1], []).append(Note(*row))
    children: dict[int | None, list[PlanItem]] = {}
    for row in rows:
        item = PlanItem(*row)
        item = replace(item, notes=tuple(notes.get(item.id, ())))
        children.setdefault(item.parent_id, []).append(item)
    ordered: list[PlanItem] = []

    def walk(parent: int | None) -> None:
        for child in children.get(parent, []):
            ordered.append(child)
            walk(child.id)

    walk(None)
    return ordered


def item_by_id(db: Database, item_id: int) -> PlanItem:
    row = db.conn.execute(
        f"SELECT {_ITEM_COLUMNS} FROM plan_item WHERE id = ?", (item_id,)
    ).fetchone()
    if row is None:
        raise StorageError(f"没有编号为 {item_id} 的计划条目")
    notes = db.conn.execute(
        "SELECT id, item_id, day, text FROM plan_note WHERE item_id = ? ORDER BY day, id",
        (item_id,),
    ).fetchall()
    return replace(PlanItem(*row), notes=tuple(Note(*n) for n in notes))


def _plan_of_item(conn: sqlite3.Connection, item_id: int) -> tuple[int, int]:
    row = conn.execute(
        "SELECT p.unit_id, p.year FROM plan_item AS i JOIN plan AS p ON p.id = i.plan_id "
        "WHERE i.id = ?",
        (item_id,),
    ).fetchone()
    if row is None:
        raise StorageError(f"没有编号为 {item_id} 的计划条目")
    return int(row[0]), int(row[1])


def _check_item(item: NewItem) -> None:
    for label, text in (
        ("计划条目内容", item.text),
        ("责任科室", item.department),
        ("责任人", item.lead),
    ):
        clean_entry(text, label)
    if not item.text.strip():
        raise StorageError("计划条目内容不能为空")
    if item.status not in ITEM_STATUSES:
        raise StorageError(f"状态“{item.status}”无效，应为 {'/'.join(ITEM_STATUSES)}")
    check_deadline(item.deadline)
    for child in item.children:
        _check_item(child)


def add_items(
    db: Database, plan_id: int, items: Iterable[NewItem], parent_id: int | None = None
) -> list[int]:
    """Add items (and their children) at the end of ``parent_id``'s children, in one transaction.

    Returns the ids of the top-level items added. A pasted outline of sixty lines is one change
    in the audit log per item, and either all of it is added or none.
    """
    items = list(items)
    for item in items:
        _check_item(item)
    plan = plan_by_id(db, plan_id)
    added: list[int] = []
    with db.transaction() as conn:

        def insert(item: NewItem, parent: int | None) -> int:
            position = conn.execute(
                "SELECT coalesce(max(position), 0) + 10 FROM plan_item "
                "WHERE plan_id = ? AND parent_id IS ?",
                (plan_id, parent),
            ).fetchone()[0]
            cursor = conn.execute(
                "INSERT INTO plan_item (plan_id, parent_id, position, marker, text, department, "
                "lead, deadline, status, progress) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    plan_id, parent, position, clean_entry(item.marker.strip(), "序号"),
                    clean_entry(item.text.strip(), "计划条目内容"),
                    clean_entry(item.department.strip(), "责任科室"),
                    clean_entry(item.lead.strip(), "责任人"), check_deadline(item.deadline),
                    item.status, item.progress,
                ),
            )  # fmt: skip
            new_id = cursor.lastrowid
            assert new_id is not None
            _audit(conn, plan.unit_id, plan.year, None, f"新增条目[{new_id}]：{item.text}")
            for child in item.children:
                insert(child, new_id)
            return new_id

        for item in items:
            added.append(insert(item, parent_id))
    return added


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def update_item(db: Database, item_id: int, **changes: object) -> PlanItem:
    """Change fields of one item (see ``FIELD_LABELS``), auditing each change old → new."""
    unknown = set(changes) - set(FIELD_LABELS)
    if unknown:
        raise StorageError(f"计划条目没有字段：{'、'.join(sorted(unknown))}")
    current = item_by_id(db, item_id)
    if "status" in changes and changes["status"] not in ITEM_STATUSES:
        raise StorageError(f"状态“{changes['status']}”无效，应为 {'/'.join(ITEM_STATUSES)}")
    if "deadline" in changes:
        changes["deadline"] = check_deadline(str(changes["deadline"]))
    for name, value in changes.items():
        if isinstance(value, str):
            changes[name] = clean_entry(value, FIELD_LABELS[name])
    if "text" in changes and not str(changes["text"]).strip():
        raise StorageError("计划条目内容不能为空")
    if "progress" in changes and changes["progress"] is not None:
        progress = changes["progress"]
        if not isinstance(progress, int | float) or not 0 <= progress <= 100:
            raise StorageError(f"进度“{progress}”无效：应为 0-100 之间的数")
        changes["progress"] = float(progress)
    with db.transaction() as conn:
        unit_id, year = _plan_of_item(conn, item_id)
        for name, value in changes.items():
            old = getattr(current, name)
            if old == value:
                continue
            conn.execute(f"UPDATE plan_item SET {name} = ? WHERE id = ?", (value, item_id))
            label = FIELD_LABELS[name]
            _audit(
                conn,
                unit_id,
                year,
                f"条目[{item_id}] {label}：{_shown(old)}",
                f"条目[{item_id}] {label}：{_shown(value)}",
            )
    return item_by_id(db, item_id)


def set_target(
    db: Database,
    item_id: int,
    indicator_id: int | None,
    op: str | None = ">=",
    value: float | None = None,
) -> PlanItem:
    """Link the item to an indicator and a target value, or unlink it (``indicator_id`` None)."""
    if indicator_id is not None and (value is None or op not in TARGET_OPS):
        raise StorageError("量化目标需要指标、比较方式（≥ 或 ≤）和目标值")
    current = item_by_id(db, item_id)
    if indicator_id is None:
        op, value = None, None
    with db.transaction() as conn:
        unit_id, year = _plan_of_item(conn, item_id)
        conn.execute(
            "UPDATE plan_item SET indicator_id = ?, target_op = ?, target_value = ? WHERE id = ?",
            (indicator_id, op, value, item_id),
        )
        old = (
            f"{current.indicator_id} {current.target_op} {_shown(current.target_value)}"
            if current.indicator_id is not None
            else ""
        )
        new = f"{indicator_id} {op} {_shown(value)}" if indicator_id is not None else ""
        _audit(
            conn,
            unit_id,
            year,
            f"条目[{item_id}] 量化目标：{old}",
            f"条目[{item_id}] 量化目标：{new}",
        )
    return item_by_id(db, item_id)


def add_note(db: Database, item_id: int, day: str, text: str) -> Note:
    """Append a dated progress note (进展记录)."""
    text = clean_entry(text.strip(), "进展记录")
    if not text:
        raise StorageError("进展记录不能为空")
    try:
        day = datetime.strptime(day.strip(), "%Y-%m-%d").date().isoformat()
    except ValueError:
        raise StorageError(f"日期“{day}”无效，应为 2022-11-05 的形式") from None
    with db.transaction() as conn:
        unit_id, year = _plan_of_item(conn, item_id)
        cursor = conn.execute(
            "INSERT INTO plan_note (item_id, day, text) VALUES (?, ?, ?)", (item_id, day, text)
        )
        note_id = cursor.lastrowid
        assert note_id is not None
        _audit(conn, unit_id, year, None, f"条目[{item_id}] 进展记录：{day} {text}")
    return Note(note_id, item_id, day, text)


def delete_item(db: Database, item_id: int) -> None:
    """Remove the item with its children and notes (the audit keeps what it said)."""
    current = item_by_id(db, item_id)
    with db.transaction() as conn:
        unit_id, year = _plan_of_item(conn, item_id)
        conn.execute("DELETE FROM plan_item WHERE id = ?", (item_id,))
        _audit(conn, unit_id, year, f"删除条目[{item_id}]：{current.label}", None)


def subtree(db: Database, item_id: int) -> list[PlanItem]:
    """The item and all its descendants (with notes), parents first: what ``restore`` takes."""
    current = item_by_id(db, item_id)
    found: list[PlanItem] = []
    keep = {item_id}
    for item in items_of(db, current.plan_id):
        if item.id in keep or item.parent_id in keep:
            keep.add(item.id)
            found.append(item)
    return found


def restore(db: Database, items: list[PlanItem]) -> int:
    """Put back a subtree removed by ``delete_item`` (undo), with its fields, targets, notes and
    place among its siblings; return the new id of its root. Audited as 恢复条目."""
    if not items:
        raise StorageError("没有要恢复的条目")
    root = items[0]
    new_ids: dict[int | None, int | None] = {root.parent_id: root.parent_id}
    plan = plan_by_id(db, root.plan_id)
    with db.transaction() as conn:
        for item in items:
            cursor = conn.execute(
                "INSERT INTO plan_item (plan_id, parent_id, position, marker, text, department, "
                "lead, deadline, status, progress, indicator_id, target_op, target_value) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    item.plan_id, new_ids[item.parent_id], item.position, item.marker, item.text,
                    item.department, item.lead, item.deadline, item.status, item.progress,
                    item.indicator_id, item.target_op, item.target_value,
                ),
            )  # fmt: skip
            new_id = cursor.lastrowid
            assert new_id is not None
            new_ids[item.id] = new_id
            conn.executemany(
                "INSERT INTO plan_note (item_id, day, text) VALUES (?, ?, ?)",
                [(new_id, note.day, note.text) for note in item.notes],
            )
        restored = new_ids[root.id]
        assert restored is not None
        _audit(conn, plan.unit_id, plan.year, None, f"恢复条目[{restored}]：{root.label}")
    return restored
