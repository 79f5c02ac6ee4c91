"""Reporting duties on a given day: due-date rules, the period a duty is for, and its state."""

from __future__ import annotations

from datetime import date

import pytest

from db import duties, locks, values
from db.connection import Database
from db.errors import StorageError
from db.indicators import indicator_by_code
from db.periods import Period
from db.values import ValueWrite
from desktop.services.common.deadlines import due_text, parse_due_rule
from desktop.services.workbench.agenda import workbench
from desktop.services.workbench.duties import (
    DutyState,
    add_duty,
    duty_statuses,
    latest_ended,
    period_end,
)

OWN = 2  # 海岛区分局
JINDONG = 4  # 金东分局: no duties in the demo


@pytest.mark.parametrize(
    ("rule", "ends", "due"),
    [
        ("每月5日前", date(2022, 10, 31), date(2022, 11, 5)),
        ("每月5日前", date(2022, 12, 31), date(2023, 1, 5)),  # across the year
        ("次月10号前", date(2022, 1, 31), date(2022, 2, 10)),
        ("每月31日前", date(2022, 1, 31), date(2022, 2, 28)),  # no 31st in February
        ("季后10日内", date(2022, 9, 30), date(2022, 10, 10)),
        ("季后15天内", date(2022, 12, 31), date(2023, 1, 15)),
        ("每季首月10日前", date(2022, 3, 31), date(2022, 4, 10)),
        ("月后15日内", date(2022, 2, 28), date(2022, 3, 15)),
        ("年后30日内", date(2022, 12, 31), date(2023, 1, 30)),
        ("次年1月20日前", date(2021, 12, 31), date(2022, 1, 20)),
    ],
)
def test_due_day_of_a_period(rule: str, ends: date, due: date) -> None:
    assert parse_due_rule(rule).due(ends) == due


@pytest.mark.parametrize("rule", ["每月前", "每月35日前", "尽快", "季后", "次年13月1日前", ""])
def test_unreadable_rules_are_refused_in_chinese(rule: str) -> None:
    with pytest.raises(ValueError, match="报送时限"):
        parse_due_rule(rule)


def test_latest_ended_period_and_due_words() -> None:
    today = date(2022, 11, 8)
    assert latest_ended("M", today) == Period.month(2022, 10)
    assert latest_ended("YTD", today) == Period.ytd(2022, 10)
    assert latest_ended("Q", today) == Period.quarter(2022, 3)
    assert latest_ended("Y", today) == Period.whole_year(2021)
    january = date(2023, 1, 3)
    assert latest_ended("YTD", january) == Period.whole_year(2022)  # 1-12月 is the year
    assert latest_ended("Q", january) == Period.quarter(2022, 4)
    assert period_end(Period.quarter(2022, 3)) == date(2022, 9, 30)
    assert due_text(date(2022, 11, 10), today) == "11月10日截止，还有 2 天"
    assert due_text(date(2022, 11, 8), today) == "11月8日截止，今天到期"
    assert due_text(date(2022, 11, 5), today) == "11月5日截止，已逾期 3 天"


def test_demo_duties_one_overdue_one_due_one_done(demo_db: Database) -> None:
    found = {s.duty.name: s for s in duty_statuses(demo_db, OWN, date(2022, 11, 8))}
    monthly = found["市局主要指标月报（1-N月累计）"]
    assert monthly.period == Period.ytd(2022, 10) and monthly.due == date(2022, 11, 5)
    assert monthly.state is DutyState.OVERDUE and monthly.state_text == "逾期（已填未报送）"
    petitions = found["环境信访月报"]
    assert petitions.period == Period.month(2022, 10) and petitions.days_left == 2
    assert petitions.state is DutyState.MISSING and petitions.state_text == "未填 3 项"
    quarterly = found["执法检查季报"]
    assert quarterly.state is DutyState.DONE and quarterly.period == Period.quarter(2022, 3)


def test_state_follows_the_figures_and_the_lock(demo_db: Database) -> None:
    add_duty(demo_db, JINDONG, "季报", "Q", "季后10日内", None, ("complaints", "cases"))
    day = date(2022, 10, 3)  # Q3 due on 10-10
    [status] = duty_statuses(demo_db, JINDONG, day)
    assert status.state is DutyState.MISSING and status.missing == (
        "受理环境信访件",
        "办理环境违法案件",
    )
    complaints = indicator_by_code(demo_db, "complaints").id
    cases = indicator_by_code(demo_db, "cases").id
    values.write_values(demo_db, [ValueWrite(JINDONG, "2022-Q3", complaints, 5.0)])
    [status] = duty_statuses(demo_db, JINDONG, day)
    assert status.state_text == "未填 1 项"
    values.write_values(demo_db, [ValueWrite(JINDONG, "2022-Q3", cases, 2.0)])
    [status] = duty_statuses(demo_db, JINDONG, day)
    assert status.state is DutyState.FILLED
    [late] = duty_statuses(demo_db, JINDONG, date(2022, 10, 11))
    assert late.state is DutyState.OVERDUE
    locks.lock_period(demo_db, JINDONG, "2022-Q3")
    [done] = duty_statuses(demo_db, JINDONG, date(2022, 10, 11))
    assert done.state is DutyState.DONE
    # A new quarter starts the cycle again.
    [next_one] = duty_statuses(demo_db, JINDONG, date(2023, 1, 2))
    assert next_one.period == Period.quarter(2022, 4) and next_one.state is DutyState.MISSING


def test_a_rule_that_does_not_fit_the_period_kind_is_refused(demo_db: Database) -> None:
    with pytest.raises(StorageError, match="季报"):
        add_duty(demo_db, JINDONG, "错配", "Q", "每月5日前", None, ("cases",))
    with pytest.raises(StorageError, match="报送时限"):
        add_duty(demo_db, JINDONG, "错字", "M", "每月五号", None, ("cases",))
    with pytest.raises(StorageError, match="表样或至少一个指标组"):
        add_duty(demo_db, JINDONG, "空", "M", "每月5日前")
    add_duty(demo_db, JINDONG, "月报", "M", "每月5日前", None, ("cases",))
    with pytest.raises(StorageError, match="已有名为"):
        add_duty(demo_db, JINDONG, "月报", "M", "每月5日前", None, ("cases",))
    assert [d.name for d in duties.duties_of(demo_db, JINDONG)] == ["月报"]


def test_workbench_lists_overdue_and_soon_due_plan_items(demo_db: Database) -> None:
    bench = workbench(demo_db, OWN, date(2022, 11, 8))
    assert [i.text for i in bench.plan_items] == [
        "3.开展温室气体清单编制",
        "2.举一反三排查问题按时序整改销号",
    ]
    assert all(i.overdue for i in bench.plan_items)
    # 年底前 (12-31) is 53 days away on 11-08: not yet; on 12-05 the open 举一反三 problems are.
    assert bench.problems == ()
    december = workbench(demo_db, OWN, date(2022, 12, 5))
    assert len(december.problems) == 6 and not any(p.overdue for p in december.problems)
    assert bench.imports and bench.imports[0][0] == "演示数据"
    # A later import of the unit comes first; another unit's does not show.
    cases = indicator_by_code(demo_db, "cases").id
    with demo_db.audit_source("导入 金东报表.xlsx"):
        values.write_values(demo_db, [ValueWrite(JINDONG, "2022-M10", cases, 1.0)])
    with demo_db.audit_source("导入 市局月报.xlsx"):
        values.write_values(demo_db, [ValueWrite(OWN, "2022-M10", cases, 2.0)])
    sources = [s for s, _ in workbench(demo_db, OWN, date(2022, 11, 8)).imports]
    assert sources[0] == "导入 市局月报.xlsx" and "导入 金东报表.xlsx" not in sources
