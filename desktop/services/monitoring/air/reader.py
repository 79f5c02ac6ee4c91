"""Reading daily air monitoring data as stations and monitoring centres publish it.

Files come as .xlsx/.xls (read by ``read_workbook``, which refuses broken or hostile files) or
.csv in UTF-8 or GBK, one row per station-day or per day, with Chinese or formula headers and
units in the header: ``日期 | 监测点位 | SO2(μg/m³) | NO2 | CO(mg/m3) | O3_8h | PM10 | PM2.5``.
A figure computed from these rows is only as good as the rows, so every doubt is reported by
file, row and column in Chinese and nothing is guessed silently:

* a value that is not a number, negative, or beyond anything measured (a unit mix-up) is an
  error and left out;
* the same station-day twice is reported (kept once when the rows agree, the first row kept
  when they differ);
* days missing between a station's first and last day are listed;
* PM2.5 above PM10 on the same row is a warning;
* missing is not zero: a cell a station marks as missing ("—", "-1", "NA", "无效", blank) and a
  0 in a PM2.5, PM10, O3, NO2 or CO daily mean (which no real daily mean is; centres that fill
  gaps with 0 publish it) are read as missing, never as a measurement, and one warning per
  measure names the cells. A day with a required item missing then has no AQI unless the rest
  already put it above 100 (``DailyAqi.valid``): a dust-storm day with PM missing must not
  become 良 from O3 alone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from db.errors import StorageError
from db.numbers import EMPTY_MARKS, parse_number
from db.stations import control_level_of
from desktop.services.common.csv_rows import read_csv_rows
from desktop.services.common.dates import parse_day
from desktop.services.common.text import fold, half_width, header_key
from desktop.services.common.workbook import (
    CellValue,
    WorkbookError,
    cell_address,
    read_workbook,
)
from desktop.services.monitoring.air.aqi import MEASURES, DailyConcentrations
from desktop.services.monitoring.sample_import import StationClass
from desktop.services.monitoring.standards import to_decimal

#: Where a daily value stops being a measurement and becomes a unit or typing error. Far above
#: the top of the IAQI tables (dust storms reach PM10 ≈ 3000 μg/m³ as a daily mean).
PLAUSIBLE_MAX = {
    "SO2": Decimal(5000),
    "NO2": Decimal(3000),
    "CO": Decimal(150),
    "PM10": Decimal(10000),
    "PM2.5": Decimal(3000),
    "O3_8h": Decimal(1500),
    "O3_1h": Decimal(2000),
}
#: The unit each measure is kept in.
UNITS = {m: ("mg/m³" if m == "CO" else "μg/m³") for m in MEASURES}
_NA = frozenset({"na", "n/a", "nan", "null", "none", "缺测", "无数据", "*", "无效"})
#: Numbers exporters write for "no value" (never a concentration: nothing measured is negative).
MISSING_CODES = frozenset({Decimal(-1), Decimal(-99), Decimal(-999), Decimal(-9999)})
#: Daily means that are never 0 in a real record: a 0 there is a gap filled by the exporter.
#: (SO2 is left out: a clean site's SO2 daily mean can be published as 0 after rounding.)
NEVER_ZERO = frozenset({"PM2.5", "PM10", "O3_8h", "O3_1h", "NO2", "CO"})
#: Cells listed in one warning before "等 n 个".
_CELLS_SHOWN = 12

_HEADER_ROWS = 15


class Severity(StrEnum):
    ERROR = "错误"
    WARNING = "警告"


@dataclass(frozen=True)
class Problem:
    """One doubt about the file, pointed at a cell (row/column 1-based; 0 = whole file)."""

    file: str
    row: int
    column: str  # "C列（PM2.5）" or ""
    message: str
    severity: Severity = Severity.ERROR
    sheet: str = ""  # the sheet as a workbook shows it (a CSV file's is its stem, as in Excel)
    cell: str = ""  # "D5" where one cell is meant

    @property
    def text(self) -> str:
        where = self.file
        if self.row:
            where += f" 第{self.row}行"
        if self.column:
            where += f" {self.column}"
        return f"{self.severity.value}：{where}：{self.message}"


@dataclass
class ReadResult:
    path: Path
    records: list[DailyConcentrations] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # measure → header as written
    #: (station, day, measure) → (sheet, cell address) of each value kept, for the dry run.
    cells: dict[tuple[str, date, str], tuple[str, str]] = field(default_factory=dict)
    #: 控制级别 a 点位级别 column states for a station, with its cell (first row counts).
    classes: dict[str, StationClass] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def stations(self) -> list[str]:
        return sorted({r.station for r in self.records})


# ---------------------------------------------------------------- headers


_UNIT = re.compile(r"[(（\[【]?\s*(μg|ug|mg)\s*/\s*(m3|m³|立方米)\s*[)）\]】]?", re.IGNORECASE)
_DATE_HEADERS = {"日期", "监测日期", "数据日期", "时间", "监测时间", "date", "日期时间"}
_STATION_HEADERS = {
    "监测点位",
    "点位",
    "点位名称",
    "站点",
    "站点名称",
    "监测站点",
    "监测站",
    "测点",
    "站名",
    "station",
}
_AREA_HEADERS = {"城市", "区县", "地区", "区域", "city"}
#: A station's 控制级别 (国控/省控/市控/县控) as exports head it.
_LEVEL_HEADERS = {"点位级别", "站点级别", "控制级别", "考核级别", "点位类别"}


def _measure_of(header: str) -> tuple[str | None, str | None, bool]:
    """(measure, unit written, guessed) for a header; measure None when not a pollutant."""
    text = half_width(header)
    unit_match = _UNIT.search(text)
    unit = unit_match[1].lower().replace("u", "μ") if unit_match else None
    body = fold(_UNIT.sub("", text))
    if body.endswith("浓度"):
        body = body[:-2]
    names = {
        "so2": "SO2",
        "二氧化硫": "SO2",
        "no2": "NO2",
        "二氧化氮": "NO2",
        "co": "CO",
        "一氧化碳": "CO",
        "pm10": "PM10",
        "可吸入颗粒物": "PM10",
        "pm25": "PM2.5",
        "细颗粒物": "PM2.5",
    }
    if body in names:
        return names[body], unit, False
    if body.startswith(("o3", "臭氧")):
        rest = body.removeprefix("o3").removeprefix("臭氧")
        if "8" in rest:
            return "O3_8h", unit, False
        if "1" in rest:
            return "O3_1h", unit, False
        if rest in {"", "日最大"}:
            return "O3_8h", unit, True
    return None, None, False


@dataclass
class _Layout:
    header_row: int
    date_col: int
    station_col: int | None
    measures: dict[int, tuple[str, Decimal]]  # column → (measure, factor to the kept unit)
    headers: dict[int, str]
    level_col: int | None = None


def _find_layout(rows: list[list[CellValue]], name: str, problems: list[Problem]) -> _Layout | None:
    for r, row in enumerate(rows[:_HEADER_ROWS]):
        texts = ["" if v is None else str(v).strip() for v in row]
        folded = [header_key(_UNIT.sub("", t)) for t in texts]
        date_col = next((c for c, t in enumerate(folded) if t in _DATE_HEADERS), None)
        if date_col is None:
            continue
        station_col = next((c for c, t in enumerate(folded) if t in _STATION_HEADERS), None)
        if station_col is None:
            station_col = next((c for c, t in enumerate(folded) if t in _AREA_HEADERS), None)
        measures: dict[int, tuple[str, Decimal]] = {}
        for c, text in enumerate(texts):
            measure, unit, guessed = _measure_of(text) if text else (None, None, False)
            if measure is None:
                continue
            if measure in {m for m, _ in measures.values()}:
                problems.append(
                    Problem(
                        name,
                        r + 1,
                        _col(c, text),
                        f"{measure} 列重复，只读第一列",
                        Severity.WARNING,
                    )
                )
                continue
            factor = Decimal(1)
            if unit is not None:
                kept = "mg" if measure == "CO" else "μg"
                if unit != kept:
                    factor = Decimal("0.001") if kept == "mg" else Decimal(1000)
                    problems.append(
                        Problem(
                            name,
                            r + 1,
                            _col(c, text),
                            f"单位为 {unit}/m³，已换算为 {UNITS[measure]}",
                            Severity.WARNING,
                        )
                    )
            if guessed:
                problems.append(
                    Problem(
                        name,
                        r + 1,
                        _col(c, text),
                        "表头未写明臭氧的平均时间，按日最大8小时平均（O3_8h）读入",
                        Severity.WARNING,
                    )
                )
            measures[c] = (measure, factor)
        if measures:
            headers = {c: t for c, t in enumerate(texts) if t}
            level_col = next((c for c, t in enumerate(folded) if t in _LEVEL_HEADERS), None)
            return _Layout(r, date_col, station_col, measures, headers, level_col)
    return None


def _col(col: int, header: str) -> str:
    letters = cell_address(0, col)[:-1]
    return f"{letters}列（{header}）" if header else f"{letters}列"


# ---------------------------------------------------------------- cells


def _parse_value(value: CellValue) -> Decimal | None:
    """The cell's number as written; None for blank and missing marks ("—", "-1", "无效");
    ValueError with a Chinese reason for anything else that is not a number."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"“{value}”不是数字")
    if isinstance(value, float) and value.is_integer():
        return Decimal(int(value))  # workbooks store 25 as 25.0
    if isinstance(value, (int, float)):
        return to_decimal(value)
    text = str(value).strip()
    if text.lower() in _NA or half_width(text).strip() in EMPTY_MARKS or text in _NA:
        return None
    number = parse_number(text, "μg/m3")
    if number is None:
        return None
    folded = half_width(text).replace(",", "").strip()
    match = re.match(r"^[+-]?(\d+(\.\d*)?|\.\d+)", folded)
    return Decimal(match[0]) if match else to_decimal(number)


# ---------------------------------------------------------------- reading


def _grids(path: Path) -> list[tuple[str, list[list[CellValue]]]]:
    if path.suffix.lower() == ".csv":
        return [(path.stem, read_csv_rows(path))]
    book = read_workbook(path)
    return [(s.name, s.rows) for s in book.sheets if not s.hidden]


def read_daily_file(path: Path) -> ReadResult:
    """Daily records and every problem found; raises ``WorkbookError`` if unreadable."""
    if not path.is_file():
        raise WorkbookError(f"找不到文件“{path}”")
    if path.suffix.lower() not in {".csv", ".xlsx", ".xlsm", ".xls", ".ods"}:
        raise WorkbookError(f"“{path.name}”不是支持的数据文件（.xlsx、.xls、.csv）")
    result = ReadResult(path)
    csv_file = path.suffix.lower() == ".csv"
    for sheet, rows in _grids(path):
        name = path.name if csv_file else f"{path.name}[{sheet}]"
        header_problems: list[Problem] = []
        layout = _find_layout(rows, name, header_problems)
        if layout is None:
            continue
        result.problems.extend(replace(p, sheet=sheet) for p in header_problems)
        result.columns = {m: layout.headers[c] for c, (m, _) in layout.measures.items()}
        _read_rows(rows, layout, name, sheet, result)
        _check_days(result, name)
        return result
    raise WorkbookError(
        f"“{path.name}”中没有找到日均值数据表头（需要“日期”列和 SO2、NO2、CO、O3_8h、PM10、"
        "PM2.5 等污染物列）"
    )


def _read_rows(
    rows: list[list[CellValue]], layout: _Layout, name: str, sheet: str, out: ReadResult
) -> None:
    seen: dict[tuple[str, date], tuple[int, dict[str, Decimal]]] = {}
    start = len(out.problems)
    marked: dict[int, list[str]] = defaultdict(list)  # column → cells marked missing
    zeros: dict[int, list[str]] = defaultdict(list)  # column → cells holding 0
    for r in range(layout.header_row + 1, len(rows)):
        row = rows[r]
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        cell = row[layout.date_col] if layout.date_col < len(row) else None
        day = parse_day(cell)  # a daily mean needs its day: "2026-03" alone is refused
        date_header = layout.headers.get(layout.date_col, "日期")
        if day is None:
            out.problems.append(
                Problem(
                    name,
                    r + 1,
                    _col(layout.date_col, date_header),
                    f"“{cell or ''}”不是日期，整行未读入",
                    cell=cell_address(r, layout.date_col),
                )
            )
            continue
        station = ""
        if layout.station_col is not None and layout.station_col < len(row):
            station = str(row[layout.station_col] or "").strip()
        values: dict[str, Decimal] = {}
        addresses: dict[str, str] = {}
        for c, (measure, factor) in layout.measures.items():
            where = _col(c, layout.headers.get(c, measure))
            address = cell_address(r, c)
            raw = row[c] if c < len(row) else None
            try:
                value = _parse_value(raw)
            except ValueError as exc:
                out.problems.append(Problem(name, r + 1, where, f"{exc}，已剔除", cell=address))
                continue
            if value is None or value in MISSING_CODES:
                marked[c].append(address)
                continue
            if value == 0 and measure in NEVER_ZERO:
                zeros[c].append(address)
                continue
            value *= factor
            if value < 0:
                out.problems.append(
                    Problem(name, r + 1, where, f"{value} 为负数，已剔除", cell=address)
                )
                continue
            if value > PLAUSIBLE_MAX[measure]:
                out.problems.append(
                    Problem(
                        name,
                        r + 1,
                        where,
                        f"{value} {UNITS[measure]} 超出可能范围（>{PLAUSIBLE_MAX[measure]}），"
                        "可能是单位错误，已剔除",
                        cell=address,
                    )
                )
                continue
            values[measure] = value
            addresses[measure] = address
        if "PM2.5" in values and "PM10" in values and values["PM2.5"] > values["PM10"]:
            out.problems.append(
                Problem(name, r + 1, "", "PM2.5 高于 PM10，请核对", Severity.WARNING)
            )
        if "O3_1h" in values and "O3_8h" in values and values["O3_1h"] < values["O3_8h"]:
            out.problems.append(
                Problem(name, r + 1, "", "O3 日最大1小时低于日最大8小时，请核对", Severity.WARNING)
            )
        if station and layout.level_col is not None and layout.level_col < len(row):
            _read_level(out, name, sheet, r, layout.level_col, row[layout.level_col], station)
        key = (station, day)
        if key in seen:
            first_row, first_values = seen[key]
            who = f"{station} " if station else ""
            if first_values == values:
                out.problems.append(
                    Problem(
                        name,
                        r + 1,
                        "",
                        f"{who}{day} 与第{first_row}行重复，只计一次",
                        Severity.WARNING,
                    )
                )
            else:
                out.problems.append(
                    Problem(
                        name,
                        r + 1,
                        "",
                        f"{who}{day} 已在第{first_row}行出现且数值不同，保留第{first_row}行",
                        cell=cell_address(r, layout.date_col),
                    )
                )
            continue
        seen[key] = (r + 1, values)
        out.records.append(DailyConcentrations(day, station, values, f"{name} 第{r + 1}行"))
        for measure, address in addresses.items():
            out.cells[(station, day, measure)] = (sheet, address)
    for column, cells in sorted(zeros.items()):
        measure = layout.measures[column][0]
        out.problems.append(
            Problem(
                name,
                0,
                _col(column, layout.headers.get(column, measure)),
                f"{len(cells)} 个单元格为 0（{_cells_text(cells)}）：{measure} 日均值不会为 0，"
                "应是缺测被填成了 0，已按缺测处理，不作为测量值；缺该项的当日 AQI 记为 NA",
                Severity.WARNING,
            )
        )
    for column, cells in sorted(marked.items()):
        measure = layout.measures[column][0]
        out.problems.append(
            Problem(
                name,
                0,
                _col(column, layout.headers.get(column, measure)),
                f"{len(cells)} 个单元格为空白或标为缺测（“—”“-1”“-999”“NA”“无效”等）"
                f"（{_cells_text(cells)}），已按缺测处理"
                + ("；缺该项的当日 AQI 记为 NA" if measure != "O3_1h" else ""),
                Severity.WARNING,
            )
        )
    out.problems[start:] = [replace(p, sheet=sheet) for p in out.problems[start:]]


def _read_level(
    out: ReadResult, name: str, sheet: str, r: int, col: int, value: CellValue, station: str
) -> None:
    """The row's 点位级别 into ``out.classes``: the first row of a station stating one counts;
    another level later, or a word not understood, is a warning naming the cell."""
    written = "" if value is None else str(value).strip()
    if not written:
        return
    where = f"{sheet}!{cell_address(r, col)}"
    try:
        level = control_level_of(written)
    except StorageError as exc:
        out.problems.append(
            Problem(name, r + 1, _col(col, "点位级别"), f"{exc.message}（{exc.hint}），未读入",
                    Severity.WARNING, cell=cell_address(r, col))
        )  # fmt: skip
        return
    said = out.classes.get(station)
    if said is None and level:
        out.classes[station] = StationClass(level, None, where)
    elif said is not None and level and level != said.control_level:
        first = f"{said.level_cell}（{said.control_level}）"
        message = f"{station} 写{level}，与{first}不同，按{said.level_cell}"
        out.problems.append(
            Problem(name, r + 1, _col(col, "点位级别"), message, Severity.WARNING,
                    cell=cell_address(r, col))
        )  # fmt: skip


def _cells_text(cells: list[str]) -> str:
    """ "D5、D9、D12" — at most ``_CELLS_SHOWN`` cells, then "等 n 个"."""
    shown = "、".join(cells[:_CELLS_SHOWN])
    return shown if len(cells) <= _CELLS_SHOWN else f"{shown} 等 {len(cells)} 个"


def _check_days(result: ReadResult, name: str) -> None:
    by_station: dict[str, set[date]] = defaultdict(set)
    for record in result.records:
        by_station[record.station].add(record.day)
    for station, days in sorted(by_station.items()):
        first, last = min(days), max(days)
        gaps = []
        day = first
        while day <= last:
            if day not in days:
                gaps.append(day)
            day += timedelta(days=1)
        if gaps:
            who = f"{station}：" if station else ""
            result.problems.append(
                Problem(
                    name,
                    0,
                    "",
                    f"{who}{first}～{last} 之间缺 {len(gaps)} 天：{describe_days(gaps)}",
                    Severity.WARNING,
                )
            )


def describe_days(days: list[date], limit: int = 8) -> str:
    """Consecutive days as ranges: "3月5日、3月10日～12日"."""
    spans: list[tuple[date, date]] = []
    for day in sorted(days):
        if spans and day - spans[-1][1] == timedelta(days=1):
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    parts = [str(a) if a == b else f"{a}～{b}" for a, b in spans[:limit]]
    if len(spans) > limit:
        parts.append(f"等 {len(spans)} 段")
    return "、".join(parts)
