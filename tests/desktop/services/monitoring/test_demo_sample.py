"""The demo's sample monitoring year: labelled, the same every build, plausible, and enough for
every figure of 监测数据 on first start — without touching the demo's reported figures."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from db import indicators, stations
from db.connection import Database
from db.periods import Period
from db.values import values_for
from desktop.services.monitoring.air.daily_import import stored_records
from desktop.services.monitoring.air.figures import figures_for_period
from desktop.services.monitoring.demo import LOST_PM_DAYS, air_days, water_samples
from desktop.services.monitoring.water.period import section_period

OWN = 2  # 海岛区分局, the demo's own unit
YTD10 = Period.ytd(2022, 10)


def test_sample_is_labelled_and_deterministic(demo_db: Database) -> None:
    names = [s.name for k in ("air", "water") for s in stations.stations_of(demo_db, OWN, k)]
    assert len(names) == 5 and all("示例数据" in n for n in names)
    assert air_days() == air_days() and water_samples() == water_samples()
    first = air_days()["示例点位甲（示例数据）"]
    assert len(first) == 365 and all("PM2.5" not in first[d] for d in LOST_PM_DAYS)


def test_sample_gives_plausible_figures_and_leaves_the_reported_ones(demo_db: Database) -> None:
    rate = indicators.indicator_by_code(demo_db, "air_good_rate").id
    reported = values_for(demo_db, OWN, YTD10.code)[rate].value
    records = stored_records(demo_db, OWN, date(2022, 1, 1), date(2022, 10, 31))
    assert {r.station for r in records} == {"示例点位甲（示例数据）", "示例点位乙（示例数据）"}
    station = [r for r in records if r.station.startswith("示例点位甲")]
    fig = figures_for_period(station, YTD10, "2012")
    assert fig.incomplete_days == LOST_PM_DAYS[:2]  # shown NA, not counted
    assert fig.good_rate_rounded is not None and 75 < fig.good_rate_rounded < 98
    assert 15 < fig.pollutant("PM2.5").mean_rounded < 45  # type: ignore[operator]
    assert fig.pollutant("PM10").mean_rounded > fig.pollutant("PM2.5").mean_rounded  # type: ignore[operator]
    water = section_period(demo_db, OWN, Period.month(2022, 7))
    assert len(water.sections) == 3 and water.by_level and water.target is not None
    assert water.target.judged == 3 and water.target.failing  # the summer slip shows
    assert values_for(demo_db, OWN, YTD10.code)[rate].value == reported


def test_monitoring_page_is_filled_on_first_start(demo_db: Database, qtbot: QtBot) -> None:
    from desktop.ui.monitoring_page import FIGURE_ROWS, MonitoringPage

    page = MonitoringPage(demo_db)
    qtbot.addWidget(page)
    page.set_context(OWN, YTD10, "温州市生态环境局海岛区分局")
    assert page.station_box.count() == 3  # 全部点位（平均） and the two stations
    assert page.calendar_model.rowCount() > 40
    for row in range(len(FIGURE_ROWS)):
        for column in range(page.table.columnCount()):
            item = page.table.item(row, column)
            assert item is not None and item.text() not in ("", "—"), FIGURE_ROWS[row]
    assert page.water.model.rowCount() == 3
    assert page.water.share_label.text().startswith("市控以上断面Ⅲ类及以上")
