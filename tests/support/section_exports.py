"""Section files as a city monitoring centre exports them, not as our reader would like them.

A merged title naming the month, a 监测单位/报告日期 line, then ``序号 | 断面名称 | 所在河流 |
控制级别 | 水质目标 | pH | 溶解氧 | 高锰酸盐指数 | 化学需氧量 | 五日生化需氧量 | 氨氮 | 总磷``
with units under the names in a second header row, levels written 国考/省控/市控断面, targets
written Ⅱ / III类 / 3, a 0.01L below the detection limit, and a 注 line at the foot. No date
column (the title says the month) and no 水体类型 column (a 所在河流 column names the river,
which is not the same thing).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HEADERS = ("序号", "断面名称", "所在河流", "控制级别", "水质目标", "pH", "溶解氧", "高锰酸盐指数",
           "化学需氧量", "五日生化需氧量", "氨氮", "总磷")  # fmt: skip
UNITS = ("", "", "", "", "", "无量纲", "mg/L", "mg/L", "mg/L", "mg/L", "mg/L", "mg/L")
#: (断面, 河流, 控制级别, 水质目标, pH, DO, CODMn, COD, BOD5, NH3-N, TP)
ROWS: tuple[tuple[object, ...], ...] = (
    ("江口", "飞云江", "国考", "Ⅱ", 7.4, 8.6, 1.8, 9, 1.2, 0.12, 0.03),
    ("南溪口", "南溪", "省控", "III类", 7.1, 6.2, 4.1, 16, 3.1, 0.62, 0.12),
    ("城西桥", "温瑞塘河", "市控断面", "3", 7.0, 4.1, 6.3, 24, 4.6, 1.32, 0.26),
    ("岙底", "岙底溪", "县控", "Ⅲ", 7.6, 7.9, 2.2, "10", "0.5L", 0.08, 0.04),
)


def write_centre_export(path: Path, rows: tuple[tuple[object, ...], ...] = ROWS) -> Path:
    """The 2026年3月 table as the centre sends it (a .xlsx with merged title and header)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "3月"
    width = len(HEADERS)
    sheet.cell(1, 1, "海岛区2026年3月地表水环境质量监测结果").font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.cell(2, 1, "监测单位：海岛区环境监测站　　报告日期：2026年4月8日")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    for c, (name, unit) in enumerate(zip(HEADERS, UNITS, strict=True), start=1):
        sheet.cell(3, c, name)
        if unit:
            sheet.cell(4, c, unit)
        else:  # the descriptive headers span both header rows
            sheet.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    for i, row in enumerate(rows, start=1):
        for c, value in enumerate((i, *row), start=1):
            sheet.cell(4 + i, c, value)
    foot = 5 + len(rows)
    sheet.cell(foot, 1, "注：低于检出限的项目以“检出限+L”表示；评价依据GB 3838—2002。")
    sheet.merge_cells(start_row=foot, start_column=1, end_row=foot, end_column=width)
    book.save(path)
    return path
