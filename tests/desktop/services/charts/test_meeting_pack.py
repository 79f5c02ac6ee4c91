"""PNG/SVG/PDF export of one chart and the meeting-pack PDF, read back with poppler."""

from __future__ import annotations

import struct
from datetime import date
from pathlib import Path

import pytest

from db import chart_sets
from db.connection import Database
from db.errors import Cancelled
from db.periods import Period
from desktop.services.charts.building import ChartSpec, build_chart, specs_to_json
from desktop.services.charts.meeting_pack import export_chart, prepare_pack, write_pack
from tests.support.pdf_text import pdf_pages, pdf_text

P = Period.parse("2022-YTD10")
DAY = date(2022, 11, 5)


def test_export_png_at_300_dpi_svg_as_outlines_pdf_as_text(
    chart_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    data = build_chart(chart_db, ChartSpec("ranking", ("pm25",)), P)
    png = export_chart(data, out / "排名.png", day=DAY)
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert (width, height) == (3000, 1800), "10 x 6 in at 300 dpi"
    svg = export_chart(data, out / "排名.svg", day=DAY).read_text(encoding="utf-8")
    assert "<svg" in svg and "<text" not in svg, "text as outlines: same on every machine"
    pdf = export_chart(data, out / "排名.pdf", day=DAY)
    text = pdf_text(pdf)
    assert "PM2.5平均浓度排名" in text and "海岛区分局（本单位）" in text and "17μg/m³" in text
    assert "数据来源：EcoDesk，截至 2022年11月5日" in text
    with pytest.raises(ValueError, match=r"\.png、\.svg 或 \.pdf"):
        export_chart(data, out / "x.jpg")
    assert sorted(p.name for p in out.iterdir()) == ["排名.pdf", "排名.png", "排名.svg"]


def test_meeting_pack_pdf_has_cover_captions_tables_and_page_numbers(
    chart_db: Database, tmp_path: Path
) -> None:
    out = tmp_path
    specs = [
        ChartSpec("ranking", ("pm25",)),
        ChartSpec("yoy", ("pm10", "complaints")),
        ChartSpec("composition", ("problems_found",), style="pie"),
        ChartSpec("trend", ("pm25",), span="years", count=5),
        ChartSpec("completion"),
    ]
    charts = [build_chart(chart_db, s, P) for s in specs]
    path = out / "局务会.pdf"
    pages = write_pack(
        path, "10月局务会数据材料", charts, subtitle="海岛区分局　2022年1-10月", day=DAY
    )
    assert pdf_pages(path) == pages >= 2
    text = pdf_text(path)
    assert "10月局务会数据材料" in text and "2022年11月5日" in text
    for number, chart in enumerate(charts, start=1):
        assert f"图{number}" in text and chart.caption.title in text
    assert "数据来源：EcoDesk，截至 2022年11月5日" in text
    assert f"第1页/共{pages}页" in text.replace(" ", ""), "pdftotext drops spaces beside CJK"
    # Figures from the tables beneath the charts.
    for figure in ("-18.8%", "6525.00万元", "89.0%（进行中）", "47.1%", "2018年1-10月"):
        assert figure in text


def test_long_tables_are_cut_with_a_note_and_cancel_leaves_no_file(
    chart_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    data = build_chart(chart_db, ChartSpec("trend", ("pm10",), span="months", count=36), P)
    path = out / "pack.pdf"
    write_pack(path, "长表", [data], day=DAY)
    assert "其余" in pdf_text(path) and "行略" in pdf_text(path)
    with pytest.raises(Cancelled):
        write_pack(out / "no.pdf", "取消", [data, data, data], progress=lambda d, t: False)
    assert not (out / "no.pdf").exists()
    assert [p.name for p in out.iterdir()] == ["pack.pdf"], "no partial file either"


def test_saved_set_reruns_for_the_next_month(chart_db: Database) -> None:
    specs = [
        ChartSpec("ranking", ("pm25",), period="2022-YTD10"),
        ChartSpec("yoy", period="2022-YTD10"),
    ]
    chart_sets.save_chart_set(chart_db, "月度局务会", "局务会材料", specs_to_json(specs))
    pack = prepare_pack(chart_db, specs, "局务会材料", Period.parse("2022-YTD11"))
    assert pack.charts == () and len(pack.skipped) == 2
    assert "2022年1-11月" in pack.skipped[0]
    same = prepare_pack(chart_db, specs, "局务会材料", None)
    assert len(same.charts) == 2 and same.subtitle == "2022年1-10月"
