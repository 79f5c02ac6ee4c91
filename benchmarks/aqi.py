"""A year of daily AQI for 50 stations (18,250 station-days) vs a plain numpy vectorised pass.

Both start from the same float arrays (one per pollutant, stations × days). The baseline is what
a quick script would do: ``np.interp`` over each breakpoint column, ``np.ceil``, the row maximum;
no GB/T 8170 rounding, no over-800 rules, no missing-item rule, no category, and float
arithmetic that can round a value sitting on a breakpoint one point too high. EcoDesk's path is
``aqi_arrays.score_floats``: exact (the decimals the station wrote, GB/T 8170 rounding for 2026,
the rules above 800, the missing-item rule, category), every day equal to the reference
``daily_aqi`` (checked here on the same arrays, outside the timing, and by a property test).
Both sides run interleaved for several rounds; min and median are printed.
Goal (issue #17): EcoDesk ≤ 2× numpy; floor 3×.

Run: ``python benchmarks/aqi.py [--stations 50] [--days 365] [--rounds 15] [--no-check]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import interleaved, ratio_line

from desktop.services.monitoring.air.aqi import daily_aqi
from desktop.services.monitoring.air.aqi_arrays import score_floats
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


def reference_pass(data: dict[str, NDArray[np.float64]], std: AqiStandard) -> list[int | None]:
    """``daily_aqi`` per station-day (the reference path), NaN = missing."""
    stations, days = data["PM2.5"].shape
    columns = {m: data[m].tolist() for m in MEASURES}
    result = []
    for s in range(stations):
        for d in range(days):
            values = {m: columns[m][s][d] for m in MEASURES if columns[m][s][d] == columns[m][s][d]}
            result.append(daily_aqi(values, std).aqi)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stations", type=int, default=50)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--no-check", action="store_true", help="skip the reference comparison")
    args = parser.parse_args()
    data = arrays(args.stations, args.days)
    library = load_library()
    count = args.stations * args.days
    print(f"{args.stations} 个点位 × {args.days} 天 = {count} 个点位日；{args.rounds} 轮交替")
    for edition in library.editions:
        std = library.aqi[edition]
        times = interleaved(
            {
                "numpy": lambda std=std: numpy_pass(data, std),  # type: ignore[misc]
                "ecodesk": lambda std=std: score_floats(data, std),  # type: ignore[misc]
            },
            args.rounds,
        )
        print(
            ratio_line(
                f"{std.code} daily AQI vs numpy",
                times["ecodesk"],
                times["numpy"],
                "≤ 2×, floor 3×",
                met=lambda r: r <= 2.0,
            )
        )
        if not args.no_check:
            exact = reference_pass(data, std)
            ours = [None if a < 0 else int(a) for a in score_floats(data, std).aqi.ravel()]
            quick = [int(v) for v in numpy_pass(data, std).ravel()]
            differ = sum(1 for a, b in zip(exact, ours, strict=True) if a != b)
            naive = sum(1 for a, b in zip(exact, quick, strict=True) if a != b)
            print(f"  与逐日参考算法不同的点位日：EcoDesk {differ} 个；numpy 粗算 {naive} 个")


if __name__ == "__main__":
    main()
