"""One reading of outline numbering: both styles documents are pasted in (official full-width
GB/T 9704 numbering, and half-width numbering from web pages), read alike by the plan and the
report outline parsers."""

from __future__ import annotations

import pytest

from desktop.services.common.outline_markers import Marker, read_marker
from desktop.services.plans.outline import parse_outline
from desktop.services.reports.outline import outline


@pytest.mark.parametrize(
    ("line", "marker"),
    [
        ("一、打好污染防治攻坚战", Marker(1, "一、", "打好污染防治攻坚战")),
        ("十二、其他", Marker(1, "十二、", "其他")),
        ("一百零一、其他", Marker(1, "一百零一、", "其他")),
        ("二．督察整改", Marker(1, "二．", "督察整改")),
        ("三.加强监管", Marker(1, "三.", "加强监管")),
        ("（一）治气", Marker(2, "（一）", "治气")),
        ("(三) 治土", Marker(2, "(三)", "治土")),
        ("（ 十一 ）治塑", Marker(2, "（十一）", "治塑")),
        ("1.完成16家以上VOCs企业整改", Marker(3, "1.", "完成16家以上VOCs企业整改")),
        ("2、扬尘治理", Marker(3, "2、", "扬尘治理")),
        ("12．推进示范创建", Marker(3, "12．", "推进示范创建")),
        ("3 . 噪声", Marker(3, "3.", "噪声")),
        ("（1）源头替代", Marker(4, "（1）", "源头替代")),
        ("(2)设施改造", Marker(4, "(2)", "设施改造")),
        ("①建成区", Marker(5, "①", "建成区")),
        ("⑳其他", Marker(5, "⑳", "其他")),
        ("一、", Marker(1, "一、", "")),
    ],
)
def test_markers_as_documents_write_them(line: str, marker: Marker) -> None:
    assert read_marker(line) == marker


def test_the_style_names_the_family_whatever_the_number() -> None:
    styles = [read_marker(f"{m}正文") for m in ("三、", "(五)", "7.", "（12）", "⑤")]
    assert [m.style for m in styles if m] == ["一、", "（一）", "1.", "（1）", "①"]


@pytest.mark.parametrize(
    "line",
    [
        "1.5倍以上",  # a decimal point, not a marker
        "2.3万吨",
        "2022年工作总结",
        "PM2.5浓度",
        "三月份空气质量",
        "一是加强监管",
        "(注)见附件",
        "",
    ],
)
def test_no_marker(line: str) -> None:
    assert read_marker(line) is None


TEXT = "\n".join(
    [
        "一、打好污染防治攻坚战",
        "（一）治气",
        "1.完成16家以上VOCs企业整改",
        "（1）源头替代",
        "①印刷行业",
        "(2)设施改造",
        "2、扬尘治理",
        "(二) 治水",
        "二.督察整改",
    ]
)


def test_both_outline_parsers_read_the_same_levels() -> None:
    """A plan and a report pasted from the same page nest alike. "二.督察整改" with a
    half-width dot was a top-level item for plans but plain text for reports."""
    plan = parse_outline(TEXT)
    _title, nodes = outline(TEXT)
    assert [n.text for n in plan.roots] == ["打好污染防治攻坚战", "督察整改"]
    assert [n.heading for n in nodes] == ["打好污染防治攻坚战", "督察整改"]

    first_plan, first_report = plan.roots[0], nodes[0]
    assert [c.marker for c in first_plan.children] == [c.marker for c in first_report.children]
    assert [c.marker for c in first_plan.children] == ["（一）", "(二)"]
    item, section = first_plan.children[0].children[0], first_report.children[0].children[0]
    assert (item.marker, section.marker) == ("1.", "1.")
    assert [c.marker for c in item.children] == [c.marker for c in section.children]
    assert [c.marker for c in item.children] == ["（1）", "(2)"]
    assert item.children[0].children[0].marker == section.children[0].children[0].marker == "①"


def test_a_marker_alone_is_text_for_a_plan_and_a_heading_for_a_report() -> None:
    """Each parser keeps its own rule above the marker: a plan item needs words."""
    assert parse_outline("一、\n加强监管").preamble == "一、加强监管"
    _title, nodes = outline("一、\n加强监管")
    assert nodes[0].marker == "一、"
