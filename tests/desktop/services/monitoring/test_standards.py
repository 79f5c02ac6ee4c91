"""The standard files hold the tables of the primary texts, and the right edition is chosen."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.services.monitoring.standards import (
    StandardError,
    load_library,
    round_gbt8170,
    to_decimal,
)
from resources import locate

# Table 1 of HJ 633-2012 / table 3 of HJ 633-2026, typed again from the texts (None = "–").
LEVELS = (0, 50, 100, 150, 200, 300, 400, 500)
COMMON = {
    "SO2_24h": (0, 50, 150, 475, 800, 1600, 2100, 2620),
    "SO2_1h": (0, 150, 500, 650, 800, None, None, None),
    "NO2_24h": (0, 40, 80, 180, 280, 565, 750, 940),
    "NO2_1h": (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    "CO_24h": (0, 2, 4, 14, 24, 36, 48, 60),
    "CO_1h": (0, 5, 10, 35, 60, 90, 120, 150),
    "O3_1h": (0, 160, 200, 300, 400, 800, 1000, 1200),
    "O3_8h": (0, 100, 160, 215, 265, 800, None, None),
}
TABLES = {
    "2012": COMMON
    | {
        "PM10_24h": (0, 50, 150, 250, 350, 420, 500, 600),
        "PM2.5_24h": (0, 35, 75, 115, 150, 250, 350, 500),
    },
    "2026": COMMON
    | {
        "PM10_24h": (0, 50, 120, 250, 350, 420, 500, 600),
        "PM2.5_24h": (0, 35, 60, 115, 150, 250, 350, 500),
    },
}


@pytest.mark.parametrize("edition", ["2012", "2026"])
def test_breakpoints_match_the_texts(edition: str) -> None:
    std = load_library().aqi[edition]
    assert std.levels == LEVELS
    for item, points in TABLES[edition].items():
        expected = tuple(None if p is None else Decimal(p) for p in points)
        assert std.items[item].breakpoints == expected, item


def test_every_file_names_its_source_and_dates() -> None:
    for path in sorted(locate("standards").glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        assert raw["id"] == path.stem
        for key in ("title", "code", "effective_from", "source", "kind"):
            assert raw[key], (path.name, key)


def test_gb3095_stages_and_limits() -> None:
    lib = load_library()
    new = lib.limits["2026"]
    transition = new.stage_for(date(2026, 3, 1)).classes["class2"]
    final = new.stage_for(date(2031, 1, 1)).classes["class2"]
    assert new.stage_for(date(2030, 12, 31)).name == "过渡阶段浓度限值"
    assert transition["PM2.5"] == {"annual": 30, "24h": 60}
    assert transition["PM10"] == {"annual": 60, "24h": 120}
    assert final["PM2.5"] == {"annual": 25, "24h": 50}
    assert final["SO2"]["24h"] == 50 and final["NO2"]["annual"] == 30
    assert final["O3"] == {"8h": 160, "1h": 200}
    old = lib.limits["2012"].stage_for(date(2020, 1, 1)).classes["class2"]
    assert old["PM2.5"] == {"annual": 35, "24h": 75}
    assert old["PM10"] == {"annual": 70, "24h": 150}
    # 2025 data recomputed under the new edition uses the transition limits.
    assert new.stage_for(date(2025, 6, 1)).name == "过渡阶段浓度限值"
    assert new.validity.month_minimum(2) == 25 and new.validity.month_minimum(3) == 27
    assert new.validity.annual_min_days == 324


def test_edition_by_date_and_override() -> None:
    lib = load_library()
    assert lib.edition_for(date(2026, 2, 28)) == "2012"
    assert lib.edition_for(date(2026, 3, 1)) == "2026"
    assert lib.edition_for(date(2014, 1, 1)) == "2012"  # before 2016: the oldest edition
    assert lib.air_for(date(2025, 5, 1), "2026").aqi.id == "HJ633-2026"
    assert lib.air_for(date(2026, 5, 1)).label == "新标准（HJ 633—2026）"
    assert lib.air_for(date(2025, 5, 1)).evaluation.id == "HJ663-2013"
    with pytest.raises(StandardError, match="没有 2099 版"):
        lib.edition("2099")


def test_colours_of_annex_a() -> None:
    for edition in ("2012", "2026"):
        std = load_library().aqi[edition]
        assert [c.rgb for c in std.categories] == [
            (0, 228, 0),
            (255, 255, 0),
            (255, 126, 0),
            (255, 0, 0),
            (153, 0, 76),
            (126, 0, 35),
        ]
        assert std.category(0).name == "优" and std.category(301).name == "严重污染"
        assert std.category(300).hex == "#99004C"


@pytest.mark.parametrize(
    ("text", "places", "expected"),
    [
        ("12.5", 0, "12"),  # exact 5, even kept
        ("13.5", 0, "14"),  # exact 5, odd rounded up to even
        ("12.51", 0, "13"),  # 5 followed by a non-zero digit rounds up
        ("12.4999", 0, "12"),
        ("0.15", 1, "0.2"),
        ("0.25", 1, "0.2"),
        ("1.05", 1, "1.0"),
        ("-2.5", 0, "-2"),
    ],
)
def test_gbt8170(text: str, places: int, expected: str) -> None:
    assert str(round_gbt8170(Decimal(text), places)) == expected


def test_float_input_keeps_the_written_digits() -> None:
    # Decimal(0.15) is 0.1499999…; the station wrote 0.15 and GB/T 8170 rounds that to 0.2.
    assert round_gbt8170(to_decimal(0.15), 1) == Decimal("0.2")
    with pytest.raises(ValueError):
        to_decimal(float("nan"))


def test_broken_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StandardError, match="没有标准文件"):
        load_library(tmp_path)
    (tmp_path / "x.json").write_text('{"kind": "aqi"}', encoding="utf-8")
    with pytest.raises(StandardError, match=r"x\.json"):
        load_library(tmp_path)
