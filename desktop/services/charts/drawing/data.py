"""What each chart draws: plain frozen dataclasses, already worded and formatted in Chinese.

The service that builds them (``desktop.services.charts.building``) does every look-up and every
number format, so a chart function only places things, and a test can build these by hand. Each
carries the table of its figures, printed beneath the chart in a meeting pack and a printout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Caption:
    """Title, the line beneath it (who, when, unit of measure) and footnotes."""

    title: str
    subtitle: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """The chart's figures as printed beneath it: header and rows of display strings."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Series:
    """One line of a trend; ``highlight`` marks the office's own unit."""

    name: str
    values: tuple[float | None, ...]
    highlight: bool = False


@dataclass(frozen=True)
class TargetSpan:
    """An annual target drawn across the points ``start``..``end`` (inclusive) of its year."""

    start: int
    end: int
    value: float
    label: str


@dataclass(frozen=True)
class TrendData:
    caption: Caption
    table: Table
    unit: str
    decimals: int
    x_labels: tuple[str, ...]
    series: tuple[Series, ...]
    #: The first unit's figures one year earlier, drawn faded.
    last_year: Series | None
    targets: tuple[TargetSpan, ...]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    highlight: bool = False


@dataclass(frozen=True)
class RankingData:
    caption: Caption
    table: Table
    unit: str
    decimals: int
    #: Best first, by the indicator's direction (lower first for PM2.5).
    bars: tuple[Bar, ...]
    #: "higher", "lower" or "none": said on the axis so a reader knows which end is good.
    better: str


@dataclass(frozen=True)
class CompletionItem:
    label: str
    actual_text: str
    target_text: str
    #: Actual as a share of the target (the bar's length); None when it cannot be computed.
    percent: float | None
    #: +1 done or 达标, 0 under way, -1 behind or 未达标.
    verdict: int
    status: str
    highlight: bool = False


@dataclass(frozen=True)
class CompletionData:
    caption: Caption
    table: Table
    items: tuple[CompletionItem, ...]
    #: 序时进度: the share of the year elapsed (83.3% after ten months), drawn as a line.
    expected_percent: float | None


@dataclass(frozen=True)
class CompositionData:
    caption: Caption
    table: Table
    unit: str
    decimals: int
    parts: tuple[str, ...]
    #: One stacked bar per category (a unit or a period); a pie shows the first only.
    categories: tuple[str, ...]
    #: values[category][part]
    values: tuple[tuple[float, ...], ...]
    style: Literal["bar", "pie"] = "bar"


@dataclass(frozen=True)
class YoyItem:
    name: str
    unit: str
    last: float
    current: float
    last_text: str
    current_text: str
    #: "-18.8%" for a quantity, "+2.7个百分点" for a rate.
    change_text: str
    #: +1 better, -1 worse, 0 neither, by the indicator's direction.
    verdict: int


@dataclass(frozen=True)
class YoyData:
    caption: Caption
    table: Table
    items: tuple[YoyItem, ...]
    last_label: str
    current_label: str


ChartData = TrendData | RankingData | CompletionData | CompositionData | YoyData
