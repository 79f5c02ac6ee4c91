"""One folding of headers and labels: what stations and bureaus write in their header cells,
compared alike by the air reader, the water reader and the exchange forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.services.common.text import compact, drop_brackets, fold, half_width, header_key
from desktop.services.exchange.detect import normalise
from desktop.services.monitoring.air.reader import read_daily_file
from desktop.services.monitoring.water.reader import read_water_file


def test_half_width_folds_what_input_methods_and_unit_symbols_write() -> None:
    assert half_width("ＳＯ２（μg/m³）") == "SO2(μg/m3)"
    assert half_width("PM２．５") == "PM2.5"
    assert half_width("µg") == "μg"  # the micro sign is the Greek letter
    assert half_width("㎎/L") == "mg/L"
    assert half_width("Ⅲ类") == "III类"


def test_compact_drops_every_space_a_cell_may_hold() -> None:
    assert compact("填 报\n单　位") == "填报单位"
    assert compact("PM2.5 浓度") == "PM2.5浓度"  # case and dots stay


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("ＳＯ２", "so2"),
        ("PM2.5", "pm25"),
        ("PM_2.5", "pm25"),
        ("NH3-N", "nh3n"),
        ("O3—8h", "o38h"),
        ("氨氮（NH3-N）", "氨氮nh3n"),
        ("【断面名称】", "断面名称"),
        ("监测点位：", "监测点位"),
    ],
)
def test_fold(written: str, key: str) -> None:
    assert fold(written) == key


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("氨氮（mg/L）", "氨氮"),
        ("氨氮(mg/L)", "氨氮"),
        ("监测日期（年/月/日）", "监测日期"),
        ("断面名称【必填】", "断面名称"),
        ("采样日期［yyyy-mm-dd］", "采样日期"),
        ("监 测 点 位", "监测点位"),
    ],
)
def test_header_key_is_the_name_without_its_note(header: str, key: str) -> None:
    assert header_key(header) == key


def test_drop_brackets_keeps_what_is_outside() -> None:
    assert drop_brackets("溶解氧(mg/L)DO") == "溶解氧DO"
    assert drop_brackets("总磷") == "总磷"


def test_exchange_forms_fold_only_as_far_as_compact() -> None:
    """Indicator names keep case and dots; the numbering and a trailing unit go."""
    assert normalise("  一、 ＰＭ2.5 平均浓度（μg/m³）") == "PM2.5平均浓度"
    assert normalise("其中：工业废水") == "工业废水"


def test_both_readers_find_headers_written_alike(tmp_path: Path) -> None:
    """A note in brackets after a header's name: the water reader dropped one in round brackets
    but not 【必填】, the air reader only a unit, so it refused a file headed "监测日期（年/月/日）"
    for want of a 日期 column. Both now drop any bracketed note."""
    air = tmp_path / "空气.csv"
    air.write_text(
        "监测日期（年/月/日）,监测点位【国控】,ＰＭ２．５（μg/m³）,PM10\n2026-03-05,城东,30,50\n",
        encoding="utf-8",
    )
    read = read_daily_file(air)
    assert [(r.day.isoformat(), r.station, r.values["PM2.5"]) for r in read.records] == [
        ("2026-03-05", "城东", 30)
    ]
    water = tmp_path / "断面.csv"
    water.write_text(
        "断面名称【必填】,水体类型,监测日期（年/月/日）,氨氮（mg/L）,总 磷\n"
        "甲桥,河流,2026-03-05,0.5,0.1\n",
        encoding="utf-8",
    )
    sections = read_water_file(water)
    assert sorted(o.item for o in sections.observations) == ["NH3-N", "TP"]
    assert {o.station for o in sections.observations} == {"甲桥"}
