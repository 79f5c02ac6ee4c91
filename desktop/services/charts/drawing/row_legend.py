"""A legend in rows under the plot, drawn by one artist: a line sample and its name per entry.

matplotlib's ``Legend`` builds, per entry, copies of the handle, a drawing area, a text area
and packers, and lays them out on every draw: three entries cost about 7 ms, a tenth of a
ten-year trend. Under the plot, left-aligned, frameless, in rows of five (reading order, left
to right), there is nothing to pack: each name is measured once and drawn where it goes, each
sample is the handle's own line style copied onto a short segment. The spacing is
matplotlib's legend defaults (handle 2 em, gap 0.8 em, columns 2 em apart, rows 0.5 em apart),
so it looks as the ``Legend`` did.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from matplotlib.artist import Artist
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox, IdentityTransform

from desktop.services.charts.drawing.style import pixels

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase

HANDLE_EM, GAP_EM, COLUMN_EM, ROW_EM = 2.0, 0.8, 2.0, 0.5
#: matplotlib's ``borderaxespad`` + ``borderpad``: the first entry's distance from the anchor.
INSET_EM = 0.9


class RowLegend(Artist):
    """Entries (``Line2D`` handles with labels) under ``ax``, anchored at ``anchor`` (axes
    coordinates, the legend's upper left), ``per_row`` to a row."""

    def __init__(
        self,
        ax: Axes,
        handles: Sequence[Line2D],
        *,
        anchor: tuple[float, float],
        fontsize: float,
        color: str,
        per_row: int = 5,
    ) -> None:
        super().__init__()
        self.axes = ax
        self.set_transform(ax.transAxes)
        self.set_clip_on(False)
        self._handles = list(handles)
        self._labels = [str(h.get_label()) for h in handles]
        self._anchor = anchor
        self._prop = FontProperties(size=fontsize)
        self._color = color
        self._per_row = max(1, per_row)
        self._extent = Bbox.null()
        self._entries: list[Bbox] = []

    def get_texts(self) -> list[str]:
        """The entries' names, for a reader of the figure (tests, accessibility)."""
        return list(self._labels)

    def get_window_extent(self, renderer: RendererBase | None = None) -> Bbox:
        """What the last draw covered (empty before the first draw)."""
        return Bbox(self._extent.get_points().copy())

    def entry_extents(self) -> list[Bbox]:
        """Each entry's box (sample and name) as last drawn, in the order of the handles."""
        return [Bbox(box.get_points().copy()) for box in self._entries]

    def draw(self, renderer: RendererBase) -> None:
        if not self.get_visible() or not self._handles:
            return
        renderer.open_group("row_legend", gid=self.get_gid())
        em = pixels(renderer, self._prop.get_size_in_points())
        sizes = [
            renderer.get_text_width_height_descent(label, self._prop, ismath=False)
            for label in self._labels
        ]
        _, row_height, row_descent = renderer.get_text_width_height_descent(
            "lp", self._prop, ismath=False
        )
        row_height = max([row_height, *(h for _, h, _ in sizes)])
        columns = min(self._per_row, len(self._handles))
        widths = [0.0] * columns
        for index, (width, _, _) in enumerate(sizes):
            column = index % columns
            widths[column] = max(widths[column], width)
        x0, y0 = self.get_transform().transform(self._anchor)
        x0, top = x0 + INSET_EM * em, y0 - INSET_EM * em
        lefts = [x0]
        for width in widths[:-1]:
            lefts.append(lefts[-1] + (HANDLE_EM + GAP_EM + COLUMN_EM) * em + width)
        ink = renderer.new_gc()
        ink.set_foreground(self._color)
        canvas_height = renderer.get_canvas_width_height()[1]
        bottom = top
        self._entries = []
        for index, (handle, label) in enumerate(zip(self._handles, self._labels, strict=True)):
            row, column = divmod(index, columns)
            bottom = top - (row + 1) * row_height - row * ROW_EM * em
            middle = bottom + row_height / 2
            left = lefts[column]
            sample = Line2D([left, left + HANDLE_EM * em / 2, left + HANDLE_EM * em], [middle] * 3)
            sample.update_from(handle)
            sample.set_markevery([1])
            sample.set_transform(IdentityTransform())
            sample.set_clip_on(False)
            sample.draw(renderer)
            baseline = bottom + row_descent
            if renderer.flipy():
                baseline = canvas_height - baseline
            text_left = left + (HANDLE_EM + GAP_EM) * em
            renderer.draw_text(ink, text_left, baseline, label, self._prop, 0.0, ismath=False)
            self._entries.append(
                Bbox.from_extents(left, bottom, text_left + sizes[index][0], bottom + row_height)
            )
        ink.restore()
        right = lefts[-1] + (HANDLE_EM + GAP_EM) * em + widths[-1]
        self._extent = Bbox.from_extents(x0, bottom, right, top)
        renderer.close_group("row_legend")
        self.stale = False
