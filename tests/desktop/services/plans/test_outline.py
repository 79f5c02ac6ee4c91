"""Outline paste: the seeds' plans (002 as printed in the newspaper, 003's 工作要点 cleaned of
its web-page debris) become the right trees."""

from __future__ import annotations

import re
from datetime import date

from db import plans, units
from db.connection import Database
from desktop.services.plans.checklist import checklist, paste_outline
from desktop.services.plans.outline import parse_outline
from tests.conftest import seed_text


def test_002_newspaper_layout_gives_its_groups_and_paragraphs() -> None:
    outline = parse_outline(seed_text("002"))
    shape = [(n.text, len(n.children)) for n in outline.roots]
    assert shape == [("一个目标", 1), ("两项行动", 1), ("三大提升", 3), ("六个聚焦", 6)]
    goal = outline.roots[0].children[0].text
    # Lines broken mid-word by the columns are joined back.
    assert "水气土环境指标" in goal and goal.endswith("排名提升1位。")
    focus = [c.text for c in outline.roots[3].children]
    assert all(text.startswith("聚焦") for text in focus)
    assert "完成 16家以上VOCs企业整改" in focus[2] or "完成16家以上VOCs企业整改" in focus[2]


def _clean_003() -> str:
    """003's 2022年工作要点 as an office would paste it: one entry per line, no table pipes."""
    text = seed_text("003")
    section = text[text.rindex("2022年工作要点") :].replace("|", " ")
    section = re.sub(r"\s*(\([一二三四五]\))", r"\n\1", section)
    section = re.sub(r"(?<=[。\s])\s*(\d{1,2}\.)(?!\d)", r"\n\1", section)
    return section


def test_003_key_points_give_13_items_under_5_groups() -> None:
    outline = parse_outline(_clean_003())
    assert [len(n.children) for n in outline.roots] == [3, 3, 2, 3, 2]
    assert all(n.marker.startswith("(") and n.text.startswith("聚焦") for n in outline.roots)
    numbers = [c.marker for n in outline.roots for c in n.children]
    assert numbers == [f"{k}." for k in range(1, 14)]
    assert outline.preamble.startswith("2022年工作要点")


def test_four_levels_and_continuations() -> None:
    text = "\n".join(
        ["一、打好污染防治攻坚战", "（一）治气", "1.完成16家以上", "VOCs企业整改", "（1）源头替代",
         "（2）设施改造", "2.扬尘", "（二）治水", "二、督察整改"]
    )  # fmt: skip
    outline = parse_outline(text)
    first = outline.roots[0]
    assert [n.text for n in outline.roots] == ["打好污染防治攻坚战", "督察整改"]
    assert [c.text for c in first.children] == ["治气", "治水"]
    item = first.children[0].children[0]
    assert item.text == "完成16家以上VOCs企业整改"
    assert [c.marker for c in item.children] == ["（1）", "（2）"]
    assert outline.count() == 8


def test_paste_into_a_plan_writes_the_tree(demo_db: Database) -> None:
    unit = units.unit_by_code(demo_db, "330213")
    plan = plans.create_plan(demo_db, unit.id, 2021, "粘贴测试")
    count, _ids = paste_outline(demo_db, plan.id, seed_text("002"))
    assert count == 4 + 1 + 1 + 3 + 6
    rows = checklist(demo_db, plan, date(2022, 1, 1))
    groups = [r for r in rows if r.is_group]
    assert [(g.item.text, g.leaves) for g in groups] == [
        ("一个目标", 1), ("两项行动", 1), ("三大提升", 3), ("六个聚焦", 6),
    ]  # fmt: skip


def test_targets_are_suggested_from_the_item_text(demo_db: Database) -> None:
    from db.indicators import all_indicators
    from desktop.services.plans.checklist import suggest_target

    catalog = all_indicators(demo_db)
    wanted = {
        "完成 16家以上VOCs企业整改": ("vocs_rectified", ">=", 16.0),
        "绿色低碳工厂 130家": ("green_factories", ">=", 130.0),
        "危废安全处置率 100%": ("hw_safe_disposal_rate", ">=", 100.0),
        "省级林业碳汇示范基地800亩": ("carbon_sink_area", ">=", 800.0),
    }
    for text, (code, op, value) in wanted.items():
        found = suggest_target(text, catalog)
        assert found is not None and (found[0].code, found[1], found[2]) == (code, op, value)
    assert suggest_target("理顺内部工作机制", catalog) is None
