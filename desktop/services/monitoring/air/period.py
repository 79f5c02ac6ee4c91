"""Figures for a period from daily data: 优良天数, 有效天数, 优良率, means and percentiles.

Every figure carries the standard it was computed under, because the same days give different
figures under the 2012 and the 2026 rules, and a report must say which ("按新标准口径"). By
default each day is scored by the edition in force on that day; an override scores every day
under one edition so that this year and last year can be compared on the same basis.

Validity (GB 3095 表4: ≥ 27 daily values a month, ≥ 25 in February, ≥ 324 a year) is checked per
pollutant and every shortfall is listed with the figures, never silently dropped: an office
still needs the number, and needs to know that it does not meet the rule.

The percentile is HJ 663's: sort X1..Xn, k = 1 + (n − 1)·p/100, s = ⌊k⌋,
m = X_s + (X_{s+1} − X_s)(k − s), the same as Excel PERCENTILE.INC; computed on exact fractions.
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from desktop.services.monitoring.air.aqi import (
    MEASURES,
    POLLUTANT,
    DailyAqi,
    DailyConcentrations,
)
from desktop.services.monitoring.air.reader import describe_days
from desktop.services.monitoring.air.scored_days import score_days
from desktop.services.monitoring.standards import (
    AirStandards,
    StandardsLibrary,
    load_library,
    round_gbt8170,
    to_decimal,
)

Number = Decimal | float | int | str

#: Measures evaluated over a period (O3 1 h is a daily item only under 2012).
PERIOD_MEASURES = ("SO2", "NO2", "CO", "PM10", "PM2.5", "O3_8h")
#: Which GB 3095 limit a measure's percentile is compared with.
_PERCENTILE_LIMIT = {"O3_8h": ("O3", "8h")}


def percentile(values: Sequence[Number], p: int | Fraction) -> Fraction:
    """HJ 663 / Excel PERCENTILE.INC of ``values`` at ``p`` percent, exactly.

    >>> float(percentile([3, 4, 8, 2, 5, 4], 90))
    6.5
    """
    if not values:
        raise ValueError("没有数据，无法计算百分位数")
    # Decimals compare exactly, so they sort as the fractions would; only the two values the
    # interpolation uses become fractions.
    xs = sorted(to_decimal(v) for v in values)
    k = 1 + (len(xs) - 1) * Fraction(p) / 100
    s = int(k)  # k ≥ 1, so int() is floor
    if s >= len(xs):
        return Fraction(xs[-1])
    low, high = Fraction(xs[s - 1]), Fraction(xs[s])
    return low + (high - low) * (k - s)


def _decimal(value: Fraction, places: int = 12) -> Decimal:
    """A fraction as a decimal, exact where it terminates within ``places`` digits, without
    trailing zeros (35.5, not 35.500000000000)."""
    rounded = round_gbt8170(Decimal(value.numerator) / Decimal(value.denominator), places)
    if rounded == rounded.to_integral_value():
        return rounded.quantize(Decimal(1))
    return rounded.normalize()


@dataclass(frozen=True)
class PollutantStat:
    """One pollutant over the period: mean and the HJ 663 percentile, with the limits."""

    measure: str
    unit: str
    count: int
    mean: Decimal | None
    mean_rounded: Decimal | None
    percentile: int | None
    percentile_value: Decimal | None
    percentile_rounded: Decimal | None
    annual_limit: Decimal | None
    daily_limit: Decimal | None
    valid: bool
    #: Limits are judged (GB 3095 annual evaluation) only over a whole calendar year; for a
    #: shorter period they are shown for reference and the ``*_exceeds`` properties are None.
    whole_year: bool = False

    @property
    def mean_exceeds(self) -> bool | None:
        if not self.whole_year or self.mean_rounded is None or self.annual_limit is None:
            return None
        return self.mean_rounded > self.annual_limit

    @property
    def percentile_exceeds(self) -> bool | None:
        if not self.whole_year or self.percentile_rounded is None or self.daily_limit is None:
            return None
        return self.percentile_rounded > self.daily_limit


@dataclass(frozen=True)
class ValidityIssue:
    """A shortfall against GB 3095 表4, in a sentence for the user."""

    measure: str
    year: int
    month: int | None  # None: the whole year
    count: int
    required: int

    @property
    def message(self) -> str:
        when = f"{self.year}年{self.month}月" if self.month else f"{self.year}年全年"
        return (
            f"{self.measure}：{when}仅有 {self.count} 个有效日均值（至少 {self.required} 个），"
            "该统计不满足数据有效性要求"
        )


@dataclass(frozen=True)
class PeriodFigures:
    """A period's air figures for one station or area, labelled with the standards used."""

    station: str
    start: date
    end: date
    basis: str  # e.g. "新标准（HJ 633—2026）" or "按日期：旧标准…至2026-02-28，新标准…"
    editions: tuple[str, ...]
    override: str | None
    calendar_days: int
    days_with_data: int
    valid_days: int
    good_days: int
    good_rate: Decimal | None  # percent, exact
    good_rate_rounded: Decimal | None
    categories: Mapping[str, int]
    primary: Mapping[str, int]
    pollutants: tuple[PollutantStat, ...]
    validity: tuple[ValidityIssue, ...]
    partial_months: tuple[tuple[int, int], ...]  # months only partly in the period: not judged
    missing_days: tuple[date, ...]
    #: Each day's record, built when first read (``scored_days.ScoredDays``).
    daily: Sequence[DailyAqi]
    notes: tuple[str, ...] = ()
    #: Valid days with a 首要污染物, and those of them where two or more pollutants tie: the
    #: tally counts a tied day under each, so its total exceeds the days (367 for 361).
    primary_days: int = 0
    tie_days: int = 0
    #: Days with data but a required item missing and AQI NA (not valid days).
    incomplete_days: tuple[date, ...] = ()

    def pollutant(self, measure: str) -> PollutantStat:
        for stat in self.pollutants:
            if stat.measure == measure:
                return stat
        raise KeyError(measure)


def _days(start: date, end: date) -> Iterable[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def _basis(
    library: StandardsLibrary, spans: Mapping[str, tuple[date, date]], override: str | None
) -> str:
    if override is not None:
        return library.edition(override).label + "（按该标准口径重算）"
    editions = sorted(spans, key=lambda e: library.aqi[e].effective_from)
    if not editions:
        return "—"
    if len(editions) == 1:
        return library.edition(editions[0]).label
    parts = [
        f"{library.edition(edition).label} {spans[edition][0]}～{spans[edition][1]}"
        for edition in editions
    ]
    return "按日期分段：" + "；".join(parts)


def validity_issues(
    records: Sequence[DailyConcentrations], start: date, end: date, standards: AirStandards
) -> tuple[ValidityIssue, ...]:
    """Months (wholly inside the period) and whole years short of valid daily values."""
    rule = standards.limits.validity
    counts: dict[tuple[str, int, int], int] = Counter()
    for record in records:
        for measure in PERIOD_MEASURES:
            if measure in record.values:
                counts[measure, record.day.year, record.day.month] += 1
    issues: list[ValidityIssue] = []
    months = sorted({(d.year, d.month) for d in _days(start, end)})
    for measure in PERIOD_MEASURES:
        for year, month in months:
            last = calendar.monthrange(year, month)[1]
            if date(year, month, 1) < start or date(year, month, last) > end:
                continue  # a partial month is not judged
            count = counts[measure, year, month]
            need = rule.month_minimum(month)
            if count < need:
                issues.append(ValidityIssue(measure, year, month, count, need))
        for year in sorted({y for y, _ in months}):
            if start <= date(year, 1, 1) and date(year, 12, 31) <= end:
                count = sum(counts[measure, year, m] for m in range(1, 13))
                if count < rule.annual_min_days:
                    issues.append(ValidityIssue(measure, year, None, count, rule.annual_min_days))
    return tuple(issues)


def whole_year(start: date, end: date) -> bool:
    return start == date(start.year, 1, 1) and end == date(start.year, 12, 31)


def partial_months(start: date, end: date) -> tuple[tuple[int, int], ...]:
    months = sorted({(d.year, d.month) for d in _days(start, end)})
    return tuple(
        (y, m)
        for y, m in months
        if date(y, m, 1) < start or date(y, m, calendar.monthrange(y, m)[1]) > end
    )


def _pollutant_stats(
    records: Sequence[DailyConcentrations],
    standards: AirStandards,
    start: date,
    end: date,
    issues: Sequence[ValidityIssue],
) -> tuple[PollutantStat, ...]:
    evaluation = standards.evaluation
    stage = standards.limits.stage_for(end)
    limits = stage.classes["class2"]
    rounding = evaluation.result_rounding
    stats = []
    invalid = {i.measure for i in issues}
    for measure in PERIOD_MEASURES:
        pollutant = POLLUTANT[measure]
        values = [r.values[measure] for r in records if measure in r.values]
        pct = evaluation.percentiles.get(measure)
        mean = pvalue = None
        if values:
            mean = _decimal(Fraction(sum(values, Decimal(0))) / len(values))
            if pct is not None:
                pvalue = _decimal(percentile(values, pct))
        key = _PERCENTILE_LIMIT.get(measure, (pollutant, "24h"))
        stats.append(
            PollutantStat(
                measure=measure,
                unit=standards.limits.units.get(pollutant, ""),
                count=len(values),
                mean=mean,
                mean_rounded=rounding.apply(pollutant, mean) if mean is not None else None,
                percentile=pct,
                percentile_value=pvalue,
                percentile_rounded=rounding.apply(pollutant, pvalue)
                if pvalue is not None
                else None,
                annual_limit=limits.get(pollutant, {}).get("annual"),
                daily_limit=limits.get(key[0], {}).get(key[1]),
                valid=bool(values) and measure not in invalid,
                whole_year=whole_year(start, end),
            )
        )
    return tuple(stats)


def period_figures(
    records: Sequence[DailyConcentrations],
    start: date,
    end: date,
    *,
    override: str | None = None,
    station: str | None = None,
    library: StandardsLibrary | None = None,
) -> PeriodFigures:
    """The period's figures from one station's (or an area's) daily records.

    Records outside [start, end] are ignored. ``override`` ("2012"/"2026") scores every day
    under that edition; otherwise each day under the edition in force on its date. Means,
    percentiles, limits and validity follow the edition in force at the end of the period (or
    the override).
    """
    if end < start:
        raise ValueError("期间的结束日期早于开始日期")
    library = library or load_library()
    inside = sorted((r for r in records if start <= r.day <= end), key=lambda r: r.day)
    tally = score_days(inside, library, override)
    closing = library.air_for(end, override)
    order = {c.name: i for i, c in enumerate(closing.aqi.categories)}
    categories = dict(sorted(tally.categories.items(), key=lambda kv: order.get(kv[0], len(order))))
    rate = None
    rate_rounded = None
    if tally.valid:
        rate = _decimal(Fraction(tally.good * 100, tally.valid))
        rate_rounded = round_gbt8170(rate, closing.evaluation.rate_decimals)
    present = {r.day for r in inside}
    issues = validity_issues(inside, start, end, closing)
    return PeriodFigures(
        station=station if station is not None else (inside[0].station if inside else ""),
        start=start,
        end=end,
        basis=_basis(library, tally.spans, override),
        editions=tuple(sorted(tally.spans)),
        override=override,
        calendar_days=(end - start).days + 1,
        days_with_data=len(present),
        valid_days=tally.valid,
        good_days=tally.good,
        good_rate=rate,
        good_rate_rounded=rate_rounded,
        categories=categories,
        primary=dict(tally.primary.most_common()),
        pollutants=_pollutant_stats(inside, closing, start, end, issues),
        validity=issues,
        partial_months=partial_months(start, end),
        missing_days=tuple(d for d in _days(start, end) if d not in present),
        daily=tally.daily,
        notes=tally.notes,
        primary_days=tally.primary_days,
        tie_days=tally.tie_days,
        incomplete_days=tally.incomplete,
    )


def primary_text(fig: PeriodFigures, short: bool = False) -> str:
    """ "PM2.5 120 天，O3 80 天（共 195 天有首要污染物，其中 5 天并列，并列的各计一次）";
    ``short``: "PM2.5 120，O3 80（195 天，并列 5 天各计一次）" for a narrow table cell."""
    if not fig.primary:
        return "—"
    if short:
        counts = "，".join(f"{k} {v}" for k, v in fig.primary.items())
        tie = f"，并列 {fig.tie_days} 天各计一次" if fig.tie_days else ""
        return f"{counts}（{fig.primary_days} 天{tie}）"
    counts = "，".join(f"{k} {v} 天" for k, v in fig.primary.items())
    if fig.tie_days:
        return (
            f"{counts}（共 {fig.primary_days} 天有首要污染物，其中 {fig.tie_days} 天并列，"
            f"并列的污染物各计一次，故合计 {sum(fig.primary.values())} 天次）"
        )
    return f"{counts}（共 {fig.primary_days} 天有首要污染物，无并列）"


def incomplete_text(fig: PeriodFigures) -> str:
    """ "缺项 3 天（AQI 记 NA，不计入有效天数）：2026-03-05、…"."""
    return (
        f"缺项 {len(fig.incomplete_days)} 天（AQI 记 NA，不计入有效天数）："
        f"{describe_days(list(fig.incomplete_days))}"
    )


#: Indicator catalog codes (resources/catalog/indicators.csv) and where their value comes from:
#: the catalog defines o3 as the O3 8 h 90th percentile and co as the CO 95th percentile.
INDICATOR_SOURCES = {
    "pm25": ("PM2.5", "mean"),
    "pm10": ("PM10", "mean"),
    "so2": ("SO2", "mean"),
    "no2": ("NO2", "mean"),
    "o3": ("O3_8h", "percentile"),
    "co": ("CO", "percentile"),
}


def indicator_values(fig: PeriodFigures) -> dict[str, Decimal]:
    """The period's figures keyed by indicator catalog code, rounded as reported.

    This is what a later step writes to the indicator store for (unit, indicator, period), with
    ``fig.basis`` as the note saying which standard they were computed under.
    """
    values: dict[str, Decimal] = {}
    if fig.good_rate_rounded is not None:
        values["air_good_rate"] = fig.good_rate_rounded
        values["air_good_days"] = Decimal(fig.good_days)
    for code, (measure, kind) in INDICATOR_SOURCES.items():
        stat = fig.pollutant(measure)
        value = stat.mean_rounded if kind == "mean" else stat.percentile_rounded
        if value is not None:
            values[code] = value
    return values


def area_daily(
    records: Iterable[DailyConcentrations], name: str = "全部点位平均"
) -> list[DailyConcentrations]:
    """An area's daily values: each measure the arithmetic mean of the stations reporting it.

    HJ 663 computes a city's (or county's) daily concentration as the mean over its stations;
    the AQI is then scored on that mean, not averaged from station AQIs.
    """
    by_day: dict[date, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        for measure, value in record.values.items():
            by_day[record.day][measure].append(value)
    result = []
    for day in sorted(by_day):
        values = {
            m: _decimal(Fraction(sum(vs, Decimal(0))) / len(vs))
            for m, vs in by_day[day].items()
            if m in MEASURES
        }
        result.append(DailyConcentrations(day, name, values, "平均"))
    return result
