"""Period figures: 优良率, means, HJ 663 percentiles, validity, and the standard used."""

from __future__ import annotations

import statistics
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.services.monitoring.air.aqi import DailyConcentrations
from desktop.services.monitoring.air.period import (
    area_daily,
    indicator_values,
    percentile,
    period_figures,
    validity_issues,
)
from desktop.services.monitoring.standards import load_library

CLEAN = {
    "SO2": Decimal(8),
    "NO2": Decimal(20),
    "CO": Decimal("0.6"),
    "PM10": Decimal(40),
    "PM2.5": Decimal(20),
    "O3_8h": Decimal(90),
}


def days(start: date, count: int, **values: object) -> list[DailyConcentrations]:
    merged = CLEAN | {k.replace("PM25", "PM2.5"): Decimal(str(v)) for k, v in values.items()}
    return [DailyConcentrations(start + timedelta(n), "城东", merged) for n in range(count)]


def test_percentile_example_of_hj663() -> None:
    assert percentile([3, 4, 8, 2, 5, 4], 90) == Fraction(13, 2)
    assert percentile([7], 95) == 7
    assert percentile([1, 2, 3], 100) == 3 and percentile([1, 2, 3], 0) == 1
    with pytest.raises(ValueError):
        percentile([], 90)


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(st.integers(0, 2000), min_size=2, max_size=400),
    p=st.sampled_from([90, 95, 98]),
)
def test_percentile_equals_excel_percentile_inc(values: list[int], p: int) -> None:
    # statistics' "inclusive" method is Excel PERCENTILE.INC (R type 7).
    expected = statistics.quantiles(values, n=100, method="inclusive")[p - 1]
    assert float(percentile(values, p)) == pytest.approx(expected, abs=1e-9)


def test_good_rate_and_categories() -> None:
    records = days(date(2026, 4, 1), 20) + days(date(2026, 4, 21), 10, PM25=62)
    fig = period_figures(records, date(2026, 4, 1), date(2026, 4, 30))
    assert (fig.valid_days, fig.good_days) == (30, 20)
    assert fig.good_rate_rounded == Decimal("66.7")
    assert fig.categories == {"优": 20, "轻度污染": 10}
    assert fig.primary == {"PM2.5": 10}
    assert fig.basis == "新标准（HJ 633—2026）"
    assert fig.validity == () and fig.missing_days == ()
    pm = fig.pollutant("PM2.5")
    assert pm.mean_rounded == Decimal(34)  # (20·20 + 62·10)/30 = 34
    assert pm.percentile == 95 and pm.percentile_rounded == 62
    assert pm.daily_limit == 60 and pm.percentile_exceeds is None  # judged over a year only
    assert fig.pollutant("CO").percentile == 95
    assert fig.pollutant("O3_8h").percentile == 90


def test_same_days_under_both_editions() -> None:
    # PM2.5 70 every day: 良 under 2012 (IAQI 94), 轻度污染 under 2026 (IAQI 110).
    records = days(date(2025, 1, 1), 31, PM25=70)
    old = period_figures(records, date(2025, 1, 1), date(2025, 1, 31))
    new = period_figures(records, date(2025, 1, 1), date(2025, 1, 31), override="2026")
    assert old.good_rate_rounded == 100 and old.basis == "旧标准（HJ 633—2012）"
    assert new.good_rate_rounded == 0 and "按该标准口径重算" in new.basis
    assert {d.aqi for d in old.daily} == {94} and {d.aqi for d in new.daily} == {110}
    assert old.pollutant("PM2.5").daily_limit == 75 and new.pollutant("PM2.5").daily_limit == 60
    # 2012 scores O3 1 h as a seventh daily item: its absence is said, not hidden.
    assert old.notes == ("HJ 633—2012 日报含 O3_1h，有 31 天未提供该项，AQI 按其余项目计算",)
    assert new.notes == ()


def test_a_period_across_the_change_is_scored_by_date_and_says_so() -> None:
    records = days(date(2026, 2, 27), 4, PM25=70)
    fig = period_figures(records, date(2026, 2, 27), date(2026, 3, 2))
    assert [d.aqi for d in fig.daily] == [94, 94, 110, 110]
    assert fig.editions == ("2012", "2026")
    assert fig.basis.startswith("按日期分段：旧标准（HJ 633—2012）")
    assert "新标准（HJ 633—2026） 2026-03-01～2026-03-02" in fig.basis


def test_month_validity_27_and_february_25() -> None:
    std = load_library().air_for(date(2026, 5, 1))
    march = days(date(2026, 3, 1), 26)
    issues = validity_issues(march, date(2026, 3, 1), date(2026, 3, 31), std)
    assert {(i.measure, i.month, i.count, i.required) for i in issues} == {
        (m, 3, 26, 27) for m in ("SO2", "NO2", "CO", "PM10", "PM2.5", "O3_8h")
    }
    assert "2026年3月仅有 26 个有效日均值（至少 27 个）" in issues[0].message
    assert (
        validity_issues(days(date(2026, 3, 1), 27), date(2026, 3, 1), date(2026, 3, 31), std) == ()
    )
    feb = days(date(2026, 2, 1), 25)
    assert validity_issues(feb, date(2026, 2, 1), date(2026, 2, 28), std) == ()
    short = validity_issues(feb[:24], date(2026, 2, 1), date(2026, 2, 28), std)
    assert {i.required for i in short} == {25}
    # A partial month is not judged.
    assert validity_issues(march[:5], date(2026, 3, 1), date(2026, 3, 10), std) == ()


def test_one_missing_pollutant_is_reported_for_that_pollutant_only() -> None:
    records = [
        DailyConcentrations(r.day, r.station, {k: v for k, v in r.values.items() if k != "CO"})
        if r.day.day <= 5
        else r
        for r in days(date(2026, 4, 1), 30)
    ]
    fig = period_figures(records, date(2026, 4, 1), date(2026, 4, 30))
    assert [(i.measure, i.count) for i in fig.validity] == [("CO", 25)]
    assert not fig.pollutant("CO").valid and fig.pollutant("PM2.5").valid
    # Days without CO and with AQI ≤ 100 are NA under 2026: not valid days.
    assert fig.valid_days == 25 and fig.good_rate_rounded == 100


def test_year_validity_324_days() -> None:
    year = days(date(2025, 1, 1), 365)
    keep = [r for r in year if not (r.day.month in (4, 5, 6, 7) and r.day.day > 27)]
    fig = period_figures(keep, date(2025, 1, 1), date(2025, 12, 31))
    assert fig.days_with_data == 365 - 3 - 4 - 3 - 4
    assert len(fig.missing_days) == 14
    annual = [i for i in fig.validity if i.month is None]
    assert not annual  # 351 days
    sparse = [r for r in year if r.day.day <= 27]  # 27 a month: every month valid, year 324
    fig = period_figures(sparse, date(2025, 1, 1), date(2025, 12, 31))
    assert len(sparse) == 324 and fig.validity == () and fig.partial_months == ()
    pm = fig.pollutant("PM2.5")
    assert pm.whole_year and pm.mean_exceeds is False and pm.percentile_exceeds is False
    assert pm.annual_limit == 35  # 2025 data under its own (2012) edition
    fig = period_figures(sparse[1:], date(2025, 1, 1), date(2025, 12, 31))
    assert {(i.month, i.count) for i in fig.validity if i.measure == "PM2.5"} == {
        (1, 26),
        (None, 323),
    }


def test_area_daily_is_the_mean_of_the_stations() -> None:
    a = DailyConcentrations(date(2026, 5, 1), "甲", {"PM2.5": Decimal(30), "CO": Decimal("0.5")})
    b = DailyConcentrations(date(2026, 5, 1), "乙", {"PM2.5": Decimal(41)})
    [area] = area_daily([a, b])
    assert area.values["PM2.5"] == Decimal("35.5") and area.values["CO"] == Decimal("0.5")
    assert area.station == "全部点位平均"


def test_bad_period_is_refused() -> None:
    with pytest.raises(ValueError, match="结束日期早于开始日期"):
        period_figures([], date(2026, 5, 2), date(2026, 5, 1))


def test_indicator_values_use_the_catalog_codes() -> None:
    records = days(date(2026, 4, 1), 20) + days(date(2026, 4, 21), 10, PM25=62)
    fig = period_figures(records, date(2026, 4, 1), date(2026, 4, 30))
    assert indicator_values(fig) == {
        "air_good_rate": Decimal("66.7"),
        "air_good_days": 20,
        "pm25": 34,
        "pm10": 40,
        "so2": 8,
        "no2": 20,
        "o3": 90,  # O3 8 h 90th percentile
        "co": Decimal("0.6"),  # CO 95th percentile
    }
