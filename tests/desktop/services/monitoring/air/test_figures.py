"""Writing air figures computed from daily monitoring data into the indicator store."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from db import audit, indicators, locks
from db.connection import Database
from db.errors import StorageError
from db.periods import Period
from db.values import values_for
from desktop.services.monitoring.air.figures import (
    figures_for_period,
    period_span,
    write_monthly_figures,
    write_period_figures,
)
from desktop.services.monitoring.air.period import indicator_values
from desktop.services.monitoring.air.reader import read_daily_file

HEADER = "监测日期,二氧化硫,二氧化氮,一氧化碳,臭氧日最大8小时,可吸入颗粒物,细颗粒物"
UNIT = 2  # 温州市生态环境局海岛区分局 in the demo database


def write_daily_csv(path: Path, start: date = date(2026, 4, 1), count: int = 30) -> Path:
    """A month of clean days, with days 21-30 at PM2.5 62 (良 under both editions)."""
    lines = [HEADER]
    for n in range(count):
        pm25 = 62 if n >= 20 else 20
        lines.append(f"{start + timedelta(n)},8,20,0.6,90,40,{pm25}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_period_span() -> None:
    assert period_span(Period.month(2026, 2)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert period_span(Period.ytd(2026, 4)) == (date(2026, 1, 1), date(2026, 4, 30))


def test_writes_figures_with_the_standard_in_the_note(demo_db: Database, tmp_path: Path) -> None:
    records = read_daily_file(write_daily_csv(tmp_path / "日均值.csv")).records
    period = Period.month(2026, 4)
    fig = figures_for_period(records, period, "2026")
    count = write_period_figures(demo_db, UNIT, period, fig, "日均值.csv")
    expected = indicator_values(fig)
    assert count == len(expected) and "air_good_rate" in expected
    stored = values_for(demo_db, UNIT, period.code)
    rate = stored[indicators.indicator_by_code(demo_db, "air_good_rate").id]
    assert rate.value == pytest.approx(float(expected["air_good_rate"]))
    assert rate.note == "按HJ 633—2026计算"
    pm25 = stored[indicators.indicator_by_code(demo_db, "pm25").id]
    assert Decimal(str(pm25.value)) == expected["pm25"]
    sources = {e.source for e in audit.recent(demo_db, 20)}
    assert "监测数据 日均值.csv" in sources


def test_locked_period_is_refused_and_nothing_written(demo_db: Database, tmp_path: Path) -> None:
    records = read_daily_file(write_daily_csv(tmp_path / "d.csv")).records
    period = Period.month(2026, 4)
    locks.lock_period(demo_db, UNIT, period.code)
    fig = figures_for_period(records, period, "2012")
    with pytest.raises(StorageError, match="已锁定"):
        write_period_figures(demo_db, UNIT, period, fig, "d.csv")
    assert values_for(demo_db, UNIT, period.code) == {}


def test_no_data_in_the_period_is_refused(demo_db: Database, tmp_path: Path) -> None:
    records = read_daily_file(write_daily_csv(tmp_path / "d.csv")).records
    period = Period.month(2026, 7)
    fig = figures_for_period(records, period, "2026")
    with pytest.raises(StorageError, match="没有有效的监测数据"):
        write_period_figures(demo_db, UNIT, period, fig, "d.csv")


def test_monthly_figures_give_the_charts_a_series(demo_db: Database, tmp_path: Path) -> None:
    # March (31 days) and April (30 days): each month written, and 1-4月 itself.
    records = read_daily_file(write_daily_csv(tmp_path / "d.csv", date(2026, 3, 1), 61)).records
    period = Period.ytd(2026, 4)
    written = write_monthly_figures(demo_db, UNIT, records, period, "2026", "d.csv")
    assert [p.code for p in written] == ["2026-M3", "2026-M4", period.code]
    pm25 = indicators.indicator_by_code(demo_db, "pm25").id
    days = indicators.indicator_by_code(demo_db, "air_good_days").id
    march = values_for(demo_db, UNIT, "2026-M3")
    expected = indicator_values(figures_for_period(records, Period.month(2026, 3), "2026"))
    assert march[pm25].value == pytest.approx(float(expected["pm25"]))
    assert march[days].value == pytest.approx(float(expected["air_good_days"]))
    assert values_for(demo_db, UNIT, period.code)[pm25].note == "按HJ 633—2026计算"


def test_monthly_write_is_refused_whole_when_one_month_is_locked(
    demo_db: Database, tmp_path: Path
) -> None:
    records = read_daily_file(write_daily_csv(tmp_path / "d.csv", date(2026, 3, 1), 61)).records
    locks.lock_period(demo_db, UNIT, "2026-M4")
    with pytest.raises(StorageError, match="2026年4月已报送"):
        write_monthly_figures(demo_db, UNIT, records, Period.ytd(2026, 4), "2026", "d.csv")
    assert values_for(demo_db, UNIT, "2026-M3") == {}
