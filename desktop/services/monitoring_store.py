"""Air figures from daily monitoring data into the indicator store.

``figures_for_period`` computes a reporting period's figures from the daily records read by
``monitoring_reader`` (several stations are averaged into the area's daily values first, as
HJ 663 does); ``write_period_figures`` writes ``air_period.indicator_values`` for one unit and
period in one audited transaction, each value's note naming the standard it was computed
under ("按HJ 633—2026计算"). A locked (已报送) period is refused by the store itself.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date

from db import indicators
from db.connection import Database
from db.errors import PeriodLocked, StorageError
from db.periods import Period
from db.values import ValueWrite, write_values
from desktop.services.air_period import (
    PeriodFigures,
    area_daily,
    indicator_values,
    period_figures,
)
from desktop.services.aqi import DailyConcentrations
from desktop.services.standards import StandardsLibrary, load_library


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
    values = indicator_values(fig)
    if not values:
        raise StorageError("该期间没有有效的监测数据，没有可写入的指标")
    note = standard_note(fig, library)
    writes = [
        ValueWrite(unit_id, period.code, indicators.indicator_by_code(db, code).id, float(v), note)
        for code, v in values.items()
    ]
    try:
        with db.audit_source(f"监测数据 {source}"):
            return write_values(db, writes)
    except PeriodLocked as exc:
        raise PeriodLocked(f"{period.label}已报送（已锁定），不能写入监测数据；请先解锁") from exc
