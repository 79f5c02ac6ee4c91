"""The rest of the 工作台: plan items and ledger problems due soon or overdue, the last imports
and backups, all for one unit on one day.

"Due soon" is within ``HORIZON_DAYS`` (30) of today; overdue uses the plans' and the ledger's
own rules (``db.plans.CLOSED_STATUSES``, which ``plans.checklist`` uses too, and
``ledger.tracking``), so the 工作台 never disagrees with their pages about what is late. The
checklist itself is not imported: it is not needed before the first paint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from db import audit, backup, ledger, plans
from db.connection import Database
from desktop.services.common.deadlines import deadline_date
from desktop.services.ledger.tracking import is_overdue
from desktop.services.workbench.duties import DutyState, DutyStatus, duty_statuses

HORIZON_DAYS = 30


@dataclass(frozen=True)
class DueItem:
    """A plan item or a ledger problem with its due day."""

    kind: str  # "plan" / "problem"
    id: int
    owner_id: int  # the plan's id, or the problem's id
    text: str
    where: str  # the plan title, or the ledger batch
    due: date
    overdue: bool
    status: str


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime
    reason: str


@dataclass(frozen=True)
class Workbench:
    """Everything the 工作台 page shows for (unit, today)."""

    unit_id: int
    today: date
    duties: tuple[DutyStatus, ...]
    plan_items: tuple[DueItem, ...]
    problems: tuple[DueItem, ...]
    imports: tuple[tuple[str, str], ...]  # (source, when)
    backups: tuple[Backup, ...]

    def count(self, state: DutyState) -> int:
        return sum(1 for d in self.duties if d.state is state)

    @property
    def overdue_items(self) -> int:
        return sum(1 for i in (*self.plan_items, *self.problems) if i.overdue)


def _within(due: date | None, today: date) -> bool:
    return due is not None and (due - today).days <= HORIZON_DAYS


def due_plan_items(db: Database, unit_id: int, today: date) -> list[DueItem]:
    """Open plan items (leaves with a 时限) overdue or due within 30 days, soonest first."""
    found = []
    for plan in plans.plans_for(db, unit_id):
        items = plans.items_of(db, plan.id)
        parents = {i.parent_id for i in items}
        for item in items:
            if item.id in parents or item.status in plans.CLOSED_STATUSES:
                continue
            due = deadline_date(item.deadline, plan.year)
            if due is None or not _within(due, today):
                continue
            found.append(
                DueItem(
                    "plan", item.id, plan.id, item.label, f"{plan.year}年{plan.title}", due,
                    due < today, item.status,
                )
            )  # fmt: skip
    return sorted(found, key=lambda i: (i.due, i.id))


def due_problems(db: Database, unit_id: int, today: date) -> list[DueItem]:
    """Ledger problems still 整改中 that are overdue or due within 30 days, soonest first."""
    found = []
    for problem in ledger.problems_for(db, unit_id):
        if problem.status != "整改中":
            continue
        due = deadline_date(problem.deadline, problem.year)
        if due is None or not _within(due, today):
            continue
        found.append(
            DueItem(
                "problem", problem.id, problem.id, problem.description, problem.batch, due,
                is_overdue(problem, today), problem.status,
            )
        )  # fmt: skip
    return sorted(found, key=lambda i: (i.due, i.id))


def workbench(db: Database, unit_id: int, today: date) -> Workbench:
    """The 工作台 of ``unit_id`` on ``today``: read-only, a handful of queries."""
    backups = tuple(Backup(b.path, b.taken_at, b.reason) for b in backup.list_backups(db.path)[:3])
    return Workbench(
        unit_id=unit_id,
        today=today,
        duties=tuple(duty_statuses(db, unit_id, today)),
        plan_items=tuple(due_plan_items(db, unit_id, today)),
        problems=tuple(due_problems(db, unit_id, today)),
        imports=tuple(audit.recent_sources(db, unit_id, 5)),
        backups=backups,
    )
