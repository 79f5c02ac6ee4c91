"""A period's class of each water section and the share of sections at Ⅲ类 or better.

The period value of an item at a section is the arithmetic mean of its samples in the period,
then the section is classed by GB 3838-2002's single-factor rule (``classify_section``) and the
share of sections at Ⅲ or better is taken (``good_share``). This is the method of
《地表水环境质量评价办法（试行）》（环办〔2011〕22号）一（二）数据统计: a month may be judged on one
sample and "有多次监测数据时，应采用多次监测结果的算术平均值进行评价"; quarters and years are the
arithmetic mean of their samples as well (checked against secondary copies of the text only).
Values below the detection limit were already entered at half the limit by the reader
(环办监测函〔2020〕82号). Means are kept exact, not rounded, before they are classed: neither text
seen says to round them, and rounding could move a mean across a limit.

``write_good_share`` puts the share into the indicator store as ``water_section_good_rate``
for (unit, period), its note naming the standard; a locked (已报送) period is refused.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from db import indicators, locks, stations
from db.connection import Database
from db.errors import PeriodLocked, StorageError
from db.numbers import CLASS_NAMES
from db.periods import Period
from db.samples import WATER, decimal_text, read_samples
from db.stations import CITY_AND_ABOVE
from db.values import ValueWrite, write_values
from desktop.services.monitoring.sample_import import Observation
from desktop.services.monitoring.standards import StandardsLibrary, load_library, round_gbt8170
from desktop.services.monitoring.water.classes import (
    GoodShare,
    SectionClass,
    WaterBody,
    classify_section,
    good_share,
)

INDICATOR = "water_section_good_rate"
COMPLIANCE = "water_section_compliance"  # 断面水质达标率, against each section's target


@dataclass(frozen=True)
class Sample:
    """One measured value of a section on a sampling day."""

    section: str
    body: str  # "河流" / "湖库"
    day: date
    item: str
    value: Decimal


@dataclass(frozen=True)
class SectionPeriod:
    """A section over the period: how often it was sampled, its item means and its class."""

    section: str
    body: WaterBody
    sample_days: int
    means: dict[str, Decimal]
    counts: dict[str, int]  # item → samples averaged
    result: SectionClass
    control_level: str = ""  # 国控 / 省控 / 市控 / 县控, "" when not set
    target_class: int | None = None  # 水质目标 (1-5)

    @property
    def meets_target(self) -> bool | None:
        """达标: the period class at or better than the section's target; None if not judged."""
        if self.target_class is None or self.result.class_index is None:
            return None
        return self.result.class_index <= self.target_class

    @property
    def class_name(self) -> str:
        return self.result.class_name

    @property
    def main_pollutants(self) -> str:
        return "、".join(self.result.main_pollutants) or "—"


@dataclass(frozen=True)
class TargetRate:
    """断面达标率: sections whose class meets their own target class, over sections judged."""

    met: int
    judged: int
    rate: Decimal | None  # percent, one decimal
    failing: tuple[str, ...]  # "城南桥（Ⅳ类，目标Ⅲ类）"
    unset: int  # sections with a class but no target class: not judged

    @property
    def text(self) -> str:
        if self.rate is None:
            return "断面达标率 —（未设水质目标）" if self.unset else "断面达标率 —"
        text = f"断面达标率 {self.rate}%（{self.met}/{self.judged}）"
        if self.unset:
            text += f"，{self.unset} 个断面未设水质目标未计"
        return text


@dataclass(frozen=True)
class WaterPeriod:
    start: date | None
    end: date | None
    sections: tuple[SectionPeriod, ...]
    #: The share written as 市控断面Ⅲ类及以上比例: over 市控以上 sections (国控/省控/市控) when
    #: any section has a control level, else over all sections (``by_level`` False).
    share: GoodShare
    standard_code: str  # "GB 3838—2002"
    by_level: bool = False
    all_share: GoodShare | None = None  # every section, whatever its level
    target: TargetRate | None = None

    @property
    def share_line(self) -> str:
        """ "市控以上断面Ⅲ类及以上 3/4，比例 75.0%" as the page and the CLI print it."""
        rate = "—" if self.share.rate is None else f"{self.share.rate}%"
        who = "市控以上断面Ⅲ类及以上" if self.by_level else "Ⅲ类及以上断面"
        line = f"{who} {self.share.good}/{self.share.evaluated}，比例 {rate}"
        if not self.by_level and self.sections:
            line += "（未设控制级别，按全部断面计）"
        return line


def target_rate(sections: Sequence[SectionPeriod]) -> TargetRate:
    """断面达标率 against each section's own target class (not a blanket Ⅲ类)."""
    judged = [s for s in sections if s.meets_target is not None]
    met = [s for s in judged if s.meets_target]
    rate = None
    if judged:
        rate = round_gbt8170(Decimal(len(met) * 100) / Decimal(len(judged)), 1)
    failing = tuple(
        f"{s.section}（{s.class_name}，目标{CLASS_NAMES[s.target_class]}）"
        for s in judged
        if not s.meets_target and s.target_class is not None
    )
    unset = sum(1 for s in sections if s.result.class_index is not None and s.target_class is None)
    return TargetRate(len(met), len(judged), rate, failing, unset)


def period_span(period: Period) -> tuple[date, date]:
    """First and last calendar day of ``period``."""
    months = period.months()
    last = calendar.monthrange(period.year, months[-1])[1]
    return date(period.year, months[0], 1), date(period.year, months[-1], last)


def mean_text(item: str, value: Decimal, library: StandardsLibrary | None = None) -> str:
    """A mean for display, GB/T 8170: three decimals, or one finer than the item's finest limit
    (Hg 0.00005 → six), enough to read it against the limits; the class uses the exact mean."""
    spec = (library or load_library()).water.items.get(item)
    places = 3
    for limit in spec.limits if spec else ():
        for bound in limit if isinstance(limit, tuple) else (limit,):
            places = max(places, -bound.normalize().as_tuple().exponent + 1)
    return decimal_text(round_gbt8170(value, places))


def evaluate(
    samples: Iterable[Sample],
    start: date | None = None,
    end: date | None = None,
    library: StandardsLibrary | None = None,
    classification: Mapping[str, tuple[str, int | None]] | None = None,
) -> WaterPeriod:
    """Each section's means, class and main pollutants, and the shares, for samples between
    ``start`` and ``end`` (inclusive; None: no bound). ``classification`` maps a section to its
    (控制级别, target class) as the store holds them."""
    classification = classification or {}
    library = library or load_library()
    by_section: dict[str, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    days: dict[str, set[date]] = defaultdict(set)
    bodies: dict[str, str] = {}
    for s in samples:
        if (start is not None and s.day < start) or (end is not None and s.day > end):
            continue
        by_section[s.section][s.item].append(s.value)
        days[s.section].add(s.day)
        bodies.setdefault(s.section, s.body)
    rows = []
    for section in sorted(by_section):
        values = by_section[section]
        means = {item: sum(v, Decimal(0)) / len(v) for item, v in values.items()}
        body = WaterBody(bodies[section]) if bodies[section] else WaterBody.RIVER
        result = classify_section(section, dict(means), body, library)
        counts = {item: len(v) for item, v in values.items()}
        level, target = classification.get(section, ("", None))
        rows.append(
            SectionPeriod(section, body, len(days[section]), means, counts, result, level, target)
        )
    everything = good_share((r.result for r in rows), library)
    controlled = [r for r in rows if r.control_level in CITY_AND_ABOVE]
    by_level = any(r.control_level for r in rows)
    share = good_share((r.result for r in controlled), library) if by_level else everything
    return WaterPeriod(
        start,
        end,
        tuple(rows),
        share,
        library.water.code,
        by_level=by_level,
        all_share=everything,
        target=target_rate(rows),
    )


def samples_of(observations: Iterable[Observation]) -> list[Sample]:
    """What a reader read, as samples (for figures straight from a file)."""
    return [Sample(o.station, o.water_body, o.day, o.item, o.value) for o in observations]


def stored_samples(
    db: Database, unit_id: int, start: date | None = None, end: date | None = None
) -> list[Sample]:
    """A unit's stored section samples between two days."""
    known = {s.id: s for s in stations.stations_of(db, unit_id, "water")}
    return [
        Sample(known[sid].name, known[sid].water_body, date.fromisoformat(day), item, value)
        for (sid, day, item), value in read_samples(db, WATER, list(known), start, end).items()
    ]


def section_period(
    db: Database, unit_id: int, period: Period, library: StandardsLibrary | None = None
) -> WaterPeriod:
    """The per-section table and the share of ``period`` from the unit's stored samples."""
    start, end = period_span(period)
    known = {
        s.name: (s.control_level, s.target_class)
        for s in stations.stations_of(db, unit_id, "water")
    }
    return evaluate(stored_samples(db, unit_id, start, end), start, end, library, known)


def share_note(result: WaterPeriod) -> str:
    """ "按GB 3838—2002评价，Ⅲ类及以上断面 3/4" — the value's note in the store."""
    who = "市控以上断面" if result.by_level else "全部断面（未设控制级别）"
    return (
        f"按{result.standard_code}评价，{who}中Ⅲ类及以上 "
        f"{result.share.good}/{result.share.evaluated}"
    )


def write_good_share(
    db: Database, unit_id: int, period: Period, result: WaterPeriod, source: str
) -> Decimal:
    """Write the share for (unit, period) in one audited transaction; return it.

    When sections have target classes the 断面水质达标率 (``water_section_compliance``) is
    written in the same transaction. Raises ``StorageError`` (in Chinese) when no section could
    be classed or the period is locked; nothing is written then.
    """
    rate = result.share.rate
    if rate is None:
        if result.by_level and result.sections:
            raise StorageError(
                f"{period.label}没有市控以上断面的监测数据，没有可写入的比例",
                hint="在“点位与断面…”中设置各断面的控制级别（国控/省控/市控/县控）",
            )
        raise StorageError(f"{period.label}没有可评价的断面监测数据，没有可写入的比例")
    indicator = indicators.indicator_by_code(db, INDICATOR)
    writes = [ValueWrite(unit_id, period.code, indicator.id, float(rate), share_note(result))]
    target = result.target
    if target is not None and target.rate is not None:
        compliance = indicators.indicator_by_code(db, COMPLIANCE)
        note = f"按{result.standard_code}及各断面水质目标评价，达标 {target.met}/{target.judged}"
        writes.append(ValueWrite(unit_id, period.code, compliance.id, float(target.rate), note))
    try:
        with db.audit_source(f"地表水监测数据 {source}"):
            write_values(db, writes)
    except PeriodLocked as exc:
        frozen = locks.freezing_value(db, unit_id, period.code) or period
        words = locks.frozen_words(frozen, period.code)
        raise PeriodLocked(f"{words}，不能写入断面水质比例") from exc
    return rate


#: The columns ``sections_table`` gives before the items' means (the CLI's header; the page's
#: model breaks the last one over two lines).
SECTION_COLUMNS = (
    "断面",
    "水体",
    "控制级别",
    "样品数",
    "水质类别",
    "水质目标",
    "主要污染指标（超标倍数）",
)


def sections_table(result: WaterPeriod, items: Sequence[str]) -> list[list[str]]:
    """Rows of 断面 / 水体 / 控制级别 / 样品数 / 类别 / 水质目标 / 主要污染指标 / item means."""
    rows = []
    for s in result.sections:
        means = [mean_text(i, s.means[i]) if i in s.means else "—" for i in items]
        target = "—" if s.target_class is None else CLASS_NAMES[s.target_class]
        rows.append(
            [
                s.section,
                s.body.value,
                s.control_level or "—",
                str(s.sample_days),
                s.class_name,
                target,
                s.main_pollutants,
                *means,
            ]
        )
    return rows


def items_present(result: WaterPeriod, library: StandardsLibrary | None = None) -> list[str]:
    """The items any section has a mean for, in the standard's order (表1)."""
    found = {item for s in result.sections for item in s.means}
    order = list((library or load_library()).water.items)
    return sorted(found, key=lambda i: (order.index(i) if i in order else len(order), i))
