"""The demo's sample monitoring year (示例数据): daily air data and monthly section samples.

So that every table and figure of 监测数据 can be tried on first start, the demo's own unit
gets a year of invented data: two air stations and three surface water sections, every name
marked "示例" and the year's figures never written to the indicator store, so nothing here is
claimed as any real station's measurement. The numbers are drawn from a seeded generator
(the same file every time) with the shapes a coastal district shows: PM high in winter and low
in summer, O3 the other way round, a shared regional day-to-day swing with some persistence,
PM10 above PM2.5; a few days with PM lost (to show AQI NA); a river section that slips to Ⅳ
类 in the summer rains; a lake whose TP sits near its Ⅲ limit.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal

from db import stations
from db.connection import Database
from db.samples import AIR, WATER, SampleKey, write_samples

SAMPLE_YEAR = 2022
SEED = 20221031
AIR_STATIONS = ("示例点位甲（示例数据）", "示例点位乙（示例数据）")
#: name, body, 控制级别, target class, how polluted (1 = clean)
SECTIONS = (
    ("示例断面一（示例数据）", "河流", "国控", 2, 0.8),
    ("示例断面二（示例数据）", "河流", "市控", 3, 1.25),
    ("示例湖库三（示例数据）", "湖库", "县控", 3, 1.0),
)
#: Days whose PM readings are lost at the first station (AQI NA unless the rest exceed 100).
LOST_PM_DAYS = (date(SAMPLE_YEAR, 3, 14), date(SAMPLE_YEAR, 7, 2), date(SAMPLE_YEAR, 11, 20))


def _season(day: date) -> float:
    """1 in mid-January, -1 in mid-July."""
    return math.cos(2 * math.pi * (day.timetuple().tm_yday - 15) / 365)


def _d(value: float, places: int = 0) -> Decimal:
    return Decimal(str(round(max(value, 0.0), places))) if places else Decimal(max(round(value), 1))


def air_days(seed: int = SEED) -> dict[str, dict[date, dict[str, Decimal]]]:
    """Station → day → measure → value for the sample year (μg/m³, CO mg/m³)."""
    rng = random.Random(seed)
    regional = 0.0
    days = [date(SAMPLE_YEAR, 1, 1) + timedelta(n) for n in range(365)]
    shared: list[tuple[float, float]] = []
    for _ in days:  # one regional swing for both stations: weather moves them together
        regional = 0.65 * regional + rng.gauss(0, 0.35)
        shared.append((regional, rng.gauss(0, 0.25)))
    result: dict[str, dict[date, dict[str, Decimal]]] = {}
    for n, name in enumerate(AIR_STATIONS):
        local = random.Random(seed + n + 1)
        level = 1.0 + 0.12 * n  # the second station sits by a road
        station: dict[date, dict[str, Decimal]] = {}
        for day, (swing, ozone_swing) in zip(days, shared, strict=True):
            season = _season(day)
            pm25 = 21 * level * (1 + 0.55 * season) * math.exp(swing + local.gauss(0, 0.15))
            pm10 = pm25 * (1.45 + 0.25 * local.random()) + 5
            o3 = 95 * (1 - 0.35 * season) * math.exp(ozone_swing + local.gauss(0, 0.1))
            no2 = 22 * level * (1 + 0.35 * season) * math.exp(0.5 * swing + local.gauss(0, 0.2))
            so2 = 6 + 2 * season + local.gauss(0, 1)
            co = 0.6 * (1 + 0.3 * season) * math.exp(0.4 * swing + local.gauss(0, 0.1))
            values = {
                "SO2": _d(so2),
                "NO2": _d(no2),
                "CO": _d(co, 1) if co >= 0.1 else Decimal("0.1"),
                "O3_8h": _d(o3),
                "PM10": _d(pm10),
                "PM2.5": _d(pm25),
            }
            if n == 0 and day in LOST_PM_DAYS:
                del values["PM10"], values["PM2.5"]
            station[day] = values
        result[name] = station
    return result


def water_samples(seed: int = SEED) -> dict[str, dict[date, dict[str, Decimal]]]:
    """Section → sampling day (the 10th of each month) → item → value (mg/L)."""
    rng = random.Random(seed + 100)
    result: dict[str, dict[date, dict[str, Decimal]]] = {}
    for name, body, _, _, dirt in SECTIONS:
        samples: dict[date, dict[str, Decimal]] = {}
        for month in range(1, 13):
            day = date(SAMPLE_YEAR, month, 10)
            rain = 1.35 if month in (6, 7, 8) else 1.0  # summer run-off
            k = dirt * rain * math.exp(rng.gauss(0, 0.12))
            do = 8.6 - 2.0 * (month in (6, 7, 8, 9)) - 1.2 * (dirt - 0.8) + rng.gauss(0, 0.3)
            values = {
                "pH": _d(7.4 + rng.gauss(0, 0.2), 2),
                "DO": _d(do, 2),
                "CODMn": _d(2.9 * k, 2),
                "COD": _d(12.5 * k, 1),
                "BOD5": _d(2.3 * k, 2),
                "NH3-N": _d(0.45 * k * k, 3),
                "TP": _d((0.038 if body == "湖库" else 0.09) * k, 3),
                "TN": _d(1.1 * k, 2),
            }
            samples[day] = values
        result[name] = samples
    return result


def load_demo_monitoring(db: Database, unit_id: int) -> None:
    """Write the sample year for ``unit_id``; called inside the demo's transaction."""
    rows: list[tuple[SampleKey, Decimal | None]] = []
    for name, days in air_days().items():
        station = stations.ensure_station(db, unit_id, "air", name)
        stations.classify_station(db, station.id, "国控" if name == AIR_STATIONS[0] else "市控")
        rows += [
            ((station.id, d.isoformat(), m), v) for d, vs in days.items() for m, v in vs.items()
        ]
    write_samples(db, AIR, rows)
    rows = []
    levels = {name: (level, target) for name, _, level, target, _ in SECTIONS}
    bodies = {name: body for name, body, *_ in SECTIONS}
    for name, days in water_samples().items():
        section = stations.ensure_station(db, unit_id, "water", name, bodies[name])
        stations.classify_station(db, section.id, *levels[name])
        rows += [
            ((section.id, d.isoformat(), i), v) for d, vs in days.items() for i, v in vs.items()
        ]
    write_samples(db, WATER, rows)
