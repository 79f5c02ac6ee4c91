"""Reporting duties (报送任务) of a unit: what must be sent upward, for which period kind, by when.

The due rule is kept as the office words it ("每月5日前") and checked by the caller
(``desktop.services.common.deadlines.parse_due_rule``) before it is stored; the state of a duty
(未填 / 已填 / 已报送 / 逾期) is computed, never stored.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from db import audit
from db.connection import Database
from db.errors import StorageError

PERIOD_KINDS = ("M", "YTD", "Q", "Y")


@dataclass(frozen=True)
class Duty:
    id: int
    unit_id: int
    name: str
    period_kind: str  # M, YTD, Q, Y
    due_rule: str
    template_id: int | None
    indicators: tuple[str, ...]  # catalog codes; empty: the template's, else none chosen
    sort_order: int


_COLUMNS = "id, unit_id, name, period_kind, due_rule, template_id, indicators, sort_order"


def _duty(row: tuple[object, ...]) -> Duty:
    codes = tuple(c for c in str(row[6]).split(",") if c)
    return Duty(
        int(row[0]),  # type: ignore[call-overload]
        int(row[1]),  # type: ignore[call-overload]
        str(row[2]),
        str(row[3]),
        str(row[4]),
        None if row[5] is None else int(row[5]),  # type: ignore[call-overload]
        codes,
        int(row[7]),  # type: ignore[call-overload]
    )


def duties_of(db: Database, unit_id: int) -> list[Duty]:
    """A unit's duties in the order the office set."""
    rows = db.conn.execute(
        f"SELECT {_COLUMNS} FROM duty WHERE unit_id = ? ORDER BY sort_order, id", (unit_id,)
    ).fetchall()
    return [_duty(r) for r in rows]


def add_duty(
    db: Database,
    unit_id: int,
    name: str,
    period_kind: str,
    due_rule: str,
    template_id: int | None = None,
    indicators: tuple[str, ...] = (),
) -> Duty:
    """Add a duty; ``StorageError`` in Chinese for a blank or repeated name or a bad kind."""
    name = name.strip()
    if not name:
        raise StorageError("报送任务需要名称")
    if period_kind not in PERIOD_KINDS:
        raise StorageError(f"期间类型“{period_kind}”应为 M、YTD、Q 或 Y")
    with db.transaction() as conn:
        order = conn.execute(
            "SELECT coalesce(max(sort_order), 0) + 1 FROM duty WHERE unit_id = ?", (unit_id,)
        ).fetchone()[0]
        try:
            cursor = conn.execute(
                "INSERT INTO duty (unit_id, name, period_kind, due_rule, template_id, indicators,"
                " sort_order) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (unit_id, name, period_kind, due_rule, template_id, ",".join(indicators), order),
            )
        except sqlite3.IntegrityError as exc:
            raise StorageError(f"已有名为“{name}”的报送任务") from exc
        audit.record(conn, "duty", unit_id=unit_id, new=f"{name}（{due_rule}）")
    assert cursor.lastrowid is not None
    return Duty(
        cursor.lastrowid, unit_id, name, period_kind, due_rule, template_id, indicators, order
    )


def delete_duty(db: Database, duty_id: int) -> None:
    with db.transaction() as conn:
        row = conn.execute("SELECT unit_id, name FROM duty WHERE id = ?", (duty_id,)).fetchone()
        if row is None:
            raise StorageError("该报送任务已不存在")
        conn.execute("DELETE FROM duty WHERE id = ?", (duty_id,))
        audit.record(conn, "duty", unit_id=row[0], old=row[1])


def restore_duty(db: Database, duty: Duty) -> None:
    """Put a deleted duty back as it was (undo)."""
    with db.transaction() as conn:
        conn.execute(
            f"INSERT INTO duty ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                duty.id,
                duty.unit_id,
                duty.name,
                duty.period_kind,
                duty.due_rule,
                duty.template_id,
                ",".join(duty.indicators),
                duty.sort_order,
            ),
        )
        audit.record(conn, "duty", unit_id=duty.unit_id, new=duty.name)
