"""Reading surface-water section measurements as monitoring stations publish them.

One row per section and sampling date (or month): ``断面名称 | 水体类型 | 采样日期 | 溶解氧 |
高锰酸盐指数 | 氨氮(mg/L) | 总磷 …`` in .xlsx/.xls/.ods (read by ``read_workbook``, which refuses
broken or hostile files) or .csv in UTF-8 or GBK, often under a merged title row, sometimes with
the section name merged down over its dates. Every value read becomes an ``Observation`` with its
sheet and cell; everything doubtful is said by sheet and cell in Chinese, never guessed:

* a value that is not a number, is negative, or beyond anything a river holds (a unit mix-up,
  pH outside 0-14) is an error and left out;
* "—", "/", blank, "缺测" mean no sample and are skipped;
* a value below the detection limit written with the limit ("<0.01", "0.01L", "未检出(0.01)")
  enters at half the limit, as 《地表水环境质量监测数据统计技术规定（试行）》（环办监测函
  〔2020〕82号）第七条 requires ("当监测数据低于检出限时，以1/2检出限值参与计算和统计"; SL 219-2013
  12.2.5 says the same); a bare "未检出"/"ND" names no limit, so it cannot be halved and is an error
  asking for the limit;
* μg/L columns are converted to mg/L, with a warning;
* a file with no 水体类型 column takes the body the caller gives (river and lake limits of TP
  differ, so it is asked, not assumed), with a warning.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from db.errors import StorageError
from db.numbers import CLASS_NAMES, EMPTY_MARKS, parse_water_class
from db.periods import Period
from db.stations import control_level_of
from desktop.services.common.csv_rows import read_csv_rows
from desktop.services.common.dates import parse_date
from desktop.services.common.dry_run import DryRunItem
from desktop.services.common.text import half_width, header_key
from desktop.services.common.workbook import (
    CellValue,
    WorkbookError,
    cell_address,
    read_workbook,
)
from desktop.services.monitoring.sample_import import Observation, StationClass, error_item
from desktop.services.monitoring.standards import (
    StandardsLibrary,
    WaterStandard,
    load_library,
    to_decimal,
)
from desktop.services.monitoring.water.classes import WaterBody, classify_section
from desktop.services.monitoring.water.headers import (
    BODY_HEADERS,
    CLASS_HEADERS,
    DATE_HEADERS,
    LEVEL_HEADERS,
    SECTION_HEADERS,
    TARGET_HEADERS,
    body_of,
    header_unit,
    item_names,
    item_of,
)

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
_HEADER_ROWS = 15
#: Words for "not sampled" (skipped like a blank).
_NOT_SAMPLED = frozenset({"缺测", "未监测", "未采样", "断流", "干涸", "无数据", "na", "n/a", "*"})
#: Words for "below the detection limit" written without the limit.
_NOT_DETECTED = frozenset({"未检出", "nd", "n.d.", "低于检出限", "<dl", "l"})
_NUMBER = r"(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?"
_BELOW = (
    re.compile(rf"^[<＜]\s*{_NUMBER}$"),
    re.compile(rf"^{_NUMBER}\s*L$"),  # "0.01L": the national way to write "below 0.01"
    re.compile(rf"^(?:未检出|ND|N\.D\.)\s*[(（]\s*{_NUMBER}\s*[)）]$", re.IGNORECASE),
)
_PLAIN = re.compile(rf"^[+-]?{_NUMBER}$")
#: Where a value stops being a measurement and becomes a typing or unit error (mg/L unless
#: noted). Far above the worst waters reported; items not listed allow 1000 × the Ⅴ limit.
PLAUSIBLE_MAX = {
    "WT": Decimal(45),  # ℃
    "pH": Decimal(14),
    "DO": Decimal(25),  # supersaturated algal blooms reach ~20
    "CODMn": Decimal(500),
    "COD": Decimal(5000),
    "BOD5": Decimal(2000),
    "NH3-N": Decimal(500),
    "TP": Decimal(100),
    "TN": Decimal(1000),
    "FC": Decimal(10) ** 10,  # 个/L
}


@dataclass(frozen=True)
class WaterProblem:
    sheet: str
    cell: str  # "D7", or "" for the whole file
    message: str
    error: bool = True
    section: str = ""  # the row's section, when known

    @property
    def text(self) -> str:
        where = f"{self.sheet}!{self.cell}：" if self.cell else ""
        return f"{'错误' if self.error else '警告'}：{where}{self.message}"


def _warning(sheet: str, message: str) -> WaterProblem:
    return WaterProblem(sheet, "", message, error=False)


@dataclass
class WaterFile:
    """What was read from one file: values with their cells, and the doubts."""

    path: Path
    observations: list[Observation] = field(default_factory=list)
    problems: list[WaterProblem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # item → header as written
    #: 控制级别 / 水质目标 the file states for a section (columns such as 控制级别, 水质目标).
    classes: dict[str, StationClass] = field(default_factory=dict)
    #: Sections with no body given (no 水体类型 column and no default): the caller must ask.
    sections_without_body: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[WaterProblem]:
        return [p for p in self.problems if p.error]

    @property
    def warnings(self) -> list[str]:
        return [p.text for p in self.problems if not p.error]

    def error_items(self) -> list[DryRunItem]:
        """The errors as preview rows, for ``dry_run_observations``."""
        name = self.path.name
        return [error_item(name, p.sheet, p.cell, p.message, p.section) for p in self.errors]

    @property
    def sections(self) -> list[str]:
        return sorted({o.station for o in self.observations})


@dataclass
class _Layout:
    data_row: int  # first row after the header (0-based)
    section: int
    body: int | None
    day: int | None
    items: dict[int, tuple[str, Decimal, str]]  # column → (item, factor, header as written)
    written_class: int | None = None  # the station's own 水质类别 column, cross-checked
    level: int | None = None  # 控制级别 / 断面级别 / 考核级别
    target: int | None = None  # 水质目标 / 目标水质 / 功能区类别


# ---------------------------------------------------------------- layout


def _text(value: CellValue) -> str:
    return "" if value is None else str(value).strip()


def _find_layout(
    rows: list[list[CellValue]], names: dict[str, str], sheet: str, problems: list[WaterProblem]
) -> _Layout | None:
    for r, row in enumerate(rows[:_HEADER_ROWS]):
        texts = [_text(v) for v in row]
        folded = [header_key(t) for t in texts]
        section = next((c for c, t in enumerate(folded) if t in SECTION_HEADERS), None)
        if section is None:
            continue
        below = [_text(v) for v in rows[r + 1]] if r + 1 < len(rows) else []
        two_rows = any(item_of(t, names) for t in below) and not any(
            item_of(t, names) for t in texts
        )
        width = max(len(texts), len(below))
        # A row of units under the item names ("无量纲", "mg/L"): part of the header.
        units_row = not two_rows and _units_only(below, names)
        headers = []
        unit_above = ""
        for c in range(width):
            top = texts[c] if c < len(texts) else ""
            if top:
                unit_above = top if header_unit(top).written else ""
            low = below[c] if (two_rows or units_row) and c < len(below) else ""
            if units_row:
                headers.append(f"{top}（{low}）" if top and low else top)
                continue
            # A merged "监测项目（mg/L）" above the item names gives its unit to each of them.
            if low and not header_unit(low).written and unit_above:
                low = f"{low}（{header_unit(unit_above).written}）"
            headers.append(low or top)
        items: dict[int, tuple[str, Decimal, str]] = {}
        for c, header in enumerate(headers):
            item = item_of(header, names) if header and c != section else None
            if item is None:
                continue
            header_row = r + 2 if two_rows and c < len(below) and below[c] else r + 1
            where = cell_address(header_row - 1, c)
            if item in {i for i, _, _ in items.values()}:
                problems.append(WaterProblem(sheet, where, f"“{header}”列重复，只读第一列", False))
                continue
            unit = header_unit(header)
            if unit.written == "μg/L":
                problems.append(
                    WaterProblem(sheet, where, f"“{header}”单位为 μg/L，已换算为 mg/L", False)
                )
            items[c] = (item, unit.factor, header)
        if not items:
            continue
        body = next((c for c, t in enumerate(folded) if t in BODY_HEADERS), None)
        day = next((c for c, t in enumerate(folded) if t in DATE_HEADERS), None)
        written = next((c for c, t in enumerate(folded) if t in CLASS_HEADERS), None)
        level = next((c for c, t in enumerate(folded) if t in LEVEL_HEADERS), None)
        target = next((c for c, t in enumerate(folded) if t in TARGET_HEADERS), None)
        return _Layout(
            r + (2 if two_rows or units_row else 1), section, body, day, items, written, level,
            target,
        )  # fmt: skip
    return None


def _units_only(row: list[str], names: dict[str, str]) -> bool:
    """A row holding only units ("无量纲", "mg/L", "个/L"), no item and no data."""
    cells = [t for t in row if t]
    return bool(cells) and all(header_unit(t).written and not item_of(t, names) for t in cells)


def _fill_merged(rows: list[list[CellValue]], merged: list[tuple[int, int, int, int]]) -> None:
    """A section name merged down over its dates belongs to every row it spans. Only merges
    within one column: a title or a 注 line merged across the table belongs to no column."""
    for r1, c1, r2, c2 in merged:
        if r1 >= len(rows) or c1 >= len(rows[r1]) or c1 != c2:
            continue
        value = rows[r1][c1]
        for r in range(r1, min(r2, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c1, c2 + 1):
                if c < len(row) and row[c] is None:
                    row[c] = value


# ---------------------------------------------------------------- cells


@dataclass(frozen=True)
class Reading:
    value: Decimal
    below_limit: bool = False  # entered at half the detection limit


def parse_value(value: CellValue) -> Reading | None:
    """The cell's value as written; None for no sample; ValueError with a Chinese reason."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"“{value}”不是数字")
    if isinstance(value, float) and value.is_integer():
        return Reading(Decimal(int(value)))  # workbooks store 25 as 25.0
    if isinstance(value, (int, float)):
        return Reading(to_decimal(value))
    text = half_width(value).strip().replace(",", "")
    text = re.sub(r"\s*(mg|μg|µg|ug)/l$", "", text, flags=re.IGNORECASE)
    if text in EMPTY_MARKS or text.lower() in _NOT_SAMPLED:
        return None
    if text.lower() in _NOT_DETECTED:
        raise ValueError(
            f"“{value}”未写检出限，无法按1/2检出限参与计算；请写成“<0.01”或“0.01L”（检出限）"
        )
    for pattern in _BELOW:
        match = pattern.match(text)
        if match:
            return Reading(_decimal(match) / 2, below_limit=True)
    match = _PLAIN.match(text)
    if not match:
        raise ValueError(f"“{value}”不是数字")
    try:
        return Reading(Decimal(text))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"“{value}”不是数字") from exc


def _decimal(match: re.Match[str]) -> Decimal:
    digits, exponent = match[1], match[2]
    return Decimal(f"{digits}e{exponent}") if exponent else Decimal(digits)


def parse_day(value: CellValue, year: int | None) -> tuple[date | None, bool]:
    """(day, month only) of a date cell: sections sampled monthly may be dated by the month
    alone ("2026-03", or "3" under a title naming the year), kept as its first day."""
    found = parse_date(value, year)
    return (found.day, found.month_only) if found else (None, False)


# ---------------------------------------------------------------- reading


def read_water_file(
    path: Path,
    default_body: WaterBody | None = None,
    library: StandardsLibrary | None = None,
) -> WaterFile:
    """Section measurements and every problem found; raises ``WorkbookError`` if unreadable.

    ``default_body`` is the body of every section when the file has no 水体类型 column; when it
    is None then, the observations carry no body and ``sections_without_body`` lists them.
    """
    if not path.is_file():
        raise WorkbookError(f"找不到文件“{path}”")
    if path.suffix.lower() not in SUFFIXES:
        raise WorkbookError(f"“{path.name}”不是支持的数据文件（.xlsx、.xls、.ods、.csv）")
    standard = (library or load_library()).water
    names = item_names(standard)
    grids: list[tuple[str, list[list[CellValue]], list[tuple[int, int, int, int]]]]
    if path.suffix.lower() == ".csv":
        grids = [(path.stem, read_csv_rows(path), [])]
    else:
        book = read_workbook(path)
        grids = [(s.name, s.rows, s.merged) for s in book.sheets if not s.hidden]
    for sheet, rows, merged in grids:
        problems: list[WaterProblem] = []
        layout = _find_layout(rows, names, sheet, problems)
        if layout is None:
            continue
        _fill_merged(rows, merged)
        result = WaterFile(path, problems=problems)
        result.columns = {item: header for item, _, header in layout.items.values()}
        _read_rows(rows, layout, sheet, library or load_library(), default_body, result)
        return result
    raise WorkbookError(
        f"“{path.name}”中没有找到断面监测数据表头（需要“断面名称”列和溶解氧、高锰酸盐指数、"
        "氨氮、总磷等监测项目列）"
    )


def _title_year(rows: list[list[CellValue]], before: int) -> int | None:
    for row in rows[:before]:
        for value in row:
            period = Period.find_in_text(_text(value)) if value is not None else None
            if period is not None:
                return period.year
    return None


def _read_rows(
    rows: list[list[CellValue]],
    layout: _Layout,
    sheet: str,
    library: StandardsLibrary,
    default_body: WaterBody | None,
    out: WaterFile,
) -> None:
    standard = library.water
    year = _title_year(rows, layout.data_row)
    title_day: date | None = None
    if layout.day is None:
        title_day = _title_month(rows, layout.data_row)
        if title_day is None:
            raise WorkbookError(
                f"“{out.path.name}”没有日期列（采样日期、监测时间或月份），标题中也没有写明年月"
            )
        out.problems.append(_warning(sheet, f"文件没有日期列，按标题中的{title_day:%Y年%m月}读入"))
    if layout.body is None and default_body is not None:
        out.problems.append(
            _warning(sheet, f"文件没有水体类型列，全部断面按{default_body.value}评价")
        )
    month_only: list[str] = []
    below: dict[str, list[str]] = defaultdict(list)
    no_body: set[str] = set()
    for r in range(layout.data_row, len(rows)):
        row = rows[r]

        def cell(c: int | None, row: list[CellValue] = row) -> CellValue:
            return row[c] if c is not None and c < len(row) else None

        if all(cell(c) is None or _text(cell(c)) == "" for c in layout.items):
            continue  # a blank, note or signature line
        section = _text(cell(layout.section))
        if not section:
            out.problems.append(
                WaterProblem(sheet, cell_address(r, layout.section), "断面名称为空，整行未读入")
            )
            continue
        body: WaterBody | None = default_body
        if layout.body is not None:
            body = body_of(_text(cell(layout.body)))
            if body is None:
                out.problems.append(
                    WaterProblem(
                        sheet,
                        cell_address(r, layout.body),
                        f"“{_text(cell(layout.body))}”不是水体类型（河流、湖库、湖泊、水库），"
                        "整行未读入",
                    )
                )
                continue
        if body is None:
            no_body.add(section)
        day, monthly = (title_day, False) if title_day else parse_day(cell(layout.day), year)
        if day is None:
            out.problems.append(
                WaterProblem(
                    sheet,
                    cell_address(r, layout.day or 0),
                    f"“{_text(cell(layout.day))}”不是日期或月份，整行未读入",
                )
            )
            continue
        _read_class(out, sheet, r, layout, row, section)
        if monthly:
            month_only.append(f"{sheet}!{cell_address(r, layout.day or 0)}")
        row_values: dict[str, Decimal] = {}
        for c, (item, factor, header) in layout.items.items():
            address = cell_address(r, c)
            try:
                reading = parse_value(cell(c))
            except ValueError as exc:
                out.problems.append(WaterProblem(sheet, address, f"{header}：{exc}", True, section))
                continue
            if reading is None:
                continue
            value = reading.value * factor
            problem = _implausible(item, value, standard)
            if problem:
                out.problems.append(
                    WaterProblem(sheet, address, f"{header}：{problem}", True, section)
                )
                continue
            if reading.below_limit:
                below[standard.items[item].label].append(f"{sheet}!{address}")
            spec = standard.items[item]
            row_values[item] = value
            out.observations.append(
                Observation(
                    section, day, item, value, sheet, address,
                    label=f"{spec.label}（{spec.unit}）", water_body=body.value if body else "",
                )
            )  # fmt: skip
        if layout.written_class is not None and _text(cell(layout.written_class)):
            where = f"{sheet}!{cell_address(r, layout.written_class)}"
            written = _text(cell(layout.written_class))
            _check_written_class(out, sheet, where, written, section, row_values, body, library)
    if month_only:
        out.problems.append(
            _warning(sheet, f"{len(month_only)} 行只写了月份，记为当月1日（{month_only[0]} 等）")
        )
    for label, cells in below.items():
        shown = "、".join(cells[:5]) + (f" 等 {len(cells)} 处" if len(cells) > 5 else "")
        out.problems.append(_warning(sheet, f"{label}低于检出限的值按1/2检出限参与计算（{shown}）"))
    out.sections_without_body = sorted(no_body)
    _duplicated_sections(out, sheet)
    _duplicated_values(out, sheet)


def _read_class(
    out: WaterFile,
    sheet: str,
    r: int,
    layout: _Layout,
    row: list[CellValue],
    section: str,
) -> None:
    """The row's 控制级别 and 水质目标 into ``out.classes``: the first row of a section that
    states one counts; a later row stating another is a warning, a word not understood too
    (the values are still read: the class of a section is not what they measure)."""
    said = out.classes.get(section, StationClass())
    level, level_cell = said.control_level, said.level_cell
    target, target_cell = said.target_class, said.target_cell
    if layout.level is not None and layout.level < len(row) and _text(row[layout.level]):
        written = _text(row[layout.level])
        where = f"{sheet}!{cell_address(r, layout.level)}"
        try:
            found = control_level_of(written)
        except StorageError as exc:
            out.problems.append(_warning(sheet, f"{where}：{exc.message}（{exc.hint}），未读入"))
            found = ""
        if found and level and found != level:
            out.problems.append(
                _warning(
                    sheet,
                    f"{where}：{section} 写{found}，与{level_cell}（{level}）不同，按{level_cell}",
                )
            )
        elif found and not level:
            level, level_cell = found, where
    if layout.target is not None and layout.target < len(row) and _text(row[layout.target]):
        written = _text(row[layout.target])
        where = f"{sheet}!{cell_address(r, layout.target)}"
        try:
            stated = parse_water_class(written)
        except ValueError as exc:
            out.problems.append(_warning(sheet, f"{where}：水质目标{exc}，未读入"))
            stated = None
        if stated is not None and stated > 5:
            out.problems.append(_warning(sheet, f"{where}：水质目标不能是劣Ⅴ类，未读入"))
            stated = None
        found_target = None if stated is None else int(stated)
        if found_target and target and found_target != target:
            out.problems.append(
                _warning(
                    sheet,
                    f"{where}：{section} 水质目标写{CLASS_NAMES[found_target]}，"
                    f"与{target_cell}（{CLASS_NAMES[target]}）不同，按{target_cell}",
                )
            )
        elif found_target and not target:
            target, target_cell = found_target, where
    if level or target:
        out.classes[section] = StationClass(level, target, level_cell, target_cell)


def _check_written_class(
    out: WaterFile,
    sheet: str,
    where: str,
    written: str,
    section: str,
    values: dict[str, Decimal],
    body: WaterBody | None,
    library: StandardsLibrary,
) -> None:
    """The station's own 水质类别 against the class of the row's values: a difference is a
    warning (the station may have judged items this file does not carry), never a correction."""
    try:
        stated = parse_water_class(written)
    except ValueError:
        return
    result = classify_section(section, values, body or WaterBody.RIVER, library)
    if stated is None or result.class_index is None or int(stated) == result.class_index:
        return
    worst = [i.label for i in result.items if i.counted and i.class_index == result.class_index]
    out.problems.append(
        _warning(
            sheet,
            f"{where}：文件写{CLASS_NAMES[int(stated)]}，按本行数值评价为{result.class_name}"
            f"（{'、'.join(worst)}），请核对",
        )
    )


def _title_month(rows: list[list[CellValue]], before: int) -> date | None:
    for row in rows[:before]:
        for value in row:
            period = Period.find_in_text(_text(value)) if value is not None else None
            if period is not None and len(period.months()) == 1:
                return date(period.year, period.months()[0], 1)
    return None


def _implausible(item: str, value: Decimal, standard: WaterStandard) -> str:
    if value < 0:
        return f"{value} 为负数，未读入"
    ceiling = PLAUSIBLE_MAX.get(item)
    if ceiling is None:
        limits = standard.items[item].limits
        ceiling = 1000 * limits[-1] if limits and isinstance(limits[-1], Decimal) else None
    if ceiling is not None and value > ceiling:
        unit = standard.items[item].unit
        if item == "pH":
            return f"{value} 不可能（pH 在 0～14 之间），未读入"
        return f"{value} {unit} 超出可能范围（>{ceiling}），可能是单位错误，未读入"
    return ""


def _duplicated_values(out: WaterFile, sheet: str) -> None:
    """The same section, day and item twice: kept once when equal, refused both when not.

    The dry run judges duplicates the same way; doing it here too keeps figures computed
    straight from a file (``ecodesk-cli water``) equal to figures from the imported values.
    """
    first: dict[tuple[str, date, str], Observation] = {}
    refused: set[tuple[str, date, str]] = set()
    kept: list[Observation] = []
    for obs in out.observations:
        key = (obs.station, obs.day, obs.item)
        earlier = first.get(key)
        if earlier is None:
            first[key] = obs
            kept.append(obs)
        elif earlier.value == obs.value:
            out.problems.append(
                _warning(sheet, f"{sheet}!{obs.cell} 与 {sheet}!{earlier.cell} 重复，只计一次")
            )
        else:
            refused.add(key)
            for one, other in ((earlier, obs), (obs, earlier)):
                out.problems.append(
                    WaterProblem(
                        sheet, one.cell,
                        f"{obs.station} {obs.day} {obs.label}与{sheet}!{other.cell}取值不同，"
                        "请保留一处", True, obs.station,
                    )
                )  # fmt: skip
    out.observations = [o for o in kept if (o.station, o.day, o.item) not in refused]


def _duplicated_sections(out: WaterFile, sheet: str) -> None:
    """One section written with two bodies is a warning: its first row's body is kept, as the
    dry run keeps it."""
    bodies: dict[str, Counter[str]] = defaultdict(Counter)
    for obs in out.observations:
        if obs.water_body:
            bodies[obs.station][obs.water_body] += 1
    for section, seen in sorted(bodies.items()):
        if len(seen) > 1:
            out.problems.append(
                _warning(
                    sheet,
                    f"{section} 的水体类型前后不一（{'、'.join(seen)}），按第一次出现的类型评价",
                )
            )
