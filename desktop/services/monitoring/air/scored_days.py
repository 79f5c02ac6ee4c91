"""A period's station-days scored in one array pass: the counts a period needs, and the
``DailyAqi`` records only for the days someone looks at.

``period.period_figures`` needs, per period, how many days were valid and good, the category
and 首要污染物 counts, which editions scored which days and which optional items were left out.
All of that comes from ``aqi_arrays`` (exact, equal to ``daily_aqi`` day by day). A page or a
report that shows the days reads ``ScoredDays``, a sequence that scores a day with the
reference ``daily_aqi`` when it is first read and keeps it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import overload

import numpy as np

from desktop.services.monitoring.air.aqi import DailyAqi, DailyConcentrations, score_record
from desktop.services.monitoring.air.aqi_arrays import score_rows
from desktop.services.monitoring.standards import AqiStandard, StandardsLibrary


class ScoredDays(Sequence[DailyAqi]):
    """The ``DailyAqi`` of each record, built on first access (records in day order)."""

    def __init__(self, records: Sequence[DailyConcentrations], standards: Sequence[AqiStandard]):
        self._records = records
        self._standards = standards
        self._built: dict[int, DailyAqi] = {}

    def __len__(self) -> int:
        return len(self._records)

    @overload
    def __getitem__(self, index: int) -> DailyAqi: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[DailyAqi]: ...

    def __getitem__(self, index: int | slice) -> DailyAqi | Sequence[DailyAqi]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        day = self._built.get(index)
        if day is None:
            day = score_record(self._records[index], self._standards[index])
            self._built[index] = day
        return day

    def __iter__(self) -> Iterator[DailyAqi]:
        for index in range(len(self)):
            yield self[index]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ScoredDays({len(self)} 天)"


@dataclass(frozen=True)
class DayTally:
    """What a period's figures need from its scored days."""

    valid: int
    good: int
    categories: Counter[str]
    primary: Counter[str]
    #: Valid days with a 首要污染物, and those where two or more pollutants tie (counted under
    #: each in ``primary``, so its total exceeds ``primary_days``).
    primary_days: int
    tie_days: int
    #: Days with data but a required item missing: AQI NA, not valid days.
    incomplete: tuple[date, ...]
    #: Edition → (first day, last day) it scored.
    spans: Mapping[str, tuple[date, date]]
    notes: tuple[str, ...]
    daily: ScoredDays


def score_days(
    records: Sequence[DailyConcentrations], library: StandardsLibrary, override: str | None
) -> DayTally:
    """Score ``records`` (in day order), each under the edition in force or ``override``."""
    standards = [library.air_for(r.day, override).aqi for r in records]
    groups: dict[str, list[int]] = defaultdict(list)
    for position, std in enumerate(standards):
        groups[std.edition].append(position)
    valid = good = primary_days = tie_days = 0
    incomplete: list[date] = []
    categories: Counter[str] = Counter()
    primary: Counter[str] = Counter()
    spans: dict[str, tuple[date, date]] = {}
    notes: list[str] = []
    for edition in sorted(groups):
        positions = groups[edition]
        std = standards[positions[0]]
        scored = score_rows([records[p].values for p in positions], std)
        counted = scored.valid
        valid += int(np.count_nonzero(counted))
        good += int(np.count_nonzero(scored.good))
        found, counts = np.unique(scored.category[counted], return_counts=True)
        for index, count in zip(found, counts, strict=True):
            categories[std.categories[int(index)].name] += int(count)
        leading = scored.primary() & counted
        leaders = leading.sum(axis=0)
        primary_days += int(np.count_nonzero(leaders))
        tie_days += int(np.count_nonzero(leaders > 1))
        incomplete += [records[positions[i]].day for i in np.flatnonzero(~counted)]
        for row, measure in enumerate(scored.measures):
            count = int(np.count_nonzero(leading[row]))
            if count:
                primary[std.items[std.daily_items[measure]].label] += count
        spans[edition] = (records[positions[0]].day, records[positions[-1]].day)
        notes += _optional_item_notes(std, scored.measures, scored.given)
    return DayTally(
        valid,
        good,
        categories,
        primary,
        primary_days,
        tie_days,
        tuple(sorted(incomplete)),
        spans,
        tuple(notes),
        ScoredDays(records, standards),
    )


def _optional_item_notes(
    std: AqiStandard, measures: Sequence[str], given: np.typing.NDArray[np.bool_]
) -> list[str]:
    """Daily items a standard lists but does not require, left out on some days (2012's O3 1 h).

    HJ 633-2012 5.1.2 scores seven daily items, the seventh being the O3 daily 1 h maximum;
    many files give only the 8 h value. The AQI is then computed from the other six, which is
    said here rather than hidden.
    """
    notes = []
    for row, measure in enumerate(measures):
        if measure in std.required:
            continue
        lacking = int(np.count_nonzero(~given[row]))
        if lacking:
            notes.append(
                f"{std.code} 日报含 {std.items[std.daily_items[measure]].label}，"
                f"有 {lacking} 天未提供该项，AQI 按其余项目计算"
            )
    return notes
