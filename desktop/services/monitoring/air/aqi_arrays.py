"""Daily AQI for many station-days at once, with exactly the results of ``aqi.daily_aqi``.

``daily_aqi`` builds a record per station-day on exact decimals; a year of 50 stations takes
most of a second that way. Here the same maths runs on whole arrays:

* each concentration is an integer count of 10⁻ˢ units (s = 2 for values published with up to
  two decimals), so every breakpoint, every rounding and every comparison is exact;
* GB/T 8170 (half to even) is a round to nearest-even on integers, the segment is found with
  ``searchsorted``, formula (1) is an integer ceiling division;
* the "above 800" rules, the above-table cap and the missing-item rule are masks.

The integers are held in float64 while s ≤ 6 (the largest product stays far below 2⁵³, and a
quotient that is not an integer lies at least 1/denominator ≈ 10⁻¹⁰ from one, far more than the
10⁻¹³ error of one float division, so ``ceil``/``rint`` give the exact integer), in int64 with
floor division when more decimals are needed (an area's mean carries up to 12). A value that
fits neither (a float like 0.1 + 0.2, a decimal with 13 places) is scored by ``daily_aqi`` itself,
so the answer is always the reference answer; tests check that on generated station-days.

The result holds arrays only; ``record`` builds the ``DailyAqi`` of one station-day (through
the reference path) for the rows a page or a report actually shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from numpy.typing import NDArray

from desktop.services.monitoring.air.aqi import POLLUTANT, DailyAqi, daily_aqi
from desktop.services.monitoring.standards import AqiStandard, IndexItem, to_decimal

#: Decimals up to which the integers are held exactly in float64 (see the module docstring).
FLOAT_DECIMALS = 6
#: Decimals up to which they are held in int64: 10⁵ units × 10¹² × 100 levels < 2⁶³.
INT_DECIMALS = 12
#: Every breakpoint and rule lies below this many units, so a larger value scores the same.
CLIP_UNITS = 100_000

Array = NDArray[Any]


@dataclass(frozen=True)
class AqiArrays:
    """Scores of many station-days under one standard; -1 stands for None (NA, not scored)."""

    standard: AqiStandard
    #: The standard's daily measures, the first axis of ``given`` and ``iaqi``.
    measures: tuple[str, ...]
    given: NDArray[np.bool_]
    #: IAQI per measure and station-day (IAQI and AQI never exceed 500: int16 is enough).
    iaqi: NDArray[np.int16]
    aqi: NDArray[np.int16]
    #: No required item missing and no item left without an IAQI by a rule.
    complete: NDArray[np.bool_]
    #: Index into ``standard.categories``; -1 where the AQI is NA.
    category: NDArray[np.int16]

    @property
    def valid(self) -> NDArray[np.bool_]:
        """``DailyAqi.valid`` for every station-day."""
        result: NDArray[np.bool_] = (self.aqi >= 0) & (
            self.complete | (self.aqi > self.standard.good_max)
        )
        return result

    @property
    def good(self) -> NDArray[np.bool_]:
        result: NDArray[np.bool_] = self.valid & (self.aqi <= self.standard.good_max)
        return result

    def primary(self) -> NDArray[np.bool_]:
        """Per measure and station-day: whether it is a 首要污染物 that day."""
        above = self.aqi > self.standard.primary_above
        result: NDArray[np.bool_] = self.given & (self.iaqi == self.aqi) & above
        return result


# ---------------------------------------------------------------- exact integer helpers


def _ceil_div(numerator: Array, denominator: Array) -> Array:
    if numerator.dtype.kind == "f":
        return np.ceil(numerator / denominator)
    return -(-numerator // denominator)


def _round_to(value: Array, step: int) -> Array:
    """``value`` (integers) rounded by GB/T 8170 to a count of ``step``-sized units."""
    if value.dtype.kind == "f":
        # value/step is exact on a half (q + 0.5 is representable) and ≥ 1/step from one
        # otherwise, so rint's half-to-even sees the true quotient.
        return np.rint(value / step)
    quotient, rest = np.divmod(value, step)
    up = (2 * rest > step) | ((2 * rest == step) & (quotient % 2 == 1))
    result: Array = quotient + up
    return result


#: Up to this many decimals formula (1) is taken from ``np.interp`` (see ``_scale_index``).
INTERP_DECIMALS = 3
#: What ``_scale_index`` subtracts before the ceiling on that path.
INTERP_MARGIN = 1e-8


@dataclass(frozen=True)
class _Column:
    """One IAQI table column with its breakpoints in the working units."""

    points: Array
    levels: Array
    top: int
    #: Whether ``np.interp`` may be used (float units with at most ``INTERP_DECIMALS``).
    interp: bool

    @classmethod
    def of(cls, item: IndexItem, levels: Sequence[int], decimals: int, dtype: Any) -> _Column:
        points: list[int] = []
        for bp in item.breakpoints:
            if bp is None:
                break
            points.append(int(bp.scaleb(decimals)))
        interp = np.dtype(dtype).kind == "f" and decimals <= INTERP_DECIMALS
        return cls(
            np.array(points, dtype=dtype),
            np.array(levels[: len(points)], dtype=dtype),
            points[-1],
            interp,
        )


def _scale_index(column: _Column, value: Array, cap: int) -> Array:
    """Formula (1) rounded up, ``cap`` above the table (``aqi.scale_index`` on arrays).

    With at most three decimals the exact IAQI is Lo + n/d with d ≤ 1000 × the widest segment
    (< 4·10⁶), so when it is not an integer it lies at least 2.5·10⁻⁷ below the next one;
    ``np.interp`` is off by about 10⁻¹³. Subtracting 10⁻⁸ before ``ceil`` therefore gives the
    exact ceiling both when the IAQI is an integer (a value on a breakpoint) and when it is not,
    at the cost of one ``interp``, the same call a plain float pass makes.
    """
    if column.interp:
        # ``right``: a value above the table takes the cap (ceil(cap − 10⁻⁸) = cap).
        return np.ceil(np.interp(value, column.points, column.levels, right=cap) - INTERP_MARGIN)
    held = np.minimum(value, column.top)
    last = len(column.points) - 2
    index = np.clip(np.searchsorted(column.points, held, side="left") - 1, 0, last)
    low, high = column.points[index], column.points[index + 1]
    low_i, high_i = column.levels[index], column.levels[index + 1]
    iaqi = low_i + _ceil_div((high_i - low_i) * (held - low), high - low)
    return np.where(value > column.top, cap, iaqi)


# ---------------------------------------------------------------- scoring


def _score(
    scaled: Mapping[str, Array],
    present: Mapping[str, NDArray[np.bool_]],
    shape: tuple[int, ...],
    decimals: int,
    standard: AqiStandard,
) -> AqiArrays:
    """Score station-days given as integers of 10⁻ᵈ units (``scaled``) with their masks."""
    dtype = next(iter(scaled.values())).dtype if scaled else np.float64
    columns: dict[tuple[str, int], _Column] = {}

    def column(item_id: str, places: int) -> _Column:
        key = (item_id, places)
        if key not in columns:
            columns[key] = _Column.of(standard.items[item_id], standard.levels, places, dtype)
        return columns[key]

    rounding = standard.concentration_rounding
    measures = tuple(standard.daily_items)
    # Each measure's scored value with the decimals it is counted in: rounding to fewer
    # places (2026) leaves an integer count of the coarser unit.
    scored: dict[str, tuple[Array, int]] = {}
    for measure in measures:
        if measure not in scaled:
            continue
        value, places = scaled[measure], decimals
        if rounding is not None and rounding.places(POLLUTANT[measure]) < decimals:
            places = rounding.places(POLLUTANT[measure])
            value = _round_to(value, 10 ** (decimals - places))
        scored[measure] = value, places
    by_item = {standard.daily_items[m]: m for m in scored}

    def index(item_id: str, substitute: bool) -> Array:
        """The column's IAQI with its rule above the cut-off; -1 for None."""
        value, places = scored[by_item[item_id]]
        iaqi = _scale_index(column(item_id, places), value, standard.cap_iaqi)
        rule = standard.over_rules.get(item_id)
        if rule is None:
            return iaqi
        over = value > int(rule.above.scaleb(places))
        if rule.action == "fixed":
            assert rule.iaqi is not None
            return np.where(over, rule.iaqi, iaqi)
        assert rule.use is not None
        if not substitute or rule.use not in by_item:
            return np.where(over, -1, iaqi)
        # As ``aqi.individual_index``: the other column's own rule, without a further substitution.
        other = index(rule.use, False)
        used = np.where(present[by_item[rule.use]], other, -1)
        return np.where(over, used, iaqi)

    iaqi_all = np.full((len(measures), *shape), -1, dtype=np.int16)
    given_all = np.zeros((len(measures), *shape), dtype=bool)
    for row, measure in enumerate(measures):
        if measure not in scored:
            continue
        given_all[row] = present[measure]
        iaqi = index(standard.daily_items[measure], True)
        if given_all[row].all():
            iaqi_all[row] = iaqi
        else:
            iaqi_all[row] = np.where(present[measure], iaqi, -1)
    order = {m: i for i, m in enumerate(measures)}
    required = [order[m] for m in standard.required if m in order]
    complete: NDArray[np.bool_] = np.asarray(
        given_all[required].all(axis=0) & ~(given_all & (iaqi_all < 0)).any(axis=0)
    )
    aqi = iaqi_all.max(axis=0)
    if standard.missing_rule == "na_unless_over_100":
        aqi = np.where(~complete & (aqi <= standard.missing_threshold), -1, aqi)
    return AqiArrays(
        standard, measures, given_all, iaqi_all, aqi, complete, _categories(standard)[aqi]
    )


def _categories(standard: AqiStandard) -> NDArray[np.int16]:
    """Category index by AQI (0 … the highest possible), and -1 last so that AQI -1 maps to -1.

    Kept per standard object (the library loads each standard once).
    """
    cached = _CATEGORY_TABLES.get(id(standard))
    if cached is not None and cached[0] is standard:
        return cached[1]
    rules = [r.iaqi or 0 for r in standard.over_rules.values()]
    top = max(standard.cap_iaqi, *standard.levels, *rules)
    table: list[int] = []
    for position, band in enumerate(standard.categories):
        high = top if band.high is None else min(band.high, top)
        table += [position] * (high + 1 - len(table))
    if len(table) <= top:
        raise ValueError(f"{standard.code} 没有覆盖 AQI {top} 的类别")
    result = np.array([*table, -1], dtype=np.int16)
    _CATEGORY_TABLES[id(standard)] = (standard, result)
    return result


_CATEGORY_TABLES: dict[int, tuple[AqiStandard, NDArray[np.int16]]] = {}


def score_floats(values: Mapping[str, Any], standard: AqiStandard) -> AqiArrays:
    """Score arrays of daily values (one per measure, any shape, NaN = missing).

    Each float means the decimal it prints as, exactly as ``daily_aqi`` reads it: k/10ᵈ is that
    decimal when the float equals the correctly rounded quotient k/10ᵈ (d ≤ 6 keeps it unique).
    """
    arrays = {
        m: np.asarray(values[m], dtype=np.float64) for m in standard.daily_items if m in values
    }
    if not arrays:
        raise ValueError("没有任何监测项目")
    shape = next(iter(arrays.values())).shape
    present = {m: ~np.isnan(a) for m, a in arrays.items()}
    if any(bool((a < 0).any()) for a in arrays.values()):
        return _score_with_reference(arrays, present, shape, standard)
    for decimals in (2, FLOAT_DECIMALS):
        scale = 10**decimals
        scaled: dict[str, Array] = {}
        for measure, raw in arrays.items():
            units = np.rint(raw * scale)
            # NaN (missing) never equals itself: those are the expected mismatches.
            mismatched = np.count_nonzero(units / scale != raw)
            if mismatched != raw.size - np.count_nonzero(present[measure]):
                held = np.minimum(raw, CLIP_UNITS)
                units = np.rint(held * scale)
                if ((units / scale != held) & present[measure]).any():
                    break
            scaled[measure] = units
        else:
            return _score(scaled, present, shape, decimals, standard)
    return _score_with_reference(arrays, present, shape, standard)


def _score_with_reference(
    arrays: Mapping[str, Array],
    present: Mapping[str, NDArray[np.bool_]],
    shape: tuple[int, ...],
    standard: AqiStandard,
) -> AqiArrays:
    """Values that cannot be held exactly, or negative: through ``score_rows``."""
    rows = [
        {m: float(arrays[m][index]) for m in arrays if present[m][index]}
        for index in np.ndindex(shape)
    ]
    flat = score_rows(rows, standard)
    width = len(flat.measures)
    return AqiArrays(
        standard,
        flat.measures,
        flat.given.reshape((width, *shape)),
        flat.iaqi.reshape((width, *shape)),
        flat.aqi.reshape(shape),
        flat.complete.reshape(shape),
        flat.category.reshape(shape),
    )


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def score_rows(
    rows: Sequence[Mapping[str, Decimal | float | int | str | None]], standard: AqiStandard
) -> AqiArrays:
    """Score station-days given as mappings of measure → value (a missing item absent or None).

    Rows with a value that cannot be held exactly (more than ``INT_DECIMALS`` decimals, a float
    such as 0.1 + 0.2), negative or not finite are scored by ``daily_aqi`` itself, so that the
    result, and any error raised, is the reference one.
    """
    measures = tuple(standard.daily_items)
    exact: list[dict[str, Decimal]] = []
    odd: list[int] = []
    decimals = 0
    for position, row in enumerate(rows):
        converted: dict[str, Decimal] = {}
        for measure in measures:
            raw = row.get(measure)
            if raw is None:
                continue
            value = _decimal_or_none(raw)
            places = INT_DECIMALS + 1 if value is None else _places(value)
            if value is None or value < 0 or places > INT_DECIMALS:
                odd.append(position)
                converted = {}
                break
            if value > CLIP_UNITS:
                value, places = Decimal(CLIP_UNITS + 1), 0
            decimals = max(decimals, places)
            converted[measure] = value
        exact.append(converted)
    dtype = np.float64 if decimals <= FLOAT_DECIMALS else np.int64
    scaled: dict[str, Array] = {}
    present: dict[str, NDArray[np.bool_]] = {}
    for measure in measures:
        column = [row.get(measure) for row in exact]
        present[measure] = np.array([v is not None for v in column], dtype=bool)
        scaled[measure] = np.array(
            [0 if v is None else int(v.scaleb(decimals)) for v in column], dtype=dtype
        )
    result = _score(scaled, present, (len(rows),), decimals, standard)
    for position in odd:
        _overwrite(result, position, daily_aqi(rows[position], standard))
    return result


def _decimal_or_none(raw: Decimal | float | int | str) -> Decimal | None:
    try:
        value = to_decimal(raw)
    except (ValueError, ArithmeticError):
        return None
    return value if value.is_finite() else None


def _overwrite(result: AqiArrays, position: int, day: DailyAqi) -> None:
    """Put one station-day scored by the reference path into the arrays."""
    for row, measure in enumerate(result.measures):
        iaqi = day.iaqi(measure)
        result.given[row, position] = any(s.measure == measure for s in day.sub)
        result.iaqi[row, position] = -1 if iaqi is None else iaqi
    result.aqi[position] = -1 if day.aqi is None else day.aqi
    result.complete[position] = day.complete
    category = -1 if day.category is None else result.standard.categories.index(day.category)
    result.category[position] = category
