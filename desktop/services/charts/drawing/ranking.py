"""Ranking of units for one indicator: sorted bars, best on top, the own unit highlighted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.services.charts.drawing import style
from desktop.services.charts.drawing.data import RankingData

if TYPE_CHECKING:
    from matplotlib.figure import Figure, SubFigure

DIRECTION_NOTE = {
    "lower": "数值越低越好，由低到高排列",
    "higher": "数值越高越好，由高到低排列",
    "none": "由高到低排列",
}


def draw_ranking(fig: Figure | SubFigure, data: RankingData, *, titles: bool = True) -> None:
    """Bars in the order given (the service sorts and numbers them by the indicator's direction).

    The own unit is dark, its label bold and marked （本单位）, so it is found in grey too.
    """
    labels = [bar.label + ("（本单位）" if bar.highlight else "") for bar in data.bars]
    width, height = style.size_in(fig)
    longest = max((style.text_width_in(label, style.LABEL_PT) for label in labels), default=1.0)
    margins = style.Margins(left=min(longest + 0.25, width * 0.4), right=1.0, bottom=0.6)
    ax = fig.add_axes(style.frame(fig, data.caption, margins, titles=titles))
    ys = list(range(len(data.bars)))
    colours = [style.OWN if bar.highlight else style.OTHER for bar in data.bars]
    ax.barh(ys, [bar.value for bar in data.bars], color=colours, height=0.7, edgecolor="white")
    # Long lists: shrink the labels so that every unit keeps its line.
    row_pt = ax.get_position().height * height * 72 / max(1, len(ys))
    size = max(5.0, min(style.LABEL_PT, row_pt * 0.75))
    ax.set_yticks(ys, labels, fontsize=size)
    for tick, bar in zip(ax.get_yticklabels(), data.bars, strict=True):
        if bar.highlight:
            tick.set_fontweight("bold")
    for y, bar in zip(ys, data.bars, strict=True):
        ax.annotate(
            bar.text,
            (bar.value, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=size,
            fontweight="bold" if bar.highlight else "normal",
        )
    ax.set_ylim(*style.pad_slots(len(ys)))
    ax.set_xlabel(f"{data.unit}（{DIRECTION_NOTE.get(data.better, DIRECTION_NOTE['none'])}）")
    ax.set_xlim(left=0)
    ax.grid(axis="x", color=style.GRID, lw=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
