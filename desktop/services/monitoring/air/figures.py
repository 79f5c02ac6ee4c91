"""Air figures from daily monitoring data into the indicator store.

``figures_for_period`` computes a reporting period's figures from the daily records read by
``reader`` (several stations are averaged into the area's daily values first, as
HJ 663 does); ``write_period_figures`` writes ``period.indicator_values`` for one unit and
period in one audited transaction, each value's note naming the standard it was computed
under ("按HJ 633—2026计算"). ``write_monthly_figures`` writes every month of a period as well,
so the charts have a monthly series to draw. A locked (已报送) period is refused by the store
itself, and then nothing is written.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date

from db import indicators, locks
from db.connection import Database
from db.errors import PeriodLocked, StorageError
from db.periods import Period, PeriodKind
from db.values import ValueWrite, write_values
from desktop.services.monitoring.air.aqi import DailyConcentrations
from desktop.services.monitoring.air.period import (
    PeriodFigures,
    area_daily,
    indicator_values,
    period_figures,
)
from desktop.services.monitoring.standards import StandardsLibrary, load_library


def period_span(period: Period) -> tuple[date, date]:
    """First and last calendar day of ``period``."""
    months = period.months()
    last = calendar.monthrange(period.year, months[-1])[1]
    return date(period.year, months[0], 1), date(period.year, months[-1], last)


def area_records(records: Sequence[DailyConcentrations]) -> list[DailyConcentrations]:
    """One series of daily values: the records as they are for one station, else the mean."""
    if len({r.station for r in records}) <= 1:
        return list(records)
    return area_daily(records)


def figures_for_period(
    records: Sequence[DailyConcentrations],
    period: Period,
    edition: str | None,
    library: StandardsLibrary | None = None,
) -> PeriodFigures:
    """The period's figures with every day scored under ``edition`` (None: by date)."""
    start, end = period_span(period)
    return period_figures(area_records(records), start, end, override=edition, library=library)


def standard_note(fig: PeriodFigures, library: StandardsLibrary | None = None) -> str:
    """ "按HJ 633—2026计算", or the figures' basis when the days were scored by date."""
    if fig.override is not None:
        library = library or load_library()
        return f"按{library.edition(fig.override).aqi.code}计算"
    return f"按{fig.basis}计算"


def write_period_figures(
    db: Database,
    unit_id: int,
    period: Period,
    fig: PeriodFigures,
    source: str,
    library: StandardsLibrary | None = None,
) -> int:
    """Write the figures to the store for (unit, period) in one transaction; return the count.

    Raises ``StorageError`` (in Chinese) when the period is locked, or when there is nothing to
    write; nothing is written then.
    """
    writes = _writes(db, unit_id, period, fig, library)
    if not writes:
        raise StorageError("该期间没有有效的监测数据，没有可写入的指标")
    return _write(db, writes, source)


def write_monthly_figures(
    db: Database,
    unit_id: int,
    records: Sequence[DailyConcentrations],
    period: Period,
    edition: str | None,
    source: str,
    library: StandardsLibrary | None = None,
) -> list[Period]:
    """Figures of each month of ``period`` that has data, and of ``period`` itself, in one
    transaction; returns the periods written. Refused whole when any of them is locked."""
    months = [Period.month(period.year, m) for m in period.months()]
    periods = months if period.kind is PeriodKind.MONTH else [*months, period]
    writes: list[ValueWrite] = []
    written: list[Period] = []
    for each in periods:
        found = _writes(db, unit_id, each, figures_for_period(records, each, edition, library))
        if found:
            writes += found
            written.append(each)
    if not writes:
        raise StorageError("该期间没有有效的监测数据，没有可写入的指标")
    _write(db, writes, source)
    return written


def _writes(
    db: Database,
    unit_id: int,
    period: Period,
    fig: PeriodFigures,
    library: StandardsLibrary | None = None,
) -> list[ValueWrite]:
    note = standard_note(fig, library)
    return [
        ValueWrite(unit_id, period.code, indicators.indicator_by_code(db, code).id, float(v), note)
        for code, v in indicator_values(fig).items()
    ]


def _write(db: Database, writes: list[ValueWrite], source: str) -> int:
    try:
        with db.audit_source(f"监测数据 {source}"):
            return write_values(db, writes)
    except PeriodLocked as exc:
        unit = writes[0].unit_id
        reasons = []  # each period refused, naming the submitted period that froze it
        for code in sorted({w.period for w in writes}):
            frozen = locks.freezing_value(db, unit, code)
            if frozen is not None:
                reasons.append(locks.frozen_words(frozen, code))
        names = "；".join(dict.fromkeys(reasons)) or "该期间已报送（已锁定）"
        raise PeriodLocked(f"{names}，不能写入监测数据") from exc
