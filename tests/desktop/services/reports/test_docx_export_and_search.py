"""Blanks filled from the store, the official .docx, and search across every seed."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import docx
import pytest

from db import reports, units
from db.connection import Database
from desktop.services.reports import docx_export, search, text_import
from desktop.services.reports.blanks import MISSING, Filler, bind_blanks, token
from tests.conftest import seed_text

UNITS = {"000": "330300-01", "001": "330703", "002": "330213", "003": "330400", "004": "620800-01"}


def _save(db: Database, seed: str, unit_code: str | None = None, period: str = "") -> int:
    imported = text_import.import_text(seed_text(seed), default_title=f"样本{seed}")
    if not imported.year:
        imported.year = 2022
    if period:
        imported.period = period
    text_import.bind_all_blanks(imported.nodes)
    unit = units.unit_by_code(db, unit_code or UNITS[seed])
    return text_import.save(db, imported, unit.id)


def test_004_blanks_bind_to_indicators() -> None:
    text, bound, left = bind_blanks(
        "2022年空气环境质量优良天数比率为**％，PM10平均浓度为**微克／立方米，"
        "力争PM2.5年均浓度控制在**微克每立方米以下，组织学习**次，浙能**风电场。"
    )
    assert (bound, left) == (2, 2)
    assert "优良天数比率为{{=air_good_rate}}％" in text and "{{=pm10}}微克" in text
    assert "控制在**微克" in text and "浙能**风电场" in text


def test_fields_fill_with_unit_and_missing_are_listed(demo_db: Database) -> None:
    unit = units.unit_by_code(demo_db, "330300-01")
    filler = Filler(demo_db, unit.id, "2022-YTD10")
    text = f"优良率{token('air_good_rate')}，PM2.5为{token('pm25', bare=True)}μg/m3，" + token("o3")
    assert filler.fill(text, "前言") == f"优良率97.0%，PM2.5为17μg/m3，{MISSING}"
    assert [m.what for m in filler.missing] == ["臭氧浓度（2022年1-10月）无数据"]
    # Totals computed from parts fill too (51 = 1 + 12 + 24 + 14).
    assert filler.fill(token("problems_found")) == "51个"
    assert filler.fill(token("pm25", period="2021-YTD10")) == MISSING


def test_004_exported_with_the_demo_store(demo_db: Database, tmp_path: Path) -> None:
    report_id = _save(demo_db, "004", "330300-01", "2022-YTD10")
    result = docx_export.export_docx(demo_db, report_id, tmp_path / "004.docx")
    text = "\n".join(p.text for p in docx.Document(str(result.path)).paragraphs)
    assert "优良天数比率为97.0％，PM10平均浓度为26微克／立方米" in text
    assert "全年受理各类环境信访19件" in text
    assert result.filled == 3
    assert "**" not in text.replace("浙能**", "")
    assert any("未绑定" in m.what for m in result.missing)


def test_004_for_its_own_unit_stays_blank_where_the_store_has_nothing(
    demo_db: Database, tmp_path: Path
) -> None:
    report_id = _save(demo_db, "004")
    result = docx_export.export_docx(demo_db, report_id, tmp_path / "004.docx")
    assert result.filled == 0
    assert "空气质量优良率（2022年）无数据" in [m.what for m in result.missing]


def test_docx_headings_levels_and_page_setup(demo_db: Database, tmp_path: Path) -> None:
    report_id = _save(demo_db, "000")
    result = docx_export.export_docx(
        demo_db, report_id, tmp_path / "000.docx", installed={"仿宋_GB2312", "黑体"}
    )
    document = docx.Document(str(result.path))
    by_style: dict[str, list[str]] = {}
    for paragraph in document.paragraphs:
        by_style.setdefault(_style(paragraph), []).append(paragraph.text)
    assert by_style["Heading 1"] == ["一、2022年工作总结", "二、2023年工作计划"]
    assert by_style["Heading 2"][0] == "（一）凝聚共识增合力，进一步打造美丽*升级版"
    assert len(by_style["Heading 2"]) == 10
    assert by_style["Heading 2"][5].startswith("（一）在创新两山基地实践上争取更亮成果。认真实施")
    level3 = next(p for p in document.paragraphs if p.text.startswith("1.推进生态文明建设示范。"))
    assert _style(level3) == "Normal" and level3.runs[0].font.bold
    section = document.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.left_margin)
    assert [round(s.mm) if s is not None else 0 for s in sizes] == [210, 297, 37, 28]
    body = document.paragraphs[3].runs[0]
    assert body.font.size is not None and body.font.size.pt == 16
    assert body.font.name == "仿宋_GB2312"
    assert result.fonts["hei"] == "黑体"
    assert any("小标宋" in note for note in result.fallbacks)


def test_docx_names_the_official_fonts_whatever_this_machine_has(
    demo_db: Database, tmp_path: Path
) -> None:
    """Exported on a PC with only a fallback CJK font, the file still names 公文 fonts."""
    import zipfile

    report_id = _save(demo_db, "000")
    path = tmp_path / "000.docx"
    result = docx_export.export_docx(demo_db, report_id, path, installed={"Droid Sans Fallback"})
    with zipfile.ZipFile(path) as book:
        xml = book.read("word/document.xml").decode("utf-8")
        fonts_xml = book.read("word/fontTable.xml").decode("utf-8")
        styles = book.read("word/styles.xml").decode("utf-8")
    assert "Droid Sans Fallback" not in xml + styles
    for name in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"):
        assert f'w:eastAsia="{name}"' in xml, name
    assert 'w:eastAsia="仿宋_GB2312"' in styles and 'w:eastAsia="黑体"' in styles
    assert '<w:altName w:val="仿宋"/>' in fonts_xml and '<w:altName w:val="楷体"/>' in fonts_xml
    assert re.search(r'w:name="方正小标宋简体"><w:altName w:val="小标宋"/>', fonts_xml)
    assert 'w:sz w:val="32"' in xml  # 三号 = 16 pt
    assert any("仿宋_GB2312" in note and "Droid Sans Fallback" in note for note in result.fallbacks)
    document = docx.Document(str(path))
    heading1 = next(p for p in document.paragraphs if _style(p) == "Heading 1")
    heading2 = next(p for p in document.paragraphs if _style(p) == "Heading 2")
    assert heading1.runs[0].font.name == "黑体" and heading2.runs[0].font.name == "楷体_GB2312"


def test_a_long_title_wraps_at_a_break_a_reader_would_choose() -> None:
    lines = docx_export.title_lines("温州市生态环境局海岛区分局2022年工作总结和2023年工作思路")
    assert lines == ["温州市生态环境局海岛区分局2022年", "工作总结和2023年工作思路"]
    for title in (
        "关于印发金华市生态环境局金东分局2023年度生态环境保护工作要点的通知",
        "宁波市生态环境局奉化分局2022年1-10月生态环境工作总结",
        "一二三四五六七八九十一二三四五六七八九十一",  # 21 characters, no word to break at
    ):
        lines = docx_export.title_lines(title)
        assert "".join(lines) == title
        assert all(2 < len(line) <= docx_export.TITLE_CHARS for line in lines), lines
    assert docx_export.title_lines("2022年工作总结") == ["2022年工作总结"]


def _style(paragraph: Any) -> str:
    return str(paragraph.style.name) if paragraph.style is not None else ""


PHRASES = {
    "000": "一口一策",
    "001": "拉丝厂",
    "002": "九大标志性工程",
    "003": "柴砖银行",
    "004": "逆温层",
}


def test_search_finds_a_phrase_from_each_seed(demo_db: Database) -> None:
    ids = {seed: _save(demo_db, seed) for seed in PHRASES}
    for seed, phrase in PHRASES.items():
        found = search.search(demo_db, phrase)
        assert ids[seed] in {r.doc_id for r in found}, seed
        assert f"【{phrase}】" in found[0].text()
        assert f'<b style="background:#ffeb3b">{phrase}</b>' in found[0].html()


@pytest.mark.slow
def test_search_stays_fast_on_many_reports(demo_db: Database) -> None:
    tree = text_import.import_text(seed_text("000")).nodes
    unit = units.all_units(demo_db)[0]
    with demo_db.transaction():
        for year in range(100):
            reports.create_report(demo_db, unit.id, 1950 + year, "工作总结", f"总结{year}", tree)
    started = time.perf_counter()
    found = search.search(demo_db, "美丽海湾")
    assert time.perf_counter() - started < 0.5
    assert len(found) > 100


def test_search_covers_plan_items(demo_db: Database) -> None:
    found = search.search(demo_db, "低效治理设施改造")
    kinds = {r.kind for r in found}
    assert "计划" in kinds  # the demo plan's item
    plan = next(r for r in found if r.kind == "计划")
    assert "【低效治理设施改造】" in plan.text()


def test_docx_import_reads_paragraphs(tmp_path: Path) -> None:
    document = docx.Document()
    for line in seed_text("001").splitlines():
        document.add_paragraph(line)
    document.save(str(tmp_path / "001.docx"))
    imported = text_import.import_file(tmp_path / "001.docx")
    assert imported.top_headings == [
        "1、2022年工作总结",
        "二、存在困难和问题",
        "三、2023年工作思路",
    ]
    assert imported.source == "001.docx"


def test_unreadable_files_are_refused_with_a_reason(tmp_path: Path) -> None:
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match=r"不是有效的 \.docx"):
        text_import.import_file(bad)
    with pytest.raises(ValueError, match="不支持的文件类型"):
        text_import.import_file(tmp_path / "表.xlsx")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("一、工作总结\n正文。".encode("gb18030"))
    assert text_import.import_file(gbk).top_headings == ["一、工作总结"]
