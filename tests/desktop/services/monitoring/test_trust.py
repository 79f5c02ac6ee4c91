"""Monitoring figures a bureau can trust: missing is not zero, NA days, ties stated, multiples
that do not print 0 for an item that exceeds, 市控以上 and 断面达标率 by each section's class."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from db import stations
from db.connection import Database
from db.errors import StorageError
from db.periods import Period
from desktop.services.monitoring.air.daily_text import aqi_text, category_text, missing_text
from desktop.services.monitoring.air.period import period_figures, primary_text
from desktop.services.monitoring.air.reader import Severity, read_daily_file
from desktop.services.monitoring.sample_import import commit_import
from desktop.services.monitoring.water.classes import classify_section, item_class
from desktop.services.monitoring.water.period import Sample, evaluate, section_period
from desktop.services.monitoring.water.section_import import dry_run_water_file

HEADER = ["日期", "点位名称", "SO2", "NO2", "CO", "O3_8h", "PM10", "PM2.5"]


def _centre_export(path: Path) -> Path:
    """Ten April 2025 days as a centre exports them, gaps coded every way centres code them."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "日报"
    sheet.append(["某市空气质量日报（示例）"])
    sheet.append(HEADER)
    rows: list[list[object]] = [
        [8, 30, 0.8, 90, 80, 120],  # 1: PM2.5 120 → 中度污染
        [8, 30, 0.8, 90, 400, "无效"],  # 2: PM2.5 invalid, PM10 400 → still above 100
        [8, 30, 0.8, 90, 60, 30],
        [8, 30, 0.8, 90, 60, 30],
        [8, 30, 0.8, 90, 60, 30],
        [8, 30, 0.8, 90, 60, 30],
        [8, 30, 0.8, 90, 60, 30],
        [8, 30, 0.8, 90, 60, 30],
        [8, 30, "NA", 90, "-1.0", -999],  # 9: three items marked missing, as exporters code it
        [8, 0, 0.8, 90, 0, 0],  # 10: a sandstorm day whose PM (and NO2) came out as 0
    ]
    for n, values in enumerate(rows, start=1):
        sheet.append([datetime(2025, 4, n), "示例站", *values])
    book.save(path)
    return path


def test_zeros_and_missing_marks_are_missing_with_the_cells_named(tmp_path: Path) -> None:
    result = read_daily_file(_centre_export(tmp_path / "日报.xlsx"))
    by_day = {r.day.day: r.values for r in result.records}
    assert "PM10" not in by_day[10] and "PM2.5" not in by_day[10] and "NO2" not in by_day[10]
    assert by_day[10]["O3_8h"] == 90 and by_day[10]["SO2"] == 8  # the real values stay
    assert "CO" not in by_day[9] and "PM10" not in by_day[9] and "PM2.5" not in by_day[9]
    warnings = [p.text for p in result.problems if p.severity is Severity.WARNING]
    assert any("G列（PM10）" in w and "为 0（G12）" in w and "缺测" in w for w in warnings)
    assert any("H列（PM2.5）" in w and "为 0（H12）" in w for w in warnings)
    assert any("D列（NO2）" in w and "D12" in w for w in warnings)
    assert any("H列（PM2.5）" in w and "H4、H11" in w and "缺测" in w for w in warnings)
    assert any("G列（PM10）" in w and "G11" in w for w in warnings)
    assert result.errors == []  # a marked gap is not a refusal


def test_incomplete_days_are_na_and_not_counted(tmp_path: Path) -> None:
    records = read_daily_file(_centre_export(tmp_path / "日报.xlsx")).records
    fig = period_figures(records, date(2025, 4, 1), date(2025, 4, 10), override="2012")
    # Valid: days 1-8 (day 2 lacks PM2.5 but PM10 400 already puts it above 100). Good: 3-8.
    # Counting the zeros as measurements would have made days 9 and 10 良/优: 8/10 = 80.0%.
    assert (fig.valid_days, fig.good_days) == (8, 6)
    assert fig.good_rate_rounded == Decimal("75.0")
    assert fig.incomplete_days == (date(2025, 4, 9), date(2025, 4, 10))
    daily = {d.day.day: d for d in fig.daily if d.day is not None}
    # Under HJ 633-2012 the rest alone give 49 or less: the table must say NA, not "优".
    assert daily[10].aqi is not None and daily[10].aqi <= 50
    assert aqi_text(daily[10]) == "NA" and category_text(daily[10]) == "—"
    assert missing_text(daily[10]) == "缺 NO2、PM10、PM2.5"
    assert aqi_text(daily[2]) == str(daily[2].aqi) and int(aqi_text(daily[2])) > 100
    assert "PM2.5" in missing_text(daily[2])


def test_calendar_shows_na_with_the_missing_items(tmp_path: Path) -> None:
    from desktop.models.aqi_calendar import AqiCalendarModel

    records = read_daily_file(_centre_export(tmp_path / "日报.xlsx")).records
    fig = period_figures(records, date(2025, 4, 1), date(2025, 4, 30), override="2012")
    model = AqiCalendarModel()
    model.set_days(date(2025, 4, 1), date(2025, 4, 30), fig.daily)
    text = model.index_of(date(2025, 4, 10)).data()
    assert "AQI NA" in text and "PM2.5" in text and "优" not in text
    assert "中度污染" in model.index_of(date(2025, 4, 1)).data()


def test_tied_primary_pollutants_are_stated() -> None:
    from desktop.services.monitoring.air.aqi import DailyConcentrations

    def day(n: int, pm10: int, pm25: int) -> DailyConcentrations:
        values = {"SO2": 8, "NO2": 30, "CO": 1, "O3_8h": 90, "PM10": pm10, "PM2.5": pm25}
        return DailyConcentrations(
            date(2025, 5, n), "示例站", {k: Decimal(v) for k, v in values.items()}
        )

    # PM10 150 and PM2.5 75 are both IAQI 100 under 2012: a tie, counted under each.
    records = [day(1, 150, 75), day(2, 150, 75), day(3, 60, 70), day(4, 40, 20)]
    fig = period_figures(records, date(2025, 5, 1), date(2025, 5, 4), override="2012")
    assert fig.primary == {"PM2.5": 3, "PM10": 2}
    assert (fig.primary_days, fig.tie_days) == (3, 2)
    text = primary_text(fig)
    assert "共 3 天有首要污染物" in text and "其中 2 天并列" in text and "合计 5 天次" in text


def test_an_item_that_exceeds_never_prints_zero_times() -> None:
    assert item_class("CODMn", "6.01").exceed_multiple == pytest.approx(Decimal("0.01") / 6)
    section = classify_section("示例断面", {"CODMn": "6.01", "NH3-N": "0.5"})
    assert section.class_name == "Ⅳ类"
    assert section.main_pollutants == ("高锰酸盐指数（0.002）",)
    assert classify_section("乙", {"CODMn": "13.2"}).main_pollutants == ("高锰酸盐指数（1.2）",)


def _sample(section: str, nh3: str, body: str = "河流") -> Sample:
    return Sample(section, body, date(2026, 3, 5), "NH3-N", Decimal(nh3))


def test_city_share_and_target_rate_by_each_sections_class() -> None:
    samples = [
        _sample("甲", "0.4"),
        _sample("乙", "1.3"),
        _sample("丙", "1.4"),
        _sample("丁", "0.2"),
    ]
    levels = {"甲": ("国控", 2), "乙": ("市控", 3), "丙": ("县控", 4), "丁": ("", None)}
    result = evaluate(samples, classification=levels)
    # 市控以上 = 甲 (Ⅱ) and 乙 (Ⅳ): 1/2. All four: 甲 and 丁 are Ⅲ or better: 2/4.
    assert (result.share.good, result.share.evaluated) == (1, 2)
    assert result.share_line == "市控以上断面Ⅲ类及以上 1/2，比例 50.0%"
    assert result.all_share is not None and result.all_share.rate == Decimal("50.0")
    # Targets: 甲 Ⅱ vs Ⅱ met; 乙 Ⅳ vs Ⅲ not; 丙 Ⅳ vs Ⅳ met (a blanket Ⅲ would fail it); 丁 unset.
    assert result.target is not None
    assert (result.target.met, result.target.judged, result.target.unset) == (2, 3, 1)
    assert result.target.rate == Decimal("66.7")
    assert result.target.failing == ("乙（Ⅳ类，目标Ⅲ类）",)
    assert result.target.text == "断面达标率 66.7%（2/3），1 个断面未设水质目标未计"


def test_classification_is_stored_and_used(demo_db: Database, tmp_path: Path) -> None:
    from tests.desktop.services.monitoring.water.test_period import UNIT
    from tests.desktop.services.monitoring.water.test_reader import write_station_workbook

    path = write_station_workbook(tmp_path / "断面.xlsx")
    commit_import(demo_db, dry_run_water_file(demo_db, path, UNIT), "test")
    known = {s.name: s for s in stations.stations_of(demo_db, UNIT, "water")}
    stations.classify_station(demo_db, known["南溪口"].id, "市控", 3)
    stations.classify_station(demo_db, known["城东桥"].id, "国控", 2)
    stations.classify_station(demo_db, known["北渠"].id, "县控", 3, "湖库")
    result = section_period(demo_db, UNIT, Period.month(2026, 3))
    assert result.by_level and (result.share.good, result.share.evaluated) == (1, 2)
    by_name = {s.section: s for s in result.sections}
    assert by_name["南溪口"].meets_target is False and by_name["城东桥"].meets_target is True
    assert stations.stations_of(demo_db, UNIT, "water")[0].control_level in {
        "",
        "国控",
        "市控",
        "县控",
    }
    with pytest.raises(StorageError, match="控制级别"):
        stations.classify_station(demo_db, known["北渠"].id, "乡控")


def test_the_target_rate_is_written_beside_the_share(demo_db: Database) -> None:
    from db.indicators import indicator_by_code
    from db.values import values_for
    from desktop.services.monitoring.water.period import write_good_share

    july = Period.month(2022, 7)  # the demo's sample: 3 sections with targets, 1 meets it
    result = section_period(demo_db, 2, july)
    assert write_good_share(demo_db, 2, july, result, "示例") == Decimal("50.0")
    stored = values_for(demo_db, 2, july.code)
    compliance = stored[indicator_by_code(demo_db, "water_section_compliance").id]
    assert compliance.value == 33.3 and "达标 1/3" in compliance.note


def test_cli_daily_table_says_na_and_the_tally_its_ties(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop.cli import main

    path = _centre_export(tmp_path / "日报.xlsx")
    main(["aqi", str(path), "--standard", "2012"])
    out = capsys.readouterr().out
    [day10] = [line for line in out.splitlines() if line.startswith("2025-04-10")]
    assert " NA " in day10 and "缺 NO2、PM10、PM2.5" in day10 and " 优 " not in day10
    assert "缺项 2 天（AQI 记 NA，不计入有效天数）" in out
    assert "首要污染物：" in out and "有首要污染物" in out
