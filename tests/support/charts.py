"""Drawing a chart the way every caller does, and catching matplotlib's missing-glyph warning."""

from __future__ import annotations

import warnings

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from desktop.services.charts.drawing.data import ChartData
from desktop.services.charts.drawing.render import draw_chart, new_figure


def render(data: ChartData, *, titles: bool = True) -> Figure:
    """Draw and rasterise (glyphs are looked up at draw time); fail on any missing glyph."""
    fig = new_figure()
    canvas = FigureCanvasAgg(fig)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw_chart(fig, data, titles=titles)
        canvas.draw()
    glyphs = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not glyphs, glyphs
    assert not caught, [str(w.message) for w in caught]
    return fig


def texts(fig: Figure) -> list[str]:
    """Every piece of text on the figure (titles, labels, annotations, tick labels, and what
    the one-artist label sets and legends draw)."""
    from matplotlib.text import Text

    from desktop.services.charts.drawing.row_legend import RowLegend
    from desktop.services.charts.drawing.value_labels import ValueLabels

    shown = [t.get_text() for t in fig.findobj(Text) if t.get_text()]
    for artist in fig.findobj(lambda a: isinstance(a, (RowLegend, ValueLabels))):
        assert isinstance(artist, (RowLegend, ValueLabels))
        shown += artist.get_texts()
    return shown
