"""The ledger's rules against the seed reports: completion rates as bureaus quote them, statuses and
overdue with a fixed today, and the batch counts fed to the indicator store."""

from __future__ import annotations

import re
from datetime import date

import pytest

from db import ledger, units
from db.connection import Database
from db.ledger import NewProblem
from db.periods import Period
from db.sheet import read_sheet
from desktop.services.ledger import tracking
from tests.conftest import seed_text

P = Period.parse("2022-YTD10")


def _batch(
    source: str, batch: str, statuses: list[str], deadline: str = "年底前"
) -> list[NewProblem]:
    return [
        NewProblem(source, batch, n, 2022, f"问题{n}", deadline=deadline, status=s)
        for n, s in enumerate(statuses, start=1)
    ]


def test_seed_000_ledgers_give_the_reported_rates_and_feed_the_store(demo_db: Database) -> None:
    text = seed_text("000")
    central = re.search(r"“1\+3\+6”已完成问题整改(\d+)个，(\d+)个立行立改，完成率(\d+)%", text)
    echo = re.search(
        r"举一反三(\d+)个问题已完成问题整改(\d+)个，(\d+)个立行立改，完成率([\d.]+)%", text
    )
    assert central and echo
    done, immediate, rate = (int(g) for g in central.groups())
    total = 1 + 3 + 6
    unit = units.add_unit(demo_db, "330300-99", "测试分局", level="分局", parent_code="330300")
    statuses = ["已完成整改"] * done + ["立行立改"] * immediate
    statuses += ["整改中"] * (total - len(statuses))
    source = "中央生态环境保护督察（第二轮）"
    ledger.add_problems(demo_db, unit.id, _batch(source, "1+3+6", statuses))
    e_total, e_done, e_immediate = (int(g) for g in echo.groups()[:3])
    statuses = ["已完成整改"] * (e_done - 1) + ["已销号"] + ["立行立改"] * e_immediate
    statuses += ["整改中"] * (e_total - len(statuses))
    problems = _batch("举一反三", "举一反三", statuses)
    problems[e_done - 1] = NewProblem(
        "举一反三", "举一反三", e_done, 2022, "x", status="已销号", closed_on="2022-09-01",
        verification="核查到位",
    )  # fmt: skip
    ledger.add_problems(demo_db, unit.id, problems)

    summaries = tracking.summarise(ledger.problems_for(demo_db, unit.id), date(2022, 11, 5))
    assert summaries[0].rate == pytest.approx(rate)  # 90%
    assert f"{summaries[1].rate:.1f}" == echo[4]  # 64.7%: 已销号 counts as rectified
    tracking.feed_store(demo_db, unit.id, "1+3+6", P)
    tracking.feed_store(demo_db, unit.id, "举一反三", P)
    sheet = read_sheet(demo_db, unit.id, P)
    assert sheet.row("cent_insp_rate").current.value == pytest.approx(90.0)
    assert sheet.row("cent_insp_ongoing").current.value == 1
    assert f"{sheet.row('ref_insp_rate').current.value:.1f}" == "64.7"


def test_seed_001_feedback_statuses_and_overdue_with_a_fixed_today(empty_db: Database) -> None:
    text = seed_text("001")
    found = re.search(
        r"反馈问题(\d+)个，已完成整改(\d+)个，(\d+)个为长期坚持问题，另(\d+)个问题年底前完成",
        text,
    )
    assert found
    total, done, longterm, due = (int(g) for g in found.groups())
    unit = units.add_unit(empty_db, "330703", "金东分局", level="分局")
    statuses = ["已完成整改"] * done + ["长期坚持"] * longterm + ["整改中"] * due
    assert len(statuses) == total
    source = "中央生态环境保护督察（第二轮）"
    ledger.add_problems(empty_db, unit.id, _batch(source, "反馈问题", statuses))
    problems = ledger.problems_for(empty_db, unit.id)
    before, after = date(2022, 12, 31), date(2023, 1, 1)
    assert [tracking.is_overdue(p, before) for p in problems] == [False] * total
    assert sum(tracking.is_overdue(p, after) for p in problems) == due  # 长期坚持 never overdue
    summary = tracking.summarise(problems, after)[0]
    assert (summary.rate, summary.longterm, summary.overdue) == (40.0, 1, 2)
    assert "完成率 40.0%" in summary.text
