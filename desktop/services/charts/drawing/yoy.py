"""同比: last year and this year side by side for a set of indicators, the change labelled.

Indicators of different units (μg/m³, 件, %) cannot share an axis honestly, so each gets a small
panel of its own with its own scale; the change is written above the pair in % for a quantity
and in 个百分点 for a rate, coloured and worded by the indicator's direction.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from desktop.services.charts.drawing import style
from desktop.services.charts.drawing.data import YoyData

if TYPE_CHECKING:
    from matplotlib.figure import Figure, SubFigure

MAX_COLUMNS = 4


def draw_yoy(fig: Figure | SubFigure, data: YoyData, *, titles: bool = True) -> None:
    count = max(1, len(data.items))
    columns = min(MAX_COLUMNS, count)
    rows = math.ceil(count / columns)
    margins = style.Margins(left=0.35, right=0.2, bottom=0.45, top=0.55)
    left, bottom, width, height = style.frame(fig, data.caption, margins, titles=titles)
    fig_w, fig_h = style.size_in(fig)
    gap_x, gap_y = 0.35 / fig_w, 0.75 / fig_h
    cell_w = (width - gap_x * (columns - 1)) / columns
    cell_h = (height - gap_y * (rows - 1)) / rows
    # One legend line for the whole figure: which bar is which period.
    fig.text(
        left,
        bottom + height + 0.4 / fig_h,
        f"■ 浅灰点纹：{data.last_label}（去年同期）　■ 深蓝：{data.current_label}（本期）",
        fontsize=style.NOTE_PT,
        color=style.MUTED,
        ha="left",
        va="bottom",
    )
    for index, item in enumerate(data.items):
        row, column = divmod(index, columns)
        ax = fig.add_axes(
            (
                left + column * (cell_w + gap_x),
                bottom + (rows - 1 - row) * (cell_h + gap_y),
                cell_w,
                cell_h,
            )
        )
        bars = ax.bar(
            [0, 1],
            [item.last, item.current],
            width=0.6,
            color=[style.LAST_YEAR, style.OWN],
            edgecolor="white",
        )
        bars.patches[0].set_hatch("..")
        peak = max(item.last, item.current, 0.0) or 1.0
        for x, value, text in (
            (0, item.last, item.last_text),
            (1, item.current, item.current_text),
        ):
            ax.annotate(
                text,
                (x, value),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=style.LABEL_PT,
            )
        word = style.verdict_word(item.verdict)
        ax.text(
            0.5,
            0.97,
            f"{item.change_text}" + (f"　{word}" if word else ""),
            transform=ax.transAxes,
            ha="center",
            va="top",
            fontsize=style.LABEL_PT,
            fontweight="bold",
            color=style.verdict_colour(item.verdict) if item.verdict else style.TEXT,
        )
        ax.set_title(
            f"{item.name}" + (f"（{item.unit}）" if item.unit else ""),
            fontsize=style.LABEL_PT,
            pad=4,
        )
        ax.set_xticks([0, 1], ["去年同期", "本期"])
        ax.set_xlim(-0.6, 1.6)
        ax.set_ylim(min(0.0, item.last, item.current), peak * 1.32)
        ax.tick_params(axis="y", labelsize=style.NOTE_PT)
        ax.grid(axis="y", color=style.GRID, lw=0.6)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
