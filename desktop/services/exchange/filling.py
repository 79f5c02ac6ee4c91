"""Filling a bureau's own form with our figures ("按表样填报").

The bureau's file is opened with openpyxl and only the mapped cells that are empty or hold a
plain value are written; formulas, merged cells, styles, column widths and print settings stay
as the bureau made them. The result is saved under a new name, never over the original.
Legacy .xls files cannot be written back with their formatting, so they are refused with what
to do instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
from desktop.services.common.workbook import cell_address, check_file, check_size, save_workbook
from desktop.services.exchange.layout import SheetLayout


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
    book = load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    report = FillReport()
    sheets: dict[tuple[str, str], Sheet] = {}
    for layout in layouts:
        layout = layout.told(unit_code, period.code if period is not None else None)
        if layout.sheet not in book.sheetnames:
            raise StorageError(f"“{source.name}”中没有工作表“{layout.sheet}”，与表样不符")
        ws = book[layout.sheet]
        _name_the_unit(db, ws, layout)
        for row, col, key in layout.cells():
            where = f"{layout.sheet}!{cell_address(row, col)}"
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


def _name_the_unit(db: Database, ws: Any, layout: SheetLayout) -> None:
    """Complete an empty "填报单位：" line with our unit's name, as a person filling it would."""
    if layout.unit_cell is None or not layout.default.unit:
        return
    row, col = layout.unit_cell
    cell = ws.cell(row=row + 1, column=col + 1)
    text = str(cell.value or "").strip()
    if type(cell).__name__ != "MergedCell" and text.rstrip("：:") == "填报单位":
        write_cell(
            ws, row + 1, col + 1, f"填报单位：{units.unit_by_code(db, layout.default.unit).name}"
        )
