"""Which cells of a workbook are formatted as a percentage (calamine does not say).

A clerk who types "88.2%" into Excel gets the number 0.882 shown as 88.2%; calamine reads
0.882. Taken as it is, a return's 空气质量优良率 of 88.2% would be stored as 0.9 without a
word. The reader turns such a cell into the text the clerk saw ("88.2%"), which the number
parser reads as 88.2 for a "%" indicator and refuses for any other. Read from the files
themselves: .xlsx/.xlsm (a cell style whose number format has a % sign) and .ods
(``office:value-type="percentage"``). A legacy .xls does not say here: its percent cells are
read as fractions (the import preview shows them, and the indicator's range check catches
most).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from desktop.services.common.archive import parse_part
from desktop.services.common.hidden import by_format, xlsx_sheet_parts

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
#: Excel's built-in formats 9 ("0%") and 10 ("0.00%").
_BUILT_IN_PERCENT = frozenset({9, 10})
#: A cell tag with a style; scanned as bytes, since only the styled cells matter.
_STYLED_CELL = re.compile(
    rb'<(?:\w+:)?c\b(?=[^>]*\bs="(?P<s>\d+)")(?=[^>]*\br="(?P<col>[A-Z]+)(?P<row>\d+)")'
)
#: Quoted text and [colour]/[condition] parts of a format code, where a % is only shown text.
_NOT_FORMAT = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def percent_cells(
    path: Path, archive: zipfile.ZipFile | None = None
) -> dict[str, set[tuple[int, int]]]:
    """0-based (row, column) of the percent-formatted cells, by sheet name; empty for a format
    that cannot say or a file whose parts cannot be read (the workbook reader reports that).
    ``archive``: the file opened already."""
    return by_format(path, _xlsx, _ods, archive)


#: Every number-format reference in styles.xml, however quoted or spaced.
_FORMAT_IDS = re.compile(rb"numFmtId\s*=\s*(\"[^\"]*\"|'[^']*')")
#: References that are plainly not a percent format (not 9 or 10, written the plain way).
_PLAIN_ID = re.compile(rb"[\"'](?:[0-8]|1[1-9]|[2-9][0-9]|[1-9][0-9]{2,})[\"']")


def _no_percent_format(styles: bytes) -> bool:
    """Whether styles.xml certainly has no percent format, seen from its bytes: no "%" (nor a
    character reference that could be one) and every format reference a plain number other
    than 9 and 10. Parsing it took a fifth of consolidating 200 returns; anything less plain
    is parsed as before."""
    if b"%" in styles or b"&#" in styles:
        return False
    return all(_PLAIN_ID.fullmatch(value) for value in _FORMAT_IDS.findall(styles))


def _percent_styles(archive: zipfile.ZipFile, *, parse_only: bool = False) -> set[int]:
    """The cellXfs indexes whose number format is a percent (``parse_only``: without the byte
    check first, as the property test compares the two)."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    if not parse_only and _no_percent_format(archive.read("xl/styles.xml")):
        return set()
    styles = parse_part(archive, "xl/styles.xml")
    custom = {
        int(f.get("numFmtId", "-1")): f.get("formatCode", "") for f in styles.iter(f"{_MAIN}numFmt")
    }
    percent = set(_BUILT_IN_PERCENT) | {
        number for number, code in custom.items() if "%" in _NOT_FORMAT.sub("", code)
    }
    found: set[int] = set()
    cell_xfs = styles.find(f"{_MAIN}cellXfs")
    for index, xf in enumerate(cell_xfs if cell_xfs is not None else []):
        if int(xf.get("numFmtId", "0")) in percent:
            found.add(index)
    return found


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1


def _xlsx(archive: zipfile.ZipFile) -> dict[str, set[tuple[int, int]]]:
    styles = _percent_styles(archive)
    if not styles:  # nearly every workbook EcoDesk reads back: nothing more to scan
        return {}
    found: dict[str, set[tuple[int, int]]] = {}
    wanted = {str(s).encode() for s in styles}
    for name, part in xlsx_sheet_parts(archive).items():
        data = archive.read(part)
        cells = {
            (int(m["row"]) - 1, _column_number(m["col"]))
            for m in _STYLED_CELL.finditer(data)
            if m["s"] in wanted
        }
        if cells:
            found[name] = cells
    return found


def _ods(archive: zipfile.ZipFile) -> dict[str, set[tuple[int, int]]]:
    if b'value-type="percentage"' not in archive.read("content.xml"):
        return {}
    content = parse_part(archive, "content.xml")
    found: dict[str, set[tuple[int, int]]] = {}
    cell_tags = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
    for table in content.iter(f"{_TABLE}table"):
        cells: set[tuple[int, int]] = set()
        row = 0
        for table_row in table.iter(f"{_TABLE}table-row"):
            rows = int(table_row.get(f"{_TABLE}number-rows-repeated", "1"))
            col = 0
            for cell in table_row:
                if cell.tag not in cell_tags:
                    continue
                repeat = int(cell.get(f"{_TABLE}number-columns-repeated", "1"))
                if cell.get(f"{_OFFICE}value-type") == "percentage" and repeat * rows < 10_000:
                    cells.update(
                        (r, c) for r in range(row, row + rows) for c in range(col, col + repeat)
                    )
                col += repeat
            row += rows
        if cells:
            found[str(table.get(f"{_TABLE}name"))] = cells
    return found


def as_shown(value: object) -> object:
    """A percent cell's number as the clerk saw it: 0.882 → "88.2%"; anything else as it is."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value * 100:.10g}%"
    return value
