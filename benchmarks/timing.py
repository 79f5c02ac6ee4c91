"""Side-by-side timing shared by the benchmarks: both sides interleaved, several rounds.

The machine the benchmarks run on is shared, so a ratio of two medians taken minutes apart
says little. ``interleaved`` runs the sides one after the other in every round (A B A B …), and
``ratio_line`` prints each side's min and median with the ratio and the goal, so that a reader
sees both the best case and the typical one from the same run.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping


def interleaved(
    sides: Mapping[str, Callable[[], object]],
    rounds: int,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, list[float]]:
    """Seconds per run of each side, run alternately ``rounds`` times (after one warm-up each).

    ``clock`` ``time.process_time`` counts this process's CPU only: on a busy shared machine the
    wall clock also counts the waits for a core, which swing a 0.1 s side by half.
    """
    for run in sides.values():
        run()
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(rounds):
        for name, run in sides.items():
            start = clock()
            run()
            times[name].append(clock() - start)
    return times


def ratio_line(
    label: str,
    ours: list[float],
    base: list[float],
    goal: str,
    *,
    speed: bool = False,
    met: Callable[[float], bool] | None = None,
) -> str:
    """One line: both sides' min/median, the ratio (time ratio, or speed = base/ours) and goal.

    ``met`` decides on the median ratio whether the goal is met.
    """
    if speed:
        lo, mid = min(base) / min(ours), statistics.median(base) / statistics.median(ours)
        kind = "speed"
    else:
        lo, mid = min(ours) / min(base), statistics.median(ours) / statistics.median(base)
        kind = "time"
    verdict = ""
    if met is not None:
        verdict = "  ✔ met" if met(mid) else "  ✘ NOT met"
    ours_mid, base_mid = statistics.median(ours), statistics.median(base)
    return (
        f"{label}: ours min {min(ours) * 1000:.1f} / median {ours_mid * 1000:.1f} ms,"
        f" base min {min(base) * 1000:.1f} / median {base_mid * 1000:.1f} ms;"
        f" {kind} ratio min {lo:.2f} / median {mid:.2f}  (goal {goal}){verdict}"
    )
