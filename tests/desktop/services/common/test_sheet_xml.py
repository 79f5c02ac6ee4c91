"""Bulk rows and column widths written as XML text read back exactly as the same rows and
widths written through openpyxl: every value, its type and its style, hostile text included;
text that needs a note is refused, so the caller writes it through the safe writer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from python_calamine import CalamineWorkbook

from desktop.services.common.sheet_xml import (
    BulkRow,
    SheetBody,
    StyleIds,
    render_rows,
    save_spliced,
    write_rows,
)

HOSTILE = ["=加强巡查", "+86 巡查", "-3 处", "@SUM(A1:A2)", "\t=1+1", "\r=cmd|'/c calc'!A0"]
AWKWARD = [" 前后有空格 ", "a & b < c > d", "引号\"和'单引号", "换行\n第二行", "μg/m³", "𠀀 扩展B"]


def _book() -> tuple[Any, dict[str, Any]]:
    book = Workbook()
    book.remove(book.active)
    thin = Side(style="thin", color="000000")
    book.add_named_style(NamedStyle(name="plain", border=Border(left=thin, right=thin)))
    book.add_named_style(
        NamedStyle(name="grey", font=Font(bold=True), number_format="0.00",
                   fill=PatternFill("solid", fgColor="F2F2F2"))
    )  # fmt: skip
    arrays = {s.name: s.as_tuple() for s in book._named_styles}
    return book, arrays


def _rows() -> list[BulkRow]:
    texts = HOSTILE + AWKWARD + [""]
    return [
        BulkRow(2, [(t, "plain") for t in texts]),
        BulkRow(3, [(1.5, "grey"), (3, "plain"), (None, "grey"), (0.1 + 0.2, "plain"),
                    (-1e-7, "grey"), (123456789012.25, "plain")], height=45),
        BulkRow(5, [(None, "plain"), ("", "grey"), (7.0, "grey")]),
    ]  # fmt: skip


def _cells(path: Path, sheet: str) -> dict[str, tuple[object, ...]]:
    ws = load_workbook(path)[sheet]
    found = {
        c.coordinate: (c.value, c.data_type, c.style, c.number_format, repr(c.font))
        for row in ws.iter_rows()
        for c in row
    }
    found["merged"] = tuple(sorted(str(r) for r in ws.merged_cells.ranges))
    found["heights"] = tuple(
        (k, d.height) for k, d in sorted(ws.row_dimensions.items()) if d.height is not None
    )
    found["widths"] = tuple(
        (k, d.width, d.customWidth) for k, d in sorted(ws.column_dimensions.items())
    )
    return found


def test_xml_rows_read_back_as_the_same_openpyxl_cells(tmp_path: Path) -> None:
    book, arrays = _book()
    slow, fast = book.create_sheet("slow"), book.create_sheet("fast")
    for ws in (slow, fast):
        ws["A1"] = "表头"
    slow.merge_cells("A1:C1")
    slow.merge_cells("D5:E6")
    write_rows(slow, _rows(), lambda cell, name: setattr(cell, "style", name))
    widths = [(1, 6.0), (2, 30.0), (3, 12.5)]
    for col, width in widths:
        slow.column_dimensions[chr(64 + col)].width = width
    xml = render_rows(_rows(), StyleIds(book, arrays), [chr(65 + c) for c in range(26)])
    out = tmp_path / "rows.xlsx"
    save_spliced(book, out, {1: SheetBody(xml, "A1:M5", ["A1:C1", "D5:E6"], widths)})

    assert _cells(out, "fast") == _cells(out, "slow")
    assert _cells(out, "fast")["merged"] == ("A1:C1", "D5:E6")
    assert _cells(out, "fast")["widths"] == (("A", 6, True), ("B", 30, True), ("C", 12.5, True))
    texts = _cells(out, "fast")
    for n, text in enumerate(HOSTILE + AWKWARD):
        assert texts[f"{chr(65 + n)}2"][:2] == (text, "s"), text  # never a formula
    calamine = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("fast").to_python()
    assert calamine[0][0] == "表头"  # openpyxl's own row kept, ours after it
    assert calamine[1][: len(HOSTILE)] == HOSTILE


def test_text_that_must_be_changed_is_refused_for_the_safe_writer() -> None:
    book, arrays = _book()
    for text in ("巡查\x01记录", "长" * 40_000):
        assert render_rows([BulkRow(1, [(text, "plain")])], StyleIds(book, arrays), ["A"]) is None


def test_a_style_is_registered_only_when_a_row_uses_it() -> None:
    book, arrays = _book()
    before = len(book._cell_styles)
    render_rows([BulkRow(1, [(1.0, "grey")])], StyleIds(book, arrays), ["A"])
    assert len(book._cell_styles) == before + 1
    assert book._cell_styles[before] == StyleArray(arrays["grey"])
