"""Migration 12: a submitted (已报送) period refuses every figure it showed, in the file itself.

Migration 1 refused the locked period's own values and notes. A submitted sheet also showed
去年同期 (the same period a year earlier, stored under that period's code) and 年度目标 (stored
per year): both stayed writable by any path that did not ask the grid first (an import's
target column, a returned workbook's 去年同期, the CLI). These triggers close that:

- a value or note of (unit, period) is refused while (unit, the period a year later) is
  locked: it is that submitted sheet's 去年同期, and its 同比 would change;
- a target of (unit, year) is refused while any period of that unit in that year is locked.

Each trigger raises its own word so the store can say which rule refused. Append-only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.migrations.runner import run_script

if TYPE_CHECKING:
    import sqlite_utils

NAME = "已报送期间的去年同期与年度目标锁定"

#: The period a year later, from a period code ("2022-YTD10" → "2023-YTD10").
_NEXT_YEAR = "(CAST(substr({p}, 1, 4) AS INTEGER) + 1) || substr({p}, 5)"


def _last_year_trigger(name: str, event: str, when: str) -> str:
    return f"""
CREATE TRIGGER {name} BEFORE {event} ON value
WHEN {when}
BEGIN
    SELECT RAISE(ABORT, 'ecodesk:last-year-locked');
END;
"""


def _shown_by_lock(row: str) -> str:
    code = _NEXT_YEAR.format(p=f"{row}.period")
    return f"EXISTS (SELECT 1 FROM period_lock WHERE unit_id = {row}.unit_id AND period = {code})"


def _year_locked(row: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM period_lock WHERE unit_id = {row}.unit_id "
        f"AND substr(period, 1, 4) = CAST({row}.year AS TEXT))"
    )


def _target_trigger(name: str, event: str, when: str) -> str:
    return f"""
CREATE TRIGGER {name} BEFORE {event} ON target
WHEN {when}
BEGIN
    SELECT RAISE(ABORT, 'ecodesk:target-locked');
END;
"""


SCHEMA = (
    _last_year_trigger("value_last_year_locked_insert", "INSERT", _shown_by_lock("NEW"))
    + _last_year_trigger(
        "value_last_year_locked_update",
        "UPDATE",
        f"{_shown_by_lock('OLD')} OR {_shown_by_lock('NEW')}",
    )
    + _last_year_trigger("value_last_year_locked_delete", "DELETE", _shown_by_lock("OLD"))
    + _target_trigger("target_locked_insert", "INSERT", _year_locked("NEW"))
    + _target_trigger(
        "target_locked_update", "UPDATE", f"{_year_locked('OLD')} OR {_year_locked('NEW')}"
    )
    + _target_trigger("target_locked_delete", "DELETE", _year_locked("OLD"))
)


def apply(db: sqlite_utils.Database) -> None:
    run_script(db, SCHEMA)
