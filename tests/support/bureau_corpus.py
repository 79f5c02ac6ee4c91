"""Bureau forms as other provinces and cities write them, generated at test time.

Nothing here was designed around EcoDesk's catalog: each design is the form of one bureau, with
its own wording for the same figures (空气质量优良率 = 优良天数比例 = AQI达标率 …), its own header
(one row, or two merged rows with the period above 本期/去年同期), units in a column or in
brackets after the name, 序号 and code columns (some hidden), category, totals and notes rows,
the 填报单位 line written in several ways, and numbers typed as text in every style.

Each design knows the truth: which catalog indicator every data row is (``None`` for a row that
has no catalog figure at all), the reporting unit and the period, and the figures it carries,
so a test can measure how many rows are recognised without help and check that every figure of
every return lands exactly.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

#: What a figure is, for making plausible values: rate (%), concentration, count, money.
KIND = {
    "air_good_rate": "rate", "air_good_days": "days", "pm25": "conc", "pm10": "conc",
    "o3": "conc", "so2": "conc", "no2": "conc", "co": "co",
    "water_section_good_rate": "rate", "water_section_compliance": "rate",
    "drinking_water_rate": "rate", "water_natl_section_class": "class",
    "sea_river_tn": "mgl", "sea_river_tp": "mgl",
    "soil_safe_use_rate": "rate", "hw_safe_disposal_rate": "rate",
}  # fmt: skip


@dataclass(frozen=True)
class Row:
    """A data row as the form writes it, and the catalog indicator it is (None: no such one)."""

    label: str
    code: str | None
    measure: str = ""


@dataclass(frozen=True)
class Design:
    """One bureau's form."""

    key: str
    where: str  # the province or city whose wording this is
    title: str
    period: str  # the period code the title or header says
    rows: tuple[Row, ...]
    unit_line: str | None = None
    expected_unit: str | None = None  # the unit code a reader should find (None: not named)
    header: str = "two"  # "one" or "two" (merged, the period above 本期/去年同期)
    measure_column: bool = True  # units in a 计量单位 column (else in brackets in the label)
    serial: bool = True  # a 序号 column
    code_column: str | None = None  # None, "hidden" or "visible"
    last_year: bool = True
    yoy: bool = True  # a 同比 column (a formula; never imported)
    note: bool = False
    categories: bool = False  # "一、大气环境" rows before the first row
    totals: bool = False
    notes: tuple[str, ...] = ()
    sheet: str = "Sheet1"
    number_style: str = "plain"  # plain / percent_text / fullwidth / comma / spaces
    file_stem: str = ""
    period_header: str = ""  # the text over 本期/去年同期 (default: none in the header)


def value_for(code: str, seed: int) -> float:
    """A plausible figure for ``code``, different for every seed (a return, a form)."""
    kind = KIND.get(code, "count")
    step = (seed * 7919 + sum(map(ord, code)) * 31) % 997
    if kind == "rate":
        return round(80 + (step % 199) / 10, 1)
    if kind == "days":
        return float(100 + step % 70)  # fits the shortest period of the corpus (1-6月)
    if kind == "conc":
        return float(20 + step % 40)
    if kind == "co":
        return round(0.6 + (step % 9) / 10, 1)
    if kind == "mgl":
        return round(1 + (step % 300) / 100, 2)
    if kind == "class":
        return float(2 + step % 2)
    if code in ("fines", "eco_invest", "funds_obtained", "eco_compensation"):
        return round(10 + step + (step % 100) / 100, 2)
    return float(5 + step % 1500)


def figures(design: Design, seed: int) -> dict[str, tuple[float, float]]:
    """(本期, 去年同期) of every catalog row of ``design`` for return ``seed``."""
    found: dict[str, tuple[float, float]] = {}
    for row in design.rows:
        if row.code is None:
            continue
        found[row.code] = (value_for(row.code, seed), value_for(row.code, seed + 100))
    return found


def _styled(value: float, code: str, style: str, rate: bool) -> Any:
    """The figure as this bureau types it."""
    if style == "plain":
        return value
    plain = f"{value:g}" if value != int(value) else str(int(value))
    if style == "percent_text":
        return f"{plain}%" if rate else plain
    if style == "fullwidth":
        return plain.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    if style == "comma":
        whole, _, frac = plain.partition(".")
        return f"{int(whole):,}" + (f".{frac}" if frac else "")
    if style == "spaces":
        return f" {plain} "
    raise ValueError(style)


@dataclass
class Written:
    """A form written to disk: where each catalog row and each figure cell is."""

    path: Path
    design: Design
    sheet: str
    #: 0-based row of every data row (label → row).
    rows: dict[str, int] = field(default_factory=dict)
    current_col: int = 0
    last_year_col: int | None = None
    code_col: int | None = None
    unit_cell: tuple[int, int] | None = None
    date_cell: tuple[int, int] | None = None


def write(
    design: Design, folder: Path, *, seed: int = 1, unit_line: str | None = "", blank: bool = False
) -> Written:
    """``design`` filled with return ``seed``'s figures (or left ``blank``) as .xlsx."""
    line = design.unit_line if unit_line == "" else unit_line
    values = figures(design, seed)
    book = Workbook()
    ws = book.active
    ws.title = design.sheet
    headers: list[str] = []
    if design.serial:
        headers.append("序号")
    if design.code_column:
        headers.append("指标代码")
    name_col = len(headers)
    headers.append("指标名称")
    if design.measure_column:
        headers.append("计量单位")
    current = len(headers)
    headers.append("本期" if design.header == "two" else (design.period_header or "本期数"))
    last = None
    if design.last_year:
        last = len(headers)
        headers.append("去年同期")
    if design.yoy:
        headers.append("同比（%）")
    if design.note:
        headers.append("备注")
    width = len(headers)
    r = 1
    ws.cell(row=r, column=1, value=design.title)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    r += 1
    written = Written(folder / f"{design.file_stem or design.key}.xlsx", design, design.sheet)
    if line is not None:
        ws.cell(row=r, column=1, value=line)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=max(2, width - 2))
        written.unit_cell = (r - 1, 0)
        ws.cell(row=r, column=width, value="填报日期：")
        written.date_cell = (r - 1, width - 1)
        r += 1
    header_row = r
    if design.header == "two":
        for c, text in enumerate(headers, start=1):
            if c - 1 in (current, last) or (design.yoy and text.startswith("同比")):
                continue
            ws.cell(row=r, column=c, value=text)
            ws.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c)
        span = [c for c in (current, last) if c is not None]
        if design.yoy:
            span.append(headers.index("同比（%）"))
        ws.cell(row=r, column=span[0] + 1, value=design.period_header or "累计")
        ws.merge_cells(start_row=r, start_column=span[0] + 1, end_row=r, end_column=span[-1] + 1)
        for c in span:
            ws.cell(row=r + 1, column=c + 1, value=headers[c])
        r += 2
    else:
        for c, text in enumerate(headers, start=1):
            ws.cell(row=r, column=c, value=text)
        r += 1
    if design.categories:
        ws.cell(row=r, column=name_col + 1, value="一、主要指标")
        r += 1
    for number, row in enumerate(design.rows, start=1):
        written.rows[row.label] = r - 1
        if design.serial:
            ws.cell(row=r, column=1, value=number)
        if design.code_column:
            ws.cell(row=r, column=name_col, value=f"ZB{number:03d}")
        label = (
            row.label
            if design.measure_column or not row.measure
            else f"{row.label}（{row.measure}）"
        )
        ws.cell(row=r, column=name_col + 1, value=label)
        if design.measure_column:
            ws.cell(row=r, column=name_col + 2, value=row.measure)
        if not blank and row.code is not None and row.code in values:
            now, before = values[row.code]
            rate = row.measure == "%"
            if KIND.get(row.code) == "class":
                ws.cell(row=r, column=current + 1, value=f"{_roman(now)}类")
            else:
                ws.cell(
                    row=r,
                    column=current + 1,
                    value=_styled(now, row.code, design.number_style, rate),
                )
            if last is not None:
                cell = ws.cell(row=r, column=last + 1)
                cell.value = (
                    f"{_roman(before)}类" if KIND.get(row.code) == "class"
                    else _styled(before, row.code, design.number_style, rate)
                )  # fmt: skip
        elif not blank and row.code is None:
            ws.cell(row=r, column=current + 1, value=12.5)  # a figure EcoDesk has no place for
        if design.yoy and last is not None:
            a, b = get_column_letter(current + 1), get_column_letter(last + 1)
            ws.cell(row=r, column=headers.index("同比（%）") + 1,
                    value=f'=IFERROR(({a}{r}-{b}{r})/{b}{r}*100,"")')  # fmt: skip
        r += 1
    if design.totals:
        ws.cell(row=r, column=name_col + 1, value="合计")
        r += 1
    for text in design.notes:
        ws.cell(row=r, column=1, value=text)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        r += 1
    if design.code_column == "hidden":
        ws.column_dimensions[get_column_letter(name_col)].hidden = True
        written.code_col = name_col - 1
    elif design.code_column:
        written.code_col = name_col - 1
    written.current_col = current
    written.last_year_col = last
    ws.column_dimensions[get_column_letter(name_col + 1)].width = 30
    del header_row
    folder.mkdir(parents=True, exist_ok=True)
    book.save(written.path)
    return written


def _roman(value: float) -> str:
    return {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ", 4: "Ⅳ", 5: "Ⅴ", 6: "劣Ⅴ"}[int(value)]


def convert(path: Path, suffix: str, folder: Path) -> Path:
    """A copy of ``path`` as .xls or .ods, saved by LibreOffice as a bureau's PC would."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        raise RuntimeError("LibreOffice is needed to make .xls/.ods copies")
    subprocess.run(
        [office, "--headless", "--convert-to", suffix, "--outdir", str(folder), str(path)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return folder / f"{path.stem}.{suffix}"


DESIGNS: tuple[Design, ...] = (
    Design(
        "zhejiang_jiaxing",
        "浙江嘉兴",
        "2022年1-10月生态环境主要指标完成情况表",
        "2022-YTD10",
        (
            Row("空气质量优良率", "air_good_rate", "%"),
            Row("PM2.5平均浓度", "pm25", "μg/m³"),
            Row("臭氧（O3-8h-90per）浓度", "o3", "μg/m³"),
            Row("市控以上断面Ⅲ类及以上水质比例", "water_section_good_rate", "%"),
            Row("受理环境信访件数", "complaints", "件"),
            Row("查处环境违法案件数", "cases", "件"),
            Row("罚没款金额", "fines", "万元"),
            Row("新增城镇污水管网", None, "公里"),
        ),
        unit_line="填报单位（盖章）：南湖区",
        expected_unit="330402",
        code_column="hidden",
        note=True,
        categories=True,
        totals=True,
        notes=("注：1. 浓度单位为微克/立方米；2. 同比为与去年同期相比。",),
        sheet="表1",
        period_header="2022年1-10月",
    ),
    Design(
        "jiangsu_suzhou",
        "江苏苏州",
        "2022年前三季度生态环境质量指标统计表",
        "2022-YTD9",
        (
            Row("空气质量优良天数比例", "air_good_rate", "%"),
            Row("细颗粒物（PM2.5）浓度", "pm25", "μg/m3"),
            Row("可吸入颗粒物（PM10）浓度", "pm10", "μg/m3"),
            Row("O3日最大8小时第90百分位浓度", "o3", "微克/立方米"),
            Row("二氧化氮（NO2）浓度", "no2", "μg/m3"),
            Row("重污染天数", None, "天"),
        ),
        unit_line="单位名称：南湖区",
        expected_unit="330402",
        header="one",
        measure_column=False,
        yoy=False,
    ),
    Design(
        "guangdong",
        "广东",
        "2022年上半年环境空气质量情况表",
        "2022-YTD6",
        (
            Row("AQI达标率", "air_good_rate", "%"),
            Row("达标天数", "air_good_days", "天"),
            Row("SO2浓度", "so2", "μg/m³"),
            Row("NO2浓度", "no2", "μg/m³"),
            Row("CO日均值第95百分位浓度", "co", "mg/m³"),
            Row("O3-8h第90百分位浓度", "o3", "μg/m³"),
        ),
        unit_line="填报单位：嘉兴市生态环境局秀洲分局",
        expected_unit="330411",
        code_column="visible",
        header="one",
        yoy=False,
    ),
    Design(
        "shandong",
        "山东",
        "2022年度生态环境主要指标统计表",
        "2022-Y",
        (
            Row("优良天数比率", "air_good_rate", "%"),
            Row("臭氧浓度", "o3", "μg/m³"),
            Row("一氧化碳（CO-95per）浓度", "co", "mg/m³"),
            Row("PM10浓度", "pm10", "μg/m³"),
            Row("二氧化硫浓度", "so2", "μg/m³"),
        ),
        unit_line="填报单位：嘉善县",
        expected_unit="330421",
        number_style="percent_text",
        period_header="2022年度",
    ),
    Design(
        "enforcement",
        "浙江湖州",
        "2022年1～10月环境执法工作统计表",
        "2022-YTD10",
        (
            Row("出动执法人员", "enforce_staff", "人次"),
            Row("检查企业", "inspected_firms", "家次"),
            Row("立案查处环境违法案件", "cases", "件"),
            Row("其中：移送公安机关", "cases_to_police", "件"),
            Row("罚款金额", "fines", "万元"),
            Row("不予处罚案件数", "cases_no_penalty", "件"),
            Row("环境信用评价企业", None, "家"),
        ),
        unit_line="填报单位：嘉兴市生态环境局平湖分局",
        expected_unit="330482",
        number_style="comma",
        totals=True,
        serial=True,
        code_column="hidden",
    ),
    Design(
        "complaints",
        "安徽",
        "2022年1-10月信访工作情况表",
        "2022-YTD10",
        (
            Row("受理信访件", "complaints", "件"),
            Row("信访立案数", "complaint_cases", "件"),
            Row("中央环保督察交办信访件", "insp_petitions_central", "件"),
            Row("省级环保督察交办信访件", "insp_petitions_prov", "件"),
        ),
        unit_line="填报单位（盖章）：海盐县",
        expected_unit="330424",
        number_style="fullwidth",
        header="one",
        period_header="1-10月累计",
    ),
    Design(
        "water",
        "浙江宁波",
        "2022年1-10月水环境质量情况表",
        "2022-YTD10",
        (
            Row("市控断面III类及以上比例", "water_section_good_rate", "%"),
            Row("断面水质达标率", "water_section_compliance", "%"),
            Row("集中式饮用水水源地水质达标率", "drinking_water_rate", "%"),
            Row("入海河流总氮浓度", "sea_river_tn", "mg/L"),
            Row("入海河流总磷浓度", "sea_river_tp", "mg/L"),
            Row("国考断面优良水体比例", None, "%"),
        ),
        unit_line=None,
        sheet="海宁市",
        expected_unit="330481",
        header="two",
        period_header="2022年1-10月",
    ),
    Design(
        "inspection",
        "福建",
        "2022年10月督察整改工作进展表",
        "2022-M10",
        (
            Row("中央环保督察反馈问题数", "cent_insp_total", "个"),
            Row("已完成整改问题数", "cent_insp_done", "个"),
            Row("立行立改问题数", "cent_insp_immediate", "个"),
            Row("长期坚持问题数", "cent_insp_longterm", "个"),
        ),
        unit_line=None,
        file_stem="桐乡市_督察整改",
        expected_unit="330483",
        number_style="spaces",
        header="one",
        last_year=False,
        yoy=False,
    ),
    Design(
        "investment",
        "江西",
        "2022年1-10月生态环境投资及双碳工作表",
        "2022-YTD10",
        (
            Row("生态环境项目完成投资", "eco_invest", "万元"),
            Row("争取上级专项资金", "funds_obtained", "万元"),
            Row("绿色低碳工厂数", "green_factories", "家"),
            Row("低（零）碳试点乡镇（街道）", "lowcarbon_pilot_towns", "个"),
            Row("低（零）碳试点村（社区）", "lowcarbon_pilot_villages", "个"),
        ),
        unit_line="填报单位：嘉兴市生态环境局南湖分局",
        expected_unit="330402",
        measure_column=False,
        header="one",
        yoy=False,
    ),
    Design(
        "soil",
        "河南",
        "2022年1～10月土壤和固废工作统计表",
        "2022-YTD10",
        (
            Row("受污染耕地安全利用率", "soil_safe_use_rate", "%"),
            Row("危险废物安全处置率", "hw_safe_disposal_rate", "%"),
            Row("无废细胞", "zero_waste_cells", "个"),
            Row("无废工厂", "zero_waste_factories", "家"),
        ),
        unit_line="填报单位:秀洲区",
        expected_unit="330411",
        categories=True,
        notes=("说明：累计数为截至报告期末数。", "填表人：          审核人："),
    ),
    Design(
        "approvals",
        "湖北",
        "2022年10月环评审批情况表",
        "2022-M10",
        (
            Row("环评报告书（表）审批数", "eia_approvals", "件"),
            Row("环评登记表备案数", "eia_registrations", "件"),
            Row("发现环境问题", "problems_found", "个"),
            Row("其中：涉水类问题", "problems_water", "个"),
            Row("涉气类问题", "problems_air", "个"),
            Row("涉废类问题", "problems_waste", "个"),
        ),
        unit_line="单位名称：嘉兴市生态环境局嘉善分局",
        expected_unit="330421",
        measure_column=True,
        header="one",
    ),
    Design(
        "hebei",
        "河北",
        "2022年上半年大气污染防治指标表",
        "2022-YTD6",
        (
            Row("PM2.5浓度", "pm25", "μg/m³"),
            Row("PM2.5浓度全市排名", "pm25_rank", "名"),
            Row("环境空气质量综合排名", "air_rank", "名"),
            Row("优良天数", "air_good_days", "天"),
            Row("VOCs治理企业数", "vocs_rectified", "家"),
            Row("秸秆露天焚烧火点数", None, "个"),
        ),
        unit_line="填报单位：桐乡市",
        expected_unit="330483",
        code_column="hidden",
        period_header="2022年上半年",
    ),
    Design(
        "sichuan",
        "四川",
        "2022年1-10月污染防治攻坚指标表",
        "2022-YTD10",
        (
            Row("环境空气质量优良天数率", "air_good_rate", "%"),
            Row("PM2.5年均浓度", "pm25", "μg/m³"),
            Row("臭氧日最大8小时平均第90百分位数浓度", "o3", "μg/m³"),
            Row("地表水市控断面Ⅲ类及以上水质比例", "water_section_good_rate", "%"),
            Row("查处环境违法案件", "cases", "件"),
            Row("罚没金额", "fines", "万元"),
            Row("环境信访受理件数", "complaints", "件"),
        ),
        unit_line="填 报 单 位：平湖市",
        expected_unit="330482",
        header="two",
        period_header="1-10月",
    ),
)

#: The branches of the city in the end-to-end test, in the office's own order (a 市局 lists
#: its districts before its counties, not by Unicode), with the names their returns use.
BRANCHES: tuple[tuple[str, str, str, str], ...] = (
    # code, full name, short name, as a return writes it
    ("330402", "嘉兴市生态环境局南湖分局", "南湖分局", "填报单位（盖章）：南湖区"),
    ("330411", "嘉兴市生态环境局秀洲分局", "秀洲分局", "填报单位：嘉兴市生态环境局秀洲分局"),
    ("330421", "嘉兴市生态环境局嘉善分局", "嘉善分局", "单位名称：嘉善县"),
    ("330424", "嘉兴市生态环境局海盐分局", "海盐分局", "填报单位：海盐县生态环境分局"),
    ("330481", "嘉兴市生态环境局海宁分局", "海宁分局", "填报单位：330481"),
    (
        "330482",
        "嘉兴市生态环境局平湖分局",
        "平湖分局",
        "填报单位：",
    ),  # left blank: the file name says
    ("330483", "嘉兴市生态环境局桐乡分局", "桐乡分局", "填报单位:桐乡市"),
)


def write_returns(design: Design, folder: Path) -> list[Written]:
    """Seven branch returns of ``design``, each branch naming itself its own way."""
    written = []
    for seed, (_code, _name, short, line) in enumerate(BRANCHES, start=1):
        place = short.removesuffix("分局")
        named = line.rstrip("：:") != "填报单位"
        stem = f"{seed:02d}_{design.key}" if named else f"{place}市_{design.key}"
        written.append(write(replace(design, file_stem=stem), folder, seed=seed, unit_line=line))
    return written


Maker = Callable[[Design, Path], Written]
