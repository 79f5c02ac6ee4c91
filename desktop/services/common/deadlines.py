"""Deadlines: 时限 as plans and the ledger write them, and reporting duties' due rules.

Plan items (时限) and ledger problems (整改时限) use the same words (a date, 年底前, 上半年,
按序时 or nothing), and both pages say 逾期 by the same rule, so the rule lives here once. A
reporting duty's due rule ("每月5日前", "季后10日内") gives the last day to report a period from
the day that period ends; the 工作台 reads it with ``parse_due_rule``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta


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


# ---------------------------------------------------------------- reporting due rules

_DUE_NEXT_MONTH_DAY = re.compile(r"^(?:每月|次月|每月次月|下月)(\d{1,2})日(?:前|之前|以前)?$")
_DUE_AFTER_DAYS = re.compile(r"^(?:每)?(月|季度?|年)(?:后|结束后|末后)(\d{1,3})(?:日|天)内$")
_DUE_NEXT_YEAR = re.compile(r"^次年(\d{1,2})月(\d{1,2})日(?:前|之前|以前)?$")
_QUARTER_NEXT_MONTH_DAY = re.compile(
    r"^每?季(?:度)?(?:后|结束后)?首月(\d{1,2})日(?:前|之前|以前)?$"
)
#: Which period kinds (M, YTD, Q, Y) a rule's own word fits.
_FITS = {"月": {"M", "YTD"}, "季": {"Q"}, "年": {"Y"}}


@dataclass(frozen=True)
class DueRule:
    """A reporting duty's due rule as the office words it ("每月5日前", "季后10日内").

    ``kind`` says how the due day follows from the end of the reported period: ``next_month``
    (day ``day`` of the month after it ends), ``after`` (``days`` days after it ends) or
    ``next_year`` (``month``/``day`` of the following year). ``cycle`` is 月, 季 or 年: the
    period kinds the rule is written for.
    """

    text: str
    kind: str
    cycle: str
    day: int = 0
    days: int = 0
    month: int = 0

    def fits(self, period_kind: str) -> bool:
        return period_kind in _FITS[self.cycle]

    def due(self, period_end: date) -> date:
        """The last day to report a period that ends on ``period_end``."""
        if self.kind == "after":
            return period_end + timedelta(days=self.days)
        if self.kind == "next_year":
            return _clamped(period_end.year + 1, self.month, self.day)
        year, month = (
            (period_end.year + 1, 1)
            if period_end.month == 12
            else (
                period_end.year,
                period_end.month + 1,
            )
        )
        return _clamped(year, month, self.day)


def _clamped(year: int, month: int, day: int) -> date:
    """``day`` of the month, or its last day ("每月31日前" in February)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def parse_due_rule(text: str) -> DueRule:
    """Read "每月5日前", "次月10日前", "季后10日内", "月后15日内", "年后30日内", "次年1月20日前",
    "每季首月10日前". Raises ``ValueError`` with a Chinese sentence naming what is accepted."""
    folded = re.sub(r"\s+", "", text).replace("号", "日")
    if match := _DUE_NEXT_MONTH_DAY.match(folded):
        day = int(match[1])
        if 1 <= day <= 31:
            return DueRule(text.strip(), "next_month", "月", day=day)
    elif match := _QUARTER_NEXT_MONTH_DAY.match(folded):
        day = int(match[1])
        if 1 <= day <= 31:
            return DueRule(text.strip(), "next_month", "季", day=day)
    elif match := _DUE_AFTER_DAYS.match(folded):
        days = int(match[2])
        if 0 <= days <= 366:
            return DueRule(text.strip(), "after", match[1][0], days=days)
    elif match := _DUE_NEXT_YEAR.match(folded):
        month, day = int(match[1]), int(match[2])
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]:
            return DueRule(text.strip(), "next_year", "年", day=day, month=month)
    raise ValueError(
        f"“{text}”不是可识别的报送时限；可写成“每月5日前”“季后10日内”“月后15日内”"
        "“年后30日内”“次年1月20日前”"
    )


def due_text(due: date, today: date) -> str:
    """ "11月5日截止，还有 2 天" / "今天截止" / "已逾期 3 天"."""
    left = (due - today).days
    when = f"{due.month}月{due.day}日"
    if left > 0:
        return f"{when}截止，还有 {left} 天"
    if left == 0:
        return f"{when}截止，今天到期"
    return f"{when}截止，已逾期 {-left} 天"
