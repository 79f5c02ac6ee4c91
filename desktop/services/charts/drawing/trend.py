"""Trend over months or years: one line per unit, last year faded, the annual target as a line."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from matplotlib.lines import Line2D

from db.numbers import format_number
from desktop.services.charts.drawing import style
from desktop.services.charts.drawing.data import TrendData

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

#: With more lines than this, other units become thin grey lines without a legend entry each.
MAX_LEGEND_SERIES = 8
#: Points per line up to which every point of the emphasised line is labelled with its figure.
MAX_LABELLED_POINTS = 14


def _nan(values: tuple[float | None, ...]) -> list[float]:
    return [math.nan if v is None else v for v in values]


def draw_trend(fig: Figure | SubFigure, data: TrendData, *, titles: bool = True) -> None:
    """Draw the trend; a gap in a line is a period without a figure, never a zero."""
    two_line_labels = any("\n" in label for label in data.x_labels)
    margins = style.Margins(left=0.8, right=0.9, bottom=0.75 if two_line_labels else 0.55)
    ax = fig.add_axes(style.frame(fig, data.caption, margins, titles=titles))
    xs = list(range(len(data.x_labels)))
    many = len(data.series) > MAX_LEGEND_SERIES
    handles: list[Line2D] = []

    if data.last_year is not None:
        (line,) = ax.plot(
            xs,
            _nan(data.last_year.values),
            color=style.LAST_YEAR,
            lw=1.4,
            ls="--",
            marker="o",
            ms=4,
            mfc="white",
            label=data.last_year.name,
            zorder=2,
        )
        handles.append(line)
    for span in data.targets:
        ax.hlines(
            span.value,
            span.start - 0.35,
            span.end + 0.35,
            colors=style.TARGET,
            linestyles=(0, (6, 3)),
            lw=1.5,
            zorder=2,
        )
        ax.annotate(
            span.label,
            (span.end + 0.35, span.value),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=style.NOTE_PT,
            color=style.TARGET,
            annotation_clip=False,
        )
    if data.targets:
        handles.append(Line2D([], [], color=style.TARGET, ls=(0, (6, 3)), lw=1.5, label="年度目标"))

    styles = iter(style.LINE_STYLES * (1 + len(data.series) // len(style.LINE_STYLES)))
    emphasised = next(
        (s for s in data.series if s.highlight), data.series[0] if data.series else None
    )
    grey_drawn = False
    for series in data.series:
        values = _nan(series.values)
        if many and not series.highlight:
            ax.plot(xs, values, color=style.OTHER, lw=0.8, alpha=0.8, zorder=1)
            if not grey_drawn:
                handles.append(Line2D([], [], color=style.OTHER, lw=0.8, label="其他单位"))
                grey_drawn = True
            continue
        colour, marker, dash = (style.OWN, "o", "-") if series.highlight else next(styles)
        (line,) = ax.plot(
            xs,
            values,
            color=colour,
            marker=marker,
            ls=dash,
            lw=2.4 if series is emphasised else 1.6,
            ms=5,
            label=series.name,
            zorder=3 if series is emphasised else 2.5,
        )
        handles.append(line)
    if emphasised is not None and len(xs) <= MAX_LABELLED_POINTS:
        _label_points(ax, xs, emphasised.values, data.decimals)

    step = max(1, math.ceil(len(xs) / 24))
    ax.set_xticks(xs[::step], list(data.x_labels[::step]))
    ax.set_xlim(-0.5, max(0.5, len(xs) - 0.5))
    style.unit_label(ax, data.unit)
    known = [v for s in data.series for v in s.values if v is not None]
    if data.last_year is not None:
        known += [v for v in data.last_year.values if v is not None]
    style.value_axis(ax, known, data.unit)
    ax.grid(axis="y", color=style.GRID, lw=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    if handles:
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0, -0.1 if not two_line_labels else -0.16),
            ncol=min(len(handles), 5),
            frameon=False,
        )
        # The legend sits under the axis labels: make room for it.
        left, bottom, width, height = ax.get_position().bounds
        rows = math.ceil(len(handles) / 5)
        shift = 0.24 * rows / style.size_in(fig)[1]
        ax.set_position((left, bottom + shift, width, max(0.05, height - shift)))


def _label_points(ax: Axes, xs: list[int], values: tuple[float | None, ...], decimals: int) -> None:
    for x, value in zip(xs, values, strict=True):
        if value is not None:
            ax.annotate(
                format_number(value, decimals),
                (x, value),
                xytext=(0, 6),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=style.NOTE_PT,
                color=style.OWN,
            )
