"""Each seed imports into a sensible outline, whatever its source layout did to it."""

from __future__ import annotations

import pytest

from desktop.services.reports.text_import import ImportedReport, import_text
from tests.conftest import seed_text

TOP_LEVEL = {
    "000": ["一、2022年工作总结", "二、2023年工作计划"],
    "001": ["1、2022年工作总结", "二、存在困难和问题", "三、2023年工作思路"],
    "002": ["一个目标", "两项行动", "三大提升", "六个聚焦", "踔厉奋发 笃行不怠"],
    "003": ["2021年工作总结", "2022年工作要点"],
    "004": ["一、工作完成情况", "二、存在的不足和差距", "三、2023年工作计划"],
}


def _imported(seed: str) -> ImportedReport:
    return import_text(seed_text(seed), default_title=seed)


@pytest.mark.parametrize("seed", sorted(TOP_LEVEL))
def test_top_level_headings(seed: str) -> None:
    assert _imported(seed).top_headings == TOP_LEVEL[seed]


def test_000_nests_three_levels_and_splits_run_in_headings() -> None:
    summary = _imported("000").nodes[1]
    assert [c.marker for c in summary.children] == [
        "（一）",
        "（二）",
        "（三）",
        "（四）",
        "（五）",
    ]
    first = summary.children[0].children[0]
    assert (first.marker, first.heading, first.run_in) == ("1.", "推进生态文明建设示范", True)
    assert first.body.startswith("坚持打造全国")
    plan = _imported("000").nodes[2]
    assert plan.children[2].marker == "(三)"  # half-width parentheses are still level 2


def test_002_joins_newspaper_column_lines() -> None:
    nodes = _imported("002").nodes
    goal = nodes[0].body
    assert "\n" not in goal and "持续深入打好污染防治攻坚战，加快推进生态环境高质量发展" in goal
    # A sentence broken across a blank line is joined too.
    assert "争做“两个确立”的忠诚拥护者" in nodes[1].body
    focus = nodes[3]
    assert len(focus.children) == 6
    assert focus.children[0].heading == "聚焦环境质量，深入推进污染防治攻坚行动"


def test_003_drops_web_debris_and_splits_one_line_chapters() -> None:
    imported = _imported("003")
    assert imported.title == "嘉兴市生态环境局2021年工作总结和2022年工作要点"
    assert (imported.year, imported.kind, imported.period) == (2021, "工作总结", "2021-Y")
    everything = "".join(n.heading + n.body for root in imported.nodes for n in root.walk())
    assert "|" not in everything and "打印本页" not in everything and "关闭窗口" not in everything
    summary, points = imported.nodes
    assert [c.label for c in summary.children] == ["一、主要工作成效", "二、主要工作开展情况"]
    assert len(summary.children[0].children) == 5
    assert [c.marker for c in points.children] == ["(一)", "(二)", "(三)", "(四)", "(五)"]
    items = [n for c in points.children for n in c.children]
    assert [n.marker for n in items] == [f"{i}." for i in range(1, 14)]


def test_000_period_is_year_to_date() -> None:
    imported = _imported("000")
    assert (imported.year, imported.kind, imported.period) == (2022, "工作总结", "2022-YTD10")
