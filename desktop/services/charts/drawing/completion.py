"""Target completion: actual as a share of the annual target, against 100% and 序时进度."""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.numbers import format_number
from desktop.services.charts.drawing import style
from desktop.services.charts.drawing.data import CompletionData

if TYPE_CHECKING:
    from matplotlib.figure import Figure, SubFigure


def draw_completion(fig: Figure | SubFigure, data: CompletionData, *, titles: bool = True) -> None:
    """One bar per indicator or unit; done green, under way blue, behind red and hatched.

    Each bar says its status in words ("89.0%", "达标", "滞后") beside the figures, so the colour
    is never the only carrier.
    """
    width, _ = style.size_in(fig)
    longest = max((style.text_width_in(i.label, style.LABEL_PT) for i in data.items), default=1)
    margins = style.Margins(left=min(longest + 0.25, width * 0.4), right=0.3, bottom=0.6)
    ax = fig.add_axes(style.frame(fig, data.caption, margins, titles=titles))
    ys = list(range(len(data.items)))
    lengths = [item.percent or 0.0 for item in data.items]
    bars = ax.barh(
        ys,
        lengths,
        height=0.6,
        zorder=2,
        color=[style.verdict_colour(i.verdict) for i in data.items],
        edgecolor="white",
    )
    for patch, item in zip(bars.patches, data.items, strict=True):
        if item.verdict < 0:
            patch.set_hatch(style.BAD_HATCH)
            patch.set_edgecolor("white")
    top = max([110.0, *(length * 1.05 for length in lengths)])
    for y, item, length in zip(ys, data.items, lengths, strict=True):
        # Right of both the bar and the 100% line, so no line runs through the words.
        text = f"{item.status}　{item.actual_text} / 目标 {item.target_text}"
        ax.annotate(
            text,
            (max(length, 100.0), y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=style.NOTE_PT,
            color=style.TEXT,
            fontweight="bold" if item.highlight else "normal",
        )
    low, high = style.pad_slots(len(ys), minimum=4)
    ax.set_ylim(low, high)
    ax.axvline(100, color=style.TEXT, lw=1.2)
    ax.annotate(
        "目标 100%",
        (100, high),
        xytext=(0, 2),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=style.NOTE_PT,
        annotation_clip=False,
    )
    if data.expected_percent is not None:
        expected = data.expected_percent
        ax.axvline(expected, color=style.MUTED, lw=1.2, ls=(0, (2, 2)))
        ax.annotate(
            f"序时进度 {format_number(expected, 1)}%",
            (expected, low),
            xytext=(-3, 3),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=style.NOTE_PT,
            color=style.MUTED,
        )
    ax.set_yticks(ys, [item.label for item in data.items])
    for tick, item in zip(ax.get_yticklabels(), data.items, strict=True):
        if item.highlight:
            tick.set_fontweight("bold")
    # Room on the right for the longest status text.
    ax.set_xlim(0, top * 1.45)
    ticks = list(range(0, int(top) + 1, 20 if top <= 200 else 50))
    ax.set_xticks(ticks, [f"{t}%" for t in ticks])
    ax.set_xlabel("实际值占年度目标的比例")
    ax.grid(axis="x", color=style.GRID, lw=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
