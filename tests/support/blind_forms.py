"""A held-out corpus: a 嘉兴 city 调度表 and seven branch returns written blind.

Written by someone who had not seen EcoDesk's alias list, the corpus of
``tests/support/bureau_corpus.py`` or its tests, from real 市局 forms: the wording is how
bureaus write (环境空气质量优良天数比率, 臭氧日最大8小时滑动平均值第90百分位数,
受理群众信访举报件数 …), not the catalog's; category rows numbered 一、二 in the 序号 column;
a hidden 指标代码 column; a two-row header with the period over 1-10月累计 / 上年同期 / 同比;
notes and 填报人 lines.

Each branch's clerk filled it their own way: the sheet renamed, the unit written as 南湖区 /
嘉兴市生态环境局秀洲分局 / 嘉善分局 / only in the title, numbers typed as numbers, as text with %,
as percent-formatted cells, in full-width digits with thousands separators, with 万元 after
them, "—" "/" "无" for none, an inserted column, an inserted 其中 row, other header words, and
one return saved as .xls (``HELD_OUT_COPIES``; remake it with ``convert_copy``).

``ANSWERS`` holds the true figures typed in (None where the clerk wrote none).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

CITY = ("330400", "嘉兴市生态环境局")
#: The city's unit list: code, name, short name — as the office keeps them.
BRANCHES: tuple[tuple[str, str, str], ...] = (
    ("330402", "嘉兴市生态环境局南湖分局", "南湖分局"),
    ("330411", "嘉兴市生态环境局秀洲分局", "秀洲分局"),
    ("330421", "嘉兴市生态环境局嘉善分局", "嘉善分局"),
    ("330424", "嘉兴市生态环境局海盐分局", "海盐分局"),
    ("330481", "嘉兴市生态环境局海宁分局", "海宁分局"),
    ("330482", "嘉兴市生态环境局平湖分局", "平湖分局"),
    ("330483", "嘉兴市生态环境局桐乡分局", "桐乡分局"),
)
PERIOD = "2022-YTD10"
LAST_YEAR = "2021-YTD10"
#: The .xls copy LibreOffice made of the 嘉善 return (committed: it takes LibreOffice).
HELD_OUT_COPIES = Path(__file__).resolve().parents[1] / "desktop/cli/held_out"
#: 南湖's return (rates in percent-formatted cells) saved as .xls by LibreOffice: its rates
#: arrive as fractions (0.882 for 88.2%). Not one of the seven returns' files by default.
NANHU_XLS = HELD_OUT_COPIES / "南湖区-1-10月调度表.xls"


@dataclass(frozen=True)
class Line:
    """One row of the city's form: 序号, name, unit of measure, internal code, catalog code."""

    seq: str
    name: str
    measure: str
    code: str  # the hidden column's code; "" for a category row
    indicator: str | None


LINES: tuple[Line, ...] = (
    Line("一", "环境质量", "", "", None),
    Line("1", "环境空气质量优良天数比率", "%", "HJ-01", "air_good_rate"),
    Line("2", "细颗粒物（PM2.5）浓度", "微克/立方米", "HJ-02", "pm25"),
    Line("3", "可吸入颗粒物（PM10）浓度", "微克/立方米", "HJ-03", "pm10"),
    Line("4", "臭氧日最大8小时滑动平均值第90百分位数", "微克/立方米", "HJ-04", "o3"),
    Line(
        "5", "市控及以上地表水断面水质优良（Ⅰ～Ⅲ类）比例", "%", "HJ-05", "water_section_good_rate"
    ),
    Line("6", "县级以上集中式饮用水水源地水质达标率", "%", "HJ-06", "drinking_water_rate"),
    Line("二", "执法监管", "", "", None),
    Line("7", "出动环境执法人员", "人次", "ZF-01", "enforce_staff"),
    Line("8", "检查污染源企业", "家次", "ZF-02", "inspected_firms"),
    Line("9", "立案查处环境违法案件数", "件", "ZF-03", "cases"),
    Line("10", "移送公安机关案件数", "件", "ZF-04", "cases_to_police"),
    Line("11", "罚没款金额", "万元", "ZF-05", "fines"),
    Line("三", "信访与审批", "", "", None),
    Line("12", "受理群众信访举报件数", "件", "XF-01", "complaints"),
    Line("13", "审批建设项目环评文件（报告书、报告表）", "件", "SP-01", "eia_approvals"),
    Line("四", "污染防治攻坚", "", "", None),
    Line("14", "新增城镇污水管网长度", "公里", "GJ-01", None),  # no catalog figure
    Line("15", "中央生态环境保护督察反馈问题已完成整改数", "个", "GJ-02", "cent_insp_done"),
)
DATA = tuple(line for line in LINES if line.code)
#: Rows of the city's form that have no catalog figure: the only ones ``--map`` may name.
CATALOGLESS = tuple(line.name for line in DATA if line.indicator is None)
#: The row the 桐乡 clerk inserted (a part of 不予处罚, not a catalog figure of its own).
INSERTED_ROW = "其中：首违不罚案件"

_BASE: dict[str, tuple[float, float]] = {
    "HJ-01": (88.2, 85.6), "HJ-02": (27, 29), "HJ-03": (46, 50), "HJ-04": (158, 162),
    "HJ-05": (92.3, 88.5), "HJ-06": (100, 100), "ZF-01": (1268, 1190), "ZF-02": (604, 571),
    "ZF-03": (37, 42), "ZF-04": (3, 2), "ZF-05": (412.56, 388.1), "XF-01": (1325, 1410),
    "SP-01": (118, 96), "GJ-01": (21.4, 18.0), "GJ-02": (12, 9),
}  # fmt: skip


def _figures() -> dict[str, dict[str, tuple[float | None, float | None]]]:
    """Each branch's (本期, 上年同期) by the form's row name."""
    found: dict[str, dict[str, tuple[float | None, float | None]]] = {}
    for i, (code, _name, _short) in enumerate(BRANCHES):
        rows: dict[str, tuple[float | None, float | None]] = {}
        for line in DATA:
            cur, prev = _BASE[line.code]
            if line.code in ("HJ-01", "HJ-05"):
                cur, prev = round(cur - i * 0.7, 1), round(prev - i * 0.4, 1)
            elif line.code == "ZF-05":
                cur, prev = round(cur + i * 137.25, 2), round(prev + i * 41.3, 2)
            elif line.code == "GJ-01":
                cur, prev = round(cur + i * 1.5, 1), round(prev + i, 1)
            elif line.code != "HJ-06":
                cur, prev = cur + i * (3 if cur > 100 else 1), prev + i * (2 if prev > 100 else 1)
            rows[line.name] = (cur, prev)
        found[code] = rows
    found["330481"]["移送公安机关案件数"] = (None, None)  # 海宁: none either year, "—"
    found["330411"]["移送公安机关案件数"] = (None, None)  # 秀洲: "/" and "无"
    found["330482"]["出动环境执法人员"] = (12680, 11904)  # 平湖: thousands separators
    found["330482"]["罚没款金额"] = (1234.5, 988.25)
    return found


FIGURES = _figures()
#: unit code → catalog code → (2022-YTD10, 2021-YTD10); None where the clerk wrote none.
ANSWERS: dict[str, dict[str, tuple[float | None, float | None]]] = {
    unit: {line.indicator: rows[line.name] for line in DATA if line.indicator}
    for unit, rows in FIGURES.items()
}


@dataclass(frozen=True)
class Clerk:
    """How one branch filled the city's form."""

    unit: str
    file: str
    unit_line: str
    sheet: str = "调度表"
    style: str = "plain"  # plain, text, percent_cells, fullwidth, thousands
    title: str = "嘉兴市生态环境局2022年1-10月重点指标调度表"
    header_words: tuple[str, str, str] = ("1-10月累计", "上年同期", "同比增减（%）")
    extra_column: bool = False
    extra_row: bool = False
    none_marks: tuple[str, str] = ("—", "—")


CLERKS: tuple[Clerk, ...] = (
    Clerk("330402", "南湖区-1-10月调度表.xlsx", "填报单位（盖章）：南湖区", style="percent_cells"),
    Clerk(
        "330411", "秀洲报表.xlsx", "填报单位（盖章）：嘉兴市生态环境局秀洲分局", sheet="秀洲",
        style="text", title="嘉兴市生态环境局2022年1—10月重点指标调度表", none_marks=("/", "无"),
    ),
    Clerk("330421", "嘉善.xlsx", "填报单位（盖章）：嘉善分局", style="text"),
    Clerk("330482", "平湖市1-10月.xlsx", "填报单位：平湖市", style="fullwidth"),
    Clerk("330481", "海宁调度表.xlsx", "填报单位（盖章）：海宁分局", style="thousands",
          extra_column=True),
    Clerk(
        "330483", "桐乡市.xlsx", "填报单位（盖章）：桐乡市生态环境分局", extra_row=True,
        title="嘉兴市生态环境局2022年1月—10月重点指标调度表",
    ),
    Clerk(
        "330424", "重点指标调度表(1).xlsx", "填报单位（盖章）：", sheet="Sheet1",
        title="海盐县2022年1～10月重点指标调度表", header_words=("本年累计", "去年同期", "增幅"),
    ),
)  # fmt: skip

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FULL_WIDTH = str.maketrans("0123456789.,%", "０１２３４５６７８９．，％")


def _typed(value: float | None, measure: str, clerk: Clerk, which: int) -> object:
    """A figure as this clerk typed it."""
    if value is None:
        return clerk.none_marks[which]
    style = clerk.style
    if style in ("plain", "percent_cells"):
        return value / 100 if style == "percent_cells" and measure == "%" else value
    text = f"{value:,}" if style in ("thousands", "fullwidth") else f"{value}"
    text = text.removesuffix(".0")
    if measure == "%" and style in ("text", "fullwidth"):
        text += "%"
    if measure == "万元" and style == "fullwidth":
        text += "万元"
    return text.translate(_FULL_WIDTH) if style == "fullwidth" else text


def _change(cur: float | None, prev: float | None) -> str:
    return "—" if cur is None or not prev else f"{(cur - prev) / prev * 100:.1f}%"


def write_form(path: Path, clerk: Clerk | None = None) -> Path:
    """The city's form, blank, or as ``clerk`` filled it."""
    book = Workbook()
    ws = book.active
    ws.title = clerk.sheet if clerk else "调度表"
    columns = ["序号", "指标名称", "计量单位", "指标代码"] + (
        ["年度目标"] if clerk and clerk.extra_column else []
    )
    first = len(columns) + 1
    width = len(columns) + 4
    ws.cell(1, 1, clerk.title if clerk else "嘉兴市生态环境局2022年1-10月重点指标调度表")
    ws.cell(1, 1).font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(2, 1, clerk.unit_line if clerk else "填报单位（盖章）：")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=4)
    ws.cell(2, width - 1, "填报日期：2022年11月5日" if clerk else "填报日期：    年  月  日")
    for c, text in enumerate(columns, 1):
        ws.cell(3, c, text)
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.cell(3, first, "2022年1-10月")
    ws.merge_cells(start_row=3, start_column=first, end_row=3, end_column=first + 2)
    words = clerk.header_words if clerk else Clerk("", "", "").header_words
    for k, text in enumerate(words):
        ws.cell(4, first + k, text)
    ws.cell(3, width, "备注")
    ws.merge_cells(start_row=3, start_column=width, end_row=4, end_column=width)
    lines = list(LINES)
    if clerk and clerk.extra_row:
        at = [x.name for x in lines].index("移送公安机关案件数") + 1
        lines.insert(at, Line("", INSERTED_ROW, "件", "ZF-03a", None))
    r = 5
    for line in lines:
        for c, text in enumerate((line.seq, line.name, line.measure, line.code), 1):
            ws.cell(r, c, text)
        if clerk and clerk.extra_column and line.code:
            ws.cell(r, 5, "—")
        if clerk and line.code:
            cur, prev = (2, 1) if line.name == INSERTED_ROW else FIGURES[clerk.unit][line.name]
            ws.cell(r, first, _typed(cur, line.measure, clerk, 0))
            ws.cell(r, first + 1, _typed(prev, line.measure, clerk, 1))
            ws.cell(r, first + 2, _change(cur, prev))
            if clerk.style == "percent_cells" and line.measure == "%":
                ws.cell(r, first).number_format = ws.cell(r, first + 1).number_format = "0.0%"
        if clerk and clerk.unit == "330411" and line.name == "罚没款金额":
            ws.cell(r, width, "含按日连续处罚1起")
        r += 1
    ws.cell(r + 1, 1, "注：1.空气质量指标以省站发布数据为准；")
    ws.cell(r + 2, 1, "    2.请于每月5日前报送市局综合处。")
    ws.cell(r + 3, 1, "填报人：            审核人：            联系电话：")
    for row in ws.iter_rows(min_row=3, max_row=r - 1, max_col=width):
        for cell in row:
            cell.border = _BORDER
    ws.column_dimensions["D"].hidden = True
    ws.column_dimensions["B"].width = 44
    book.save(path)
    return path


def write_city_form(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_form(folder / "嘉兴市2022年1-10月重点指标调度表.xlsx")


def write_returns(folder: Path, *, copies: bool = True) -> Path:
    """The seven returns in ``folder``; 嘉善's as the committed .xls when ``copies``."""
    folder.mkdir(parents=True, exist_ok=True)
    for clerk in CLERKS:
        xls = HELD_OUT_COPIES / Path(clerk.file).with_suffix(".xls").name
        if copies and clerk.unit == "330421" and xls.exists():
            shutil.copy(xls, folder / xls.name)
        else:
            write_form(folder / clerk.file, clerk)
    return folder


def convert_copy(unit: str = "330421") -> Path:
    """Remake a committed .xls copy with LibreOffice (as a bureau's PC saves it): 嘉善's, or
    南湖's (330402, percent-formatted rate cells, ``NANHU_XLS``)."""
    clerk = next(c for c in CLERKS if c.unit == unit)
    with tempfile.TemporaryDirectory() as tmp:
        source = write_form(Path(tmp) / clerk.file, clerk)
        subprocess.run(
            ["libreoffice", "--headless", "--convert-to", "xls", "--outdir", tmp, str(source)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        HELD_OUT_COPIES.mkdir(parents=True, exist_ok=True)
        target = HELD_OUT_COPIES / source.with_suffix(".xls").name
        shutil.copy(source.with_suffix(".xls"), target)
    return target


if __name__ == "__main__":
    print(convert_copy(), convert_copy("330402"))
