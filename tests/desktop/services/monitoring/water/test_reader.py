"""Reading section measurements as a monitoring station publishes them: errors at their cells."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from desktop.services.common.workbook import WorkbookError
from desktop.services.monitoring.water.classes import WaterBody
from desktop.services.monitoring.water.reader import parse_day, parse_value, read_water_file

TITLE = "2026年3月市控断面水质监测结果"
HEADERS = (
    "断面名称", "水体类型", "采样日期", "水温(℃)", "pH(无量纲)", "溶解氧(mg/L)",
    "高锰酸盐指数(mg/L)", "化学需氧量(mg/L)", "五日生化需氧量(mg/L)", "氨氮(mg/L)",
    "总磷(mg/L)", "总氮(mg/L)", "石油类(μg/L)",
)  # fmt: skip
#: Rows 3-7 of the sheet. 城东桥 is written once and merged down over its two dates.
ROWS: tuple[tuple[object, ...], ...] = (
    ("城东桥", "河流", datetime(2026, 3, 5), 14.2, 7.6, 8.1, 3.2, 12, 2.1, 0.32, 0.085, 1.8, 20),
    (None, None, datetime(2026, 3, 20), 15.0, 7.4, 7.7, 3.6, 14, 2.3, 0.41, 0.095, 1.9, 30),
    ("西湖闸", "湖泊", datetime(2026, 3, 6), 13.1, 8.1, 8.9, 4.1, 16, 2.8, 0.38, 0.04, 0.9, 10),
    ("南溪口", "河流", datetime(2026, 3, 7), 15.5, 7.2, 6.1, 5.2, 18, 3.4, 1.32, 0.18, 3.1,
     "未检出"),
    ("北渠", "河流", datetime(2026, 3, 8), 16.0, 7.0, -1.2, 4.0, "约15", "<0.5", 0.6, 0.12, 2.0,
     "—"),
)  # fmt: skip
SHEET = "3月"


def write_station_workbook(path: Path, rows: tuple[tuple[object, ...], ...] = ROWS) -> Path:
    """A month's results as a station sends them: merged title, units in the headers."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(list(row))
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("B3:B4")
    sheet.append([])
    sheet.append(["注：数据来源于市环境监测站，石油类单位为μg/L。"])
    book.save(path)
    return path


def test_a_station_workbook_is_read_with_errors_at_their_cells(tmp_path: Path) -> None:
    result = read_water_file(write_station_workbook(tmp_path / "断面.xlsx"))
    assert result.sections == ["北渠", "南溪口", "城东桥", "西湖闸"]
    errors = {p.cell: p.message for p in result.errors}
    assert set(errors) == {"M6", "F7", "H7"}
    assert "未写检出限" in errors["M6"] and "石油类" in errors["M6"]
    assert "负数" in errors["F7"]
    assert "“约15”不是数字" in errors["H7"]
    assert all(p.sheet == SHEET for p in result.problems)

    values = {(o.station, o.day, o.item): o for o in result.observations}
    # The merged section name belongs to both its dates.
    second = values[("城东桥", date(2026, 3, 20), "NH3-N")]
    assert second.value == Decimal("0.41") and (second.sheet, second.cell) == (SHEET, "J4")
    assert second.water_body == "河流" and second.label == "氨氮（mg/L）"
    assert values[("西湖闸", date(2026, 3, 6), "TP")].water_body == "湖库"
    # μg/L converted to mg/L; "<0.5" enters at half the detection limit.
    assert values[("城东桥", date(2026, 3, 5), "Oil")].value == Decimal("0.020")
    assert values[("北渠", date(2026, 3, 8), "BOD5")].value == Decimal("0.25")
    assert ("北渠", date(2026, 3, 8), "Oil") not in values  # "—": not sampled
    assert values[("北渠", date(2026, 3, 8), "pH")].value == 7
    warnings = "\n".join(result.warnings)
    assert "μg/L，已换算为 mg/L" in warnings
    assert "五日生化需氧量低于检出限的值按1/2检出限参与计算（3月!I7）" in warnings
    # 5 rows × 10 items, less the three errors and the blank 石油类.
    assert len(result.observations) == 5 * 10 - 3 - 1


def test_csv_without_a_body_column_takes_the_given_body(tmp_path: Path) -> None:
    path = tmp_path / "断面.csv"
    path.write_text(
        "监测断面,监测时间,DO,CODMn,NH3-N,TP\n清溪桥,2026-04,6.5,3.1,0.2,0.08\n",
        encoding="gbk",
    )
    asked = read_water_file(path)
    assert asked.sections_without_body == ["清溪桥"]
    assert all(o.water_body == "" for o in asked.observations)
    lake = read_water_file(path, WaterBody.LAKE)
    assert lake.sections_without_body == []
    assert {o.water_body for o in lake.observations} == {"湖库"}
    assert {o.day for o in lake.observations} == {date(2026, 4, 1)}
    warnings = "\n".join(lake.warnings)
    assert "全部断面按湖库评价" in warnings and "记为当月1日" in warnings


def test_two_header_rows_with_the_unit_above(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["断面", "类型", "月份", "监测项目（μg/L）", None])
    sheet.append([None, None, None, "氨氮", "总磷TP"])
    sheet.append(["河口", "水库", "2026年5月", 350, 30])
    sheet.merge_cells("D1:E1")
    book.save(tmp_path / "two.xlsx")
    result = read_water_file(tmp_path / "two.xlsx")
    assert {o.item: o.value for o in result.observations} == {
        "NH3-N": Decimal("0.350"),
        "TP": Decimal("0.030"),
    }
    assert {o.cell for o in result.observations} == {"D3", "E3"}


def test_a_file_without_section_headers_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("日期,PM2.5\n2026-01-01,30\n", encoding="utf-8")
    with pytest.raises(WorkbookError, match="断面"):
        read_water_file(path)


@pytest.mark.parametrize(
    ("text", "value", "below"),
    [
        ("0.15", Decimal("0.15"), False),
        ("<0.01", Decimal("0.005"), True),
        ("＜0.025", Decimal("0.0125"), True),
        ("0.01L", Decimal("0.005"), True),
        ("未检出(0.04)", Decimal("0.02"), True),
        ("ND（0.01）", Decimal("0.005"), True),
        ("2.4E+04", Decimal("24000"), False),
        ("0.32 mg/L", Decimal("0.32"), False),
    ],
)
def test_values_as_written(text: str, value: Decimal, below: bool) -> None:
    reading = parse_value(text)
    assert reading is not None and reading.value == value and reading.below_limit is below


@pytest.mark.parametrize("text", [None, "", "—", "/", "缺测", "断流"])
def test_no_sample(text: str | None) -> None:
    assert parse_value(text) is None


@pytest.mark.parametrize("text", ["未检出", "ND", "约0.2", "0.2左右", "1.5倍"])
def test_refused(text: str) -> None:
    with pytest.raises(ValueError, match="”"):
        parse_value(text)


def test_days_and_months() -> None:
    assert parse_day("2026年3月5日", None) == (date(2026, 3, 5), False)
    assert parse_day("2026/03", None) == (date(2026, 3, 1), True)
    assert parse_day(3, 2026) == (date(2026, 3, 1), True)
    assert parse_day("3月", None) == (None, False)  # no year anywhere: not guessed
    assert parse_day("2026-02-30", None) == (None, False)


def test_a_value_twice_is_kept_once_or_refused_at_both_cells(tmp_path: Path) -> None:
    path = tmp_path / "重复.csv"
    path.write_text(
        "断面名称,水体类型,采样日期,氨氮,总磷\n"
        "甲桥,河流,2026-03-05,0.5,0.1\n"
        "甲桥,河流,2026-03-05,0.5,0.12\n",
        encoding="utf-8",
    )
    result = read_water_file(path)
    assert [(o.item, o.value) for o in result.observations] == [("NH3-N", Decimal("0.5"))]
    assert {p.cell for p in result.errors} == {"E2", "E3"}
    assert "与重复!E3取值不同" in next(p.message for p in result.errors if p.cell == "E2")
    assert any("重复!D3 与 重复!D2 重复，只计一次" in w for w in result.warnings)


def test_the_stations_own_class_is_cross_checked(tmp_path: Path) -> None:
    path = tmp_path / "类别.csv"
    path.write_text(
        "断面名称,水体类型,采样日期,氨氮,总磷,水质类别\n"
        "甲桥,河流,2026-03-05,1.2,0.1,Ⅲ类\n"  # NH3-N 1.2 is Ⅳ
        "乙桥,河流,2026-03-05,0.4,0.1,II\n",
        encoding="utf-8",
    )
    warnings = read_water_file(path).warnings
    assert warnings == ["警告：类别!F2：文件写Ⅲ类，按本行数值评价为Ⅳ类（氨氮），请核对"]


def test_month_cells_take_the_year_of_the_title(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2026年1-3月地表水断面监测月报"])
    sheet.append(["序号", "监测断面", "断面类型", "月份", "CODMn", "NH3-N", "TP", "备注"])
    sheet.append([1, "东门桥", "河流", "1月", 3.1, 0.2, 0.05, None])
    sheet.append([2, "东门桥", "河流", 2, 3.3, 0.3, 0.06, "枯水期"])
    book.save(tmp_path / "月报.xlsx")
    result = read_water_file(tmp_path / "月报.xlsx")
    assert sorted({o.day for o in result.observations}) == [date(2026, 1, 1), date(2026, 2, 1)]
    assert not result.errors and len(result.observations) == 6
