"""Chart specs, period ranges and the data each chart type gets from the store (no drawing)."""

from __future__ import annotations

import pytest

from db.connection import Database
from db.periods import Period
from desktop.services.charts.building import (
    ChartError,
    ChartSpec,
    build_chart,
    describe,
    period_series,
    specs_from_json,
    specs_to_json,
)
from desktop.services.charts.drawing.data import (
    CompletionData,
    CompositionData,
    RankingData,
    TrendData,
    YoyData,
)
from tests.desktop.conftest import MONTHS_PM10, MONTHS_PM10_2021

P = Period.parse("2022-YTD10")


def test_period_ranges_end_with_the_period() -> None:
    codes = [p.code for p in period_series(P, "years", 3)]
    assert codes == ["2020-YTD10", "2021-YTD10", "2022-YTD10"]
    assert [p.code for p in period_series(P, "months", 0)][::9] == ["2022-M1", "2022-M10"]
    across = [p.code for p in period_series(Period.parse("2022-M2"), "months", 4)]
    assert across == ["2021-M11", "2021-M12", "2022-M1", "2022-M2"]
    ytd = [p.code for p in period_series(Period.parse("2022-Y"), "ytd", 0)]
    assert ytd[0] == "2022-YTD1" and ytd[-1] == "2022-Y" and len(ytd) == 12


def test_spec_round_trips_through_json_and_moves_to_a_new_period() -> None:
    spec = ChartSpec("trend", ("pm25",), ("330300-01",), "2022-YTD10", span="months", count=0)
    again = specs_from_json(specs_to_json([spec]))
    assert again == [spec]
    assert spec.with_period(Period.parse("2022-YTD11")).period == "2022-YTD11"
    newer = ChartSpec.from_json({**spec.to_json(), "colour": "red"})
    assert newer == spec and newer.extra == {"colour": "red"}, "unknown keys kept aside"
    with pytest.raises(ChartError, match="没有“pie”这种图表"):
        ChartSpec("pie")
    with pytest.raises(ChartError, match="JSON"):
        specs_from_json("{oops")


def test_trend_over_years_with_targets_per_year(chart_db: Database) -> None:
    data = build_chart(chart_db, ChartSpec("trend", ("pm25",), span="years", count=5), P)
    assert isinstance(data, TrendData)
    assert data.series[0].values == (28.0, 25.0, 22.0, 19.0, 17.0)
    assert data.series[0].highlight and data.series[0].name == "海岛区分局"
    assert data.x_labels[0] == "2018年\n1-10月"
    assert [(t.start, t.end, t.value) for t in data.targets] == [(3, 3, 22.0), (4, 4, 20.0)]
    assert data.last_year is None, "in a yearly trend last year is the previous point"
    assert data.caption.title == "PM2.5平均浓度变化趋势"
    assert "2018年1-10月—2022年1-10月" in data.caption.subtitle and "μg/m³" in data.caption.subtitle
    assert data.table.rows[-1] == ("2022年1-10月", "17", "20")


def test_trend_over_months_has_last_year_faded_and_labels_the_year_once(
    chart_db: Database,
) -> None:
    data = build_chart(chart_db, ChartSpec("trend", ("pm10",), span="months", count=0), P)
    assert isinstance(data, TrendData)
    assert data.series[0].values == tuple(float(v) for v in MONTHS_PM10)
    assert data.last_year is not None
    assert data.last_year.values == tuple(float(v) for v in MONTHS_PM10_2021)
    assert data.x_labels[:2] == ("1月\n2022年", "2月")


def test_ranking_puts_the_better_end_first(chart_db: Database) -> None:
    data = build_chart(chart_db, ChartSpec("ranking", ("pm25",)), P)
    assert isinstance(data, RankingData)
    assert [b.label for b in data.bars] == [
        "1. 海岛区分局",
        "2. 龙湾分局",
        "3. 鹿城分局",
        "4. 金东分局",
        "5. 瓯海分局",
    ]
    assert [b.highlight for b in data.bars] == [True, False, False, False, False]
    assert data.bars[0].text == "17μg/m³"
    rate = build_chart(chart_db, ChartSpec("ranking", ("air_good_rate",)), P)
    assert isinstance(rate, RankingData)
    assert [b.value for b in rate.bars] == [97.0, 86.1], "higher is better: highest first"


def test_completion_against_target_and_time_progress(chart_db: Database) -> None:
    data = build_chart(chart_db, ChartSpec("completion"), P)
    assert isinstance(data, CompletionData)
    labels = [i.label for i in data.items]
    assert labels == ["PM2.5平均浓度", "生态环境项目完成投资"]
    pm25, invest = data.items
    assert (pm25.status, pm25.verdict) == ("达标", 1)
    assert invest.status == "89.0%（进行中）" and invest.verdict == 0
    assert invest.percent == pytest.approx(6525 / 7331 * 100)
    assert invest.actual_text == "6525.00万元" and invest.target_text == "7331.00万元"
    assert data.expected_percent == pytest.approx(10 / 12 * 100)


def test_composition_of_a_total_and_the_unsplit_rest(chart_db: Database) -> None:
    data = build_chart(chart_db, ChartSpec("composition", ("problems_found",)), P)
    assert isinstance(data, CompositionData)
    assert data.parts == ("涉水类问题", "涉气类问题", "涉废类问题", "其他类问题")
    assert data.values == ((1.0, 12.0, 24.0, 14.0),)
    assert data.table.rows[-1] == ("合计", "51", "100.0%")
    cases = build_chart(
        chart_db, ChartSpec("composition", ("cases",), ("330400",), "2021-Y", style="pie")
    )
    assert isinstance(cases, CompositionData)
    assert cases.parts[-1] == "未分项" and cases.values[0][-1] == 1064 - 30
    with pytest.raises(ChartError, match="没有分项"):
        build_chart(chart_db, ChartSpec("composition", ("pm25",)), P)


def test_year_on_year_in_percent_and_points(chart_db: Database) -> None:
    data = build_chart(chart_db, ChartSpec("yoy", ("pm10", "complaints")), P)
    assert isinstance(data, YoyData)
    assert [(i.last, i.current, i.change_text, i.verdict) for i in data.items] == [
        (32.0, 26.0, "-18.8%", 1),
        (53.0, 19.0, "-64.2%", 1),
    ]
    jiaxing = build_chart(chart_db, ChartSpec("yoy", (), ("330400",), "2021-Y"))
    assert isinstance(jiaxing, YoyData)
    assert jiaxing.items[0].change_text == "+2.7个百分点"
    assert jiaxing.last_label == "2020年"


def test_no_figures_is_a_sentence_not_a_crash(chart_db: Database) -> None:
    with pytest.raises(ChartError, match=r"没有“PM2\.5平均浓度”的数据"):
        build_chart(chart_db, ChartSpec("trend", ("pm25",), ("330213",)), P)
    with pytest.raises(ChartError, match="没有代码为“nope”的指标"):
        build_chart(chart_db, ChartSpec("ranking", ("nope",)), P)
    assert describe(ChartSpec("yoy"), chart_db) == "同比｜全部有数据的指标"
