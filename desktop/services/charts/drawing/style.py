"""How every EcoDesk chart looks: fonts, rcParams, colours that survive grey printing, margins.

Chinese must render on every machine, including an office PC with no CJK font at all, so the
font shipped in ``resources/fonts`` ("EcoDesk Sans", GBK coverage, TrueType outlines) is
registered with matplotlib and put first; system CJK fonts follow as per-glyph fallbacks for a
rare character outside GBK. Charts are printed on black-and-white office printers, so no
distinction rests on colour alone: the own unit is darker and labelled, a worse figure is hatched
and worded, lines differ in marker and dash as well as hue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from resources import locate

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure, SubFigure

    from desktop.services.charts.drawing.data import Caption

BUNDLED_FAMILY = "EcoDesk Sans"
#: Searched in this order; only those installed join the per-glyph fallback chain.
CJK_FAMILIES = ["EcoDesk Sans", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "SimHei"]

# Colours: dark and light differ in lightness too, so they stay apart on a grey printout.
OWN = "#1f4e79"  # the office's own unit, current figures
OTHER = "#8eaacb"  # other units
LAST_YEAR = "#a6a6a6"  # last year: faded
TARGET = "#b03a2e"  # the annual target line
GOOD = "#2e7d32"
BAD = "#c0392b"
UNDER_WAY = "#2f6db5"
TEXT = "#222222"
MUTED = "#666666"
GRID = "#d9d9d9"
#: Hatch for a worse / behind figure: the pattern, not the red, carries the meaning in grey.
BAD_HATCH = "///"
#: Parts of a total: decreasing lightness plus a hatch each.
PART_COLOURS = ["#1f4e79", "#8eaacb", "#e69138", "#d9d9d9", "#6a8f3a", "#7f6084", "#c9a227"]
PART_HATCHES = ["", "//", "..", "xx", "\\\\", "++", "--"]
#: Trend lines: hue, marker and dash all differ, for grey prints and colour-blind readers.
LINE_STYLES: list[tuple[str, str, str]] = [
    ("#1f4e79", "o", "-"),
    ("#e69138", "s", "--"),
    ("#6a8f3a", "^", "-."),
    ("#7f6084", "D", ":"),
    ("#c0392b", "v", "-"),
    ("#2f8f9d", "P", "--"),
    ("#8c564b", "X", "-."),
    ("#555555", "*", ":"),
]

TITLE_PT = 14.0
SUBTITLE_PT = 10.0
NOTE_PT = 8.5
LABEL_PT = 9.5

_configured = False


def configure_matplotlib() -> None:
    """Make matplotlib draw Chinese with the bundled font; safe to call any number of times.

    (In a PyInstaller build matplotlib's cache folder is made persistent by
    ``desktop.paths.configure_matplotlib_cache``, which both entry points call before anything
    can import matplotlib.)

    ``svg.fonttype`` is ``"path"``: an SVG goes into slides and documents on other people's
    machines (the city bureau's, a thin client) that may lack EcoDesk Sans or any CJK font, and
    outlines render the same everywhere. Text that must stay searchable goes to PDF, where
    ``pdf.fonttype = 42`` embeds the font as TrueType and keeps the text.
    """
    global _configured
    if _configured:
        return
    import matplotlib
    from matplotlib import font_manager

    folder = locate("fonts")
    for path in sorted(folder.glob("*.ttf")) if folder.is_dir() else []:
        font_manager.fontManager.addfont(str(path))
    installed = {f.name for f in font_manager.fontManager.ttflist}
    chain = [f for f in CJK_FAMILIES if f in installed]
    sans = list(matplotlib.rcParams["font.sans-serif"])
    matplotlib.rcParams.update(
        {
            # Only installed families, so matplotlib logs no "font not found" for the others;
            # "sans-serif" last covers symbols a CJK font lacks.
            "font.family": [*chain, "sans-serif"],
            "font.sans-serif": [*CJK_FAMILIES, *(f for f in sans if f not in CJK_FAMILIES)],
            "axes.unicode_minus": False,
            "pdf.fonttype": 42,
            "ps.fonttype": 42,
            "svg.fonttype": "path",
            "axes.titlesize": SUBTITLE_PT,
            "axes.labelsize": LABEL_PT,
            "xtick.labelsize": LABEL_PT,
            "ytick.labelsize": LABEL_PT,
            "legend.fontsize": LABEL_PT,
            "axes.edgecolor": MUTED,
            "axes.labelcolor": TEXT,
            "xtick.color": TEXT,
            "ytick.color": TEXT,
            "hatch.linewidth": 0.8,
        }
    )
    _configured = True


def pixels(renderer: RendererBase, points: float) -> float:
    """``points_to_pixels`` of one length (typed array-like, it returns a float for a float)."""
    return cast(float, renderer.points_to_pixels(points))


def text_width_in(text: str, points: float) -> float:
    """Rough printed width of a label: a Chinese character is one em, a Latin one about half.

    Used to size margins without a draw pass (constrained layout would double a big chart's
    drawing time).
    """
    wide = sum(1 for c in text if ord(c) > 0x2E80)
    return points / 72 * (wide + 0.58 * (len(text) - wide))


@dataclass(frozen=True)
class Margins:
    """Space around the plot area, in inches."""

    left: float = 0.8
    right: float = 0.3
    bottom: float = 0.6
    top: float = 0.25


def size_in(fig: Figure | SubFigure) -> tuple[float, float]:
    """Width and height of a figure or subfigure in inches."""
    dpi = float(fig.dpi)
    return fig.bbox.width / dpi, fig.bbox.height / dpi


def frame(
    fig: Figure | SubFigure, caption: Caption, margins: Margins, *, titles: bool = True
) -> tuple[float, float, float, float]:
    """Write title, subtitle and notes; return the plot area (left, bottom, width, height).

    ``titles`` False leaves the title lines to the page around the chart (a printout's header,
    a meeting pack's caption), which would otherwise say them twice.
    """
    width, height = size_in(fig)
    top = margins.top
    if titles:
        fig.text(
            0.12 / width,
            1 - 0.12 / height,
            caption.title,
            fontsize=TITLE_PT,
            fontweight="bold",
            color=TEXT,
            ha="left",
            va="top",
        )
        fig.text(
            0.12 / width,
            1 - 0.50 / height,
            caption.subtitle,
            fontsize=SUBTITLE_PT,
            color=MUTED,
            ha="left",
            va="top",
        )
        top += 0.72
    bottom = margins.bottom
    for line, note in enumerate(reversed(caption.notes)):
        fig.text(
            0.12 / width,
            (0.08 + 0.19 * line) / height,
            note,
            fontsize=NOTE_PT,
            color=MUTED,
            ha="left",
            va="bottom",
        )
    bottom += 0.19 * len(caption.notes)
    left = margins.left / width
    low = bottom / height
    return left, low, max(0.05, 1 - left - margins.right / width), max(0.05, 1 - low - top / height)


def unit_label(ax: Axes, unit: str) -> None:
    """The unit of measure above the value axis, upright: a rotated "个" reads as a glyph."""
    if unit:
        ax.text(
            0,
            1.015,
            unit,
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=LABEL_PT,
            color=TEXT,
        )


#: Units of rates and concentrations: their change is the message, so their axis need not
#: start at 0 (a trend of 97 → 95.5 on a 0-100 axis looks flat). Counts keep a 0 base.
RELATIVE_UNITS = ("%", "μg/m³", "μg/m3", "mg/m³", "mg/m3", "mg/L", "分", "名")


def value_axis(ax: Axes, values: list[float], unit: str) -> None:
    """Set the value axis: from 0 for counts; around the data for rates and concentrations,
    with the cut-off base marked (a break sign and its value at the foot of the axis)."""
    if not values:
        return
    low, high = min(values), max(values)
    if unit not in RELATIVE_UNITS:
        if low >= 0:
            ax.set_ylim(bottom=0)
        return
    span = high - low
    pad = max(span * 0.35, abs(high) * 0.02, 0.5)
    bottom = low - pad
    if bottom <= 0 <= low:
        ax.set_ylim(bottom=0)
        return
    top = high + pad * 0.6
    if unit == "%" and top > 100 >= high:
        top = 100.0 + pad * 0.15
    ax.set_ylim(bottom, top)
    # The base is not 0: say so where the eye expects 0.
    ax.plot([0, 0.018], [0.012, 0.032], transform=ax.transAxes, color=TEXT, lw=1, clip_on=False)
    ax.plot([0, 0.018], [0.032, 0.052], transform=ax.transAxes, color=TEXT, lw=1, clip_on=False)
    ax.text(
        0.025, 0.01, "纵轴未从0开始", transform=ax.transAxes, ha="left", va="bottom",
        fontsize=NOTE_PT, color=TEXT,
    )  # fmt: skip


def pad_slots(count: int, minimum: int = 5) -> tuple[float, float]:
    """Y limits (inverted, first on top) that keep a few bars from swelling to fill the plot."""
    slots = max(count, minimum)
    extra = (slots - count) / 2
    return count - 0.5 + extra, -0.5 - extra


def verdict_word(verdict: int) -> str:
    """The word that goes with a better/worse colour, for readers who cannot tell them apart."""
    return {1: "向好", -1: "变差"}.get(verdict, "")


def verdict_colour(verdict: int) -> str:
    return {1: GOOD, -1: BAD}.get(verdict, UNDER_WAY)
