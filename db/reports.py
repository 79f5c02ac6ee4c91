"""Reports (工作总结, 工作计划 …) stored as outline trees: reading, writing and searching them.

Every change runs in one transaction together with an audit row (action ``report``), labelled
with the report's title, so the audit log shows who imported, edited or deleted which report.
The full-text index (``report_fts``) is kept in step by triggers in the file, so no write path
here can forget it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from db import audit
from db.connection import Database
from db.errors import StorageError

KINDS: tuple[str, ...] = ("工作总结", "工作计划", "工作要点", "工作思路", "其他")

_NODE_COLUMNS = "id, report_id, parent_id, position, level, marker, heading, body, run_in"
_REPORT_COLUMNS = "id, unit_id, year, kind, title, period, source, created_at, updated_at"


@dataclass
class NewNode:
    """A node before it is saved: the importer builds these and the user fixes them."""

    level: int
    marker: str = ""
    heading: str = ""
    body: str = ""
    run_in: bool = False
    children: list[NewNode] = field(default_factory=list)

    def walk(self) -> Iterator[NewNode]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def label(self) -> str:
        return f"{self.marker}{self.heading}"


@dataclass(frozen=True)
class Report:
    id: int
    unit_id: int
    year: int
    kind: str
    title: str
    period: str
    source: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class Node:
    id: int
    report_id: int
    parent_id: int | None
    position: int
    level: int
    marker: str
    heading: str
    body: str
    run_in: bool

    @property
    def label(self) -> str:
        return f"{self.marker}{self.heading}"

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n") if p.strip()]


@dataclass(frozen=True)
class Hit:
    """A node whose heading or text matched a search, with the passage around the match.

    ``snippet`` marks the matched text with \x02 … \x03 so a view can highlight it.
    """

    report_id: int
    node_id: int
    title: str
    unit_id: int
    year: int
    kind: str
    heading: str
    snippet: str


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _audit(
    conn: sqlite3.Connection, unit_id: int, period: str, old: str | None, new: str | None
) -> None:
    audit.record(conn, "report", unit_id=unit_id, period=period, old=old, new=new)


def _check(kind: str, title: str) -> None:
    if kind not in KINDS:
        raise StorageError(f"报告类型“{kind}”无效，应为{'、'.join(KINDS)}之一")
    if not title.strip():
        raise StorageError("报告标题不能为空")


def _insert_nodes(
    conn: sqlite3.Connection,
    report_id: int,
    parent_id: int | None,
    nodes: Sequence[NewNode],
    start: int = 0,
) -> list[int]:
    """Insert ``nodes`` (recursively) as children of ``parent_id``; return their ids."""
    ids: list[int] = []
    for position, node in enumerate(nodes, start):
        cur = conn.execute(
            "INSERT INTO report_node (report_id, parent_id, position, level, marker, heading, "
            "body, run_in) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                report_id,
                parent_id,
                position,
                node.level,
                node.marker,
                node.heading,
                node.body,
                int(node.run_in),
            ),
        )
        ids.append(int(cur.lastrowid or 0))
        _insert_nodes(conn, report_id, ids[-1], node.children)
    return ids


def create_report(
    db: Database,
    unit_id: int,
    year: int,
    kind: str,
    title: str,
    nodes: Sequence[NewNode],
    *,
    period: str = "",
    source: str = "",
) -> int:
    """Save a whole report tree in one transaction and return its id."""
    _check(kind, title)
    now = _now()
    with db.transaction() as conn, db.audit_source(f"报告 {title}"):
        try:
            cur = conn.execute(
                "INSERT INTO report (unit_id, year, kind, title, period, source, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (unit_id, year, kind, title.strip(), period, source, now, now),
            )
        except sqlite3.IntegrityError as exc:
            raise StorageError(f"不能保存报告“{title}”：单位不存在或年份无效") from exc
        report_id = int(cur.lastrowid or 0)
        _insert_nodes(conn, report_id, None, nodes)
        _audit(conn, unit_id, period or str(year), None, f"新建{kind}：{title}")
    return report_id


def _report(row: tuple[object, ...]) -> Report:
    return Report(*row)  # type: ignore[arg-type]


def _node(row: tuple[object, ...]) -> Node:
    values = list(row)
    values[-1] = bool(values[-1])
    return Node(*values)  # type: ignore[arg-type]


def report_by_id(db: Database, report_id: int) -> Report:
    row = db.conn.execute(
        f"SELECT {_REPORT_COLUMNS} FROM report WHERE id = ?", (report_id,)
    ).fetchone()
    if row is None:
        raise StorageError("报告不存在（可能已被删除）")
    return _report(row)


def reports(db: Database, unit_id: int | None = None, year: int | None = None) -> list[Report]:
    """Reports, newest year first, optionally of one unit and/or one year."""
    sql = f"SELECT {_REPORT_COLUMNS} FROM report WHERE (?1 IS NULL OR unit_id = ?1) "
    sql += "AND (?2 IS NULL OR year = ?2) ORDER BY year DESC, unit_id, id"
    return [_report(r) for r in db.conn.execute(sql, (unit_id, year))]


def nodes_of(db: Database, report_id: int) -> list[Node]:
    """All nodes of a report in document order (each parent before its children)."""
    rows = db.conn.execute(
        f"SELECT {_NODE_COLUMNS} FROM report_node WHERE report_id = ? ORDER BY position, id",
        (report_id,),
    ).fetchall()
    by_parent: dict[int | None, list[Node]] = {}
    for node in map(_node, rows):
        by_parent.setdefault(node.parent_id, []).append(node)
    ordered: list[Node] = []

    def walk(parent: int | None) -> None:
        for node in by_parent.get(parent, []):
            ordered.append(node)
            walk(node.id)

    walk(None)
    return ordered


def node_by_id(db: Database, node_id: int) -> Node:
    row = db.conn.execute(
        f"SELECT {_NODE_COLUMNS} FROM report_node WHERE id = ?", (node_id,)
    ).fetchone()
    if row is None:
        raise StorageError("报告段落不存在（可能已被删除）")
    return _node(row)


def update_node(db: Database, node_id: int, *, heading: str, body: str) -> Node:
    """Replace a node's heading and text (the editor's autosave); return the node as it was.

    The old text goes into the audit row, so an autosaved edit can always be traced and undone.
    """
    old = node_by_id(db, node_id)
    if old.heading == heading and old.body == body:
        return old
    report = report_by_id(db, old.report_id)
    with db.transaction() as conn, db.audit_source(f"报告 {report.title}"):
        conn.execute(
            "UPDATE report_node SET heading = ?, body = ? WHERE id = ?", (heading, body, node_id)
        )
        conn.execute("UPDATE report SET updated_at = ? WHERE id = ?", (_now(), report.id))
        _audit(
            conn,
            report.unit_id,
            report.period or str(report.year),
            f"{old.label}\n{old.body}",
            f"{old.marker}{heading}\n{body}",
        )
    return old


def _subtree(db: Database, node: Node) -> NewNode:
    children = db.conn.execute(
        f"SELECT {_NODE_COLUMNS} FROM report_node WHERE parent_id = ? ORDER BY position, id",
        (node.id,),
    ).fetchall()
    return NewNode(
        node.level,
        node.marker,
        node.heading,
        node.body,
        node.run_in,
        [_subtree(db, _node(c)) for c in children],
    )


def insert_node(
    db: Database, report_id: int, parent_id: int | None, position: int, node: NewNode
) -> int:
    """Insert ``node`` (with its children) at ``position`` among its siblings; return its id."""
    report = report_by_id(db, report_id)
    with db.transaction() as conn, db.audit_source(f"报告 {report.title}"):
        conn.execute(
            "UPDATE report_node SET position = position + 1 WHERE report_id = ? "
            "AND parent_id IS ? AND position >= ?",
            (report_id, parent_id, position),
        )
        new_id = _insert_nodes(conn, report_id, parent_id, [node], position)[0]
        _audit(conn, report.unit_id, report.period or str(report.year), None,
               f"新增：{node.label}\n{node.body}")  # fmt: skip
    return new_id


def delete_node(db: Database, node_id: int) -> tuple[int | None, int, NewNode]:
    """Delete a section and everything under it; return (parent, position, subtree) for undo.

    The whole subtree's text also goes into the audit row, so nothing is lost for good.
    """
    node = node_by_id(db, node_id)
    report = report_by_id(db, node.report_id)
    tree = _subtree(db, node)
    text = "\n".join(f"{n.label}\n{n.body}" for n in tree.walk())
    with db.transaction() as conn, db.audit_source(f"报告 {report.title}"):
        conn.execute("DELETE FROM report_node WHERE id = ?", (node_id,))
        conn.execute(
            "UPDATE report_node SET position = position - 1 WHERE report_id = ? "
            "AND parent_id IS ? AND position > ?",
            (node.report_id, node.parent_id, node.position),
        )
        _audit(conn, report.unit_id, report.period or str(report.year), f"删除：{text}", None)
    return node.parent_id, node.position, tree


def update_report(
    db: Database, report_id: int, *, title: str, kind: str, year: int, period: str
) -> None:
    _check(kind, title)
    old = report_by_id(db, report_id)
    with db.transaction() as conn, db.audit_source(f"报告 {title}"):
        conn.execute(
            "UPDATE report SET title = ?, kind = ?, year = ?, period = ?, updated_at = ? "
            "WHERE id = ?",
            (title.strip(), kind, year, period, _now(), report_id),
        )
        _audit(conn, old.unit_id, period or str(year), old.title, title)


def delete_report(db: Database, report_id: int) -> None:
    report = report_by_id(db, report_id)
    with db.transaction() as conn, db.audit_source(f"报告 {report.title}"):
        conn.execute("DELETE FROM report WHERE id = ?", (report_id,))
        _audit(
            conn, report.unit_id, report.period or str(report.year), f"删除：{report.title}", None
        )


def search_nodes(db: Database, query: str, limit: int = 200) -> list[Hit]:
    """Nodes containing ``query`` as a substring, best match first.

    Three characters or more go through the trigram index; shorter queries (a two-character
    word is common in Chinese) cannot use trigrams and fall back to a scan, which is still
    quick at the size of one office's reports.
    """
    query = query.strip()
    if not query:
        return []
    head = "SELECT r.id, n.id, r.title, r.unit_id, r.year, r.kind, n.marker || n.heading, "
    if len(query) >= 3:
        phrase = '"' + query.replace('"', '""') + '"'
        sql = (
            head + "snippet(report_fts, -1, char(2), char(3), '…', 24) "
            "FROM report_fts JOIN report_node AS n ON n.id = report_fts.rowid "
            "JOIN report AS r ON r.id = n.report_id WHERE report_fts MATCH ? "
            "ORDER BY rank LIMIT ?"
        )
        rows = db.conn.execute(sql, (phrase, limit)).fetchall()
    else:
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sql = (
            head + "n.heading || char(10) || n.body FROM report_node AS n "
            "JOIN report AS r ON r.id = n.report_id "
            "WHERE n.heading LIKE ?1 ESCAPE '\\' OR n.body LIKE ?1 ESCAPE '\\' "
            "ORDER BY r.year DESC, n.id LIMIT ?2"
        )
        rows = [(*r[:7], _mark(str(r[7]), query)) for r in db.conn.execute(sql, (pattern, limit))]
    return [Hit(*r) for r in rows]


def _mark(text: str, query: str, width: int = 24) -> str:
    at = text.find(query)
    if at < 0:
        return text[: width * 2]
    start = max(0, at - width)
    end = at + len(query) + width
    return (
        ("…" if start else "")
        + text[start:at]
        + "\x02"
        + query
        + "\x03"
        + text[at + len(query) : end]
        + ("…" if end < len(text) else "")
    )


@dataclass(frozen=True)
class PlanHit:
    plan_id: int
    item_id: int
    title: str
    unit_id: int
    year: int
    snippet: str


def search_plan_items(db: Database, query: str, limit: int = 200) -> list[PlanHit]:
    """Plan items containing ``query``; empty when this file has no plans (older schema)."""
    query = query.strip()
    exists = db.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'plan_item'"
    ).fetchone()
    if not query or not exists:
        return []
    pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = db.conn.execute(
        "SELECT p.id, i.id, p.title, p.unit_id, p.year, i.marker || i.text FROM plan_item AS i "
        "JOIN plan AS p ON p.id = i.plan_id WHERE i.text LIKE ? ESCAPE '\\' "
        "ORDER BY p.year DESC, i.id LIMIT ?",
        (pattern, limit),
    ).fetchall()
    return [
        PlanHit(int(r[0]), int(r[1]), str(r[2]), int(r[3]), int(r[4]), _mark(str(r[5]), query))
        for r in rows
    ]
