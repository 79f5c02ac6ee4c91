"""The two one-artist text sets that keep a long trend fast: a target value per year over its
span, and the legend in rows under the plot. Each must put its text where a reader expects it:
the same place a ``Text`` would take, in reading order, inside the page, never overlapping."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D
from matplotlib.transforms import offset_copy

from desktop.services.charts.drawing import style
from desktop.services.charts.drawing.render import new_figure
from desktop.services.charts.drawing.row_legend import RowLegend
from desktop.services.charts.drawing.value_labels import ValueLabels

NAMES = ["上年同期", "年度目标", "本局", "第一分局（城区）", "U2", "第三分局", "U4", "其他单位"]


def _axes():  # type: ignore[no-untyped-def]
    fig = new_figure()
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0.1, 0.3, 0.8, 0.6))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    return fig, canvas, ax


def test_a_value_label_sits_where_the_same_text_with_a_box_would() -> None:
    fig, canvas, ax = _axes()
    shifted = offset_copy(ax.transData, fig=fig, y=3, units="points")
    text = ax.text(
        3, 5, "35", transform=shifted, ha="center", va="bottom", fontsize=style.NOTE_PT,
        bbox={"fc": "white", "ec": "none", "pad": 0.5},
    )  # fmt: skip
    labels = ValueLabels(ax, [(6, 5)], ["35"], fontsize=style.NOTE_PT, color=style.TARGET)
    ax.add_artist(labels)
    canvas.draw()
    patch = text.get_bbox_patch()
    assert patch is not None
    expected = patch.get_window_extent(canvas.get_renderer())
    drawn = labels.get_window_extent()
    shift = ax.transData.transform((6, 5))[0] - ax.transData.transform((3, 5))[0]
    assert abs(drawn.width - expected.width) < 1.5 and abs(drawn.height - expected.height) < 1.5
    assert abs(drawn.x0 - (expected.x0 + shift)) < 1.5 and abs(drawn.y0 - expected.y0) < 1.5


def test_value_labels_are_inked_in_their_boxes_on_the_picture() -> None:
    """The glyphs land inside the boxes (a y flip between path and text coordinates would put
    them a mirror image away), in the target's colour, and the box hides what lies beneath."""
    _, canvas, ax = _axes()
    ax.axhline(5.5, color="black", lw=3)
    labels = ValueLabels(
        ax, [(2, 5), (8, 5)], ["35", "26"], fontsize=20, color=style.TARGET, box_alpha=1
    )
    labels.set_zorder(4)
    ax.add_artist(labels)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[:, :, :3].astype(int)
    height = pixels.shape[0]
    red = np.array([round(c * 255) for c in to_rgb(style.TARGET)])
    outside = pixels.copy()
    boxes = labels.get_window_extent()
    assert boxes.width > 0
    top, bottom = height - int(boxes.y1), height - int(boxes.y0)
    region = pixels[top:bottom, int(boxes.x0) : int(boxes.x1)]
    inked = np.abs(region - red).sum(axis=2) < 60
    assert inked.sum() > 50, "the labels' glyphs are not inside their boxes"
    outside[top:bottom, int(boxes.x0) : int(boxes.x1)] = 255
    assert (np.abs(outside - red).sum(axis=2) < 60).sum() == 0, "target ink outside the boxes"
    line_row = height - int(ax.transData.transform((0, 5.5))[1])
    left_box_x = int(ax.transData.transform((2, 5))[0])
    assert pixels[line_row, left_box_x].sum() > 3 * 200, "the box does not hide the line"


def test_the_legend_reads_in_rows_of_five_inside_the_page_without_overlap() -> None:
    fig, canvas, ax = _axes()
    handles = [
        Line2D([], [], color=colour, marker=marker, ls=dash, label=name)
        for (colour, marker, dash), name in zip(style.LINE_STYLES, NAMES, strict=True)
    ]
    legend = RowLegend(ax, handles, anchor=(0, -0.1), fontsize=style.LABEL_PT, color=style.TEXT)
    ax.add_artist(legend)
    canvas.draw()
    boxes = legend.entry_extents()
    assert len(boxes) == 8 and legend.get_texts()[3] == "第一分局（城区）"
    first, second = boxes[:5], boxes[5:]
    assert all(a.x1 < b.x0 for a, b in pairwise(first)), "left to right in a row"
    assert all(a.x1 < b.x0 for a, b in pairwise(second))
    assert all(b.y1 < min(a.y0 for a in first) for b in second), "the sixth starts a new row"
    assert boxes[5].x0 == boxes[0].x0, "rows share their columns"
    page = fig.bbox
    assert all(page.x0 <= b.x0 and b.x1 <= page.x1 and page.y0 <= b.y0 for b in boxes)
    ticks = max(t.get_window_extent().y0 for t in ax.get_xticklabels())
    assert max(b.y1 for b in boxes) < ticks, "the legend sits under the axis labels"
    pixels = np.asarray(canvas.buffer_rgba())[:, :, :3].astype(int)
    height = pixels.shape[0]
    for box in boxes:
        region = pixels[height - int(box.y1) : height - int(box.y0), int(box.x0) : int(box.x1)]
        assert (region.sum(axis=2) < 3 * 200).sum() > 20, "an entry drew nothing"
