"""The rectification ledger (整改台账): inspection problems tracked until they are closed.

A problem belongs to a unit and a batch (第二轮央督“1+3+6”, 举一反三 …) and has a 序号 within
it. Every change writes an audit row (action ``problem``) naming the problem and the field,
old → new, in the same transaction. 已销号 needs a closing date and a verification note: this
module says so in a sentence, and the file refuses it anyway (a CHECK in migration 5).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime

from db import audit
from db.connection import Database
from db.errors import StorageError
from db.plans import DEADLINE_WORDS, check_deadline
from db.text_limits import clean_entry

SOURCES: tuple[str, ...] = (
    "中央生态环境保护督察（第一轮）",
    "中央生态环境保护督察（第二轮）",
    "省级生态环境保护督察",
    "举一反三",
    "信访交办",
    "警示片",
    "七张问题清单",
    "其他",
)
CATEGORIES: tuple[str, ...] = ("涉水", "涉气", "涉废", "其他")
PROBLEM_STATUSES: tuple[str, ...] = ("整改中", "已完成整改", "立行立改", "长期坚持", "已销号")
#: Statuses that count as rectified in the completion rate (已销号 was rectified first).
COMPLETED: frozenset[str] = frozenset({"已完成整改", "立行立改", "已销号"})

FIELD_LABELS: dict[str, str] = {
    "source": "来源",
    "batch": "批次",
    "seq": "序号",
    "year": "交办年度",
    "description": "问题描述",
    "category": "类别",
    "responsible": "责任单位",
    "deadline": "整改时限",
    "measures": "整改措施",
    "progress": "整改进展",
    "status": "状态",
    "closed_on": "销号日期",
    "verification": "销号核查情况",
}


@dataclass(frozen=True)
class Problem:
    id: int
    unit_id: int
    source: str
    batch: str
    seq: int
    year: int
    description: str
    category: str
    responsible: str
    deadline: str
    measures: str
    progress: str
    status: str
    closed_on: str | None
    verification: str


@dataclass(frozen=True)
class NewProblem:
    source: str
    batch: str
    seq: int
    year: int
    description: str
    category: str = "其他"
    responsible: str = ""
    deadline: str = ""
    measures: str = ""
    progress: str = ""
    status: str = "整改中"
    closed_on: str | None = None
    verification: str = ""


_COLUMNS = ", ".join(f.name for f in fields(Problem))
_NEW_COLUMNS = [f.name for f in fields(NewProblem)]


def _audit(
    conn: sqlite3.Connection, unit_id: int, year: int, old: str | None, new: str | None
) -> None:
    audit.record(conn, "problem", unit_id=unit_id, period=str(year), old=old, new=new)


def check_values(values: dict[str, object]) -> dict[str, object]:
    """Normalise and check a problem's fields; raise one sentence naming the first fault."""
    out = dict(values)
    if "source" in out and out["source"] not in SOURCES:
        raise StorageError(f"来源“{out['source']}”无效，应为 {'/'.join(SOURCES)}")
    if "category" in out and out["category"] not in CATEGORIES:
        raise StorageError(f"类别“{out['category']}”无效，应为 {'/'.join(CATEGORIES)}")
    if "status" in out and out["status"] not in PROBLEM_STATUSES:
        raise StorageError(f"状态“{out['status']}”无效，应为 {'/'.join(PROBLEM_STATUSES)}")
    for name in ("description", "batch"):
        if name in out and not str(out[name]).strip():
            raise StorageError(f"{FIELD_LABELS[name]}不能为空")
    if "seq" in out and (not isinstance(out["seq"], int) or int(out["seq"]) < 1):
        raise StorageError(f"序号“{out['seq']}”无效，应为正整数")
    if "deadline" in out:
        try:
            out["deadline"] = check_deadline(str(out["deadline"]))
        except StorageError:
            raise StorageError(
                f"整改时限“{out['deadline']}”无效：应为日期（如 2022-12-31）或"
                f"“{'/'.join(DEADLINE_WORDS)}”"
            ) from None
    if out.get("closed_on"):
        try:
            out["closed_on"] = (
                datetime.strptime(str(out["closed_on"]).strip(), "%Y-%m-%d").date().isoformat()
            )
        except ValueError:
            raise StorageError(
                f"销号日期“{out['closed_on']}”无效，应为 2022-11-05 的形式"
            ) from None
    elif "closed_on" in out:
        out["closed_on"] = None
    for name, value in out.items():
        if isinstance(value, str) and name != "closed_on":
            out[name] = clean_entry(value.strip(), FIELD_LABELS.get(name, name))
    return out


def _closing_rule(status: str, closed_on: object, verification: object) -> None:
    if status == "已销号" and (not closed_on or not str(verification).strip()):
        raise StorageError("销号需要填写销号日期和核查情况")


def problems_for(
    db: Database, unit_id: int, batch: str | None = None, source: str | None = None
) -> list[Problem]:
    """The unit's problems by batch then 序号 (one batch's or one source's when given)."""
    sql = f"SELECT {_COLUMNS} FROM problem WHERE unit_id = ?"
    params: list[object] = [unit_id]
    if batch is not None:
        sql += " AND batch = ?"
        params.append(batch)
    if source is not None:
        sql += " AND source = ?"
        params.append(source)
    # Batches in the order they were entered (the ledger's own order), then by 序号.
    order = (
        " ORDER BY (SELECT min(q.id) FROM problem AS q WHERE q.unit_id = problem.unit_id "
        "AND q.batch = problem.batch), seq"
    )
    rows = db.conn.execute(sql + order, params).fetchall()
    return [Problem(*r) for r in rows]


def batches_for(db: Database, unit_id: int) -> list[tuple[str, str]]:
    """(batch, source) of the unit's batches, in the order they were first entered."""
    rows = db.conn.execute(
        "SELECT batch, source FROM problem WHERE unit_id = ? GROUP BY batch ORDER BY min(id)",
        (unit_id,),
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def problem_by_id(db: Database, problem_id: int) -> Problem:
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM problem WHERE id = ?", (problem_id,)).fetchone()
    if row is None:
        raise StorageError(f"没有编号为 {problem_id} 的问题")
    return Problem(*row)


def add_problems(db: Database, unit_id: int, problems: Iterable[NewProblem]) -> list[int]:
    """Add problems in one transaction (all or none); refuse a 序号 already used in the batch."""
    added: list[int] = []
    with db.transaction() as conn:
        for problem in problems:
            values = check_values({n: getattr(problem, n) for n in _NEW_COLUMNS})
            _closing_rule(str(values["status"]), values["closed_on"], values["verification"])
            try:
                cursor = conn.execute(
                    f"INSERT INTO problem (unit_id, {', '.join(_NEW_COLUMNS)}) "
                    f"VALUES (?, {', '.join('?' * len(_NEW_COLUMNS))})",
                    (unit_id, *(values[n] for n in _NEW_COLUMNS)),
                )
            except sqlite3.IntegrityError as exc:
                raise StorageError(f"“{problem.batch}”中已有序号为 {problem.seq} 的问题") from exc
            new_id = cursor.lastrowid
            assert new_id is not None
            added.append(new_id)
            _audit(conn, unit_id, problem.year, None, f"新增问题[{new_id}]：{problem.description}")
    return added


def _shown(value: object) -> str:
    return "" if value is None else str(value)


def update_problem(db: Database, problem_id: int, **changes: object) -> Problem:
    """Change fields of one problem (see ``FIELD_LABELS``), auditing each change old → new."""
    unknown = set(changes) - set(FIELD_LABELS)
    if unknown:
        raise StorageError(f"问题没有字段：{'、'.join(sorted(unknown))}")
    current = problem_by_id(db, problem_id)
    changes = check_values(changes)
    merged = {**{n: getattr(current, n) for n in FIELD_LABELS}, **changes}
    _closing_rule(str(merged["status"]), merged["closed_on"], merged["verification"])
    changed = {n: v for n, v in changes.items() if getattr(current, n) != v}
    if not changed:
        return current
    # One UPDATE: the file's 销号 check must see the status, date and note together.
    assignments = ", ".join(f"{name} = ?" for name in changed)
    with db.transaction() as conn:
        try:
            conn.execute(
                f"UPDATE problem SET {assignments} WHERE id = ?", (*changed.values(), problem_id)
            )
        except sqlite3.IntegrityError as exc:
            raise StorageError(f"“{merged['batch']}”中已有序号为 {merged['seq']} 的问题") from exc
        for name, value in changed.items():
            label = FIELD_LABELS[name]
            _audit(
                conn,
                current.unit_id,
                current.year,
                f"问题[{problem_id}] {label}：{_shown(getattr(current, name))}",
                f"问题[{problem_id}] {label}：{_shown(value)}",
            )
    return problem_by_id(db, problem_id)


def close_problem(db: Database, problem_id: int, day: str, verification: str) -> Problem:
    """销号: the closing date and the verification note are required."""
    return update_problem(db, problem_id, status="已销号", closed_on=day, verification=verification)


def as_new(problem: Problem) -> NewProblem:
    """The problem's own fields, to add it again (undoing a delete gives it a new id)."""
    return NewProblem(**{name: getattr(problem, name) for name in _NEW_COLUMNS})


def delete_problem(db: Database, problem_id: int) -> None:
    current = problem_by_id(db, problem_id)
    with db.transaction() as conn:
        conn.execute("DELETE FROM problem WHERE id = ?", (problem_id,))
        _audit(
            conn,
            current.unit_id,
            current.year,
            f"删除问题[{problem_id}]：{current.batch} {current.seq} {current.description}",
            None,
        )
