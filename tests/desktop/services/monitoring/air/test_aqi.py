"""Daily AQI at and around every breakpoint of both editions, the rules above 800, rounding."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.services.monitoring.air.aqi import daily_aqi, individual_index, scale_index
from desktop.services.monitoring.standards import load_library
from tests.desktop.services.monitoring.test_standards import LEVELS, TABLES

LIB = load_library()
A12, A26 = LIB.aqi["2012"], LIB.aqi["2026"]
DAILY = {
    "SO2": "SO2_24h",
    "NO2": "NO2_24h",
    "CO": "CO_24h",
    "PM10": "PM10_24h",
    "PM2.5": "PM2.5_24h",
    "O3_8h": "O3_8h",
}
ZEROS: dict[str, Decimal | float | int | str | None] = dict.fromkeys(DAILY, 0)


def expected_iaqi(column: tuple[int | None, ...], c: Decimal) -> int:
    """Formula (1) typed again from the text, on exact fractions, rounded up."""
    for i in range(len(column) - 1):
        lo, hi = column[i], column[i + 1]
        assert lo is not None and hi is not None
        if c <= hi:
            value = Fraction(LEVELS[i + 1] - LEVELS[i], hi - lo) * (Fraction(c) - lo) + LEVELS[i]
            return math.ceil(value)
    raise AssertionError("above the table")


Value = Decimal | float | int | str


def day(values: dict[str, Value], edition: str) -> int:
    std = A12 if edition == "2012" else A26
    result = daily_aqi({**ZEROS, **values}, std).aqi
    assert result is not None
    return result


def breakpoint_cases() -> list[tuple[str, str, int, int]]:
    cases = []
    for edition, table in TABLES.items():
        for measure, column in DAILY.items():
            points = table[column]
            for i, bp in enumerate(points):
                if bp is not None and i > 0:
                    cases.append((edition, measure, bp, LEVELS[i]))
    return cases


@pytest.mark.parametrize(("edition", "measure", "bp", "level"), breakpoint_cases())
def test_at_and_around_every_breakpoint(edition: str, measure: str, bp: int, level: int) -> None:
    column = TABLES[edition][DAILY[measure]]
    assert day({measure: bp}, edition) == level
    if edition == "2012":
        # Just below gives the level itself (rounded up), just above the next integer.
        below, above = Decimal(bp) - Decimal("0.01"), Decimal(bp) + Decimal("0.01")
        assert day({measure: below}, "2012") == level
        if column[-1] != bp and not (measure == "O3_8h" and bp == 800):
            assert day({measure: above}, "2012") == level + 1
    else:
        # 2026 rounds first: integers (CO one decimal) by GB/T 8170, then scores.
        step = Decimal("0.1") if measure == "CO" else Decimal(1)
        assert day({measure: Decimal(bp) + step * Decimal("0.4")}, "2026") == level
        assert day({measure: Decimal(bp) - step * Decimal("0.4")}, "2026") == level
        if column[-1] != bp and not (measure == "O3_8h" and bp == 800):
            up = Decimal(bp) + step * Decimal("0.6")
            assert day({measure: up}, "2026") == expected_iaqi(column, Decimal(bp) + step)
            assert day({measure: up}, "2026") > level


@pytest.mark.parametrize(
    ("edition", "measure", "value", "iaqi"),
    [
        ("2012", "PM2.5", "35.5", 51),  # 50.625 rounded up
        ("2012", "PM2.5", "75", 100),
        ("2012", "PM2.5", "60", 82),  # 81.25 → 82
        ("2026", "PM2.5", "60", 100),
        ("2026", "PM2.5", "35.5", 52),  # 35.5 → 36 (half to even), 52 exactly
        ("2026", "PM2.5", "36.5", 52),  # 36.5 → 36 (half to even)
        ("2026", "PM2.5", "60.5", 100),  # 60.5 → 60
        ("2026", "PM2.5", "61.5", 102),  # 61.5 → 62 → 100 + 50·2/55 = 101.8
        ("2012", "CO", "3.9", 98),
        ("2026", "CO", "3.9", 98),
        ("2012", "CO", "4.05", 101),  # 100.25
        ("2026", "CO", "4.05", 100),  # 4.05 → 4.0 (half to even)
        ("2026", "CO", "4.15", 101),  # 4.15 → 4.2 → 101
        ("2026", "PM10", "120", 100),
        ("2012", "PM10", "120", 85),
        ("2012", "PM10", "150", 100),
        ("2026", "PM10", "150", 112),  # 100 + 50·30/130 = 111.5 → 112
    ],
)
def test_examples(edition: str, measure: str, value: str, iaqi: int) -> None:
    assert day({measure: Decimal(value)}, edition) == iaqi


def test_category_colour_and_primary() -> None:
    result = daily_aqi(
        {"SO2": 8, "NO2": 35, "CO": 0.7, "PM10": 90, "PM2.5": 62, "O3_8h": 110},
        A26,
        day=date(2026, 3, 2),
        station="城东",
    )
    assert result.aqi == 102  # PM2.5 62: 100 + 50·2/55 = 101.8
    assert result.category is not None
    assert (result.category.name, result.category.level, result.category.rgb) == (
        "轻度污染",
        "三级",
        (255, 126, 0),
    )
    assert result.primary == ("PM2.5",)
    assert result.valid and not result.good
    assert result.exceeding == ()  # 超标污染物 was deleted by HJ 633-2026
    old = daily_aqi({**result_values(), "PM10": 160}, A12)
    assert old.exceeding == ("PM10",) and old.aqi == 105  # 100 + 50·10/100


def result_values() -> dict[str, Decimal | float | int | str | None]:
    return {"SO2": 8, "NO2": 35, "CO": 0.7, "PM10": 90, "PM2.5": 62, "O3_8h": 110}


def test_no_primary_at_50_and_ties_share_it() -> None:
    calm = daily_aqi({"SO2": 50, "NO2": 0, "CO": 0, "PM10": 50, "PM2.5": 35, "O3_8h": 0}, A12)
    assert calm.aqi == 50 and calm.primary == ()
    assert calm.category is not None and calm.category.name == "优"
    tie = daily_aqi({"SO2": 0, "NO2": 80, "CO": 0, "PM10": 150, "PM2.5": 0, "O3_8h": 0}, A12)
    assert tie.aqi == 100 and tie.primary == ("NO2", "PM10")


def test_over_800_rules_2012() -> None:
    # O3 8 h above 800: not scored; the O3 1 h IAQI is reported in its place.
    high = daily_aqi(ZEROS | {"O3_8h": 801, "O3_1h": 900}, A12)
    assert high.iaqi("O3_8h") == 350 and high.aqi == 350  # 300 + 100·100/200
    assert "O3_1h" in next(s.note for s in high.sub if s.measure == "O3_8h")
    at_800 = daily_aqi(ZEROS | {"O3_8h": 800, "O3_1h": 850}, A12)
    assert at_800.iaqi("O3_8h") == 300  # not above 800: the table applies
    no_1h = daily_aqi(ZEROS | {"O3_8h": 801}, A12)
    assert no_1h.iaqi("O3_8h") is None and "O3_8h" in no_1h.missing
    # SO2 1 h above 800 (real-time report): the 24 h IAQI is reported.
    iaqi, note = individual_index(A12, "SO2_1h", Decimal(900), {"SO2_24h": Decimal(300)})
    assert iaqi == 124 and "SO2" in note  # 100 + 50·150/325 = 123.08
    assert individual_index(A12, "SO2_1h", Decimal(800))[0] == 200


def test_over_800_rules_2026() -> None:
    assert daily_aqi(ZEROS | {"O3_8h": 801}, A26).aqi == 300
    assert daily_aqi(ZEROS | {"O3_8h": 1500}, A26).aqi == 300
    assert daily_aqi(ZEROS | {"O3_8h": "800.5"}, A26).aqi == 300  # rounds to 800: the table
    assert daily_aqi(ZEROS | {"O3_8h": 799}, A26).aqi == 300  # 299.8 rounded up
    assert daily_aqi(ZEROS | {"O3_8h": 790}, A26).aqi == 299  # 200 + 100·525/535 = 298.1
    assert individual_index(A26, "SO2_1h", Decimal(801))[0] == 200
    assert individual_index(A26, "SO2_1h", Decimal(5000))[0] == 200
    assert individual_index(A26, "SO2_1h", Decimal(650))[0] == 150


def test_above_the_table_is_capped_and_said() -> None:
    iaqi, note = scale_index(A12, "PM2.5_24h", Decimal(700))
    assert iaqi == 500 and "500" in note
    assert daily_aqi(ZEROS | {"PM2.5": 500}, A12).aqi == 500


def test_missing_items() -> None:
    partial = {"SO2": 5, "NO2": 20, "CO": 0.5, "PM10": 40, "O3_8h": 90}  # no PM2.5
    old = daily_aqi(partial, A12)
    assert old.aqi == 45 and old.missing == ("PM2.5",) and not old.valid
    new = daily_aqi(partial, A26)
    assert new.aqi is None and new.missing == ("PM2.5",)  # NA: could be 优良 or not
    dusty = daily_aqi(partial | {"PM10": 300}, A26)
    assert dusty.aqi == 175 and dusty.valid and not dusty.good  # above 100: still published
    with pytest.raises(ValueError, match="负数"):
        daily_aqi(ZEROS | {"PM10": -1}, A26)


def test_o3_1h_is_a_daily_item_only_in_2012() -> None:
    values = ZEROS | {"O3_8h": 100, "O3_1h": 250}
    assert daily_aqi(values, A12).aqi == 125  # 100 + 50·50/100
    assert daily_aqi(values, A12).primary == ("O3_1h",)
    assert daily_aqi(values, A26).aqi == 50


_CONC = st.integers(0, 12_000).map(lambda n: Decimal(n) / 10)
_CO = st.integers(0, 800).map(lambda n: Decimal(n) / 10)


@st.composite
def _day(draw: st.DrawFn) -> dict[str, Decimal]:
    values = {m: draw(_CONC) for m in ("SO2", "NO2", "PM10", "PM2.5", "O3_8h")}
    values["CO"] = draw(_CO)
    # Physically the daily 1 h maximum is at least the daily 8 h maximum.
    values["O3_1h"] = values["O3_8h"] + draw(_CONC)
    return values


@settings(max_examples=300, deadline=None)
@given(values=_day(), measure=st.sampled_from([*sorted(DAILY), "O3_1h"]), step=_CONC)
def test_aqi_never_decreases_when_a_concentration_rises(
    values: dict[str, Decimal], measure: str, step: Decimal
) -> None:
    higher = dict(values)
    higher[measure] += step / 10 if measure == "CO" else step
    if measure == "O3_8h":
        higher["O3_1h"] = max(higher["O3_1h"], higher["O3_8h"])
    for std in (A12, A26):
        before, after = daily_aqi(values, std).aqi, daily_aqi(higher, std).aqi
        assert before is not None and after is not None
        assert after >= before, (std.id, values, higher)
