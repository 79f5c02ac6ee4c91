"""Composition of a total into its parts: stacked bars (one per unit or period) or a pie."""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.numbers import format_number
from desktop.services.charts.drawing import style
from desktop.services.charts.drawing.data import CompositionData

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

#: A segment smaller than this share of the tallest bar gets no label inside it.
MIN_LABELLED_SHARE = 0.06


def _share(value: float, total: float) -> str:
    return f"{format_number(value / total * 100, 1)}%" if total else "—"


def draw_composition(
    fig: Figure | SubFigure, data: CompositionData, *, titles: bool = True
) -> None:
    """Parts differ by hatch as well as colour; each is labelled with figure and share."""
    if data.style == "pie":
        _pie(fig, data, titles)
    else:
        _stacked(fig, data, titles)


def _stacked(fig: Figure | SubFigure, data: CompositionData, titles: bool) -> None:
    # The legend sits right of the bars, inside the figure: the margin is as wide as its
    # longest entry (a fixed margin cut long part names off at the right edge).
    widest = max((style.text_width_in(p, style.LABEL_PT) for p in data.parts), default=0.0)
    margins = style.Margins(left=0.8, right=min(widest + 0.95, style.size_in(fig)[0] * 0.45),
                            bottom=0.55)  # fmt: skip
    ax = fig.add_axes(style.frame(fig, data.caption, margins, titles=titles))
    xs = list(range(len(data.categories)))
    totals = [sum(row) for row in data.values]
    tallest = max(totals, default=0.0) or 1.0
    bottoms = [0.0] * len(xs)
    bar_width = 0.55 if len(xs) > 1 else 0.4
    for index, part in enumerate(data.parts):
        heights = [row[index] for row in data.values]
        ax.bar(
            xs,
            heights,
            bar_width,
            bottom=bottoms,
            label=part,
            color=style.PART_COLOURS[index % len(style.PART_COLOURS)],
            hatch=style.PART_HATCHES[index % len(style.PART_HATCHES)],
            edgecolor="white",
            lw=0.8,
        )
        for x, height, base, total in zip(xs, heights, bottoms, totals, strict=True):
            text = f"{format_number(height, data.decimals)}（{_share(height, total)}）"
            if 0 < height / tallest < MIN_LABELLED_SHARE:
                # Too thin to hold its label: write it beside the bar instead of dropping it.
                ax.text(
                    x + bar_width / 2 + 0.03,
                    base + height / 2,
                    text,
                    ha="left",
                    va="center",
                    fontsize=style.NOTE_PT,
                    color=style.TEXT,
                )
            elif height > 0:
                ax.text(
                    x,
                    base + height / 2,
                    text,
                    ha="center",
                    va="center",
                    fontsize=style.NOTE_PT,
                    color=style.TEXT,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
                )
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    for x, total in zip(xs, totals, strict=True):
        ax.annotate(
            f"合计 {format_number(total, data.decimals)}",
            (x, total),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=style.LABEL_PT,
            fontweight="bold",
        )
    ax.set_xticks(xs, list(data.categories))
    ax.set_xlim(-0.7, len(xs) - 0.3)
    ax.set_ylim(0, tallest * 1.12)
    style.unit_label(ax, data.unit)
    ax.grid(axis="y", color=style.GRID, lw=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    # Legend top-down in the same order as the stack reads bottom-up, reversed to match.
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(
        handles[::-1],
        labels[::-1],
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        frameon=False,
        handleheight=1.6,
        handlelength=2.2,
    )


def _pie(fig: Figure | SubFigure, data: CompositionData, titles: bool) -> None:
    margins = style.Margins(left=0.3, right=0.3, bottom=0.3)
    ax: Axes = fig.add_axes(style.frame(fig, data.caption, margins, titles=titles))
    row = data.values[0] if data.values else ()
    total = sum(row)
    shown = [(p, v, i) for i, (p, v) in enumerate(zip(data.parts, row, strict=True)) if v > 0]
    wedges, _ = ax.pie(
        [v for _, v, _ in shown],
        labels=[
            f"{p}\n{format_number(v, data.decimals)}{data.unit}（{_share(v, total)}）"
            for p, v, _ in shown
        ],
        colors=[style.PART_COLOURS[i % len(style.PART_COLOURS)] for _, _, i in shown],
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.45, "edgecolor": "white", "linewidth": 1.2},
        textprops={"fontsize": style.LABEL_PT},
        labeldistance=1.12,
    )
    for wedge, (_, _, index) in zip(wedges, shown, strict=True):
        wedge.set_hatch(style.PART_HATCHES[index % len(style.PART_HATCHES)])
    centre = f"合计\n{format_number(total, data.decimals)}{data.unit}"
    if data.categories:
        centre = f"{data.categories[0]}\n{centre}"
    ax.text(0, 0, centre, ha="center", va="center", fontsize=style.LABEL_PT, fontweight="bold")
    ax.set_aspect("equal")
