"""Daily AQI exactly as HJ 633 computes it: IAQI, AQI, category, colour and 首要污染物.

The public Python AQI libraries differ from the standard at the edges (truncating
concentrations, rounding half to even, gapped segments), and an office's 优良天数 hangs on those
edges (PM2.5 35.5 is IAQI 51, not 50). So:

* concentrations are kept as the decimals the station wrote (never binary floats);
* under HJ 633-2026 they are first rounded once by GB/T 8170 (integers, CO one decimal);
* each IAQI is computed with integer arithmetic on the exact fraction and rounded **up**;
* segments are continuous: a value between two breakpoints uses those two, nothing is skipped;
* the "above 800" rules and the missing-item rule come from the standard's data file, so the
  same code serves both editions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from desktop.services.monitoring.standards import AqiStandard, Category, to_decimal

#: Order in which daily measures are shown (the order of HJ 633's daily report table).
MEASURES = ("SO2", "NO2", "CO", "PM10", "PM2.5", "O3_8h", "O3_1h")
#: The pollutant a measure belongs to (CO keeps its own unit and rounding).
POLLUTANT = {m: m.split("_", 1)[0] for m in MEASURES}

Number = Decimal | float | int | str


@dataclass(frozen=True)
class DailyConcentrations:
    """One station-day as published: the 24 h means and O3 daily maxima.

    ``values`` holds only what was given; a missing item is absent, not zero. ``source`` says
    where the row came from (file and row) so problems can point back at it.
    """

    day: date
    station: str
    values: Mapping[str, Decimal]
    source: str = ""


@dataclass(frozen=True, slots=True)
class SubIndex:
    """One pollutant's IAQI with the concentration it was scored on and any rule applied."""

    measure: str
    label: str
    concentration: Decimal
    scored: Decimal
    iaqi: int | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class DailyAqi:
    """A day's AQI under one standard; ``aqi`` is None where the standard says "NA"."""

    day: date | None
    station: str
    standard_id: str
    standard_code: str
    edition: str
    sub: tuple[SubIndex, ...]
    aqi: int | None
    category: Category | None
    primary: tuple[str, ...]
    missing: tuple[str, ...] = field(default=())
    good_max: int = 100
    #: 超标污染物 (IAQI > 100), only where the standard defines them (HJ 633-2012 4.4.2).
    exceeding: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def valid(self) -> bool:
        """Whether the day counts as a valid day (有效天) for 优良率.

        A day with all required items is valid. A day with an item missing is valid only when
        the items present already put it above 100: then it is surely not 优良, whatever the
        missing item was; otherwise it could be either, and it is not counted. This is the
        2026 rule (5.3.1) and the only sound reading for 2012 data as well.
        """
        if self.aqi is None:
            return False
        return self.complete or self.aqi > self.good_max

    @property
    def good(self) -> bool:
        return self.valid and self.aqi is not None and self.aqi <= self.good_max

    def iaqi(self, measure: str) -> int | None:
        for sub in self.sub:
            if sub.measure == measure:
                return sub.iaqi
        return None


def _segment_index(breakpoints: tuple[Decimal | None, ...], value: Decimal) -> int | None:
    """The i with breakpoints[i] ≤ value ≤ breakpoints[i+1]; None above the table."""
    for i in range(len(breakpoints) - 1):
        high = breakpoints[i + 1]
        if high is None:
            return None
        if value <= high:
            return i
    return None


def _ceil_fraction(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


def scale_index(standard: AqiStandard, item_id: str, value: Decimal) -> tuple[int, str]:
    """Formula (1) on the table column ``item_id``, rounded up; no over-800 rules here.

    Computed on the exact fraction: IAQI = Lo + (Hi − Lo)·(C − BPlo)/(BPhi − BPlo), with C =
    p/q exactly, so a value on a breakpoint gives that level exactly and never one more.
    """
    if value < 0:
        raise ValueError(f"浓度不能为负数（{value}）")
    item = standard.items[item_id]
    points = item.breakpoints
    index = _segment_index(points, value)
    if index is None:
        top = max(p for p in points if p is not None)
        return standard.cap_iaqi, f"高于表中最高限值 {top}，按 {standard.cap_iaqi} 计"
    low_bp, high_bp = item.ratios[index], item.ratios[index + 1]
    assert low_bp is not None and high_bp is not None
    low_i, high_i = standard.levels[index], standard.levels[index + 1]
    p, q = value.as_integer_ratio()
    lo_p, lo_q = low_bp
    hi_p, hi_q = high_bp
    # (C − lo)/(hi − lo) with every term over a common denominator, all in integers.
    numerator = (high_i - low_i) * (p * lo_q - lo_p * q) * hi_q
    denominator = q * (hi_p * lo_q - lo_p * hi_q)
    return low_i + _ceil_fraction(numerator, denominator), ""


def individual_index(
    standard: AqiStandard,
    item_id: str,
    value: Decimal,
    others: Mapping[str, Decimal] | None = None,
) -> tuple[int | None, str]:
    """IAQI of table column ``item_id`` with the standard's rules above the cut-off applied.

    ``others`` maps other table columns to their (already rounded) values, for 2012's rules
    that report another column's IAQI (SO2 1 h > 800 → SO2 24 h; O3 8 h > 800 → O3 1 h).
    Returns (None, reason) when such a rule needs a value that was not given.
    """
    rule = standard.over_rules.get(item_id)
    if rule is not None and value > rule.above:
        if rule.action == "fixed":
            assert rule.iaqi is not None
            return rule.iaqi, f"高于 {rule.above}，分指数按 {rule.iaqi} 计"
        use = rule.use
        assert use is not None
        other = (others or {}).get(use)
        label = standard.items[use].label
        if other is None:
            return None, f"高于 {rule.above}，应按 {label} 的分指数报告，但缺 {label}"
        iaqi, _ = individual_index(standard, use, other, None)
        return iaqi, f"高于 {rule.above}，按 {label} 的分指数报告"
    return scale_index(standard, item_id, value)


def daily_aqi(
    values: Mapping[str, Number | None],
    standard: AqiStandard,
    *,
    day: date | None = None,
    station: str = "",
) -> DailyAqi:
    """The day's IAQIs, AQI, category and 首要污染物 under ``standard``.

    ``values`` maps measures (SO2, NO2, CO, PM10, PM2.5, O3_8h and, for 2012, O3_1h) to the
    day's concentrations; CO in mg/m³, the rest in μg/m³. Missing items are reported in
    ``missing``; under 2026 the AQI of such a day is NA unless the rest already exceed 100.
    """
    rounding = standard.concentration_rounding
    given: dict[str, tuple[Decimal, Decimal]] = {}
    for measure in standard.daily_items:
        raw = values.get(measure)
        if raw is None:
            continue
        exact = to_decimal(raw)
        if exact < 0:
            raise ValueError(f"{measure} 浓度不能为负数（{exact}）")
        scored = rounding.apply(POLLUTANT[measure], exact) if rounding else exact
        given[measure] = (exact, scored)
    columns = {standard.daily_items[m]: scored for m, (_, scored) in given.items()}
    subs: list[SubIndex] = []
    for measure, (exact, scored) in given.items():
        item_id = standard.daily_items[measure]
        iaqi, note = individual_index(standard, item_id, scored, columns)
        subs.append(SubIndex(measure, standard.items[item_id].label, exact, scored, iaqi, note))
    missing = tuple(m for m in standard.required if m not in given)
    missing += tuple(s.measure for s in subs if s.iaqi is None and s.measure not in missing)
    scores = [s.iaqi for s in subs if s.iaqi is not None]
    aqi = max(scores) if scores else None
    if (
        aqi is not None
        and missing
        and standard.missing_rule == "na_unless_over_100"
        and aqi <= standard.missing_threshold
    ):
        aqi = None
    primary: tuple[str, ...] = ()
    if aqi is not None and aqi > standard.primary_above:
        primary = tuple(s.label for s in subs if s.iaqi == aqi)
    over = standard.exceeding_above
    exceeding: tuple[str, ...] = ()
    if over is not None:
        exceeding = tuple(s.label for s in subs if s.iaqi is not None and s.iaqi > over)
    return DailyAqi(
        day=day,
        station=station,
        standard_id=standard.id,
        standard_code=standard.code,
        edition=standard.edition,
        sub=tuple(subs),
        aqi=aqi,
        category=standard.category(aqi) if aqi is not None else None,
        primary=primary,
        missing=missing,
        good_max=standard.good_max,
        exceeding=exceeding,
    )


def score_record(record: DailyConcentrations, standard: AqiStandard) -> DailyAqi:
    """``daily_aqi`` for one station-day record."""
    return daily_aqi(record.values, standard, day=record.day, station=record.station)
