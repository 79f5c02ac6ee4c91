"""Tables in the layout bureaus print: a title, a 填报单位 line, a ruled header, A4 landscape.

The plan checklist and the rectification ledger both export this layout (the main figure export
has its own, richer one in ``exchange.export``), so it is written once here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from desktop.services.common.cells import write_cell
from desktop.services.common.workbook import save_workbook


def write_table_workbook(
    path: Path,
    *,
    name: str,
    title: str,
    subtitle: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[int],
    wrap_columns: Sequence[int] = (),
    sheets: Sequence[tuple[str, str, str, Sequence[Sequence[str]]]] = (),
) -> None:
    """A bureau-layout table: title, a 填报单位 line, ruled header and rows, A4 landscape with the
    header repeated on every printed page. ``name`` is the first sheet's tab, ``sheets`` adds
    more (name, title, subtitle, rows)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for style, bold, horizontal, fill in (
        ("ed_ledger_header", True, "center", "DDEBF7"),
        ("ed_ledger_text", False, "left", None),
        ("ed_ledger_center", False, "center", None),
    ):
        book.add_named_style(
            NamedStyle(
                name=style,
                font=Font(name="宋体", size=11, bold=bold),
                border=border,
                alignment=Alignment(horizontal=horizontal, vertical="center", wrap_text=True),
                fill=PatternFill("solid", fgColor=fill) if fill else PatternFill(),
            )
        )
    first = book.active
    assert first is not None
    all_sheets = [(first, title, subtitle, rows)]
    for tab, sheet_title, sheet_subtitle, sheet_rows in sheets:
        all_sheets.append((book.create_sheet(tab), sheet_title, sheet_subtitle, sheet_rows))
    first.title = sheet_name(name)
    for ws, sheet_title, sheet_subtitle, sheet_rows in all_sheets:
        last = get_column_letter(len(header))
        ws.merge_cells(f"A1:{last}1")
        write_cell(ws, 1, 1, sheet_title)
        ws["A1"].font = Font(name="宋体", size=16, bold=True)
        ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 30
        ws.merge_cells(f"A2:{last}2")
        write_cell(ws, 2, 1, sheet_subtitle)
        for col, text in enumerate(header, start=1):
            write_cell(ws, 3, col, text, "ed_ledger_header")
        for r, row in enumerate(sheet_rows, start=4):
            for col, text in enumerate(row, start=1):
                style = "ed_ledger_text" if col - 1 in wrap_columns else "ed_ledger_center"
                write_cell(ws, r, col, text, style)
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.freeze_panes = "A4"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "3:3"
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.oddFooter.right.text = "数据来源：EcoDesk"
    save_workbook(book, path)


def sheet_name(text: str) -> str:
    """``text`` as a legal sheet name: Excel refuses []:*?/\\ and more than 31 characters."""
    cleaned = re.sub(r"[\[\]:*?/\\]", "", text)
    return cleaned[:31] or "台账"
