"""Filling a bureau's own form with our figures ("按表样填报").

The bureau's file is opened with openpyxl and only the mapped cells that are empty or hold a
plain value are written; formulas, merged cells, styles, column widths and print settings stay
as the bureau made them. The result is saved under a new name, never over the original.
Legacy .xls files cannot be written back with their formatting, so they are refused with what
to do instead. The 填报单位 and 填报日期 lines are completed where the form has them; a hidden or
code column is never written; every row of the form left empty is listed with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from db import units
from db.connection import Database
from db.errors import StorageError
from db.indicators import all_indicators
from db.numbers import magnitude
from db.periods import Period
from db.sheet import Sheet, display, read_sheet
from desktop.services.common.cells import write_cell
from desktop.services.common.wording import date_text
from desktop.services.common.workbook import (
    SheetGrid,
    cell_address,
    check_file,
    check_size,
    read_workbook,
    save_workbook,
)
from desktop.services.exchange.detect import (
    CODE_HEADERS,
    is_heading,
    is_section_row,
    normalise,
)
from desktop.services.exchange.importing import label_column
from desktop.services.exchange.layout import SheetLayout

#: A 填报单位 or 填报日期 line waiting to be completed ("填报单位（盖章）：", "单位名称：").
_BLANK_UNIT = re.compile(
    r"^\s*(填\s*报\s*单\s*位|单\s*位\s*名\s*称|报\s*送\s*单\s*位)\s*([（(]\s*盖\s*章\s*[）)])?\s*[:：]?\s*$"
)
#: ... with or without the blanks a form leaves for the date ("填报日期：    年  月  日").
_BLANK_DATE = re.compile(
    r"^\s*(填\s*报\s*日\s*期|填\s*表\s*日\s*期|报\s*送\s*日\s*期)\s*[:：]?\s*"
    r"(年\s*月\s*日)?\s*$"
)


@dataclass
class FillReport:
    written: int = 0
    #: Cells left alone, with the reason (a formula, a merged cell, no figure in the store).
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"已填入 {self.written} 项"
        return text + (f"，{len(self.skipped)} 项未填（见明细）" if self.skipped else "")


def fill_form(
    db: Database,
    source: Path,
    layouts: list[SheetLayout],
    target: Path,
    *,
    unit_code: str | None = None,
    period: Period | None = None,
    today: date | None = None,
) -> FillReport:
    """Write our figures into a copy of ``source`` at ``target``; return what was done."""
    from openpyxl import load_workbook

    if source.suffix.lower() not in (".xlsx", ".xlsm"):
        raise StorageError(
            f"“{source.name}”不是 .xlsx/.xlsm：旧版 .xls 和 .ods 无法在保留格式的同时写回，"
            "请先在 Excel 或 WPS 中另存为 .xlsx 再填报"
        )
    if target.resolve() == source.resolve():
        raise StorageError("请另存为新文件，不要覆盖上级下发的原表")
    check_file(source)
    check_size(source)
    catalog = {i.code: i for i in all_indicators(db)}
    grid = read_workbook(source)  # hidden columns, and the rows' labels as the import reads them
    book = load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    report = FillReport()
    sheets: dict[tuple[str, str], Sheet] = {}
    for layout in layouts:
        layout = layout.told(unit_code, period.code if period is not None else None)
        if layout.sheet not in book.sheetnames:
            raise StorageError(f"“{source.name}”中没有工作表“{layout.sheet}”，与表样不符")
        ws = book[layout.sheet]
        sheet = grid.sheet(layout.sheet)
        _complete_lines(db, ws, layout, today or date.today())
        closed = _closed_columns(sheet, layout)
        _rows_left_empty(sheet, layout, report)
        for row, col, key in layout.cells():
            where = f"{layout.sheet}!{cell_address(row, col)}"
            if col in closed:
                report.skipped.append(f"{where}：{closed[col]}，未填")
                continue
            indicator = catalog.get(key.indicator or "")
            if indicator is None or not key.unit or not key.period:
                report.skipped.append(f"{where}：表样未指定单位、指标或期间")
                continue
            cell = ws.cell(row=row + 1, column=col + 1)
            if type(cell).__name__ == "MergedCell":
                report.skipped.append(f"{where}：合并单元格，未填")
                continue
            if isinstance(cell.value, str) and cell.value.startswith("="):
                report.skipped.append(f"{where}：含公式，保留原公式")
                continue
            unit = units.unit_by_code(db, key.unit)
            the_period = Period.parse(key.period)
            cache_key = (key.unit, key.period)
            if cache_key not in sheets:
                sheets[cache_key] = read_sheet(db, unit.id, the_period)
            sheet_row = sheets[cache_key].row(indicator.code)
            value: float | str | None
            if key.field == "current":
                value = sheet_row.current.value
            elif key.field == "last_year":
                value = sheet_row.last_year.value
            elif key.field == "target":
                value = sheet_row.target
            else:
                value = sheet_row.note or None
            if value is None and key.field == "note":
                continue  # a row without a note: nothing is missing
            if value is None:
                report.skipped.append(f"{where}：{indicator.name}暂无数据")
                continue
            if isinstance(value, float):
                measure = (
                    ws.cell(row=row + 1, column=layout.measure_column + 1).value
                    if layout.measure_column is not None
                    else None
                )
                factor = magnitude(str(measure or ""), indicator.unit)
                if factor is None:
                    report.skipped.append(
                        f"{where}：表中单位“{measure}”与指标单位“{indicator.unit}”无法换算"
                    )
                    continue
                value = value / factor
                if indicator.kind == "water_class":
                    value = display(indicator, value)
            write_cell(ws, row + 1, col + 1, value)
            report.written += 1
    save_workbook(book, target)
    return report


def _complete_lines(db: Database, ws: Any, layout: SheetLayout, today: date) -> None:
    """Complete empty "填报单位（盖章）：" / "单位名称：" and "填报日期：" cells above the figures,
    as a person filling the form would."""
    if not layout.rows:
        return
    above = min(layout.rows)
    unit = units.unit_by_code(db, layout.default.unit) if layout.default.unit else None
    for row in ws.iter_rows(min_row=1, max_row=above):
        for cell in row:
            if type(cell).__name__ == "MergedCell" or not isinstance(cell.value, str):
                continue
            text = cell.value
            if unit is not None and _BLANK_UNIT.match(text):
                write_cell(ws, cell.row, cell.column, f"{text.strip().rstrip('：:')}：{unit.name}")
            elif found := _BLANK_DATE.match(text):
                label = re.sub(r"\s", "", found[1])
                write_cell(ws, cell.row, cell.column, f"{label}：{date_text(today)}")


def _closed_columns(sheet: SheetGrid, layout: SheetLayout) -> dict[int, str]:
    """Mapped columns that must not be written: hidden by the bureau, or holding codes."""
    closed: dict[int, str] = {}
    top = min(layout.rows, default=0)
    for col in layout.columns:
        if col in sheet.hidden_columns:
            closed[col] = "隐藏列"
        elif any(normalise(sheet.text(r, col)) in CODE_HEADERS for r in range(top)):
            closed[col] = "代码列"
    return closed


def _rows_left_empty(sheet: SheetGrid, layout: SheetLayout, report: FillReport) -> None:
    """The form's rows EcoDesk has no figure for (marked 不导入, or not mapped), by name."""
    if not layout.rows or not layout.columns:
        return
    label_col = label_column(sheet, layout)
    if label_col is None:
        return
    for r in range(min(layout.rows), sheet.height):
        label = sheet.text(r, label_col)
        if r in layout.rows or r in sheet.hidden_rows or not label:
            continue
        if is_heading(label) or is_section_row(sheet, r, label_col, layout):
            continue  # a category row ("一" in the 序号 column) has no figure to miss
        why = "表样中标为不导入（目录中没有此指标）" if r in layout.ignored else "表样未对应指标"
        report.skipped.append(f"{layout.sheet}!{cell_address(r, label_col)}“{label}”：{why}，未填")
