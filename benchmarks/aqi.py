"""A year of daily AQI for 50 stations (18,250 station-days) vs a plain numpy vectorised pass.

Both start from the same float arrays (one per pollutant, stations × days). The baseline is what
a quick script would do: ``np.interp`` over each breakpoint column, ``np.ceil``, the row maximum;
no GB/T 8170 rounding, no over-800 rules, no category or 首要污染物, and float arithmetic that
can round a value sitting on a breakpoint one point too high. EcoDesk's path is
``daily_aqi`` per station-day: exact decimals, GB/T 8170 rounding (2026), integer IAQI
arithmetic, the rules above 800, category, colour and 首要污染物, one result object per day.
It prints the ratio EcoDesk / numpy for each edition and how many days the two disagree on.

Run: ``python benchmarks/aqi.py [--stations 50] [--days 365] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.services.monitoring.air.aqi import daily_aqi
from desktop.services.monitoring.standards import AqiStandard, load_library

MEASURES = ("SO2", "NO2", "CO", "PM10", "PM2.5", "O3_8h")


def arrays(stations: int, days: int) -> dict[str, NDArray[np.float64]]:
    """Plausible daily values with one decimal as stations publish them (CO two)."""
    rng = np.random.default_rng(2026)
    shape = (stations, days)
    season = 1 + 0.5 * np.cos(np.arange(days) * 2 * np.pi / 365)
    pm25 = np.round(rng.gamma(2.0, 18.0, shape) * season, 1)
    return {
        "SO2": np.round(rng.gamma(2.0, 5.0, shape), 1),
        "NO2": np.round(rng.gamma(3.0, 9.0, shape), 1),
        "CO": np.round(rng.gamma(4.0, 0.2, shape), 2),
        "PM10": np.round(pm25 * rng.uniform(1.2, 2.2, shape), 1),
        "PM2.5": pm25,
        "O3_8h": np.round(rng.gamma(5.0, 20.0, shape) * (2 - season), 1),
    }


def numpy_pass(data: dict[str, NDArray[np.float64]], std: AqiStandard) -> NDArray[np.float64]:
    levels = np.array(std.levels, dtype=float)
    scores = []
    for measure in MEASURES:
        column = std.items[std.daily_items[measure]].breakpoints
        points = [float(p) for p in column if p is not None]
        scores.append(np.ceil(np.interp(data[measure], points, levels[: len(points)])))
    result: NDArray[np.float64] = np.max(np.stack(scores), axis=0)
    return result


def ecodesk_pass(data: dict[str, NDArray[np.float64]], std: AqiStandard) -> list[int | None]:
    stations, days = data["PM2.5"].shape
    columns = {m: data[m].tolist() for m in MEASURES}
    first = date(2025, 1, 1)
    result = []
    for s in range(stations):
        for d in range(days):
            values = {m: columns[m][s][d] for m in MEASURES}
            result.append(daily_aqi(values, std, day=first + timedelta(d), station=f"S{s}").aqi)
    return result


def best_of(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stations", type=int, default=50)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = arrays(args.stations, args.days)
    library = load_library()
    count = args.stations * args.days
    print(f"{args.stations} 个点位 × {args.days} 天 = {count} 个点位日")
    for edition in library.editions:
        std = library.aqi[edition]
        base = best_of(lambda std=std: numpy_pass(data, std), args.repeat)  # type: ignore[misc]
        ours = best_of(lambda std=std: ecodesk_pass(data, std), args.repeat)  # type: ignore[misc]
        exact = ecodesk_pass(data, std)
        quick = numpy_pass(data, std).ravel().tolist()
        differ = sum(1 for a, b in zip(exact, quick, strict=True) if a != int(b))
        print(
            f"{std.code}: numpy {base * 1000:.1f} ms, EcoDesk {ours * 1000:.0f} ms "
            f"({ours / count * 1e6:.1f} µs/日), ratio {ours / base:.0f}×；"
            f"两者 AQI 不同的点位日 {differ} 个"
        )


if __name__ == "__main__":
    main()
