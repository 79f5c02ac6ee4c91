"""The national standards that air and water figures are computed by, loaded as versioned data.

Breakpoints, limits and rounding rules change with each edition of a standard (GB 3095-2026,
HJ 633-2026 and HJ 663-2026 replaced the 2012/2013 editions on 2026-03-01), and an office must
be able to recompute last year's data under this year's rules ("按新标准口径"). So no figure of a
standard lives in code: each edition is a JSON file under ``resources/standards/`` with its id,
title, effective dates and a note on the source it was checked against, and this module only
reads those files and chooses among them by the date of the data or by an explicit override.

An *edition* ("2012" or "2026") groups the three air standards that are used together: the AQI
rules (HJ 633), the concentration limits (GB 3095) and the evaluation rules (HJ 663).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from db.errors import KnownError
from resources import locate

#: Edition codes a user may choose ("按新标准口径重算" is ``NEW_EDITION``).
NEW_EDITION = "2026"
OLD_EDITION = "2012"


class StandardError(KnownError, ValueError):
    """A standard file is missing or malformed, or an unknown edition was asked for.

    The monitoring area's known error; still a ``ValueError`` for callers that catch that.
    """


# ---------------------------------------------------------------- numbers


def to_decimal(value: Decimal | float | int | str) -> Decimal:
    """The number as written: a float becomes the shortest decimal that prints as it.

    ``Decimal(0.15)`` would carry the binary error (0.1499999…) and round the wrong way under
    GB/T 8170; ``repr`` gives the digits the station published.
    """
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"“{value}”不是有限的数")
        result = Decimal(repr(value))
    else:
        result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"“{value}”不是有限的数")
    return result


def round_gbt8170(value: Decimal, decimals: int) -> Decimal:
    """Round once by GB/T 8170 (四舍六入五成双): an exact trailing 5 rounds to the even digit.

    A 5 followed by any non-zero digit rounds up, which ``ROUND_HALF_EVEN`` on the exact decimal
    does too; rounding the written value once (never in steps) is what the rule requires.
    """
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class Category:
    """One AQI band with its level, name and the colour of HJ 633 附录A."""

    low: int
    high: int | None
    level: str
    name: str
    colour: str
    rgb: tuple[int, int, int]

    @property
    def hex(self) -> str:
        return "#{:02X}{:02X}{:02X}".format(*self.rgb)


@dataclass(frozen=True)
class IndexItem:  # not slotted: ``ratios`` is cached on the instance
    """One column of the IAQI table: a pollutant at one averaging time."""

    id: str
    pollutant: str
    label: str
    unit: str
    averaging: str
    #: Breakpoint concentrations at each IAQI level; None where the table has "–".
    breakpoints: tuple[Decimal | None, ...]

    @cached_property
    def ratios(self) -> tuple[tuple[int, int] | None, ...]:
        """The breakpoints as exact (numerator, denominator) pairs, for integer arithmetic."""
        return tuple(None if b is None else b.as_integer_ratio() for b in self.breakpoints)


@dataclass(frozen=True)
class OverRule:
    """What the standard says to do when a concentration is above a cut-off (the 800 rules)."""

    item: str
    above: Decimal
    action: str  # "fixed": IAQI is ``iaqi``; "use_item": report the IAQI of item ``use``
    use: str | None
    iaqi: int | None
    source: str


@dataclass(frozen=True)
class Rounding:
    """GB/T 8170 rounding with decimals per pollutant (CO keeps one decimal)."""

    decimals: Mapping[str, int]
    default_decimals: int

    def places(self, pollutant: str) -> int:
        return self.decimals.get(pollutant, self.default_decimals)

    def apply(self, pollutant: str, value: Decimal) -> Decimal:
        return round_gbt8170(value, self.places(pollutant))


@dataclass(frozen=True)
class AqiStandard:
    """HJ 633: IAQI breakpoints, the daily items, rounding and the rules at the edges."""

    id: str
    code: str
    title: str
    edition: str
    effective_from: date
    effective_to: date | None
    source: str
    levels: tuple[int, ...]
    items: Mapping[str, IndexItem]
    #: Daily measure (SO2, …, O3_8h, O3_1h) → the table column it is scored on.
    daily_items: Mapping[str, str]
    required: tuple[str, ...]
    over_rules: Mapping[str, OverRule]
    cap_iaqi: int
    concentration_rounding: Rounding | None
    primary_above: int
    exceeding_above: int | None  # 超标污染物 (IAQI > 100): defined by 2012, deleted by 2026
    missing_rule: str  # "compute_from_rest" (2012) or "na_unless_over_100" (2026)
    missing_threshold: int
    good_max: int
    categories: tuple[Category, ...]

    def category(self, aqi: int) -> Category:
        for band in self.categories:
            if aqi <= (band.high if band.high is not None else aqi):
                return band
        raise StandardError(f"{self.code} 没有覆盖 AQI {aqi} 的类别")


LimitTable = Mapping[str, Mapping[str, Decimal]]  # pollutant → averaging ("annual", "24h") → limit


@dataclass(frozen=True)
class LimitStage:
    """A period in which one set of GB 3095 limits applies (2026 has a transition stage)."""

    name: str
    start: date
    end: date | None
    classes: Mapping[str, LimitTable]  # "class1", "class2"


@dataclass(frozen=True)
class Validity:
    """GB 3095 表4: how many daily values make a month or a year statistically valid."""

    annual_min_days: int
    month_min_days: int
    february_min_days: int
    daily_min_hours: int
    eight_hour_min_hours: int

    def month_minimum(self, month: int) -> int:
        return self.february_min_days if month == 2 else self.month_min_days


@dataclass(frozen=True)
class LimitsStandard:
    id: str
    code: str
    title: str
    edition: str
    effective_from: date
    effective_to: date | None
    source: str
    units: Mapping[str, str]
    stages: tuple[LimitStage, ...]
    validity: Validity

    def stage_for(self, day: date) -> LimitStage:
        """The stage in force on ``day``; before the first stage (a recomputation of older data
        under this edition) the first stage applies."""
        chosen = self.stages[0]
        for stage in self.stages:
            if stage.start <= day:
                chosen = stage
        return chosen


@dataclass(frozen=True)
class EvaluationStandard:
    """HJ 663: which percentile each pollutant is judged by, and how results are rounded."""

    id: str
    code: str
    title: str
    edition: str
    effective_from: date
    effective_to: date | None
    source: str
    percentiles: Mapping[str, int]
    result_rounding: Rounding
    rate_decimals: int


@dataclass(frozen=True)
class AirStandards:
    """The three air standards of one edition, used together."""

    edition: str
    aqi: AqiStandard
    limits: LimitsStandard
    evaluation: EvaluationStandard

    @property
    def label(self) -> str:
        """新/旧标准 with the code, as every computed figure is labelled."""
        kind = "新标准" if self.edition == NEW_EDITION else "旧标准"
        return f"{kind}（{self.aqi.code}）"


@dataclass(frozen=True)
class WaterItem:
    id: str
    label: str
    unit: str
    kind: str  # "max" (≤ limit), "min" (≥ limit, DO), "range" (pH), "none" (water temperature)
    limits: tuple[Any, ...]  # per class Ⅰ..Ⅴ: Decimal, or (low, high) for "range"
    lake_limits: tuple[Any, ...] | None


@dataclass(frozen=True)
class WaterStandard:
    id: str
    code: str
    title: str
    effective_from: date
    source: str
    classes: tuple[str, ...]
    worse_than_last: str
    good_class_max: int
    excluded: frozenset[str]
    main_worse_than: int
    main_count: int
    items: Mapping[str, WaterItem]


# ---------------------------------------------------------------- loading


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _dec(value: Any) -> Decimal | None:
    return None if value is None else to_decimal(value)


def _rounding(raw: Mapping[str, Any] | None) -> Rounding | None:
    if raw is None:
        return None
    return Rounding(dict(raw.get("decimals", {})), int(raw.get("default_decimals", 0)))


def _rgb(values: list[int]) -> tuple[int, int, int]:
    red, green, blue = (int(v) for v in values)
    return red, green, blue


def _aqi(raw: Mapping[str, Any]) -> AqiStandard:
    items = {
        key: IndexItem(
            key,
            it["pollutant"],
            it["label"],
            it["unit"],
            it["averaging"],
            tuple(_dec(b) for b in it["breakpoints"]),
        )
        for key, it in raw["items"].items()
    }
    levels = tuple(int(v) for v in raw["iaqi_levels"])
    for item in items.values():
        if len(item.breakpoints) != len(levels):
            raise StandardError(f"{raw['id']}：{item.id} 的浓度限值个数与分指数级数不符")
    rules = {
        r["item"]: OverRule(
            r["item"],
            to_decimal(r["above"]),
            r["action"],
            r.get("use"),
            r.get("iaqi"),
            r.get("source", ""),
        )
        for r in raw["over_rules"]
    }
    categories = tuple(
        Category(c["min"], c["max"], c["level"], c["name"], c["colour"], _rgb(c["rgb"]))
        for c in raw["categories"]
    )
    missing = raw["missing_items"]
    return AqiStandard(
        **_edition_fields(raw),
        levels=levels,
        items=items,
        daily_items=dict(raw["daily"]["items"]),
        required=tuple(raw["daily"]["required"]),
        over_rules=rules,
        cap_iaqi=int(raw["above_table"]["iaqi"]),
        concentration_rounding=_rounding(raw.get("concentration_rounding")),
        primary_above=int(raw["primary_pollutant_above"]),
        exceeding_above=raw.get("exceeding_pollutant_above"),
        missing_rule=missing["rule"],
        missing_threshold=int(missing.get("threshold", raw["good_max"])),
        good_max=int(raw["good_max"]),
        categories=categories,
    )


def _edition_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    """What every edition file states about itself: id, code, title, edition, validity, source."""
    return {
        "id": raw["id"],
        "code": raw["code"],
        "title": raw["title"],
        "edition": raw["edition"],
        "effective_from": date.fromisoformat(raw["effective_from"]),
        "effective_to": _day(raw.get("effective_to")),
        "source": raw["source"],
    }


def _limit_table(raw: Mapping[str, Mapping[str, Any]]) -> LimitTable:
    return {p: {k: to_decimal(v) for k, v in avg.items()} for p, avg in raw.items()}


def _limits(raw: Mapping[str, Any]) -> LimitsStandard:
    stages = tuple(
        LimitStage(
            s["name"],
            date.fromisoformat(s["from"]),
            _day(s.get("to")),
            {k: _limit_table(s[k]) for k in ("class1", "class2")},
        )
        for s in raw["stages"]
    )
    v = raw["validity"]
    return LimitsStandard(
        **_edition_fields(raw),
        units=dict(raw["units"]),
        stages=stages,
        validity=Validity(
            v["annual_min_days"],
            v["month_min_days"],
            v["february_min_days"],
            v["daily_min_hours"],
            v["eight_hour_min_hours"],
        ),
    )


def _evaluation(raw: Mapping[str, Any]) -> EvaluationStandard:
    rounding = _rounding(raw["result_rounding"])
    assert rounding is not None
    return EvaluationStandard(
        **_edition_fields(raw),
        percentiles={k: int(v) for k, v in raw["percentiles"].items()},
        result_rounding=rounding,
        rate_decimals=int(raw["result_rounding"].get("rate_decimals", 1)),
    )


def _water_limits(kind: str, values: list[Any] | None) -> tuple[Any, ...] | None:
    if values is None:
        return None
    if kind == "range":
        return tuple((to_decimal(lo), to_decimal(hi)) for lo, hi in values)
    return tuple(to_decimal(v) for v in values)


def _water(raw: Mapping[str, Any]) -> WaterStandard:
    items = {}
    for key, it in raw["items"].items():
        limits = _water_limits(it["kind"], it["limits"]) or ()
        items[key] = WaterItem(
            key,
            it["label"],
            it["unit"],
            it["kind"],
            limits,
            _water_limits(it["kind"], it.get("lake_limits")),
        )
    main = raw["main_pollutants"]
    return WaterStandard(
        id=raw["id"],
        code=raw["code"],
        title=raw["title"],
        effective_from=date.fromisoformat(raw["effective_from"]),
        source=raw["source"],
        classes=tuple(raw["classes"]),
        worse_than_last=raw["worse_than_last"],
        good_class_max=int(raw["good_class_max"]),
        excluded=frozenset(raw["excluded_from_class"]),
        main_worse_than=int(main["worse_than"]),
        main_count=int(main["count"]),
        items=items,
    )


@dataclass(frozen=True)
class StandardsLibrary:
    """Every standard file found, by kind and edition."""

    aqi: Mapping[str, AqiStandard]  # edition → standard
    limits: Mapping[str, LimitsStandard]
    evaluation: Mapping[str, EvaluationStandard]
    water: WaterStandard

    @property
    def editions(self) -> tuple[str, ...]:
        """Air editions, oldest first."""
        return tuple(sorted(self.aqi, key=lambda e: self.aqi[e].effective_from))

    def edition(self, edition: str) -> AirStandards:
        if edition not in self.aqi or edition not in self.limits or edition not in self.evaluation:
            known = "、".join(self.editions)
            raise StandardError(f"没有 {edition} 版的空气质量标准（可选：{known}）")
        return AirStandards(
            edition, self.aqi[edition], self.limits[edition], self.evaluation[edition]
        )

    def edition_for(self, day: date) -> str:
        """The edition in force on ``day``; days before the oldest edition use the oldest."""
        chosen = self.editions[0]
        for edition in self.editions:
            if self.aqi[edition].effective_from <= day:
                chosen = edition
        return chosen

    def air_for(self, day: date, override: str | None = None) -> AirStandards:
        """The air standards for data of ``day``, or of ``override`` ("按新标准口径重算")."""
        return self.edition(override or self.edition_for(day))


def load_library(folder: Path | None = None) -> StandardsLibrary:
    """Read every ``*.json`` standard in ``folder`` (default: the shipped ones)."""
    if folder is None:
        return _shipped()
    return _load(folder)


@cache
def _shipped() -> StandardsLibrary:
    return _load(locate("standards"))


def _load(folder: Path) -> StandardsLibrary:
    aqi: dict[str, AqiStandard] = {}
    limits: dict[str, LimitsStandard] = {}
    evaluation: dict[str, EvaluationStandard] = {}
    water: WaterStandard | None = None
    files = sorted(folder.glob("*.json"))
    if not files:
        raise StandardError(f"“{folder}”中没有标准文件")
    for path in files:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            kind = raw["kind"]
            if kind == "aqi":
                aqi[raw["edition"]] = _aqi(raw)
            elif kind == "limits":
                limits[raw["edition"]] = _limits(raw)
            elif kind == "evaluation":
                evaluation[raw["edition"]] = _evaluation(raw)
            elif kind == "water":
                water = _water(raw)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise StandardError(f"标准文件“{path.name}”无法读取：{exc}") from exc
    if water is None or not aqi:
        raise StandardError(f"“{folder}”中缺少空气或地表水标准文件")
    return StandardsLibrary(aqi, limits, evaluation, water)
