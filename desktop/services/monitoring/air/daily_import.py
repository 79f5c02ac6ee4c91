"""Air daily files into the store: the reader's values as a dry run, and the stored values back.

``dry_run_air_file`` turns what ``reader`` read into one preview row per value (errors
keep their sheet and cell); ``stored_records`` gives a unit's stored days back as the
``DailyConcentrations`` the AQI and period code works on, so figures computed from the store
equal figures computed from the file.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

from db import stations
from db.connection import Database
from db.samples import AIR, read_samples
from desktop.services.monitoring.air.aqi import DailyConcentrations
from desktop.services.monitoring.air.reader import UNITS, Severity, read_daily_file
from desktop.services.monitoring.sample_import import (
    MonitoringImport,
    Observation,
    dry_run_observations,
    error_item,
    judge_classes,
)


def area_station(unit_name: str) -> str:
    """The station name for a file with one row per day and no station column."""
    return f"{unit_name}（全区）"


def dry_run_air_file(db: Database, path: Path, unit_id: int, unit_name: str) -> MonitoringImport:
    """The dry run of a daily file for ``unit_id``; raises ``WorkbookError`` if unreadable."""
    result = read_daily_file(path)
    observations = [
        Observation(
            record.station or area_station(unit_name), record.day, measure, value,
            *result.cells[(record.station, record.day, measure)],
            label=f"{measure}（{UNITS[measure]}）",
        )
        for record in result.records
        for measure, value in record.values.items()
    ]  # fmt: skip
    errors = [
        error_item(path.name, p.sheet, p.cell, f"{p.column + '：' if p.column else ''}{p.message}")
        for p in result.problems
        if p.severity is Severity.ERROR
    ]
    warnings = [p.text for p in result.problems if p.severity is Severity.WARNING]
    warnings += _mixed_series(db, unit_id, unit_name, {o.station for o in observations})
    imp = dry_run_observations(db, AIR, unit_id, path.name, observations, errors, warnings)
    judge_classes(db, imp, result.classes)
    return imp


def _mixed_series(db: Database, unit_id: int, unit_name: str, incoming: set[str]) -> list[str]:
    """A warning when an area series (a file without stations) and station series would meet
    in one unit: the period figures average every stored station, so the area's daily means
    would count as one more station."""
    area = area_station(unit_name)
    stored = {s.name for s in stations.stations_of(db, unit_id, "air")}
    names = stored | incoming
    if area in names and len(names) > 1:
        others = "、".join(sorted(names - {area})[:5])
        return [
            f"警告：{unit_name}同时有全区日均值（{area}）和点位日均值（{others}），"
            "期间统计会把全区值当作一个点位参与平均；请只保留一种"
        ]
    return []


def stored_records(
    db: Database, unit_id: int, start: date | None = None, end: date | None = None
) -> list[DailyConcentrations]:
    """A unit's stored station-days between two days, by station then day."""
    known = {s.id: s.name for s in stations.stations_of(db, unit_id, "air")}
    by_day: dict[tuple[str, date], dict[str, Decimal]] = defaultdict(dict)
    for (station_id, day, measure), value in read_samples(db, AIR, list(known), start, end).items():
        by_day[(known[station_id], date.fromisoformat(day))][measure] = value
    return [
        DailyConcentrations(day, station, values, f"{station} {day}")
        for (station, day), values in sorted(by_day.items())
    ]
