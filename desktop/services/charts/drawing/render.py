"""New figures and the one dispatch from a chart's data to its drawing function.

Everything that draws (the page's canvas aside) gets its Figure here, so ``configure_matplotlib``
has always run before matplotlib is first imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.services.charts.drawing.data import (
    ChartData,
    CompletionData,
    CompositionData,
    RankingData,
    TrendData,
    YoyData,
)
from desktop.services.charts.drawing.style import configure_matplotlib

if TYPE_CHECKING:
    from matplotlib.figure import Figure, SubFigure

#: Screen and export size: a half A4 landscape page, the size a slide or a report uses.
DEFAULT_SIZE = (10.0, 6.0)


def new_figure(size: tuple[float, float] = DEFAULT_SIZE, dpi: float = 100) -> Figure:
    """A blank Figure (no pyplot: nothing global holds it, it is freed with its last reference)."""
    configure_matplotlib()
    from matplotlib.figure import Figure

    return Figure(figsize=size, dpi=dpi, facecolor="white")


def draw_chart(fig: Figure | SubFigure, data: ChartData, *, titles: bool = True) -> None:
    """Draw ``data`` with the function for its kind."""
    configure_matplotlib()
    if isinstance(data, TrendData):
        from desktop.services.charts.drawing.trend import draw_trend

        draw_trend(fig, data, titles=titles)
    elif isinstance(data, RankingData):
        from desktop.services.charts.drawing.ranking import draw_ranking

        draw_ranking(fig, data, titles=titles)
    elif isinstance(data, CompletionData):
        from desktop.services.charts.drawing.completion import draw_completion

        draw_completion(fig, data, titles=titles)
    elif isinstance(data, CompositionData):
        from desktop.services.charts.drawing.composition import draw_composition

        draw_composition(fig, data, titles=titles)
    elif isinstance(data, YoyData):
        from desktop.services.charts.drawing.yoy import draw_yoy

        draw_yoy(fig, data, titles=titles)
    else:  # pragma: no cover - the union is closed
        raise TypeError(f"unknown chart data {type(data).__name__}")
