"""Drawing a 10-year × 50-unit trend (120 months, 50 lines) vs a bare matplotlib draw.

Both draw the same arrays onto a new 10 × 6 in Figure and rasterise it with Agg at 100 dpi; the
baseline is ``ax.plot`` per line and nothing else, EcoDesk's path is ``draw_trend`` (titles,
unit, the annual targets, grey lines for the other units, legend). Also timed once: the PNG
export at 300 dpi.
Both sides run interleaved for several rounds, timed by the wall clock and then by the process's
CPU time (steadier on a shared machine); min and median are printed.
Goal (issue #17): EcoDesk's drawing ≤ 1.2× the bare draw.

Run: ``python benchmarks/charts.py [--rounds N] [--png out.png]``
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import interleaved, ratio_line

from desktop.services.charts.drawing.data import Caption, Series, Table, TargetSpan, TrendData
from desktop.services.charts.drawing.render import draw_chart, new_figure

UNITS, MONTHS = 50, 120


def arrays() -> list[list[float]]:
    return [
        [30 + 8 * math.sin(m / 6 + u) - m / 12 + u % 7 for m in range(MONTHS)] for u in range(UNITS)
    ]


def trend_data(values: list[list[float]]) -> TrendData:
    labels = tuple(
        f"{m % 12 + 1}月\n{2013 + m // 12}年" if m % 12 == 0 else f"{m % 12 + 1}月"
        for m in range(MONTHS)
    )
    series = tuple(
        Series(f"单位{u:02d}", tuple(row), highlight=u == 0) for u, row in enumerate(values)
    )
    targets = tuple(TargetSpan(y * 12, y * 12 + 11, 35 - y, f"{2013 + y}年目标") for y in range(10))
    return TrendData(
        caption=Caption("PM2.5平均浓度变化趋势", "50个单位　2013年1月—2022年12月　单位：μg/m³"),
        table=Table(("期间",), ()),
        unit="μg/m³",
        decimals=0,
        x_labels=labels,
        series=series,
        last_year=None,
        targets=targets,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--png", type=Path, help="also save EcoDesk's chart here, to look at")
    args = parser.parse_args()
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    values = arrays()
    data = trend_data(values)
    xs = list(range(MONTHS))

    def bare() -> None:
        fig = new_figure()
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        for row in values:
            ax.plot(xs, row)
        canvas.draw()

    def ecodesk() -> None:
        fig = new_figure()
        canvas = FigureCanvasAgg(fig)
        draw_chart(fig, data)
        canvas.draw()

    times = interleaved({"bare": bare, "ecodesk": ecodesk}, args.rounds)
    print(f"chart: {UNITS} units × {MONTHS} months; {args.rounds} rounds")
    print(ratio_line("trend vs bare matplotlib draw", times["ecodesk"], times["bare"], "≤ 1.2×",
                     met=lambda r: r <= 1.2))  # fmt: skip
    cpu = interleaved({"bare": bare, "ecodesk": ecodesk}, args.rounds, clock=time.process_time)
    print(ratio_line("the same, CPU time of this process", cpu["ecodesk"], cpu["bare"], "≤ 1.2×",
                     met=lambda r: r <= 1.2))  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        from desktop.services.charts.meeting_pack import export_chart

        start = time.perf_counter()
        target = args.png or Path(tmp) / "trend.png"
        export_chart(data, target)
        print(f"PNG export 300dpi {(time.perf_counter() - start) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
