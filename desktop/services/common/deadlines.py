"""Deadlines as plans and the ledger write them: a date, 年底前, 上半年, 按序时 or nothing.

Plan items (时限) and ledger problems (整改时限) use the same words, and both pages say 逾期 by the
same rule, so the rule lives here once.
"""

from __future__ import annotations

from datetime import date


def deadline_date(deadline: str, year: int) -> date | None:
    """The day a deadline falls due; None for 按序时 or no deadline (never overdue).

    A deadline here is a stored value: ``db.plans.check_deadline`` lets in only an ISO date or
    one of ``DEADLINE_WORDS``. It is not read like a cell (``common.dates``), which also takes
    "2026年6月" or an Excel serial: the store never holds those, and a reading that accepted
    them would hide a value that got past it.
    """
    if deadline == "年底前":
        return date(year, 12, 31)
    if deadline == "上半年":
        return date(year, 6, 30)
    if not deadline or deadline == "按序时":
        return None
    try:
        return date.fromisoformat(deadline)
    except ValueError:
        return None


def deadline_text(deadline: str) -> str:
    return deadline or "—"
