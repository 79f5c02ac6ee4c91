"""A unit's figures for one period, with everything the store derives from them.

The entry grid, ``ecodesk-cli show`` and the validation rules all read this one structure, so a
total, a rate, a 同比 or a completion figure is computed in exactly one place:

* a quarter, 1-N月 or year figure not typed is aggregated from its months when every month
  is there, by the indicator's rule (sum, day-weighted mean, last); a typed figure wins;
* a total with parts is the sum of its parts unless a total was typed;
* a computed indicator is its formula over the other figures (typed or derived);
* 同比 compares with the same period one year earlier, in % for quantities and in
  percentage points (个百分点) for rates;
* 完成进度 compares with the annual target: a share of it for figures that accumulate over the
  year, 达标/未达标 for concentrations and rates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from db import indicators as indicator_store
from db import locks, targets, values
from db.connection import Database
from db.formulas import compiled, evaluation_order
from db.numbers import CLASS_NAMES, format_number
from db.periods import Period, PeriodKind
from db.records import Indicator


class Source(StrEnum):
    TYPED = "typed"
    MONTHS = "months"
    PARTS = "parts"
    FORMULA = "formula"
    NONE = "none"


class Figure(NamedTuple):
    """One figure and where it comes from.

    A named tuple rather than a frozen dataclass (both immutable): an export makes hundreds of
    thousands, and a frozen dataclass is built attribute by attribute through ``object``.
    """

    value: float | None
    source: Source

    @property
    def derived(self) -> bool:
        return self.source in (Source.MONTHS, Source.PARTS, Source.FORMULA)


EMPTY = Figure(None, Source.NONE)


@lru_cache(maxsize=256)
def _months_of(period: Period) -> tuple[Period, ...]:
    """The months of a longer period (asked for once per cell by an import's dry run)."""
    return tuple(Period.month(period.year, m) for m in period.months())


def from_months(
    indicators: list[Indicator], period: Period, months: Mapping[str, Mapping[int, float | None]]
) -> dict[int, float]:
    """Figures of a longer period aggregated from its months, where every month has one.

    ``months`` maps month period codes to typed values. A mean is weighted by the days of each
    month, as an annual mean of daily data would be; rates, ranks and classes never aggregate.
    """
    if period.kind is PeriodKind.MONTH:
        return {}
    codes = _months_of(period)
    found: dict[int, float] = {}
    for ind in indicators:
        if ind.period_agg == "none" or ind.is_computed:
            continue
        series = [months.get(p.code, {}).get(ind.id) for p in codes]
        if any(v is None for v in series):
            continue
        numbers = [float(v) for v in series if v is not None]
        if ind.period_agg == "sum":
            found[ind.id] = sum(numbers)
        elif ind.period_agg == "last":
            found[ind.id] = numbers[-1]
        else:
            days = [p.days() for p in codes]
            found[ind.id] = sum(v * d for v, d in zip(numbers, days, strict=True)) / sum(days)
    return found


def derive(
    indicators: list[Indicator],
    typed: Mapping[int, float | None],
    monthly: Mapping[int, float] | None = None,
) -> dict[int, Figure]:
    """Every indicator's figure: typed, else from months; then totals from parts, then formulas."""
    return Derivation(indicators).figures(typed, monthly)


class Derivation:
    """What ``derive`` needs to know of a catalog (or of the few indicators one figure rests
    on) — which parts make each total, which formula
    comes after which — worked out once for all the sheets read with it (an export derives
    thousands of sheets from one catalog)."""

    def __init__(self, indicators: list[Indicator]) -> None:
        self.empty = {i.id: EMPTY for i in indicators}
        parts: dict[int, list[int]] = {}
        for i in indicators:
            if i.parent_id is not None:
                parts.setdefault(i.parent_id, []).append(i.id)
        self.parts = list(parts.items())
        by_code = {i.code: i for i in indicators}
        self.inputs = [(code, ind.id) for code, ind in by_code.items()]
        formulas = {i.code: i.formula for i in indicators if i.formula}
        self.formulas = [  # each formula after those it reads
            (code, by_code[code].id, compiled(formulas[code]))
            for code in evaluation_order(formulas)
        ]

    def figures(
        self, typed: Mapping[int, float | None], monthly: Mapping[int, float] | None = None
    ) -> dict[int, Figure]:
        # every indicator EMPTY (in catalog order), then from months, then typed over them:
        # a typed figure wins; only what is stored is visited
        figures = dict(self.empty)
        for i, aggregate in (monthly or {}).items():
            if i in figures:
                figures[i] = Figure(aggregate, Source.MONTHS)
        for i, value in typed.items():
            if value is not None and i in figures:
                figures[i] = Figure(value, Source.TYPED)
        for total_id, part_ids in self.parts:
            if figures.get(total_id, EMPTY).source in (Source.TYPED, Source.MONTHS):
                continue
            known = [figures[p].value for p in part_ids if figures[p].value is not None]
            if known:
                figures[total_id] = Figure(sum(v for v in known if v is not None), Source.PARTS)
        inputs = {code: figures[ind_id].value for code, ind_id in self.inputs}
        for code, ind_id, formula in self.formulas:
            result = formula(inputs)
            figures[ind_id] = Figure(result, Source.FORMULA if result is not None else Source.NONE)
            inputs[code] = result
        return figures


def display(indicator: Indicator, value: float | None) -> str:
    """A figure as the grid shows it: decimals of the indicator, water classes as Ⅲ类."""
    if value is None:
        return ""
    if indicator.kind == "water_class":
        return CLASS_NAMES.get(round(value), format_number(value, 0))
    return format_number(value, indicator.decimals)


class Change(NamedTuple):
    """同比: the change against the same period last year (a named tuple, as ``Figure``: an
    export with last year's figures makes one per figure)."""

    amount: float
    text: str
    #: +1 better, -1 worse, 0 neither (by the indicator's direction, not by the sign).
    verdict: int


def year_on_year(indicator: Indicator, current: float | None, last: float | None) -> Change | None:
    if current is None or last is None or indicator.yoy == "none":
        return None
    if indicator.yoy == "percent":
        if last == 0:
            return None
        amount = (current - last) / abs(last) * 100
        if not math.isfinite(amount):  # a last-year figure so small the change means nothing
            return None
        text = f"{_signed(amount, 1)}%"
    elif indicator.yoy == "points":
        amount = current - last
        text = f"{_signed(amount, 1)}个百分点"
    else:
        amount = current - last
        text = _signed(amount, indicator.decimals) + (indicator.unit or "")
    direction = {"higher": 1, "lower": -1}.get(indicator.better, 0)
    rounded = float(format_number(amount, 1))
    verdict = 0 if rounded == 0 else direction * (1 if amount > 0 else -1)
    return Change(amount, text, verdict)


def _signed(amount: float, decimals: int) -> str:
    text = format_number(amount, decimals)
    return text if text.startswith("-") else f"+{text}"


class Progress(NamedTuple):
    """完成进度 (a named tuple, as ``Change``)."""

    text: str
    #: +1 on track, -1 behind, 0 unknown
    verdict: int
    percent: float | None = None


def progress(indicator: Indicator, current: float | None, target: float | None) -> Progress | None:
    """完成进度 against the annual target."""
    if current is None or target is None:
        return None
    accumulates = indicator.period_agg in ("sum", "last") and not indicator.is_computed
    if accumulates and indicator.better != "lower":
        if target == 0:
            return None
        share = current / target * 100
        return Progress(f"{format_number(share, 1)}%", 1 if share >= 100 else 0, share)
    if indicator.better == "lower":
        ok = current <= target
    elif indicator.better == "higher":
        ok = current >= target
    else:
        return None
    return Progress("达标" if ok else "未达标", 1 if ok else -1)


class SheetRow(NamedTuple):
    """One indicator's line of a sheet (a named tuple, as ``Figure``: one per indicator)."""

    indicator: Indicator
    current: Figure
    last_year: Figure
    change: Change | None
    target: float | None
    progress: Progress | None
    note: str
    is_part: bool


@dataclass(frozen=True)
class Sheet:
    unit_id: int
    period: Period
    rows: list[SheetRow]
    locked: locks.LockInfo | None
    last_year_locked: locks.LockInfo | None
    #: The same period a year later, when locked: this sheet is its 去年同期, so frozen too.
    next_year_locked: locks.LockInfo | None = None
    #: A locked period of this year, which freezes the 年度目标 (see migration 12).
    targets_locked: Period | None = None

    def row(self, code: str) -> SheetRow:
        for row in self.rows:
            if row.indicator.code == code:
                return row
        raise KeyError(code)

    def row_by_id(self, indicator_id: int | None) -> SheetRow:
        for row in self.rows:
            if row.indicator.id == indicator_id:
                return row
        raise KeyError(indicator_id)


def read_sheet(
    db: Database, unit_id: int, period: Period, indicators: list[Indicator] | None = None
) -> Sheet:
    """Everything the entry grid shows for one unit and period, read in a handful of queries."""
    return read_sheets(db, unit_id, [period], indicators)[0]


def read_sheets(
    db: Database, unit_id: int, periods: Sequence[Period], indicators: list[Indicator] | None = None
) -> list[Sheet]:
    """One unit's sheets for several periods, each as ``read_sheet`` gives it alone.

    The values, notes, targets and locks of all of them come in four queries, and a period's
    figures are derived once even when a later period shows them as 去年同期: an export of
    320 units × 12 months asked the store 23,000 times and derived every catalog 7,680 times.
    """
    catalog = indicators if indicators is not None else indicator_store.all_indicators(db)
    rules = Derivation(catalog)
    codes: dict[str, None] = {}  # every period read, each once, in a stable order
    for period in periods:
        for p in (period, period.same_period_last_year()):
            codes[p.code] = None
            if p.kind is not PeriodKind.MONTH:
                codes.update((m.code, None) for m in _months_of(p))
    typed = values.numbers_for_periods(db, unit_id, list(codes))
    notes = values.notes_for_periods(db, unit_id, [p.code for p in periods])
    goals = targets.targets_for_years(db, unit_id, sorted({p.year for p in periods}))
    held = locks.unit_locks(db, unit_id)
    derived: dict[Period, dict[int, Figure]] = {}

    def figures(period: Period) -> dict[int, Figure]:
        if period not in derived:
            monthly = from_months(catalog, period, typed)
            derived[period] = rules.figures(typed.get(period.code, {}), monthly)
        return derived[period]

    sheets = []
    for period in periods:
        last_period = period.same_period_last_year()
        current, previous = figures(period), figures(last_period)
        now = notes.get(period.code, {})
        year_goals = goals.get(period.year, {})
        rows = []
        for ind in catalog:
            cur, last = current[ind.id], previous[ind.id]
            goal = year_goals.get(ind.id)
            rows.append(
                SheetRow(  # indicator, current, last_year, change, target, progress, note, is_part
                    ind,
                    cur,
                    last,
                    year_on_year(ind, cur.value, last.value),
                    goal,
                    progress(ind, cur.value, goal),
                    now.get(ind.id, ""),
                    ind.parent_id is not None,
                )
            )
        sheets.append(
            Sheet(
                unit_id=unit_id,
                period=period,
                rows=rows,
                locked=held.get(period.code),
                last_year_locked=held.get(last_period.code),
                next_year_locked=held.get(Period(period.year + 1, period.kind, period.num).code),
                targets_locked=locks.first_locked_in(held, period.year),
            )
        )
    return sheets
