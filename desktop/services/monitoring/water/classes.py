"""Surface water class of a monitoring section by GB 3838-2002's single-factor rule.

Each evaluated item gets the best class whose limit it meets (a value on a limit meets it);
the section's class is the worst of its items, and worse than Ⅴ is 劣Ⅴ. Water temperature, TN
and fecal coliforms are measured but left out of the class (TN is judged separately for lakes,
only as a reference); TP is judged against the lake limit for lake and reservoir sections. When a
section is worse than Ⅲ its main pollutants are named, worst class first and, within a class,
by how many times they exceed the Ⅲ limit, as the national evaluation method does. The limits
come from ``resources/standards/GB3838-2002.json``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from db.numbers import CLASS_NAMES
from desktop.services.monitoring.standards import (
    StandardsLibrary,
    WaterItem,
    WaterStandard,
    load_library,
    round_gbt8170,
    to_decimal,
)

WORST = 6  # 劣Ⅴ


class WaterBody(StrEnum):
    RIVER = "河流"
    LAKE = "湖库"


@dataclass(frozen=True)
class ItemClass:
    """One item's class (1-5, 6 = 劣Ⅴ) and how far it exceeds the Ⅲ limit."""

    item: str
    label: str
    value: Decimal
    class_index: int
    exceed_multiple: Decimal | None  # (C − Ⅲ limit)/Ⅲ limit when above Ⅲ; None for DO, pH
    counted: bool  # False for items left out of the section class (TN, fecal coliforms)

    @property
    def class_name(self) -> str:
        return CLASS_NAMES[self.class_index]


@dataclass(frozen=True)
class SectionClass:
    section: str
    body: WaterBody
    items: tuple[ItemClass, ...]
    class_index: int | None  # None: no evaluated item was given
    main_pollutants: tuple[str, ...]
    unknown_items: tuple[str, ...]

    @property
    def class_name(self) -> str:
        return "—" if self.class_index is None else CLASS_NAMES[self.class_index]

    def good(self, standard: WaterStandard) -> bool:
        return self.class_index is not None and self.class_index <= standard.good_class_max


def _meets(item: WaterItem, limit: object, value: Decimal) -> bool:
    if item.kind == "min":
        assert isinstance(limit, Decimal)
        return value >= limit
    if item.kind == "range":
        assert isinstance(limit, tuple)
        low, high = limit
        return bool(low <= value <= high)
    assert isinstance(limit, Decimal)
    return value <= limit


def item_class(
    item_id: str,
    value: Decimal | float | int | str,
    body: WaterBody = WaterBody.RIVER,
    standard: WaterStandard | None = None,
) -> ItemClass:
    """The class of one measured item; raises ``KeyError`` for an item the standard lacks."""
    standard = standard or load_library().water
    item = standard.items[item_id]
    exact = to_decimal(value)
    if exact < 0 and item.kind != "range":
        raise ValueError(f"{item.label} 不能为负数（{exact}）")
    limits = item.lake_limits if body is WaterBody.LAKE and item.lake_limits else item.limits
    if item.kind == "none" or not limits:
        raise KeyError(item_id)
    found = next((i + 1 for i, limit in enumerate(limits) if _meets(item, limit, exact)), WORST)
    multiple = None
    good_limit = limits[standard.good_class_max - 1]
    if found > standard.good_class_max and item.kind == "max" and good_limit > 0:
        multiple = (exact - good_limit) / good_limit
    return ItemClass(item_id, item.label, exact, found, multiple, item_id not in standard.excluded)


def classify_section(
    section: str,
    measurements: Mapping[str, Decimal | float | int | str | None],
    body: WaterBody = WaterBody.RIVER,
    library: StandardsLibrary | None = None,
) -> SectionClass:
    """A section's class from its measurements (item id → value, e.g. ``{"NH3-N": 1.2}``)."""
    standard = (library or load_library()).water
    items: list[ItemClass] = []
    unknown: list[str] = []
    for item_id, value in measurements.items():
        if value is None:
            continue
        item = standard.items.get(item_id)
        if item is None:
            unknown.append(item_id)
            continue
        if item.kind == "none":
            continue  # water temperature: measured, never classed
        items.append(item_class(item_id, value, body, standard))
    counted = [i for i in items if i.counted]
    section_class = max((i.class_index for i in counted), default=None)
    main: tuple[str, ...] = ()
    if section_class is not None and section_class > standard.main_worse_than:
        worse = [i for i in counted if i.class_index > standard.main_worse_than]
        worse.sort(
            key=lambda i: (
                -i.class_index,
                i.exceed_multiple is None,
                -(i.exceed_multiple or Decimal(0)),
            )
        )
        main = tuple(_main_label(i) for i in worse[: standard.main_count])
    return SectionClass(section, body, tuple(items), section_class, main, tuple(unknown))


def _main_label(item: ItemClass) -> str:
    if item.exceed_multiple is None:
        return item.label
    return f"{item.label}（{multiple_text(item.exceed_multiple)}）"


def multiple_text(multiple: Decimal) -> str:
    """An exceedance multiple as 环办〔2011〕22号's examples write it: one decimal ("高锰酸盐指数
    （1.2）"), GB/T 8170; an item that exceeds by less than 0.05 gets as many decimals as it
    takes to show a non-zero figure (6.01 against a limit of 6 → 0.002), because a printed
    "0.0" or "0.00" says the item does not exceed when it does.
    """
    if multiple <= 0:
        return "0"
    places = 1
    shown = round_gbt8170(multiple, places)
    while shown == 0 and places < 6:
        places += 1
        shown = round_gbt8170(multiple, places)
    return str(shown) if shown != 0 else "<0.000001"


@dataclass(frozen=True)
class GoodShare:
    """Share of sections at Ⅲ类 or better (水质优良比例)."""

    good: int
    evaluated: int
    rate: Decimal | None  # percent, GB/T 8170 to one decimal

    @property
    def text(self) -> str:
        if self.rate is None:
            return "—"
        return f"{self.rate}%（{self.good}/{self.evaluated}）"


def good_share(
    sections: Iterable[SectionClass], library: StandardsLibrary | None = None
) -> GoodShare:
    """Sections with a class at Ⅲ or better over sections with a class."""
    standard = (library or load_library()).water
    evaluated = [s for s in sections if s.class_index is not None]
    good = sum(1 for s in evaluated if s.good(standard))
    rate = None
    if evaluated:
        rate = round_gbt8170(Decimal(good * 100) / Decimal(len(evaluated)), 1)
    return GoodShare(good, len(evaluated), rate)
