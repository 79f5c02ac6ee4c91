"""Many short labels (a figure each) drawn by one artist, on a white box, above their points.

A ten-year monthly trend labels each year's target with its value: ten ``Text`` artists with
a box each cost about a millisecond apiece (each lays itself out, measures and draws a
``FancyBboxPatch``), a tenth of the whole chart. One artist that measures each string once and
draws box and glyphs straight through the renderer does the same work in less than half the
time, looks the same (the same font, size, colour, box and baseline as ``Text`` with
``va="bottom"``, ``ha="center"``) and works on every backend (Agg, PDF, SVG), since it uses only
the renderer calls ``Text`` itself uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from matplotlib.artist import Artist
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.transforms import Affine2D, Bbox, IdentityTransform

from desktop.services.charts.drawing.style import pixels

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase


class ValueLabels(Artist):
    """Labels centred over data points, ``above_pt`` points up, each on a white box
    ``pad_pt`` points wider than the text all round (as ``Text``'s ``bbox={"pad": …}``)."""

    def __init__(
        self,
        ax: Axes,
        points: Sequence[tuple[float, float]],
        texts: Sequence[str],
        *,
        fontsize: float,
        color: str,
        above_pt: float = 3.0,
        pad_pt: float = 0.5,
        box_alpha: float = 0.8,
    ) -> None:
        super().__init__()
        if len(points) != len(texts):
            raise ValueError("one text per point")
        self.axes = ax
        self.set_transform(ax.transData)
        self.set_clip_on(False)
        self._points = [(float(x), float(y)) for x, y in points]
        self._texts = list(texts)
        self._prop = FontProperties(size=fontsize)
        self._color = color
        self._above_pt = above_pt
        self._pad_pt = pad_pt
        self._box_alpha = box_alpha
        self._extent = Bbox.null()

    def get_texts(self) -> list[str]:
        """The strings shown, for a reader of the figure (tests, accessibility)."""
        return list(self._texts)

    def get_window_extent(self, renderer: RendererBase | None = None) -> Bbox:
        """The union of the boxes drawn last (empty before the first draw)."""
        return Bbox(self._extent.get_points().copy())

    def draw(self, renderer: RendererBase) -> None:
        if not self.get_visible() or not self._texts:
            return
        renderer.open_group("value_labels", gid=self.get_gid())
        ink = renderer.new_gc()
        ink.set_foreground(self._color)
        box = renderer.new_gc()
        box.set_linewidth(0)
        box.set_alpha(self._box_alpha)
        pad = pixels(renderer, self._pad_pt)
        above = pixels(renderer, self._above_pt)
        # Text with va="bottom" reserves the descent of "lp" below every line: so do we, or the
        # digits would sit a point lower than the same label drawn as a Text.
        _, lp_height, lp_descent = renderer.get_text_width_height_descent(
            "lp", self._prop, ismath=False
        )
        canvas_height = renderer.get_canvas_width_height()[1]
        boxes = []
        places = self.get_transform().transform(self._points)
        for (x, y), text in zip(places, self._texts, strict=True):
            width, height, descent = renderer.get_text_width_height_descent(
                text, self._prop, ismath=False
            )
            height, descent = max(height, lp_height), max(descent, lp_descent)
            left, bottom = x - width / 2, y + above
            frame = Bbox.from_bounds(left - pad, bottom - pad, width + 2 * pad, height + 2 * pad)
            boxes.append(frame)
            outline = Path.unit_rectangle().transformed(
                Affine2D().scale(frame.width, frame.height).translate(frame.x0, frame.y0)
            )
            renderer.draw_path(box, outline, IdentityTransform(), (1.0, 1.0, 1.0))
            baseline = bottom + descent
            if renderer.flipy():
                baseline = canvas_height - baseline
            renderer.draw_text(ink, left, baseline, text, self._prop, 0.0, ismath=False)
        ink.restore()
        box.restore()
        self._extent = Bbox.union(boxes)
        renderer.close_group("value_labels")
        self.stale = False
