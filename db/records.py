"""Plain records read from the store. Frozen dataclasses: the GUI may hold them freely."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

CATEGORIES: tuple[str, ...] = (
    "大气", "水", "土壤固废", "执法", "信访", "审批", "督察整改", "投资", "双碳", "其他",
)  # fmt: skip
UNIT_LEVELS: tuple[str, ...] = ("省厅", "市局", "分局", "县局", "其他")
BETTER = ("higher", "lower", "none")
AGGREGATIONS = ("sum", "mean", "last", "none")
YOY_MODES = ("percent", "points", "difference", "none")
KINDS = ("number", "water_class")


@dataclass(frozen=True)
class RuleSpec:
    """A cross-indicator check: ``le`` (left ≤ right) or ``le_days`` (left ≤ days in period)."""

    kind: str
    left: str
    right: str
    message: str


@dataclass(frozen=True)
class Unit:
    id: int
    code: str
    name: str
    short_name: str
    level: str
    parent_id: int | None
    sort_order: int

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class Indicator:
    id: int
    code: str
    name: str
    category: str
    unit: str
    decimals: int
    better: str
    min_value: float | None
    max_value: float | None
    period_agg: str
    unit_agg: str
    yoy: str
    parent_id: int | None
    formula: str | None
    kind: str
    description: str
    sort_order: int
    builtin: bool

    @property
    def is_computed(self) -> bool:
        return self.formula is not None

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


class Severity(StrEnum):
    ERROR = "错误"
    WARNING = "警告"


@dataclass(frozen=True)
class Failure:
    """One validation finding, worded for the user."""

    severity: Severity
    unit_id: int
    period: str
    indicator_code: str
    message: str
