"""The state of each reporting duty on a given day: the period it is for, when it is due,
未填 n 项 / 已填 / 已报送 / 逾期.

The period a duty is for on ``today`` is the latest period of its kind that has ended (a
monthly duty reports last month, a quarterly one last quarter). If that period was marked
已报送 (locked) the duty is done; else it is 逾期 once its due day has passed, whatever is
filled; before that it says how many of its indicators have no figure yet. ``today`` is always
a parameter: the page passes its clock, a test a fixed day.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from db import duties, form_templates, locks
from db.connection import Database
from db.duties import Duty
from db.errors import StorageError
from db.indicators import all_indicators
from db.periods import Period
from db.sheet import read_sheet
from desktop.services.common.deadlines import DueRule, due_text, parse_due_rule

KIND_WORDS = {"M": "月报", "YTD": "月报（1-N月累计）", "Q": "季报", "Y": "年报"}


class DutyState(StrEnum):
    MISSING = "未填"
    FILLED = "已填"
    DONE = "已报送"
    OVERDUE = "逾期"


@dataclass(frozen=True)
class DutyStatus:
    """One duty on one day."""

    duty: Duty
    period: Period
    due: date
    state: DutyState
    missing: tuple[str, ...]  # indicator names without a figure
    total: int  # indicators the duty needs
    template_name: str
    today: date

    @property
    def state_text(self) -> str:
        """ "未填 3 项", "已填", "已报送", "逾期（未填 3 项）"."""
        if self.state is DutyState.MISSING:
            return f"未填 {len(self.missing)} 项"
        if self.state is DutyState.OVERDUE:
            return f"逾期（未填 {len(self.missing)} 项）" if self.missing else "逾期（已填未报送）"
        return self.state.value

    @property
    def due_text(self) -> str:
        if self.state is DutyState.DONE:
            return f"{self.due.month}月{self.due.day}日截止"
        return due_text(self.due, self.today)

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days


def period_end(period: Period) -> date:
    last_month = max(period.months())
    return date(period.year, last_month, calendar.monthrange(period.year, last_month)[1])


def latest_ended(kind: str, today: date) -> Period:
    """The latest period of ``kind`` (M, YTD, Q, Y) that ended before ``today``."""
    last = today.replace(day=1) - timedelta(days=1)  # the last day of last month
    if kind == "M":
        return Period.month(last.year, last.month)
    if kind == "YTD":
        return Period.ytd(last.year, last.month)
    if kind == "Q":
        quarter = (today.month - 1) // 3  # the quarter before this one
        return (
            Period.quarter(today.year - 1, 4)
            if quarter == 0
            else Period.quarter(today.year, quarter)
        )
    if kind == "Y":
        return Period.whole_year(today.year - 1)
    raise ValueError(kind)


def checked_rule(rule_text: str, period_kind: str) -> DueRule:
    """The parsed rule, refused when its words do not fit the period kind ("季后" for 月报)."""
    try:
        rule = parse_due_rule(rule_text)
    except ValueError as exc:
        raise StorageError(str(exc)) from exc
    if not rule.fits(period_kind):
        raise StorageError(
            f"“{rule_text}”是按{rule.cycle}的时限，与{KIND_WORDS[period_kind]}不符",
            hint="月报写“每月5日前”，季报写“季后10日内”，年报写“次年1月20日前”",
        )
    return rule


def template_indicators(layouts: str) -> tuple[str, ...]:
    """The indicator codes a saved bureau form fills, read from its stored layouts."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "indicator" and isinstance(value, str) and value not in found:
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    try:
        walk(json.loads(layouts))
    except ValueError:
        return ()
    return tuple(found)


def duty_statuses(db: Database, unit_id: int, today: date) -> list[DutyStatus]:
    """Every duty of the unit with its period, due day and state on ``today``."""
    catalog = all_indicators(db)
    by_code = {i.code: i for i in catalog}
    templates = {t.id: t for t in form_templates.all_templates(db)}
    result = []
    sheets: dict[str, dict[str, float | None]] = {}
    for duty in duties.duties_of(db, unit_id):
        period = latest_ended(duty.period_kind, today)
        rule = parse_due_rule(duty.due_rule)
        due = rule.due(period_end(period))
        template = templates.get(duty.template_id) if duty.template_id is not None else None
        codes = duty.indicators or (template_indicators(template.layouts) if template else ())
        codes = tuple(c for c in codes if c in by_code)
        if period.code not in sheets:
            sheet = read_sheet(db, unit_id, period, catalog)
            sheets[period.code] = {r.indicator.code: r.current.value for r in sheet.rows}
        values = sheets[period.code]
        missing = tuple(by_code[c].name for c in codes if values.get(c) is None)
        if locks.lock_info(db, unit_id, period.code) is not None:
            state = DutyState.DONE
        elif due < today:
            state = DutyState.OVERDUE
        elif missing:
            state = DutyState.MISSING
        else:
            state = DutyState.FILLED
        name = template.name if template else ""
        result.append(DutyStatus(duty, period, due, state, missing, len(codes), name, today))
    return result


def group_indicators(db: Database, groups: Iterable[str]) -> tuple[str, ...]:
    """The entered (not computed) indicators of catalog groups (大气, 执法 …), as the 新增报送任务
    dialog offers them; a group the catalog does not have is refused naming the ones it has."""
    catalog = all_indicators(db)
    known = list(dict.fromkeys(i.category for i in catalog))
    wanted = {g.strip() for g in groups if g.strip()}
    unknown = sorted(wanted - set(known))
    if unknown:
        raise StorageError(
            f"没有指标组“{'、'.join(unknown)}”", hint=f"可选的指标组：{'、'.join(known)}"
        )
    return tuple(i.code for i in catalog if i.category in wanted and not i.is_computed)


def add_duty(
    db: Database,
    unit_id: int,
    name: str,
    period_kind: str,
    due_rule: str,
    template_id: int | None = None,
    indicators: tuple[str, ...] = (),
) -> Duty:
    """Add a duty after checking its rule against its period kind (refused in Chinese)."""
    checked_rule(due_rule, period_kind)
    if template_id is None and not indicators:
        raise StorageError(
            "报送任务需要选择上级表样或至少一个指标组", hint="未填项按所选表样或指标组计算"
        )
    return duties.add_duty(db, unit_id, name, period_kind, due_rule, template_id, indicators)
