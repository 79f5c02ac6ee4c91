"""GB 3838-2002 classes at each limit, for rivers and lakes, and the section rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.services.monitoring.water.classes import (
    WaterBody,
    classify_section,
    good_share,
    item_class,
)

# Limits typed again from the table (mg/L): Ⅰ..Ⅴ.
MAX_LIMITS = {
    "CODMn": ("2", "4", "6", "10", "15"),
    "COD": ("15", "15", "20", "30", "40"),
    "BOD5": ("3", "3", "4", "6", "10"),
    "NH3-N": ("0.15", "0.5", "1.0", "1.5", "2.0"),
}
TP_RIVER = ("0.02", "0.1", "0.2", "0.3", "0.4")
TP_LAKE = ("0.01", "0.025", "0.05", "0.1", "0.2")
DO = ("7.5", "6", "5", "3", "2")


def cases() -> list[tuple[str, WaterBody, tuple[str, ...]]]:
    rows: list[tuple[str, WaterBody, tuple[str, ...]]] = [
        (item, body, limits) for item, limits in MAX_LIMITS.items() for body in WaterBody
    ]
    rows += [("TP", WaterBody.RIVER, TP_RIVER), ("TP", WaterBody.LAKE, TP_LAKE)]
    return rows


@pytest.mark.parametrize(("item", "body", "limits"), cases())
def test_at_and_just_above_each_limit(item: str, body: WaterBody, limits: tuple[str, ...]) -> None:
    for index, text in enumerate(limits):
        limit = Decimal(text)
        best = limits.index(text) + 1  # equal limits (COD Ⅰ=Ⅱ): the better class
        assert item_class(item, limit, body).class_index == best, (item, text)
        above = item_class(item, limit + Decimal("0.001"), body).class_index
        following = [i + 1 for i, t in enumerate(limits[index:], index) if Decimal(t) > limit]
        assert above == (following[0] if following else 6), (item, text)


def test_dissolved_oxygen_is_a_minimum() -> None:
    for index, text in enumerate(DO):
        assert item_class("DO", Decimal(text)).class_index == index + 1
        assert item_class("DO", Decimal(text) - Decimal("0.01")).class_index == index + 2
    assert item_class("DO", "1.9").class_name == "劣Ⅴ类"
    assert item_class("DO", 9).class_index == 1


def test_ph_outside_6_to_9_fails_every_class() -> None:
    assert item_class("pH", "7.8").class_index == 1
    assert item_class("pH", 9).class_index == 1 and item_class("pH", 6).class_index == 1
    assert item_class("pH", "9.2").class_index == 6


def test_section_is_its_worst_item_without_tn_and_coliforms() -> None:
    section = classify_section(
        "龙湾桥",
        {
            "DO": 6.5,
            "CODMn": 3.1,
            "NH3-N": "0.42",
            "TP": 0.08,
            "TN": 4.5,
            "FC": 50000,
            "WT": 18.2,
        },
    )
    assert section.class_index == 2 and section.class_name == "Ⅱ类"
    assert section.main_pollutants == ()
    tn = next(i for i in section.items if i.item == "TN")
    assert tn.class_index == 6 and not tn.counted  # measured, reported, not counted


def test_same_values_in_a_lake_are_judged_by_lake_tp() -> None:
    values = {"DO": 6.5, "CODMn": 3.1, "NH3-N": 0.42, "TP": 0.08}
    assert classify_section("湖心", values, WaterBody.RIVER).class_index == 2
    assert classify_section("湖心", values, WaterBody.LAKE).class_index == 4


def test_main_pollutants_worst_class_then_exceedance() -> None:
    section = classify_section(
        "入海口",
        {"DO": 2.5, "CODMn": 11, "COD": 35, "NH3-N": 2.6, "TP": 0.45, "BOD5": 3},
    )
    assert section.class_name == "劣Ⅴ类"
    # 劣Ⅴ: NH3-N (1.6 times over Ⅲ), TP (1.25); then Ⅴ: COD 0.75, CODMn 0.83, DO (no multiple).
    # Multiples to one decimal as 环办〔2011〕22号 writes them ("高锰酸盐指数（1.2）").
    assert section.main_pollutants == ("氨氮（1.6）", "总磷（1.2）", "高锰酸盐指数（0.8）")


def test_unknown_and_blank_items() -> None:
    section = classify_section("某断面", {"CODMn": 5, "叶绿素": 3, "TP": None})
    assert section.class_index == 3 and section.unknown_items == ("叶绿素",)
    assert classify_section("空", {"WT": 20}).class_index is None
    with pytest.raises(ValueError, match="负数"):
        item_class("COD", -1)


def test_share_of_sections_at_iii_or_better() -> None:
    sections = [
        classify_section("甲", {"NH3-N": 0.4}),
        classify_section("乙", {"NH3-N": 1.0}),
        classify_section("丙", {"NH3-N": 1.2}),
        classify_section("丁", {"WT": 20}),  # no class: not counted
    ]
    share = good_share(sections)
    assert (share.good, share.evaluated, share.rate) == (2, 3, Decimal("66.7"))
    assert share.text == "66.7%（2/3）"
    assert good_share([]).rate is None
