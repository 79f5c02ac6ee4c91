"""Which column of a section-measurement table holds what, from the headers stations write.

Monitoring stations head their tables in many ways: ``断面名称 | 水体类型 | 采样日期 |
溶解氧(mg/L) | CODMn | NH3-N（mg/L） | 总磷 …``, sometimes with the unit in a merged row above
the item names (``监测项目（mg/L）``). The items are those of GB 3838-2002 表1 as the standard
file lists them, so a new item added there is recognised by its label without a code change;
the aliases below are only the abbreviations and older names found in published tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from desktop.services.common.text import drop_brackets, fold, half_width
from desktop.services.monitoring.standards import WaterStandard
from desktop.services.monitoring.water.classes import WaterBody

SECTION_HEADERS = frozenset(
    {"断面名称", "断面", "监测断面", "断面名", "监测断面名称", "点位名称", "监测点位", "点位"}
)
BODY_HEADERS = frozenset({"水体类型", "断面类型", "类型", "水体", "水域类型", "河流湖库"})
DATE_HEADERS = frozenset(
    {"日期", "采样日期", "监测日期", "采样时间", "监测时间", "时间", "月份", "监测月份", "采样月份"}
)
#: The station's own class of the sample (not 目标类别, the section's target).
CLASS_HEADERS = frozenset({"水质类别", "实测水质类别", "现状水质类别", "水质现状", "类别"})
#: A section's 控制级别 (国控/省控/市控/县控) as bureaus' monitoring exports head it.
LEVEL_HEADERS = frozenset(
    {"控制级别", "断面级别", "考核级别", "点位级别", "断面控制级别", "控制类别", "考核类别"}
)
#: A section's 水质目标 (the class it must meet), as exports head it.
TARGET_HEADERS = frozenset(
    {
        "水质目标", "目标水质", "功能区类别", "水功能区类别", "水环境功能区类别", "目标类别",
        "水质目标类别", "目标水质类别", "考核目标", "功能区目标", "规划类别", "水质考核目标",
    }
)  # fmt: skip
#: Abbreviations and older names beside the standard's own labels and ids.
ITEM_ALIASES = {
    "ph值": "pH",
    "do": "DO",
    "高锰酸钾指数": "CODMn",
    "imn": "CODMn",
    "codcr": "COD",
    "bod": "BOD5",
    "nh3n": "NH3-N",
    "nh4n": "NH3-N",
    "氨氮nh3n": "NH3-N",
    "tp": "TP",
    "tn": "TN",
    "温度": "WT",
    "六价铬": "Cr6",
    "cr6": "Cr6",
    "铬六价": "Cr6",
    "氰化物cn": "CN",
    "石油": "Oil",
    "阴离子表面活性剂las": "LAS",
    "粪大肠菌群数": "FC",
}
#: Words a station writes for a section's water body.
BODY_WORDS = {
    "河流": WaterBody.RIVER,
    "河": WaterBody.RIVER,
    "江": WaterBody.RIVER,
    "河道": WaterBody.RIVER,
    "入海河流": WaterBody.RIVER,
    "湖库": WaterBody.LAKE,
    "湖泊": WaterBody.LAKE,
    "水库": WaterBody.LAKE,
    "湖": WaterBody.LAKE,
    "库": WaterBody.LAKE,
    "湖泊水库": WaterBody.LAKE,
}

#: A unit in a header, with the factor to the unit the standard uses (mg/L; 个/L for bacteria).
_UNITS: tuple[tuple[re.Pattern[str], str, Decimal], ...] = (
    (re.compile(r"(μg|µg|ug|微克)\s*/\s*(l|升)", re.IGNORECASE), "μg/L", Decimal("0.001")),
    (re.compile(r"(mg|毫克)\s*/\s*(l|升)", re.IGNORECASE), "mg/L", Decimal(1)),
    (re.compile(r"(个|mpn)\s*/\s*(l|升)", re.IGNORECASE), "个/L", Decimal(1)),
    (re.compile(r"无量纲"), "无量纲", Decimal(1)),
    (re.compile(r"℃|°c", re.IGNORECASE), "℃", Decimal(1)),
)


@dataclass(frozen=True)
class HeaderUnit:
    written: str  # "μg/L" as recognised, "" when the header names no unit
    factor: Decimal  # multiply a cell by this to get the standard's unit


def header_unit(header: str) -> HeaderUnit:
    text = half_width(header)
    for pattern, name, factor in _UNITS:
        if pattern.search(text):
            return HeaderUnit(name, factor)
    return HeaderUnit("", Decimal(1))


def item_names(standard: WaterStandard) -> dict[str, str]:
    """Folded header text → item id, from the standard's labels and ids and the aliases."""
    names: dict[str, str] = {}
    for item_id, item in standard.items.items():
        names[fold(item_id)] = item_id
        names[fold(item.label)] = item_id
    names.update(ITEM_ALIASES)
    return names


def item_of(header: str, names: dict[str, str]) -> str | None:
    """The item a header names ("氨氮(mg/L)", "NH3-N", "溶解氧DO"), or None."""
    text = half_width(header)
    for pattern, _, _ in _UNITS:
        text = pattern.sub("", text)
    bare = fold(drop_brackets(text))
    whole = fold(text)
    for candidate in (whole, bare):
        if candidate in names:
            return names[candidate]
    # "溶解氧DO" / "总磷TP": a label followed by its abbreviation
    for key in sorted(names, key=len, reverse=True):
        rest = bare[len(key) :]
        if len(key) > 1 and bare.startswith(key) and names.get(rest) == names[key]:
            return names[key]
    return None


def body_of(text: str) -> WaterBody | None:
    return BODY_WORDS.get(fold(text))
