"""The demo database reproduces every checked figure exactly as the seed reports state it.

Each expected number is read from the seed text itself (../shared/seeds) with a pattern, so a
test fails if the demo data, the arithmetic of totals and rates, or the 同比 computation drifts
from what the bureau wrote. Totals and rates are computed by the store from stored parts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from db import units
from db.connection import Database
from db.numbers import format_number, parse_number
from db.periods import Period
from db.sheet import Sheet, Source, read_sheet
from tests.conftest import seed_text

Check = tuple[str, str, str, str, Callable[[Sheet, re.Match[str]], None]]


def current(code: str, group: int = 1, decimals: int = 1) -> Callable[[Sheet, re.Match[str]], None]:
    def check(sheet: Sheet, match: re.Match[str]) -> None:
        value = sheet.row(code).current.value
        assert value is not None, f"{code} has no value"
        expected = parse_number(match[group], "万元" if "亿" in match[group] else "")
        assert format_number(value, decimals) == format_number(expected, decimals), code

    return check


def total(code: str, parts: list[str]) -> Callable[[Sheet, re.Match[str]], None]:
    """The total (group 1) is computed from the stored parts (groups 2..)."""

    def check(sheet: Sheet, match: re.Match[str]) -> None:
        row = sheet.row(code)
        assert row.current.source is Source.PARTS, f"{code} should be computed from its parts"
        assert row.current.value == float(match[1])
        for group, part in enumerate(parts, start=2):
            assert sheet.row(part).current.value == float(match[group]), part

    return check


def change(
    code: str, group: int, sign: int, decimals: int = 1
) -> Callable[[Sheet, re.Match[str]], None]:
    def check(sheet: Sheet, match: re.Match[str]) -> None:
        found = sheet.row(code).change
        assert found is not None, f"{code} has no 同比"
        assert format_number(found.amount, decimals) == format_number(
            sign * float(match[group]), decimals
        )

    return check


def progress(code: str, group: int) -> Callable[[Sheet, re.Match[str]], None]:
    def check(sheet: Sheet, match: re.Match[str]) -> None:
        found = sheet.row(code).progress
        assert found is not None and found.percent is not None
        assert round(found.percent) == int(match[group])

    return check


ISLAND, JINDONG, JIAXING = "330300-01", "330703", "330400"
CHECKS: list[Check] = [
    ("000", ISLAND, "2022-YTD10", r"空气质量优良率(\d+\.\d)%", current("air_good_rate")),
    ("000", ISLAND, "2022-YTD10", r"PM2\.5平均浓度为(\d+)μg", current("pm25", decimals=0)),
    ("000", ISLAND, "2022-YTD10", r"PM10平均浓度为(\d+)μg", current("pm10", decimals=0)),
    (
        "000",
        ISLAND,
        "2022-YTD10",
        r"PM10平均浓度为\d+μg/m3，较去年同期下降(\d+\.\d)%",
        change("pm10", 1, -1),
    ),
    (
        "000",
        ISLAND,
        "2022-YTD10",
        r"发现问题(\d+)个，其中涉水类(\d+)个、涉气类(\d+)个、涉废类(\d+)个、其他类(\d+)个",
        total(
            "problems_found", ["problems_water", "problems_air", "problems_waste", "problems_other"]
        ),
    ),
    ("000", ISLAND, "2022-YTD10", r"受理生态环境信访件(\d+)件", current("complaints", decimals=0)),
    ("000", ISLAND, "2022-YTD10", r"信访件\d+件，降幅(\d+\.\d+)%", change("complaints", 1, -1, 2)),
    ("000", ISLAND, "2022-YTD10", r"信访立案率(\d+\.\d)%", current("complaint_case_rate")),
    (
        "000",
        ISLAND,
        "2022-YTD10",
        r"“1\+3\+6”已完成问题整改\d+个，\d+个立行立改，完成率(\d+)%",
        current("cent_insp_rate", decimals=0),
    ),
    (
        "000",
        ISLAND,
        "2022-YTD10",
        r"举一反三\d+个问题已完成问题整改\d+个，\d+个立行立改，完成率(\d+\.\d)%",
        current("ref_insp_rate"),
    ),
    ("000", ISLAND, "2022-YTD10", r"完成年度投资(\d+)万元", current("eco_invest", decimals=0)),
    ("000", ISLAND, "2022-YTD10", r"占年度计划(\d+)%", progress("eco_invest", 1)),
    (
        "000",
        ISLAND,
        "2022-YTD10",
        r"III类水质以上比例(\d+)%",
        current("water_section_good_rate", decimals=0),
    ),
    (
        "000",
        ISLAND,
        "2022-YTD10",
        r"监控仪(\d+)个，其中生产设备(\d+)个，治理设备(\d+)个",
        total("monitor_devices", ["monitor_devices_production", "monitor_devices_treatment"]),
    ),
    ("001", JINDONG, "2022-YTD10", r"优良率为(\d+\.\d)%", current("air_good_rate")),
    ("001", JINDONG, "2022-YTD10", r"PM2\.5浓度为(\d+)", current("pm25", decimals=0)),
    ("001", JINDONG, "2022-YTD10", r"PM10浓度为(\d+)", current("pm10", decimals=0)),
    ("001", JINDONG, "2022-YTD10", r"O3浓度为(\d+)", current("o3", decimals=0)),
    (
        "001",
        JINDONG,
        "2022-YTD10",
        r"办理案件(\d+)件，其中向公安机关移送涉刑案件(\d+)件，向行政执法局移送案件(\d+)件，行政处罚(\d+)件",
        total("cases", ["cases_to_police", "cases_to_admin", "cases_penalty"]),
    ),
    ("001", JINDONG, "2022-YTD10", r"处罚款(\d+\.\d+)万元", current("fines", decimals=2)),
    (
        "001",
        JINDONG,
        "2022-YTD10",
        r"信访交办件(\d+)件，其中中央环保督察(\d+)件，省级环保督察(\d+)件",
        total("insp_petitions", ["insp_petitions_central", "insp_petitions_prov"]),
    ),
    (
        "003",
        JIAXING,
        "2021-Y",
        r"Ⅲ类水占比达到(\d+)%",
        current("water_section_good_rate", decimals=0),
    ),
    ("003", JIAXING, "2021-Y", r"城市环境空气优良率(\d+\.\d)%", current("air_good_rate")),
    (
        "003",
        JIAXING,
        "2021-Y",
        r"优良率\d+\.\d%,同比提高(\d+\.\d)个百分点",
        change("air_good_rate", 1, 1),
    ),
    ("003", JIAXING, "2021-Y", r"PM2\.5浓度下降到(\d+)微克", current("pm25", decimals=0)),
    (
        "003",
        JIAXING,
        "2021-Y",
        r"PM2\.5浓度下降到\d+微克/立方米,同比下降(\d+\.\d)%",
        change("pm25", 1, -1),
    ),
    ("003", JIAXING, "2021-Y", r"查处环境违法案件(\d+)件", current("cases", decimals=0)),
    ("003", JIAXING, "2021-Y", r"处罚款(\d+\.\d+亿元)", current("fines", decimals=2)),
]


@pytest.mark.parametrize(("seed", "unit", "period", "pattern", "check"), CHECKS)
def test_demo_reproduces_seed_figure(
    demo_db: Database,
    seed: str,
    unit: str,
    period: str,
    pattern: str,
    check: Callable[[Sheet, re.Match[str]], None],
) -> None:
    match = re.search(pattern, seed_text(seed))
    assert match, f"pattern not found in seed {seed}: {pattern}"
    sheet = read_sheet(demo_db, units.unit_by_code(demo_db, unit).id, Period.parse(period))
    check(sheet, match)


def test_water_class_from_seed_001(demo_db: Database) -> None:
    assert "平均水质为III类" in seed_text("001")
    sheet = read_sheet(demo_db, units.unit_by_code(demo_db, JINDONG).id, Period.parse("2022-YTD10"))
    row = sheet.row("water_natl_section_class")
    assert row.current.value == 3


def test_demo_has_the_five_bureaus_under_their_cities(demo_db: Database) -> None:
    all_units = units.all_units(demo_db)
    by_code = {u.code: u for u in all_units}
    for branch, city in ((ISLAND, "330300"), (JINDONG, "330700"), ("330213", "330200")):
        assert by_code[branch].parent_id == by_code[city].id
    assert by_code[JIAXING].level == "市局"
    assert demo_db.meta("own_unit") == ISLAND
