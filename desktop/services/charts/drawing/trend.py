"""Trend over months or years: one line per unit, last year faded, the annual target as a line."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.transforms import offset_copy

from db.numbers import format_number
from desktop.services.charts.drawing import style
from desktop.services.charts.drawing.data import TrendData
from desktop.services.charts.drawing.row_legend import RowLegend
from desktop.services.charts.drawing.value_labels import ValueLabels

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

#: With more lines than this, other units become thin grey lines without a legend entry each.
MAX_LEGEND_SERIES = 8
#: Points per line up to which every point of the emphasised line is labelled with its figure.
MAX_LABELLED_POINTS = 14
#: Points per line up to which lines carry markers and every period can have a tick label;
#: a longer series (up to ten years of months) is labelled once a year, with a faint line
#: between years, and its lines are plain: 120 markers in a row read as a bead chain.
MAX_MARKED_POINTS = 36
#: Target spans up to which each is labelled with its name at its end; more (one per year of a
#: long monthly trend) are labelled with their value above the span, the legend saying what.
MAX_NAMED_TARGETS = 3
#: Legend entries to a row, under the plot.
LEGEND_PER_ROW = 5


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
    if data.targets:
        ax.hlines(  # one collection for every span: a long trend has one per year
            [span.value for span in data.targets],
            [span.start - 0.35 for span in data.targets],
            [span.end + 0.35 for span in data.targets],
            colors=style.TARGET,
            linestyles=(0, (6, 3)),
            lw=1.5,
            zorder=2,
        )
    if len(data.targets) <= MAX_NAMED_TARGETS:
        # Plain texts on an offset transform, not annotations: the same place and look,
        # without an annotation's per-draw position work.
        beside = offset_copy(ax.transData, fig=ax.get_figure(root=True), x=4, units="points")
        for span in data.targets:
            ax.text(
                span.end + 0.35,
                span.value,
                span.label,
                transform=beside,
                va="center",
                ha="left",
                fontsize=style.NOTE_PT,
                color=style.TARGET,
                clip_on=False,
                zorder=4,
            )
    elif data.targets:  # one per year of a long trend: its value above the middle of its span
        labels = ValueLabels(
            ax,
            [((span.start + span.end) / 2, span.value) for span in data.targets],
            [format_number(span.value, data.decimals) for span in data.targets],
            fontsize=style.NOTE_PT,
            color=style.TARGET,
        )
        labels.set_zorder(4)
        ax.add_artist(labels)
    if data.targets:
        handles.append(Line2D([], [], color=style.TARGET, ls=(0, (6, 3)), lw=1.5, label="年度目标"))

    # The own unit's dark blue is its alone: another unit drawn in it reads as the own unit on
    # a grey printout (only the line width told them apart).
    palette = [s for s in style.LINE_STYLES if s[0] != style.OWN]
    styles = iter(palette * (1 + len(data.series) // len(palette)))
    emphasised = next(
        (s for s in data.series if s.highlight), data.series[0] if data.series else None
    )
    marked = len(xs) <= MAX_MARKED_POINTS
    others = [_nan(s.values) for s in data.series if many and not s.highlight]
    if others:
        # One collection for all the grey lines (a gap stays a gap: NaN breaks a path).
        ax.add_collection(
            LineCollection(
                [np.column_stack((xs, values)) for values in others],
                colors=style.OTHER,
                linewidths=0.8,
                alpha=0.8,
                zorder=1,
            )
        )
    for series in data.series:
        if many and not series.highlight:
            continue
        values = _nan(series.values)
        colour, marker, dash = (style.OWN, "o", "-") if series.highlight else next(styles)
        (line,) = ax.plot(
            xs,
            values,
            color=colour,
            marker=marker if marked else None,
            ls=dash,
            lw=2.4 if series is emphasised else 1.6,
            ms=5,
            label=series.name,
            zorder=3 if series is emphasised else 2.5,
        )
        handles.append(line)
    if others:
        handles.append(Line2D([], [], color=style.OTHER, lw=0.8, label="其他单位"))
    if emphasised is not None and len(xs) <= MAX_LABELLED_POINTS:
        _label_points(ax, xs, emphasised.values, data.decimals)

    _x_ticks(ax, data.x_labels, marked)
    ax.set_xlim(-0.5, max(0.5, len(xs) - 0.5))
    if others:
        ax.autoscale_view(scalex=False)  # a collection does not move the limits by itself
    style.unit_label(ax, data.unit)
    known = [v for s in data.series for v in s.values if v is not None]
    if data.last_year is not None:
        known += [v for v in data.last_year.values if v is not None]
    style.value_axis(ax, known, data.unit)
    ax.grid(axis="y", color=style.GRID, lw=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    if handles:
        ax.add_artist(
            RowLegend(
                ax,
                handles,
                anchor=(0, -0.1 if not two_line_labels else -0.16),
                fontsize=style.LABEL_PT,
                color=style.TEXT,
                per_row=LEGEND_PER_ROW,
            )
        )
        # The legend sits under the axis labels: make room for it.
        left, bottom, width, height = ax.get_position().bounds
        rows = math.ceil(len(handles) / LEGEND_PER_ROW)
        shift = 0.24 * rows / style.size_in(fig)[1]
        ax.set_position((left, bottom + shift, width, max(0.05, height - shift)))


def _x_ticks(ax: Axes, labels: tuple[str, ...], marked: bool) -> None:
    """Tick labels: every period (or every n-th) for a short series; for a long monthly one,
    the year at its first month ("2013年", or "2013年4月" where the series starts mid-year)
    with a faint line between years, and no label for the other months."""
    xs = list(range(len(labels)))
    starts = [x for x, label in enumerate(labels) if "\n" in label]
    if marked or len(starts) < 2:
        step = max(1, math.ceil(len(xs) / 24))
        ax.set_xticks(xs[::step], list(labels[::step]))
        return
    ax.set_xticks(starts, [_year_label(labels[x]) for x in starts])
    ax.vlines(
        [x - 0.5 for x in starts if x > 0],
        0,
        1,
        transform=ax.get_xaxis_transform(),
        colors=style.GRID,
        lw=0.8,
        zorder=0,
    )


def _year_label(label: str) -> str:
    """ "1月\n2013年" → "2013年"; "4月\n2013年" → "2013年4月"."""
    lines = label.split("\n")
    year = next((line for line in lines if line.endswith("年")), lines[-1])
    rest = "".join(line for line in lines if line != year)
    return year if rest in ("", "1月") else year + rest


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
