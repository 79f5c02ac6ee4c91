"""Reading station daily data: headers with units, problems by file, row and column."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from desktop.services.common.workbook import WorkbookError
from desktop.services.monitoring.air.reader import Severity, describe_days, read_daily_file

HEADER = [
    "日期",
    "监测点位",
    "SO2(μg/m³)",
    "NO2(μg/m3)",
    "CO(mg/m³)",
    "O3_8h(μg/m³)",
    "PM10",
    "PM2.5",
    "AQI",
]


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2026年3月环境空气质量日均值"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_with_problems_by_cell(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        [datetime(2026, 3, 1), "城东", 8, 20, 0.6, 90, 45, 25, 36],
        [datetime(2026, 3, 2), "城东", 9, 22, 0.7, 95, 50, -3, 36],
        [datetime(2026, 3, 3), "城东", "约20", 22, 0.7, 95, 50, 30, 36],
        [datetime(2026, 3, 3), "城东", 9, 22, 0.7, 95, 50, 30, 36],  # differs from row 5
        [datetime(2026, 3, 6), "城东", 9, 22, 0.7, 95, 40, 60, 80],  # PM2.5 > PM10
        ["2026-03-01", "城西", 10, 25, "0.8", "NA", 60, "33", None],
        ["2026/3/1", "城西", 10, 25, "0.8", "NA", 60, "33", None],  # same as the row before
        ["三月", "城西", 1, 1, 1, 1, 1, 1, 1],
        [datetime(2026, 3, 2), "城西", 10, 25, 900, 80, 60, 33, None],  # CO in μg by mistake
    ]
    path = write_xlsx(tmp_path / "日均值.xlsx", rows)
    result = read_daily_file(path)
    texts = [p.text for p in result.problems]
    assert "错误：日均值.xlsx[Sheet] 第4行 H列（PM2.5）：-3 为负数，已剔除" in texts
    assert any("第5行 C列（SO2(μg/m³)）" in t and "“约20”不是数字" in t for t in texts)
    assert any("第6行" in t and "已在第5行出现且数值不同" in t for t in texts)
    assert any(t.startswith("警告") and "第7行" in t and "PM2.5 高于 PM10" in t for t in texts)
    assert any(t.startswith("警告") and "第9行" in t and "与第8行重复" in t for t in texts)
    assert any("第10行 A列（日期）" in t and "不是日期" in t for t in texts)
    assert any("第11行 E列" in t and "超出可能范围" in t for t in texts)
    assert any(
        "城东：2026-03-01～2026-03-06 之间缺 2 天：2026-03-04～2026-03-05" in t for t in texts
    )
    assert result.stations == ["城东", "城西"]
    first = result.records[0]
    assert first.day == date(2026, 3, 1) and first.station == "城东"
    assert first.values == {
        "SO2": 8,
        "NO2": 20,
        "CO": Decimal("0.6"),
        "O3_8h": 90,
        "PM10": 45,
        "PM2.5": 25,
    }
    second = result.records[1]
    assert "PM2.5" not in second.values and second.values["PM10"] == 50
    west = [r for r in result.records if r.station == "城西"]
    assert west[0].values["CO"] == Decimal("0.8") and "O3_8h" not in west[0].values
    assert len(result.errors) == 5
    assert result.columns["PM2.5"] == "PM2.5"


def test_csv_in_gbk_without_station_and_with_units_to_convert(tmp_path: Path) -> None:
    text = (
        "监测日期,二氧化硫,二氧化氮,一氧化碳(μg/m3),臭氧日最大8小时,臭氧1小时,可吸入颗粒物,细颗粒物\n"
        "2026年3月1日,8,20,600,90,120,45,25\n"
        "20260302,9,21,700,80,70,46,26\n"
    )
    path = tmp_path / "city.csv"
    path.write_bytes(text.encode("gbk"))
    result = read_daily_file(path)
    assert [r.day for r in result.records] == [date(2026, 3, 1), date(2026, 3, 2)]
    assert result.records[0].values["CO"] == Decimal("0.6")
    assert result.records[0].values["O3_1h"] == 120
    assert result.records[0].station == ""
    texts = [p.text for p in result.problems]
    assert any("已换算为 mg/m³" in t for t in texts)
    assert any("第3行" in t and "日最大1小时低于日最大8小时" in t for t in texts)
    assert all(p.severity is Severity.WARNING for p in result.problems)


def test_csv_utf8_bom_and_plain_o3_header(tmp_path: Path) -> None:
    path = tmp_path / "站点.csv"
    path.write_text(
        "日期,站点,SO2,NO2,CO,O3,PM10,PM2.5\n2026-03-01,甲,1,2,0.3,50,20,10\n", encoding="utf-8-sig"
    )
    result = read_daily_file(path)
    assert result.records[0].values["O3_8h"] == 50
    assert any("按日最大8小时平均" in p.message for p in result.problems)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="找不到文件"):
        read_daily_file(tmp_path / "none.csv")
    bad = tmp_path / "x.txt"
    bad.write_text("x", encoding="utf-8")
    with pytest.raises(WorkbookError, match="不是支持的数据文件"):
        read_daily_file(bad)
    no_header = tmp_path / "y.csv"
    no_header.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(WorkbookError, match="没有找到日均值数据表头"):
        read_daily_file(no_header)
    binary = tmp_path / "z.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81\x30")
    with pytest.raises(WorkbookError, match="UTF-8"):
        read_daily_file(binary)


def test_describe_days() -> None:
    days = [date(2026, 3, d) for d in (5, 10, 11, 12)]
    assert describe_days(days) == "2026-03-05、2026-03-10～2026-03-12"
