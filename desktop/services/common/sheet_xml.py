"""The rows of a large sheet written as worksheet XML text, spliced into what openpyxl saved.

openpyxl makes a ``Cell`` object per cell, keeps it in a dict, sorts the dict at save and looks
every cell's style up again: for an export of 200,000 figures (800,000 bordered cells) that was
six times the time of writing the same figures plainly. Here a sheet's bulk rows are given as
plain data (value and named style per cell), rendered to XML that reads back as the cells
openpyxl itself would write (inline strings, ``%.16g`` numbers, characters outside ASCII as
references; a number's or an empty cell's ``t="n"`` left to the default, a sixth less text to
compress) and put into the sheet's ``<sheetData>`` after openpyxl has saved the rest of the
workbook (title, merges, print setup, styles); the column widths go in beside them.

Text still goes through ``cells.clean_text``, the safe writer's rules: it is always a string
cell (never a formula, whatever it starts with), and for text that needs changing (illegal
characters, over-long) ``render_rows`` gives None, so the caller writes that sheet through
openpyxl and ``as_text``, which add the note (批注) saying what was changed.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from desktop.services.common.cells import as_text, clean_text

#: One cell of a bulk row: its value (None empty, a str a string cell, else a number) and the
#: name of a named style registered on the workbook.
RowCell = tuple[float | int | str | None, str]


@dataclass(frozen=True)
class BulkRow:
    """A row of cells from column A on, and its height when the row must be taller."""

    number: int  # 1-based
    cells: Sequence[RowCell]
    height: float | None = None


def write_rows(ws: Any, rows: Sequence[BulkRow], apply: Any) -> None:
    """The rows as openpyxl cells (the way for a sheet ``render_rows`` refused):
    ``apply(cell, style_name)`` sets a named style."""
    for row in rows:
        for col, (value, style) in enumerate(row.cells, start=1):
            cell = ws.cell(row=row.number, column=col)
            apply(cell, style)
            if isinstance(value, str):
                as_text(cell, value)
            elif value is not None:
                cell.value = value
        if row.height is not None:
            ws.row_dimensions[row.number].height = row.height


class StyleIds(dict[str, str]):
    """Named style → its `` s="n"`` attribute, the style registered in the workbook's cell
    formats on first use (as openpyxl does at save: an unused style adds no format)."""

    def __init__(self, book: Any, arrays: Mapping[str, Any]) -> None:
        super().__init__()
        self._book, self._arrays = book, arrays

    def __missing__(self, name: str) -> str:
        from openpyxl.styles.cell_style import StyleArray

        found = self[name] = f' s="{self._book._cell_styles.add(StyleArray(self._arrays[name]))}"'
        return found


def render_rows(rows: Sequence[BulkRow], ids: StyleIds, letters: list[str]) -> str | None:
    """The ``<row>`` elements of ``rows`` as openpyxl writes them, or None when a text must be
    changed and carry a note (see module). ``letters[c]`` is the letter of 0-based column c.
    """
    parts: list[str] = []
    add = parts.append
    for row in rows:
        r = str(row.number)
        if row.height is None:
            add(f'<row r="{r}">')
        else:
            add(f'<row r="{r}" ht="{_number(row.height)}" customHeight="1">')
        for col, (value, style) in enumerate(row.cells):
            ref = letters[col] + r
            if value is None:
                add(f'<c r="{ref}"{ids[style]}/>')
            elif value.__class__ is str:
                text = _inline(value)
                if text is None:
                    return None
                add(f'<c r="{ref}"{ids[style]} t="inlineStr">{text}</c>')
            else:
                add(f'<c r="{ref}"{ids[style]}><v>{_number(value)}</v></c>')  # type: ignore[arg-type]
        add("</row>")
    return "".join(parts)


def _number(value: float) -> str:
    """openpyxl's ``safe_string`` for a number."""
    return f"{value:.16g}" if math.isfinite(value) else ""


_ESCAPE = re.compile(r"[&<>\r]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}


def _inline(text: str) -> str | None:
    """A text cell's ``<is>`` element, or None when the text must be changed (see module).

    Short texts are kept once rendered: every unit's sheet repeats the same names, units and
    同比 texts (a long note is rendered each time rather than held)."""
    return _inline_short(text) if len(text) <= 64 else _render_inline(text)


@lru_cache(maxsize=16384)
def _inline_short(text: str) -> str | None:
    return _render_inline(text)


def _render_inline(text: str) -> str | None:
    if text == "":
        return ""
    cleaned, changes = clean_text(text)
    if changes:
        return None
    escaped = _ESCAPE.sub(lambda m: _ENTITIES[m.group()], cleaned)
    if cleaned != cleaned.strip():
        return f'<is><t xml:space="preserve">{escaped}</t></is>'
    return f"<is><t>{escaped}</t></is>"


@dataclass(frozen=True)
class SheetBody:
    """What to add to one worksheet part: rendered rows, the sheet's used range with them
    (``A1:K82``; None: as openpyxl said), merged ranges ("A1:K1"; the sheet must have none
    of its own: openpyxl's ``merge_cells`` makes a cell object per covered cell) and column
    widths as (1-based column, width) (the sheet must set none: openpyxl builds and writes
    an object per column, a twentieth of a large export)."""

    rows_xml: str
    dimension: str | None = None
    merges: Sequence[str] = ()
    widths: Sequence[tuple[int, float]] = ()


_DIMENSION = re.compile(rb'<dimension ref="[^"]*"')


def save_spliced(book: Any, path: Path, bodies: Mapping[int, SheetBody]) -> None:
    """Save ``book`` to ``path`` with ``bodies[n]`` (n = 0-based index of the worksheet)
    appended to that sheet's rows: they must all lie below every row openpyxl holds.
    ``path`` is written anew (the caller makes it atomic)."""
    buffer = io.BytesIO()
    book.save(buffer)
    parts = {f"xl/worksheets/sheet{n + 1}.xml": body for n, body in bodies.items()}
    with (
        zipfile.ZipFile(buffer) as saved,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as out,
    ):
        for info in saved.infolist():
            data = saved.read(info)
            body = parts.get(info.filename)
            if body is not None:
                data = _splice(data, body)
            out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


def _splice(xml: bytes, body: SheetBody) -> bytes:
    rows = body.rows_xml.encode("ascii", "xmlcharrefreplace")
    head, found, tail = xml.partition(b"</sheetData>")
    if not found:  # openpyxl wrote no rows at all (never for a sheet with a title)
        head, found, tail = xml.partition(b"<sheetData/>")
        head += b"<sheetData>"
    if body.dimension is not None:
        head = _DIMENSION.sub(f'<dimension ref="{body.dimension}"'.encode(), head, count=1)
    if body.widths:  # <cols> comes just before <sheetData>, as openpyxl writes it
        if b"<cols>" in head:
            raise ValueError("column widths both in openpyxl and in the spliced body")
        before, data, rest = head.partition(b"<sheetData>")
        cols = "".join(
            f'<col width="{_number(w)}" customWidth="1" min="{c}" max="{c}"/>'
            for c, w in body.widths
        )
        head = before + f"<cols>{cols}</cols>".encode() + data + rest
    merged = b""
    if body.merges and b"<mergeCells" in tail:
        raise ValueError("merged ranges both in openpyxl and in the spliced body")
    if body.merges:  # <mergeCells> follows <sheetData> (nothing between in sheets we write)
        cells = "".join(f'<mergeCell ref="{ref}"/>' for ref in body.merges)
        merged = f'<mergeCells count="{len(body.merges)}">{cells}</mergeCells>'.encode()
    return head + rows + b"</sheetData>" + merged + tail
