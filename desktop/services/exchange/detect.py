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
from dataclasses import dataclass, field
from typing import TypeVar

from db.periods import Period
from db.records import Indicator, Unit
from desktop.services.common.text import compact
from desktop.services.common.workbook import SheetGrid, WorkbookError, WorkbookGrid, cell_address
from desktop.services.exchange.export import METADATA_MARK, METADATA_SHEET
from desktop.services.exchange.layout import Key, SheetLayout

NAME_HEADERS = ("指标", "指标名称", "项目", "指标项目", "主要指标", "考核指标")
UNIT_HEADERS = ("单位名称", "填报单位", "地区", "区县", "县(市、区)", "县（市、区）", "分局")
MEASURE_HEADERS = ("单位", "计量单位", "计量")
SKIP_ROWS = re.compile(r"^([一二三四五六七八九十]+[、.．]|合计|总计|小计|其中$)")
#: A row label's numbering, dropped before matching. Not ``common.outline_markers``: this is a
#: form's row label, not an outline, and reading （一） or ① here as well would change which
#: rows of a bureau's form match an indicator.
_NUMBERING = re.compile(r"^(\d+[.、．]|[（(]\d+[）)]|[一二三四五六七八九十]+[、.．])")
T = TypeVar("T")
_FILLER = re.compile(r"填报单位[:：]\s*(.+?)(?:\s{2,}|填报日期|填报时间|单位[:：]|$)")


@dataclass
class Detected:
    """A sheet's layout and the cells that could not be matched (row, col, reason)."""

    layout: SheetLayout
    problems: list[tuple[int, int, str]] = field(default_factory=list)


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
    """Names of indicators and units, matched exactly after folding, else by unique overlap."""

    def __init__(self, indicators: list[Indicator], units: list[Unit]) -> None:
        self.indicators = {normalise(i.name): i for i in indicators}
        self.units: dict[str, Unit] = {}
        for unit in units:
            for name in (unit.name, unit.short_name, unit.code):
                if name:
                    self.units[normalise(name)] = unit

    def indicator(self, text: str, *, loose: bool = False) -> Indicator | None:
        """The indicator a row label names. Automatic import takes exact names only (after
        folding): "空气优良天数比例" contains "优良天数" but is the rate, not the days. ``loose``
        also accepts a unique overlap, for suggestions a person confirms."""
        key = normalise(text)
        return _match(key, self.indicators) if loose else self.indicators.get(key)

    def unit(self, text: str) -> Unit | None:
        return _match(normalise(text), self.units)


def _match(key: str, table: dict[str, T]) -> T | None:
    if not key:
        return None
    if key in table:
        return table[key]
    if len(key) < 3:
        return None
    found = {
        id(v): v for name, v in table.items() if len(name) >= 3 and (key in name or name in key)
    }
    return next(iter(found.values())) if len(found) == 1 else None


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
            if match:
                written = match[1].strip()
                return matcher.unit(written), (r, c), written
            if text.startswith("填报单位"):  # a blank form: the line waits for our name
                return None, (r, c), ""
    return None, None, ""


def find_period(sheet: SheetGrid, above: int) -> Period | None:
    for r in range(min(above, sheet.height)):
        for c in range(sheet.width):
            period = Period.find_in_text(sheet.text(r, c))
            if period is not None:
                return period
    return None


def role_of(text: str) -> str | None:
    t = normalise(text)
    if not t:
        return None
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
    if t in ("序号", "编号"):
        return "skip"
    if any(k in t for k in ("本期", "本月", "累计", "当期", "实际", "完成", "数值", "本年")):
        return "current"
    if Period.find_in_text(t) is not None:
        return "current"
    return None


def detect_sheet(sheet: SheetGrid, matcher: Matcher) -> Detected | None:
    """The layout of one sheet, or None when it has no recognisable header."""
    header = _find_header(sheet)
    if header is None:
        return None
    row, name_col, kind = header
    two_rows = (
        row + 1 < sheet.height
        and any(role_of(sheet.text(row + 1, c)) for c in range(sheet.width) if c != name_col)
        and not matcher.indicator(sheet.text(row + 1, name_col))
    )
    last_header = row + 1 if two_rows else row
    texts = spread_merged(sheet, range(0, last_header + 1))
    period = find_period(sheet, last_header + 1)
    unit, unit_cell, _written = find_unit(sheet, matcher, row)
    layout = SheetLayout(
        sheet=sheet.name,
        default=Key(unit=unit.code if unit else None, period=period.code if period else None),
        unit_cell=unit_cell,
    )
    detected = Detected(layout)
    if kind == "indicators_down":
        _indicators_down(sheet, matcher, detected, row, last_header, name_col, texts)
    else:
        _units_down(sheet, matcher, detected, row, last_header, name_col, texts)
    return detected


def _find_header(sheet: SheetGrid) -> tuple[int, int, str] | None:
    for r in range(min(15, sheet.height)):
        for c in range(sheet.width):
            t = normalise(sheet.text(r, c))
            if t in NAME_HEADERS:
                return r, c, "indicators_down"
            if t in UNIT_HEADERS or (t == "单位" and _looks_like_units_column(sheet, r, c)):
                return r, c, "units_down"
    return None


def _looks_like_units_column(sheet: SheetGrid, row: int, col: int) -> bool:
    below = [sheet.text(r, col) for r in range(row + 1, min(sheet.height, row + 6))]
    return any(("局" in t or "区" in t or "县" in t) for t in below)


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
        if c == name_col:
            continue
        top, sub = texts.get((header, c), ""), texts.get((last_header, c), "")
        role = role_of(sub) or role_of(top)
        if role == "measure":
            layout.measure_column = c
        elif role in ("current", "last_year", "target", "note"):
            column_period = Period.find_in_text(top) or Period.find_in_text(sub)
            layout.columns[c] = Key(
                field=role, period=column_period.code if column_period else None
            )
    for r in range(last_header + 1, sheet.height):
        name = sheet.text(r, name_col)
        if not name or SKIP_ROWS.match(normalise(name) or name):
            continue
        indicator = matcher.indicator(name)
        if indicator is None:
            if any(sheet.value(r, c) is not None for c in layout.columns):
                detected.problems.append((r, name_col, f"“{name}”不是已知指标"))
            continue
        layout.rows[r] = Key(indicator=indicator.code)


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
        if c == name_col:
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
        name = sheet.text(r, name_col)
        if not name or SKIP_ROWS.match(normalise(name) or name):
            continue
        unit = matcher.unit(name)
        if unit is None:
            detected.problems.append((r, name_col, f"“{name}”不是已知单位（可在“单位管理”中新增）"))
            continue
        layout.rows[r] = Key(unit=unit.code)
