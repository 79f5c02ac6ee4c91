"""Finding the layout of a workbook: our own export's metadata, or a form read from its headers.

A bureau's form has a title with the period ("2022年1-10月…统计表"), a 填报单位 line, a header
row with 指标 / 单位 / 本期 / 去年同期 / 同比 / 目标 / 备注 (often two rows, merged, the period
written above its columns), and one indicator per row, sometimes with category rows
("一、大气环境") and a 合计 row. Forms that list units down the side and indicators across the
top (the city's collection forms) are recognised too. What cannot be matched is reported by
cell, never guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from db.connection import Database
from db.periods import Period, PeriodKind
from db.records import Indicator, Unit
from desktop.services.common.text import compact
from desktop.services.common.workbook import SheetGrid, WorkbookError, WorkbookGrid, cell_address
from desktop.services.exchange.export import METADATA_MARK, METADATA_SHEET
from desktop.services.exchange.layout import Key, SheetLayout
from desktop.services.exchange.vocabulary import (
    Suggestion,
    UnitNames,
    Vocabulary,
    label_key,
    place_of,
)

NAME_HEADERS = (
    "指标", "指标名称", "项目", "项目名称", "指标项目", "主要指标", "考核指标", "工作指标",
    "指标内容", "统计指标", "名称",
)  # fmt: skip
UNIT_HEADERS = (
    "单位名称", "填报单位", "地区", "区县", "县(市、区)", "县（市、区）", "县市区", "分局",
    "各县(市、区)", "各县市区", "各分局",
)  # fmt: skip
_UNIT_HEADER_KEYS = frozenset(compact(h) for h in UNIT_HEADERS)
MEASURE_HEADERS = ("单位", "计量单位", "计量", "单位名称(计量)")
#: Headers of columns that are never figures: numbering and codes.
CODE_HEADERS = ("序号", "编号", "代码", "编码", "指标代码", "指标编码", "行政区划代码", "行次")
SKIP_ROWS = re.compile(r"^([一二三四五六七八九十]+[、.．]|合计|总计|小计|其中$|注|说明|填表|审核)")
#: A row label's numbering, dropped before matching. Not ``common.outline_markers``: this is a
#: form's row label, not an outline, and reading （一） or ① here as well would change which
#: rows of a bureau's form match an indicator.
_NUMBERING = re.compile(r"^(\d+[.、．]|[（(]\d+[）)]|[一二三四五六七八九十]+[、.．])")
#: The line naming who fills the form, however it is written: "填报单位：", "填 报 单 位:",
#: "填报单位（盖章）：", "单位名称：", "报送单位：".
_FILLER = re.compile(
    r"(?:填\s*报\s*单\s*位|单\s*位\s*名\s*称|报\s*送\s*单\s*位|填\s*表\s*单\s*位)"
    r"\s*(?:[（(]\s*(?:盖\s*章|公\s*章)\s*[）)])?\s*[:：]\s*(.*?)"
    r"(?:\s{2,}|填\s*报\s*日\s*期|填报时间|日\s*期\s*[:：]|单位\s*[:：]|$)"
)
_BARE_FILLER = re.compile(
    r"^(填\s*报\s*单\s*位|单位名称|报送单位)\s*(?:[（(]盖章[）)])?\s*[:：]?\s*$"
)
#: A span of months without its year ("1-10月", "1～10月"), read with a year found elsewhere.
_MONTH_SPAN = re.compile(r"1\s*[-－—~～至到]\s*(\d{1,2})\s*月")
_YEAR = re.compile(r"(20\d{2})\s*年")
#: Codes as forms write them in a code column: "ZB001", "X003", "330402".
CODE_VALUE = re.compile(r"^[A-Za-z]{0,4}[-_]?\d{2,}$")
#: A 序号 column's mark for a category row ("一" "二、" "（三）"): the row under it is a heading
#: ("环境质量", "执法监管"), however its name is written.
SECTION_MARK = re.compile(r"^[（(]?[一二三四五六七八九十]+[)）、.．]?$")


#: "截至2022年10月底", "截止10月末": a figure up to that month, i.e. 1-N月.
_UP_TO = re.compile(r"(?:截至|截止)\s*(?:(20\d{2})\s*年)?\s*(\d{1,2})\s*月\s*(?:底|末)?")
#: Columns saying their figures run from January: 累计, 1-10月, 1～10月.
_CUMULATIVE = re.compile(r"累计|1\s*月?\s*[-－—–~～至到]\s*\d{1,2}\s*月")
_ONE_MONTH = re.compile(r"本月|当月")


@dataclass(frozen=True)
class PeriodReading:
    """The period a form's title or headers give, the cell it was read from, and why a month
    was read as 1-N月 (the form counts from January), for the dry run to say."""

    period: Period
    cell: tuple[int, int]
    text: str
    why: str = ""

    def describe(self, sheet: str) -> str:
        why = f"；{self.why}" if self.why else ""
        where = f"{sheet}!{cell_address(*self.cell)}"
        return f"{where}：期间读作{self.period.label}（据“{self.text}”{why}）"


@dataclass(frozen=True)
class Unmatched:
    """A data row whose label names no catalog indicator, with the closest ones."""

    row: int
    col: int
    label: str
    suggestions: tuple[Suggestion, ...] = ()
    has_figures: bool = True  # a blank form's rows have none: mapped, never "skipped"

    def hint(self) -> str:
        if not self.suggestions:
            return "目录中没有相近的指标"
        return "可能是：" + "；".join(s.describe() for s in self.suggestions)


@dataclass
class Detected:
    """A sheet's layout, the cells that could not be matched (row, col, reason), the data rows
    whose label matched no indicator, and where the headers end (the first data row)."""

    layout: SheetLayout
    problems: list[tuple[int, int, str]] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    header_end: int = 0
    name_col: int = 0
    #: Every row under the headers that names something (not a category, total or note).
    data_rows: list[int] = field(default_factory=list)
    #: Where the period was read, for the dry run to say.
    period_reading: PeriodReading | None = None


def is_heading(text: str) -> bool:
    """A row that is not a figure: a category ("一、大气环境"), a total (合计), "其中", a note."""
    return bool(SKIP_ROWS.match(compact(text)) or SKIP_ROWS.match(normalise(text) or text))


def is_section_row(sheet: SheetGrid, row: int, name_col: int, layout: SheetLayout) -> bool:
    """A category row ("一 | 环境质量"): numbered 一、二 or （三） left of its name, with no unit
    of measure and no figures. A row with either is a figure however it is numbered, and is
    matched or named like any other."""
    if not any(SECTION_MARK.match(compact(sheet.text(row, c))) for c in range(name_col)):
        return False
    if layout.measure_column is not None and sheet.text(row, layout.measure_column):
        return False
    return all(sheet.value(row, c) is None for c in layout.columns)


def normalise(text: str) -> str:
    """Fold the ways one name is written: full-width, spaces, numbering, "其中：", a unit.

    Built on ``compact``, not ``fold``: the numbering below needs its dots ("1." before a name)
    and names are matched as the catalog spells them, case and all.
    """
    text = compact(text)
    text = _NUMBERING.sub("", text)
    text = re.sub(r"^其中[:：]?", "", text)
    text = re.sub(r"[（(][^（()）]*[)）]$", "", text) or text  # a trailing "(μg/m³)"
    return text


class Matcher:
    """Indicators and units by every name they go by (``vocabulary``): a name or alias is a
    match; a close name is only a suggestion, for a person to confirm."""

    def __init__(self, vocabulary: Vocabulary, unit_names: UnitNames) -> None:
        self.vocabulary = vocabulary
        self.unit_names = unit_names
        self._spellings: list[tuple[Unit, tuple[str, ...]]] | None = None

    @classmethod
    def from_db(cls, db: Database) -> Matcher:
        return cls(Vocabulary.from_db(db), UnitNames.from_db(db))

    def indicator(self, text: str) -> Indicator | None:
        """The indicator a row label names by its name or an alias, else None."""
        return self.vocabulary.match(text)

    def suggest(self, text: str) -> list[Suggestion]:
        return self.vocabulary.suggest(text)

    def indicator_in_context(self, text: str, present: set[str]) -> Indicator | None:
        return self.vocabulary.match_in_context(text, present)

    def unit(self, text: str) -> Unit | None:
        return self.unit_names.match(text)

    def leaf_within(self, text: str) -> Unit | None:
        """``unit_within`` for a title: only a unit without branches of its own ("南湖区2022年…"
        names the branch; "嘉兴市2022年…" is the city's form, not the city's return)."""
        found = self.unit_within(text)
        parents = {u.parent_id for u in self.unit_names.units}
        return found if found is not None and found.id not in parents else None

    def unit_within(self, text: str) -> Unit | None:
        """The one unit whose name or place a longer text (a file name) contains."""
        found = self.unit(text)
        if found is not None:
            return found
        key = compact(text)
        hits = {u.id: u for u, names in self._unit_spellings() for name in names if name in key}
        if len(hits) > 1:  # "嘉兴市南湖区报表": the branch, not the city above it
            parents = {u.parent_id for u in hits.values()}
            hits = {i: u for i, u in hits.items() if i not in parents}
        return next(iter(hits.values())) if len(hits) == 1 else None

    def _unit_spellings(self) -> list[tuple[Unit, tuple[str, ...]]]:
        """Each unit with the names a file name may carry (name, short name, code, places),
        worked out once: consolidating 200 returns asked for 200 units' places per file, half
        the run's time and growing with files × units."""
        if self._spellings is None:
            self._spellings = []
            for u in self.unit_names.units:
                names = (u.name, u.short_name, u.code, place_of(u.name), place_of(u.short_name))
                self._spellings.append((u, tuple(n for n in names if n and len(n) >= 2)))
        return self._spellings


def layouts_from_metadata(grid: WorkbookGrid) -> list[SheetLayout] | None:
    """The layouts an EcoDesk export stored in its hidden sheet, or None for other workbooks."""
    for sheet in grid.sheets:
        if sheet.name == METADATA_SHEET and sheet.text(0, 0) == METADATA_MARK:
            return [
                _stored_layout(grid, sheet, r) for r in range(1, sheet.height) if sheet.text(r, 1)
            ]
    return None


def _stored_layout(grid: WorkbookGrid, sheet: SheetGrid, row: int) -> SheetLayout:
    """One row of the hidden sheet as a layout; a hand-edited or damaged row is a sentence."""
    try:
        return SheetLayout.from_json(sheet.text(row, 1))
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise WorkbookError(
            f"“{grid.path.name}”的隐藏工作表“{METADATA_SHEET}”在 {cell_address(row, 1)} 处已损坏"
            f"（{type(exc).__name__}: {exc}），无法按 EcoDesk 导出的版式读取",
            f"请重新从 EcoDesk 导出该表；或在 Excel/WPS 中删除隐藏工作表“{METADATA_SHEET}”"
            "后再导入，EcoDesk 将按表头识别",
        ) from exc


def spread_merged(sheet: SheetGrid, rows: range) -> dict[tuple[int, int], str]:
    """Header texts with each merged range's text copied to every cell it covers."""
    texts: dict[tuple[int, int], str] = {}
    for r in rows:
        for c in range(sheet.width):
            texts[(r, c)] = sheet.text(r, c)
    for r1, c1, r2, c2 in sheet.merged:
        value = sheet.text(r1, c1)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) in texts and not texts[(r, c)]:
                    texts[(r, c)] = value
    return texts


def find_unit(
    sheet: SheetGrid, matcher: Matcher, above: int
) -> tuple[Unit | None, tuple[int, int] | None, str]:
    """The unit named on a 填报单位 line above the header: (unit, cell, the text written)."""
    for r in range(min(above, sheet.height)):
        for c in range(sheet.width):
            text = sheet.text(r, c)
            match = _FILLER.search(text)
            if match and match[1].strip():
                written = match[1].strip()
                return matcher.unit(written), (r, c), written
            if match or _BARE_FILLER.match(text):  # a blank form: the line waits for our name
                return None, (r, c), ""
    return None, None, ""


def unit_elsewhere(sheet: SheetGrid, matcher: Matcher, above: int, file_stem: str) -> Unit | None:
    """The unit of a form without a filled 填报单位 line: the sheet's name, else the file's
    name, else a title above the headers that names a branch."""
    found = matcher.unit(sheet.name) or (matcher.unit_within(file_stem) if file_stem else None)
    for r in range(min(above, sheet.height)):
        if found is not None:
            break
        for c in range(sheet.width):
            text = sheet.text(r, c)
            if text and not _FILLER.search(text) and not _BARE_FILLER.match(text):
                found = matcher.leaf_within(text)
                if found is not None:
                    break
    return found


def read_period(sheet: SheetGrid, above: int) -> PeriodReading | None:
    """The period the title or the headers give; a span without its year ("1～10月") takes the
    year written elsewhere above the figures.

    A month is read as 1-N月 when the title says "截至…N月底", or when the form's columns count
    from January (累计, 1-N月) and none holds one month alone (本月, 当月): a cumulative form
    titled "2022年10月" holds 1-10月's figures, not October's.
    """
    cells = [
        (r, c, sheet.text(r, c))
        for r in range(min(above, sheet.height))
        for c in range(sheet.width)
        if sheet.text(r, c)
    ]
    cumulative = next((t for _r, _c, t in cells if _CUMULATIVE.search(t)), None)
    monthly = any(_ONE_MONTH.search(t) for _r, _c, t in cells)
    years = [int(m[1]) for _r, _c, t in cells for m in [_YEAR.search(t)] if m]
    for r, c, text in cells:
        period = Period.find_in_text(text)
        if period is None:
            continue
        if period.kind is PeriodKind.YEAR and not re.search(r"年度|全年", text):
            span = _span_elsewhere(cells, period.year)
            if span is not None:
                return span
        if period.kind is PeriodKind.MONTH:
            if _UP_TO.search(text):
                why = f"“截至{period.num}月”为1-{period.num}月累计"
                return PeriodReading(Period.ytd(period.year, period.num), (r, c), text, why)
            if cumulative and not monthly:
                why = f"表中有“{cumulative}”，按1-{period.num}月累计读"
                return PeriodReading(Period.ytd(period.year, period.num), (r, c), text, why)
        return PeriodReading(period, (r, c), text)
    return _span_elsewhere(cells, years[0]) if years else None


def _span_elsewhere(cells: list[tuple[int, int, str]], year: int) -> PeriodReading | None:
    """1-N月 written without its year ("1～10月", "截至10月底"), in the year given elsewhere."""
    for r, c, text in cells:
        span, up_to = _MONTH_SPAN.search(text), _UP_TO.search(text)
        month = int(span[1]) if span else int(up_to[2]) if up_to else 0
        if 1 <= month <= 12:
            why = f"年份取自表中“{year}年”"
            return PeriodReading(Period.ytd(year, month), (r, c), text, why)
    return None


def role_of(text: str) -> str | None:
    t = normalise(text)
    if not t:
        return None
    if t in CODE_HEADERS or t.endswith("代码") or t.endswith("编码"):
        return "skip"
    if any(k in t for k in ("去年同期", "上年同期", "同期", "上年")):
        return "last_year"
    if any(k in t for k in ("同比", "增减", "增幅", "变化", "增长", "排名")):
        return "skip"
    if any(k in t for k in ("目标", "计划", "任务")):
        return "target"
    if any(k in t for k in ("备注", "说明")):
        return "note"
    if t in MEASURE_HEADERS:
        return "measure"
    if any(k in t for k in ("本期", "本月", "累计", "当期", "实际", "完成", "数值", "本年")):
        return "current"
    if Period.find_in_text(t) is not None:
        return "current"
    return None


def detect_sheet(sheet: SheetGrid, matcher: Matcher, *, file_stem: str = "") -> Detected | None:
    """The layout of one sheet, or None when it has no recognisable header.

    The unit is the one a 填报单位 line names, else the sheet's name, else the file's name
    (``file_stem``); a line naming a unit EcoDesk does not know is reported, never guessed.
    """
    header = _find_header(sheet)
    if header is None:
        return None
    row, name_col, kind = header
    last_header = _last_header_row(sheet, matcher, row, name_col)
    texts = spread_merged(sheet, range(0, last_header + 1))
    reading = read_period(sheet, last_header + 1)
    period = reading.period if reading else None
    unit, unit_cell, written = find_unit(sheet, matcher, row)
    problems: list[tuple[int, int, str]] = []
    if unit is None and written and unit_cell is not None:
        problems.append(
            (*unit_cell, f"填报单位“{written}”不是已知单位：请先新增该单位或为其加别名"
             "（ecodesk-cli units add / units alias），或导入时指定单位")
        )  # fmt: skip
    elif unit is None and not written:
        unit = unit_elsewhere(sheet, matcher, row, file_stem)
    layout = SheetLayout(
        sheet=sheet.name,
        default=Key(unit=unit.code if unit else None, period=period.code if period else None),
        unit_cell=unit_cell,
    )
    detected = Detected(
        layout, problems, header_end=last_header + 1, name_col=name_col, period_reading=reading
    )
    if kind == "indicators_down":
        _indicators_down(sheet, matcher, detected, row, last_header, name_col, texts)
    else:
        _units_down(sheet, matcher, detected, row, last_header, name_col, texts)
    return detected


def _last_header_row(sheet: SheetGrid, matcher: Matcher, row: int, name_col: int) -> int:
    """The last row of a header that starts at ``row``: the bottom of the header cells merged
    down from it (a two-row header), or the next row when it names fields (本期, 去年同期) and
    leaves the name column empty. The row after it is data, whatever it holds."""
    last = row
    for r1, _c1, r2, _c2 in sheet.merged:
        if r1 == row and r2 > last and r2 - r1 <= 3:
            last = r2
    if last == row and row + 1 < sheet.height:
        below = sheet.text(row + 1, name_col)
        roles = [
            role_of(sheet.text(row + 1, c)) for c in range(sheet.width) if c != name_col
        ]  # fmt: skip
        if any(roles) and (not below or role_of(below)) and matcher.indicator(below) is None:
            last = row + 1
    return last


def _find_header(sheet: SheetGrid) -> tuple[int, int, str] | None:
    for r in range(min(15, sheet.height)):
        if r in sheet.hidden_rows:
            continue
        for c in range(sheet.width):
            if c in sheet.hidden_columns:
                continue
            t = normalise(sheet.text(r, c))
            if t in NAME_HEADERS:
                return r, c, "indicators_down"
            if (
                t in _UNIT_HEADER_KEYS
                or compact(sheet.text(r, c)) in _UNIT_HEADER_KEYS
                or (t == "单位" and _looks_like_units_column(sheet, r, c))
            ):
                return r, c, "units_down"
    return None


def _looks_like_units_column(sheet: SheetGrid, row: int, col: int) -> bool:
    below = [sheet.text(r, col) for r in range(row + 1, min(sheet.height, row + 6))]
    return any(("局" in t or "区" in t or "县" in t) for t in below)


def _is_code_column(sheet: SheetGrid, col: int, first: int) -> bool:
    """A column of codes (a .xls does not say it was hidden): every text in it looks like one."""
    found = [sheet.text(r, col) for r in range(first, sheet.height) if sheet.text(r, col)]
    return bool(found) and all(CODE_VALUE.match(t) and not t.isdigit() for t in found)


def _resolve_in_context(matcher: Matcher, detected: Detected) -> None:
    """Generic labels ("已完成整改问题数", "罚款金额") matched by the family the sheet's other
    rows show (央督反馈问题, 查处案件); a label written twice, or a figure already on the sheet,
    stays unmatched and named."""
    layout = detected.layout
    present = {k.indicator for k in layout.rows.values() if k.indicator}
    written = Counter(label_key(u.label) for u in detected.unmatched)
    still: list[Unmatched] = []
    for u in detected.unmatched:
        found = matcher.indicator_in_context(u.label, present)
        if found is None or written[label_key(u.label)] > 1 or found.code in present:
            still.append(u)
            continue
        layout.rows[u.row] = Key(indicator=found.code)
        present.add(found.code)
    detected.unmatched = still


def _column_period(top: str, sub: str, sheet_period: str | None) -> Period | None:
    """The period a column's header gives: its own ("2022年1-10月"), or a span without a year
    ("1-10月累计" beside 本月) in the year of the sheet's period."""
    found = Period.find_in_text(top) or Period.find_in_text(sub)
    if found is not None or sheet_period is None:
        return found
    span = _MONTH_SPAN.search(sub) or _MONTH_SPAN.search(top)
    month = int(span[1]) if span else 0
    return Period.ytd(Period.parse(sheet_period).year, month) if 1 <= month <= 12 else None


def _indicators_down(
    sheet: SheetGrid,
    matcher: Matcher,
    detected: Detected,
    header: int,
    last_header: int,
    name_col: int,
    texts: dict[tuple[int, int], str],
) -> None:
    layout = detected.layout
    for c in range(sheet.width):
        if c == name_col or c in sheet.hidden_columns:
            continue
        top, sub = texts.get((header, c), ""), texts.get((last_header, c), "")
        role = role_of(sub) or role_of(top)
        if role is None and _is_code_column(sheet, c, last_header + 1):
            continue
        if role == "measure":
            layout.measure_column = c
        elif role in ("current", "last_year", "target", "note"):
            column_period = _column_period(top, sub, layout.default.period)
            layout.columns[c] = Key(
                field=role, period=column_period.code if column_period else None
            )
    for r in range(last_header + 1, sheet.height):
        if r in sheet.hidden_rows:
            continue
        name = sheet.text(r, name_col)
        heading = is_heading(name) or is_section_row(sheet, r, name_col, layout)
        if not name or (heading and matcher.indicator(name) is None):
            continue
        detected.data_rows.append(r)
        indicator = matcher.indicator(name)
        if indicator is None:
            has_figures = any(sheet.value(r, c) is not None for c in layout.columns)
            detected.unmatched.append(
                Unmatched(r, name_col, name, tuple(matcher.suggest(name)), has_figures)
            )
            continue
        layout.rows[r] = Key(indicator=indicator.code)
    _resolve_in_context(matcher, detected)


def _units_down(
    sheet: SheetGrid,
    matcher: Matcher,
    detected: Detected,
    header: int,
    last_header: int,
    name_col: int,
    texts: dict[tuple[int, int], str],
) -> None:
    layout = detected.layout
    layout.default = Key(period=layout.default.period, field="current")
    for c in range(sheet.width):
        if c == name_col or c in sheet.hidden_columns:
            continue
        top, sub = texts.get((header, c), ""), texts.get((last_header, c), "")
        indicator = matcher.indicator(top) or matcher.indicator(sub)
        if indicator is not None:
            role = role_of(sub) if sub != top else None
            layout.columns[c] = Key(
                indicator=indicator.code,
                field=role if role in ("current", "last_year", "target") else "current",
            )
    for r in range(last_header + 1, sheet.height):
        if r in sheet.hidden_rows:
            continue
        name = sheet.text(r, name_col)
        if not name or is_heading(name):
            continue
        detected.data_rows.append(r)
        unit = matcher.unit(name)
        if unit is None:
            detected.problems.append((r, name_col, f"“{name}”不是已知单位（可在“单位管理”中新增）"))
            continue
        layout.rows[r] = Key(unit=unit.code)
