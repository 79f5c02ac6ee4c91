"""From the store to what a chart draws: chart specs, period ranges and the data of each type.

A chart is described by a ``ChartSpec`` (type, indicators, units, period, options) that the page
builds from its controls, a saved chart set stores as JSON and the command line reads from its
arguments. ``build_chart`` turns a spec into the frozen data of
``desktop.services.charts.drawing.data``, worded in Chinese and formatted with each indicator's
decimals and unit, through the same derivation rules as the entry grid (``db.series`` →
``db.sheet``), so a chart never disagrees with the sheet.

A spec names its period once; every range is relative to it (the months of its year so far, the
same period over N years), so a saved set re-runs next month by changing that one period.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from db import indicators as indicator_store
from db import series
from db import units as unit_store
from db.connection import Database
from db.errors import KnownError
from db.numbers import format_number
from db.periods import Period, PeriodKind
from db.records import Indicator, Unit
from db.sheet import display, progress, year_on_year
from desktop.services.charts.drawing.data import (
    Bar,
    Caption,
    ChartData,
    CompletionData,
    CompletionItem,
    CompositionData,
    RankingData,
    Series,
    Table,
    TargetSpan,
    TrendData,
    YoyData,
    YoyItem,
)

#: Chart types in the order the page offers them.
CHART_TYPES: dict[str, str] = {
    "trend": "趋势",
    "ranking": "排名",
    "completion": "目标完成",
    "composition": "构成",
    "yoy": "同比",
}
SPANS: dict[str, str] = {"months": "逐月", "ytd": "1-N月累计", "years": "逐年"}
#: Most periods a trend may ask for: ten years of months.
MAX_TREND_PERIODS = 120
STYLES: dict[str, str] = {"bar": "堆积柱", "pie": "饼图"}
BY: dict[str, str] = {"indicator": "按指标", "unit": "按单位"}
#: Types that chart one indicator; the others take several (or one unit, several indicators).
SINGLE_INDICATOR = {"trend", "ranking", "composition"}
QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}
NAMES_IN_SUBTITLE = 3


class ChartError(KnownError):
    """A chart that cannot be drawn, with the reason as a sentence for the user."""


@dataclass(frozen=True)
class ChartSpec:
    """What to chart. Empty ``units`` means the office's own unit (a ranking: every unit).

    ``period`` is the chart's period code (the context bar's, unless saved otherwise); ``span``
    and ``count`` make a trend's range from it; ``style`` is a composition's bar or pie; ``by``
    says whether target completion compares indicators of one unit or units on one indicator.
    """

    type: str
    indicators: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    period: str = ""
    span: str = "years"
    count: int = 5
    style: str = "bar"
    by: str = "indicator"
    title: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.type not in CHART_TYPES:
            raise ChartError(f"没有“{self.type}”这种图表（可选：{'、'.join(CHART_TYPES)}）")
        if self.span not in SPANS:
            raise ChartError(f"趋势范围“{self.span}”无效（可选：{'、'.join(SPANS)}）")
        if self.style not in STYLES:
            raise ChartError(f"构成图样式“{self.style}”无效（可选：bar、pie）")
        if self.by not in BY:
            raise ChartError(f"目标完成图“{self.by}”无效（可选：indicator、unit）")
        if not 0 <= self.count <= MAX_TREND_PERIODS:
            raise ChartError(f"趋势的期数应在 0 到 {MAX_TREND_PERIODS} 之间")

    def with_period(self, period: Period) -> ChartSpec:
        """The same chart for another period: how a saved set is re-run next month."""
        return replace(self, period=period.code)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        data["indicators"] = list(self.indicators)
        data["units"] = list(self.units)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChartSpec:
        """Read a saved spec; keys a newer EcoDesk added are kept aside, not refused."""
        if not isinstance(data, dict) or "type" not in data:
            raise ChartError("图表设置缺少图表类型")
        known = {f for f in cls.__dataclass_fields__ if f != "extra"}
        args = {k: v for k, v in data.items() if k in known}
        args["indicators"] = tuple(str(c) for c in args.get("indicators", ()))
        args["units"] = tuple(str(c) for c in args.get("units", ()))
        if "count" in args:
            args["count"] = int(args["count"])
        return cls(**args, extra={k: v for k, v in data.items() if k not in known})


def specs_to_json(specs: Sequence[ChartSpec]) -> str:
    return json.dumps([s.to_json() for s in specs], ensure_ascii=False)


def specs_from_json(text: str) -> list[ChartSpec]:
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise ChartError("图表组的设置已损坏（不是有效的 JSON）") from exc
    if not isinstance(raw, list):
        raise ChartError("图表组的设置已损坏（应为图表列表）")
    return [ChartSpec.from_json(item) for item in raw]


# ---------------------------------------------------------------------------- periods


def period_series(period: Period, span: str, count: int) -> list[Period]:
    """The periods a trend covers, ending with ``period``.

    ``months``: the calendar months up to the period's last month (``count`` 0: from January
    of its year; else the last ``count`` months, across the turn of the year if need be).
    ``ytd``: 1月, 1-2月, … up to the period's last month of its year (cumulative figures).
    ``years``: the same period in each of the last ``count`` years (at least 2).
    """
    last_month = max(period.months())
    if span == "months":
        if count <= 0:
            return [Period.month(period.year, m) for m in range(1, last_month + 1)]
        index = period.year * 12 + last_month - 1
        return [Period.month(i // 12, i % 12 + 1) for i in range(index - count + 1, index + 1)]
    if span == "ytd":
        return [Period.ytd(period.year, m) for m in range(1, last_month + 1)]
    years = max(2, count)
    return [
        Period(y, period.kind, period.num) for y in range(period.year - years + 1, period.year + 1)
    ]


def short_label(period: Period, span: str, first: bool) -> str:
    """An x-axis label: short, with the year where it changes (the subtitle says the rest)."""
    if span == "months":
        return f"{period.num}月\n{period.year}年" if first or period.num == 1 else f"{period.num}月"
    if span == "ytd":
        return "1月" if max(period.months()) == 1 else f"1-{max(period.months())}月"
    if period.kind is PeriodKind.YEAR:
        return f"{period.year}年"
    if period.kind is PeriodKind.MONTH:
        return f"{period.year}年\n{period.num}月"
    if period.kind is PeriodKind.QUARTER:
        return f"{period.year}年\n{QUARTER_NAMES[period.num]}季度"
    return f"{period.year}年\n1-{period.num}月" if period.num > 1 else f"{period.year}年\n1月"


def span_label(periods: Sequence[Period]) -> str:
    if len(periods) == 1:
        return periods[0].label
    return f"{periods[0].label}—{periods[-1].label}"


# ---------------------------------------------------------------------------- building


@dataclass
class _Context:
    """What every builder looks up once."""

    db: Database
    catalog: list[Indicator]
    by_code: dict[str, Indicator]
    all_units: list[Unit]
    own: Unit | None

    @classmethod
    def load(cls, db: Database) -> _Context:
        catalog = indicator_store.all_indicators(db)
        all_units = unit_store.all_units(db)
        own_code = db.meta("own_unit")
        own = next((u for u in all_units if u.code == own_code), None)
        return cls(db, catalog, {i.code: i for i in catalog}, all_units, own)

    def indicator(self, code: str) -> Indicator:
        try:
            return self.by_code[code]
        except KeyError:
            raise ChartError(f"没有代码为“{code}”的指标") from None

    def units(self, codes: Sequence[str], *, default_all: bool = False) -> list[Unit]:
        if codes:
            by_code = {u.code: u for u in self.all_units}
            missing = [c for c in codes if c not in by_code]
            if missing:
                raise ChartError(f"没有代码为“{'、'.join(missing)}”的单位")
            return [by_code[c] for c in codes]
        if default_all:
            return list(self.all_units)
        if self.own is not None:
            return [self.own]
        if self.all_units:
            return [self.all_units[0]]
        raise ChartError("数据库中还没有单位")

    def is_own(self, unit: Unit) -> bool:
        return self.own is not None and unit.id == self.own.id


def _with_unit(indicator: Indicator, value: float | None) -> str:
    text = display(indicator, value)
    if not text or indicator.kind == "water_class" or indicator.unit in ("", "类"):
        return text or "—"
    return f"{text}{indicator.unit}"


def _names(units: Sequence[Unit]) -> str:
    names = [u.display_name for u in units]
    if len(names) > NAMES_IN_SUBTITLE:
        return f"{'、'.join(names[:NAMES_IN_SUBTITLE])}等{len(names)}个单位"
    return "、".join(names)


def _unit_note(indicator: Indicator) -> str:
    return f"　单位：{indicator.unit}" if indicator.unit else ""


def build_chart(db: Database, spec: ChartSpec, period: Period | None = None) -> ChartData:
    """The data for ``spec``; ``period`` (the context's) is used when the spec names none.

    Raises ``ChartError`` with a sentence when the spec cannot be charted (no such indicator,
    no figures at all, a total without parts).
    """
    if spec.period:
        try:
            period = Period.parse(spec.period)
        except ValueError as exc:
            raise ChartError(str(exc)) from exc
    if period is None:
        raise ChartError("请指定期间（例如 2022-YTD10）")
    if not spec.indicators and spec.type in SINGLE_INDICATOR:
        raise ChartError(f"{CHART_TYPES[spec.type]}图需要选择一个指标")
    context = _Context.load(db)
    builders: dict[str, Callable[[_Context, ChartSpec, Period], ChartData]] = {
        "trend": _trend,
        "ranking": _ranking,
        "completion": _completion,
        "composition": _composition,
        "yoy": _yoy,
    }
    return builders[spec.type](context, spec, period)


def _trend(ctx: _Context, spec: ChartSpec, period: Period) -> TrendData:
    ind = ctx.indicator(spec.indicators[0])
    chosen = ctx.units(spec.units)
    periods = period_series(period, spec.span, spec.count)
    earlier = [p.same_period_last_year() for p in periods]
    wanted = periods + ([] if spec.span == "years" else earlier)
    found = series.figures(ctx.db, ctx.catalog, [ind], [u.id for u in chosen], wanted)

    def values(unit: Unit, of: Sequence[Period]) -> tuple[float | None, ...]:
        return tuple(found[(unit.id, p.code)].get(ind.id) for p in of)

    lines = tuple(Series(u.display_name, values(u, periods), ctx.is_own(u)) for u in chosen)
    if not any(v is not None for line in lines for v in line.values):
        raise ChartError(f"{_names(chosen)}在{span_label(periods)}没有“{ind.name}”的数据")
    first = chosen[0]
    last_year = None
    if spec.span != "years":
        previous = values(first, earlier)
        if any(v is not None for v in previous):
            last_year = Series(f"{first.display_name}去年同期", previous)

    targets: list[TargetSpan] = []
    accumulates = ind.period_agg in ("sum", "last") and not ind.is_computed
    if not accumulates or spec.span == "ytd" or period.kind in (PeriodKind.YTD, PeriodKind.YEAR):
        goals = series.targets_of(ctx.db, [first.id], [ind.id], sorted({p.year for p in periods}))
        years = sorted({p.year for p in periods})
        for year in years:
            goal = goals.get((first.id, ind.id, year))
            if goal is None:
                continue
            indices = [i for i, p in enumerate(periods) if p.year == year]
            label = f"{year}年目标 {format_number(goal, ind.decimals)}"
            targets.append(TargetSpan(min(indices), max(indices), goal, label))

    labels = tuple(
        short_label(p, spec.span, i == 0 or p.year != periods[i - 1].year)
        for i, p in enumerate(periods)
    )
    title = spec.title or f"{ind.name}变化趋势"
    subtitle = f"{_names(chosen)}　{span_label(periods)}{_unit_note(ind)}"
    notes = ["图中空缺表示该期没有数据。"] if any(None in line.values for line in lines) else []
    return TrendData(
        caption=Caption(title, subtitle, tuple(notes)),
        table=_trend_table(ind, periods, lines, last_year, targets),
        unit=ind.unit,
        decimals=ind.decimals,
        x_labels=labels,
        series=lines,
        last_year=last_year,
        targets=tuple(targets),
    )


def _trend_table(
    ind: Indicator,
    periods: Sequence[Period],
    lines: Sequence[Series],
    last_year: Series | None,
    targets: Sequence[TargetSpan],
) -> Table:
    """Periods down, units across; with many units, units down and periods across."""
    columns = list(lines) + ([last_year] if last_year else [])
    target_at = {i: t.value for t in targets for i in range(t.start, t.end + 1)}
    if len(columns) <= 6:
        header = ("期间", *(c.name for c in columns), *(("年度目标",) if targets else ()))
        rows = tuple(
            (
                p.label,
                *(display(ind, c.values[i]) or "—" for c in columns),
                *((display(ind, target_at.get(i)) or "—",) if targets else ()),
            )
            for i, p in enumerate(periods)
        )
        return Table(header, rows)
    header = ("单位", *(p.label for p in periods))
    rows = tuple((c.name, *(display(ind, v) or "—" for v in c.values)) for c in columns)
    return Table(header, rows)


def _better_first(ind: Indicator, items: list[tuple[Unit, float]]) -> list[tuple[Unit, float]]:
    """Best first by the indicator's direction: the lowest PM2.5 leads."""
    sign = 1 if ind.better == "lower" else -1
    return sorted(items, key=lambda item: (sign * item[1], item[0].sort_order, item[0].code))


def _ranking(ctx: _Context, spec: ChartSpec, period: Period) -> RankingData:
    ind = ctx.indicator(spec.indicators[0])
    chosen = ctx.units(spec.units, default_all=True)
    found = series.figures(ctx.db, ctx.catalog, [ind], [u.id for u in chosen], [period])
    present: list[tuple[Unit, float]] = []
    missing: list[Unit] = []
    for unit in chosen:
        value = found[(unit.id, period.code)].get(ind.id)
        if value is None:
            missing.append(unit)
        else:
            present.append((unit, value))
    if not present:
        raise ChartError(f"{period.label}没有任何单位的“{ind.name}”数据")
    ordered = _better_first(ind, present)
    ranks: list[int] = []
    for index, (_, value) in enumerate(ordered):
        tie = index and display(ind, value) == display(ind, ordered[index - 1][1])
        ranks.append(ranks[-1] if tie else index + 1)
    bars = tuple(
        Bar(f"{rank}. {unit.display_name}", value, _with_unit(ind, value), ctx.is_own(unit))
        for rank, (unit, value) in zip(ranks, ordered, strict=True)
    )
    notes = []
    if missing and spec.units:
        notes.append(f"无数据未列入：{_names(missing)}。")
    direction = {"lower": "数值越低排名越前", "higher": "数值越高排名越前"}.get(ind.better, "")
    if direction:
        notes.append(f"{direction}，并列按同一名次。")
    title = spec.title or f"{ind.name}排名"
    subtitle = f"{period.label}　共{len(present)}个单位{_unit_note(ind)}"
    table = Table(
        ("名次", "单位", f"{ind.name}（{ind.unit}）" if ind.unit else ind.name),
        tuple(
            (
                str(rank),
                unit.display_name + ("（本单位）" if ctx.is_own(unit) else ""),
                display(ind, value),
            )
            for rank, (unit, value) in zip(ranks, ordered, strict=True)
        ),
    )
    return RankingData(
        Caption(title, subtitle, tuple(notes)), table, ind.unit, ind.decimals, bars, ind.better
    )


def _completion(ctx: _Context, spec: ChartSpec, period: Period) -> CompletionData:
    """Actual against the annual target, per indicator of one unit or per unit on one indicator.

    Figures that accumulate over the year are judged against 序时进度 (the share of the year
    gone): below it is 滞后. Concentrations and rates are 达标 or 未达标.
    """
    if spec.by == "unit":
        if not spec.indicators:
            raise ChartError("按单位比较目标完成情况时需要选择一个指标")
        inds = [ctx.indicator(spec.indicators[0])]
        chosen = ctx.units(spec.units, default_all=True)
    else:
        chosen = ctx.units(spec.units)[:1]
        inds = [ctx.indicator(c) for c in spec.indicators] or list(ctx.catalog)
    goals = series.targets_of(ctx.db, [u.id for u in chosen], [i.id for i in inds], [period.year])
    pairs = [(u, i) for u in chosen for i in inds if (u.id, i.id, period.year) in goals]
    if not pairs:
        what = _names(chosen) if spec.by == "indicator" else inds[0].name
        raise ChartError(f"{what}没有{period.year}年的年度目标")
    found = series.figures(
        ctx.db,
        ctx.catalog,
        sorted({i for _, i in pairs}, key=ctx.catalog.index),
        [u.id for u in chosen],
        [period],
    )
    cumulative = period.kind in (PeriodKind.YTD, PeriodKind.YEAR)
    expected = max(period.months()) / 12 * 100 if cumulative else None
    items: list[CompletionItem] = []
    lacking: list[str] = []
    for unit, ind in pairs:
        actual = found[(unit.id, period.code)].get(ind.id)
        goal = goals[(unit.id, ind.id, period.year)]
        label = ind.name if spec.by == "indicator" else unit.display_name
        done = progress(ind, actual, goal)
        if actual is None or done is None:
            lacking.append(label)
            continue
        percent = actual / goal * 100 if goal else None
        verdict, status = done.verdict, done.text
        if done.percent is not None:
            if done.percent >= 100:
                status += "（已完成）"
            elif expected is not None and done.percent < expected:
                verdict, status = -1, status + "（滞后）"
            else:
                status += "（进行中）"
        items.append(
            CompletionItem(
                label,
                _with_unit(ind, actual),
                _with_unit(ind, goal),
                percent,
                verdict,
                status,
                spec.by == "unit" and ctx.is_own(unit),
            )
        )
    if not items:
        raise ChartError(f"{period.label}没有可与年度目标比较的数据")
    notes = []
    if lacking:
        notes.append(f"有目标但本期无数据：{'、'.join(lacking)}。")
    if expected is not None:
        notes.append(
            f"序时进度为全年的 {format_number(expected, 1)}%；累计类指标低于序时进度记为滞后。"
        )
    if spec.by == "indicator":
        title = spec.title or "年度目标完成情况"
        subtitle = f"{chosen[0].display_name}　{period.label}"
    else:
        title = spec.title or f"{inds[0].name}年度目标完成情况"
        subtitle = f"{period.label}　{_names(chosen)}"
    table = Table(
        ("项目", "本期", f"{period.year}年目标", "完成情况"),
        tuple((i.label, i.actual_text, i.target_text, i.status) for i in items),
    )
    return CompletionData(Caption(title, subtitle, tuple(notes)), table, tuple(items), expected)


def _composition(ctx: _Context, spec: ChartSpec, period: Period) -> CompositionData:
    total = ctx.indicator(spec.indicators[0])
    parts = [i for i in ctx.catalog if i.parent_id == total.id]
    if not parts:
        raise ChartError(f"“{total.name}”没有分项，不能画构成图")
    chosen = ctx.units(spec.units)
    found = series.figures(ctx.db, ctx.catalog, [total, *parts], [u.id for u in chosen], [period])
    names = [p.name for p in parts]
    categories: list[str] = []
    rows: list[list[float]] = []
    for unit in chosen:
        figures = found[(unit.id, period.code)]
        known = [figures.get(p.id) for p in parts]
        if all(v is None for v in known):
            continue
        row = [v or 0.0 for v in known]
        whole = figures.get(total.id)
        # A typed total larger than its known parts: the rest is shown, not hidden.
        row.append(max(0.0, (whole or 0.0) - sum(row)))
        categories.append(unit.display_name)
        rows.append(row)
    if not rows:
        raise ChartError(f"{_names(chosen)}在{period.label}没有“{total.name}”的分项数据")
    if any(row[-1] > 0 for row in rows):
        names.append("未分项")
    else:
        rows = [row[:-1] for row in rows]
    title = spec.title or f"{total.name}构成"
    subtitle = f"{'、'.join(categories)}　{period.label}{_unit_note(total)}"
    notes = []
    if spec.style == "pie" and len(categories) > 1:
        notes.append(f"饼图只画第一个单位（{categories[0]}）；比较多个单位请用堆积柱。")
    header = ("分项", *(f"{c}" for c in categories), *(("占比",) if len(categories) == 1 else ()))
    table_rows = []
    for index, name in enumerate([*names, "合计"]):
        cells = [
            format_number(sum(row) if name == "合计" else row[index], total.decimals)
            for row in rows
        ]
        if len(categories) == 1:
            whole = sum(rows[0])
            share = (
                (sum(rows[0]) if name == "合计" else rows[0][index]) / whole * 100 if whole else 0
            )
            cells.append(f"{format_number(share, 1)}%")
        table_rows.append((name, *cells))
    return CompositionData(
        caption=Caption(title, subtitle, tuple(notes)),
        table=Table(header, tuple(table_rows)),
        unit=total.unit,
        decimals=total.decimals,
        parts=tuple(names),
        categories=tuple(categories),
        values=tuple(tuple(row) for row in rows),
        style="pie" if spec.style == "pie" else "bar",
    )


def _yoy(ctx: _Context, spec: ChartSpec, period: Period) -> YoyData:
    unit = ctx.units(spec.units)[0]
    inds = [ctx.indicator(c) for c in spec.indicators] or [
        i for i in ctx.catalog if i.yoy != "none"
    ]
    last_period = period.same_period_last_year()
    found = series.figures(ctx.db, ctx.catalog, inds, [unit.id], [period, last_period])
    items: list[YoyItem] = []
    lacking: list[str] = []
    for ind in inds:
        now = found[(unit.id, period.code)].get(ind.id)
        before = found[(unit.id, last_period.code)].get(ind.id)
        change = year_on_year(ind, now, before)
        if now is None or before is None or change is None:
            if spec.indicators:
                lacking.append(ind.name)
            continue
        items.append(
            YoyItem(
                ind.name,
                ind.unit,
                before,
                now,
                display(ind, before),
                display(ind, now),
                change.text,
                change.verdict,
            )
        )
    if not items:
        raise ChartError(
            f"{unit.display_name}没有{period.label}与{last_period.label}都有数据的指标，无法比较同比"
        )
    notes = ["数量类指标同比按 %，比率类按个百分点；“向好”“变差”按指标的优劣方向判断。"]
    if lacking:
        notes.insert(0, f"缺少本期或去年同期数据，未列入：{'、'.join(lacking)}。")
    table = Table(
        ("指标", "单位", last_period.label, period.label, "同比"),
        tuple((i.name, i.unit, i.last_text, i.current_text, i.change_text) for i in items),
    )
    return YoyData(
        Caption(
            spec.title or "主要指标同比",
            f"{unit.display_name}　{period.label}与去年同期",
            tuple(notes),
        ),
        table,
        tuple(items),
        last_period.label,
        period.label,
    )


def describe(spec: ChartSpec, db: Database | None = None) -> str:
    """One line for a list of charts: 趋势｜PM2.5平均浓度｜逐年5年."""
    names = list(spec.indicators)
    if db is not None:
        catalog = {i.code: i.name for i in indicator_store.all_indicators(db)}
        names = [catalog.get(c, c) for c in spec.indicators]
    chosen = "、".join(names[:3]) + ("等" if len(names) > 3 else "") or "全部有数据的指标"
    parts = [CHART_TYPES[spec.type], chosen]
    if spec.type == "trend":
        parts.append(
            SPANS[spec.span] + (f"{spec.count}期" if spec.span != "ytd" and spec.count else "")
        )
    if spec.type == "composition":
        parts.append(STYLES[spec.style])
    if spec.type == "completion":
        parts.append(BY[spec.by])
    if spec.units:
        parts.append(f"{len(spec.units)}个单位")
    return "｜".join(p for p in parts if p)
