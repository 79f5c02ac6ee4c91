"""The array path gives every station-day exactly what the reference ``daily_aqi`` gives.

Station-days are generated the way monitoring files bring them: values on and next to every
breakpoint of both editions, halves that GB/T 8170 rounds to even, missing items, O3 above 800
with and without the 1 h value, values far above the table, floats with odd binary expansions
(0.1 + 0.2) and means with twelve decimals.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.services.monitoring.air.aqi import DailyAqi, daily_aqi
from desktop.services.monitoring.air.aqi_arrays import AqiArrays, score_floats, score_rows
from desktop.services.monitoring.standards import AqiStandard, load_library

LIB = load_library()
STANDARDS = [LIB.aqi[e] for e in LIB.editions]
MEASURES = ("SO2", "NO2", "CO", "PM10", "PM2.5", "O3_8h", "O3_1h")


def _near_breakpoints() -> list[Decimal]:
    """Every breakpoint of both editions with the values one hundredth (and a half) around it."""
    found: set[Decimal] = set()
    for std in STANDARDS:
        for item in std.items.values():
            for bp in item.breakpoints:
                if bp is None:
                    continue
                for delta in ("-0.5", "-0.05", "-0.01", "0", "0.01", "0.05", "0.45", "0.5"):
                    value = bp + Decimal(delta)
                    if value >= 0:
                        found.add(value)
    return sorted(found)


NEAR = _near_breakpoints()

_value = st.one_of(
    st.sampled_from(NEAR),
    st.decimals(min_value=0, max_value=1000, places=1),
    st.decimals(min_value=0, max_value=70, places=2),
    st.decimals(min_value=0, max_value=3000, places=0),
    st.decimals(min_value=0, max_value=900, places=3),
    st.decimals(min_value=0, max_value=900, places=12),
    st.sampled_from([Decimal("0.30000000000000004"), Decimal(10**7), Decimal("800.5")]),
)

_station_day = st.fixed_dictionaries(
    {},
    optional={m: st.one_of(st.none(), _value) for m in MEASURES},
)


def _as_float(value: Decimal | None) -> float:
    return float("nan") if value is None else float(value)


def _assert_same(result: AqiArrays, position: int, expected: DailyAqi) -> None:
    """Every figure a page or a count uses, for one station-day."""
    got_aqi = int(result.aqi.flat[position])
    assert got_aqi == (-1 if expected.aqi is None else expected.aqi)
    assert bool(result.complete.flat[position]) == expected.complete
    assert bool(result.valid.flat[position]) == expected.valid
    assert bool(result.good.flat[position]) == expected.good
    category = int(result.category.flat[position])
    if expected.category is None:
        assert category == -1
    else:
        assert result.standard.categories[category] == expected.category
    primary = result.primary()
    for row, measure in enumerate(result.measures):
        iaqi = int(result.iaqi[row].flat[position])
        assert iaqi == (-1 if expected.iaqi(measure) is None else expected.iaqi(measure)), measure
        labels = {s.label for s in expected.sub if s.measure == measure}
        assert bool(primary[row].flat[position]) == bool(labels & set(expected.primary)), measure


@settings(max_examples=150, deadline=None)
@given(days=st.lists(_station_day, min_size=1, max_size=12))
def test_rows_equal_the_reference(days: list[Mapping[str, Decimal | None]]) -> None:
    for std in STANDARDS:
        result = score_rows(days, std)
        for position, values in enumerate(days):
            _assert_same(result, position, daily_aqi(values, std))


@settings(max_examples=150, deadline=None)
@given(days=st.lists(_station_day, min_size=1, max_size=12))
def test_float_arrays_equal_the_reference(days: list[Mapping[str, Decimal | None]]) -> None:
    """Floats mean the decimal they print as, on the fast path and off it."""
    arrays = {m: np.array([_as_float(d.get(m)) for d in days]) for m in MEASURES}
    for std in STANDARDS:
        result = score_floats(arrays, std)
        for position in range(len(days)):
            floats = {
                m: float(arrays[m][position]) for m in MEASURES if not np.isnan(arrays[m][position])
            }
            _assert_same(result, position, daily_aqi(floats, std))


def test_a_station_year_on_the_fast_path_matches() -> None:
    """Published values (one decimal, CO two) on a stations × days grid, with gaps."""
    rng = np.random.default_rng(17)
    shape = (6, 90)
    data = {
        "SO2": np.round(rng.gamma(2.0, 5.0, shape), 1),
        "NO2": np.round(rng.gamma(3.0, 9.0, shape), 1),
        "CO": np.round(rng.gamma(4.0, 0.2, shape), 2),
        "PM10": np.round(rng.gamma(2.0, 40.0, shape), 1),
        "PM2.5": np.round(rng.gamma(2.0, 25.0, shape), 1),
        "O3_8h": np.round(rng.gamma(5.0, 30.0, shape), 1),
    }
    data["PM2.5"][rng.random(shape) < 0.05] = np.nan
    data["O3_8h"][0, :5] = [800.0, 800.4, 800.5, 801.0, 2000.0]
    for std in STANDARDS:
        result = score_floats(data, std)
        assert result.aqi.shape == shape
        for s in range(shape[0]):
            for d in range(shape[1]):
                values = {m: float(a[s, d]) for m, a in data.items() if not np.isnan(a[s, d])}
                _assert_same(result, s * shape[1] + d, daily_aqi(values, std))


@pytest.mark.parametrize("std", STANDARDS, ids=lambda s: s.edition)
def test_negative_values_are_refused_as_by_the_reference(std: AqiStandard) -> None:
    with pytest.raises(ValueError, match="不能为负数"):
        score_rows([{"PM2.5": Decimal(-1)}], std)
    with pytest.raises(ValueError, match="不能为负数"):
        score_floats({"PM2.5": np.array([35.0, -0.1])}, std)


def test_formula_one_through_interp_equals_the_integer_division_at_every_hundredth() -> None:
    """Every hundredth up to the top of every table column (1 h columns too, where a plain
    ``ceil(interp)`` is one too high at SO2 1 h 21.00): the fast path equals exact integers."""
    from desktop.services.monitoring.air.aqi_arrays import _Column, _scale_index

    for std in STANDARDS:
        for item in std.items.values():
            fast = _Column.of(item, std.levels, 2, np.float64)
            exact = _Column.of(item, std.levels, 2, np.int64)
            assert fast.interp and not exact.interp
            values = np.arange(0, fast.top + 201)
            got = _scale_index(fast, values.astype(np.float64), std.cap_iaqi)
            want = _scale_index(exact, values, std.cap_iaqi)
            assert np.array_equal(got.astype(np.int64), want), (std.edition, item.id)
