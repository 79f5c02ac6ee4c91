"""Workbooks built the way bureaus build them, for the import tests (not our own layout)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook


def bureau_form(
    path: Path,
    rows: list[tuple[str, str, Any, Any]],
    *,
    unit_line: str | None = "填报单位：金华市生态环境局金东分局",
    title: str = "2022年1-10月生态环境主要指标完成情况表",
    hidden_code_column: bool = True,
    totals_row: bool = True,
) -> Path:
    """A city bureau's form: title, 填报单位, two-row merged headers, a hidden code column.

    ``rows`` are (指标, 单位, 本期, 去年同期). Columns: A 序号, B (hidden) 指标代码, C 指标,
    D 计量单位, E-F "2022年1-10月" over 本期 / 去年同期, G 同比 (formula), H 备注.
    """
    book = Workbook()
    ws = book.active
    ws.title = "表1"
    ws.merge_cells("A1:H1")
    ws["A1"] = title
    if unit_line is not None:
        ws.merge_cells("A2:D2")
        ws["A2"] = unit_line
    ws["F2"] = "填报日期：2022年11月5日"
    for col in ("A", "B", "C", "D", "H"):
        ws.merge_cells(f"{col}3:{col}4")
    ws["A3"], ws["B3"], ws["C3"], ws["D3"], ws["H3"] = (
        "序号",
        "代码",
        "指标名称",
        "计量单位",
        "备注",
    )
    ws.merge_cells("E3:G3")
    ws["E3"] = "2022年1-10月"
    ws["E4"], ws["F4"], ws["G4"] = "本期", "去年同期", "同比(%)"
    row = 5
    ws.cell(row=row, column=1, value="一、大气环境")
    row += 1
    for number, (name, measure, current, last) in enumerate(rows, start=1):
        ws.cell(row=row, column=1, value=number)
        ws.cell(row=row, column=2, value=f"X{number:03d}")
        ws.cell(row=row, column=3, value=name)
        ws.cell(row=row, column=4, value=measure)
        ws.cell(row=row, column=5, value=current)
        ws.cell(row=row, column=6, value=last)
        ws.cell(row=row, column=7, value=f'=IF(F{row}="","",(E{row}-F{row})/F{row}*100)')
        row += 1
    if totals_row:
        ws.cell(row=row, column=3, value="合计")
    if hidden_code_column:
        ws.column_dimensions["B"].hidden = True
    book.save(path)
    return path
