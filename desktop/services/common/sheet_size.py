"""How big a grid each sheet of a workbook would make, found before anything builds it.

calamine and our readers build a sheet as a full grid from A1 to its last used cell, so one cell
at XFD1048576 in a 12 KB file asked for 16,384 × 1,048,576 cells (512 GiB) and killed the app
without a word. The last used cell is found here by streaming the sheet's XML out of the archive
in chunks (a few MB in memory whatever the sheet's size) and reading only the tags' positions:
``<row r=…>`` and ``<c r=…>`` for .xlsx/.xlsm (cells without ``r`` counted in order), the
``number-rows-repeated`` / ``number-columns-repeated`` attributes of non-empty rows and cells in
an .ods ``content.xml``. The declared ``<dimension>`` is read too, but only said in the refusal:
a file may declare anything, and calamine sizes the grid by the cells it finds.

Legacy .xls (BIFF, an OLE2 container) is not scanned here. BIFF8 caps a sheet at 65,536 × 256
cells, which calamine holds (about 0.5 GB) but which as Python lists took 1.2 GB: so
``workbook._parse`` checks the size calamine reports before converting any sheet.
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop.services.common.archive import KEEP_BYTES, parse_part

#: The most cells (rows × columns, counted from A1) a sheet may span. A county's year of
#: hourly monitoring data is about 1.5 million; 5 million grid cells cost calamine and Python
#: about a gigabyte together.
MAX_GRID_CELLS = 5_000_000

_CHUNK = 1 << 20
_XLSX_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c|dimension)(?=[\s/>])([^>]*)>")
_R_ATTR = re.compile(rb'\sr="([A-Za-z]*)(\d*)"')
_REF_ATTR = re.compile(rb'\sref="([^"]*)"')
_ODS_TAG = re.compile(
    rb"<(/?)table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>"
)
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="(\d+)"')
_COLS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d+)"')
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')


@dataclass(frozen=True)
class SheetSize:
    """A sheet's last used row and column (1-based) and what its XML declares."""

    sheet: str
    rows: int
    columns: int
    declared: str = ""

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters.upper():
        number = number * 26 + byte - 64
    return number


def _chunks(archive: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    """The member's bytes in pieces that never split a tag (each ends just before a "<")."""
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            data = tail + chunk
            cut = data.rfind(b"<")
            if cut <= 0:
                # No tag start in a whole chunk: text, never a position; keep only a bounded tail.
                tail = data[-4096:]
                continue
            yield data[:cut]
            tail = data[cut:]
    if tail:
        yield tail


#: The plain form every common writer uses: no namespace prefix, the address first.
_CELL_COLUMN = re.compile(rb'<c r="([A-Za-z]+)[1-9]')
_CELL_ROW = re.compile(rb'<c r="[A-Za-z]+([1-9][0-9]*)"')
_ROW_R = re.compile(rb'<row r="([0-9]+)"')
_PREFIXED = re.compile(rb"<[\w.-]+:(?:c|row)[\s/>]")
_DIMENSION = re.compile(rb'<dimension ref="([^"]*)"')


_TAG_ENDS = {name: re.compile(b"<" + name + rb"[\s/>]") for name in (b"c", b"row")}


def _tags(chunk: bytes, name: bytes) -> int:
    return len(_TAG_ENDS[name].findall(chunk))


#: Every row tag's number when written the plain way (number first), else b"": one pass finds
#: the rows and any odd one (then the sheet is read otherwise).
_ROW_TAGS = re.compile(rb'<row(?=[\s/>])(?: r="([0-9]+)")?')
#: What any prefixed cell or row tag holds: one pass for a single rare byte, where looking
#: for ":c" and then ":row" took five times as long.
_MAYBE_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")
_LAST_LETTERS = re.compile(rb"([A-Za-z]+)[0-9]*$")


def _either_case(letters: bytes) -> bytes:
    return b"".join(b"[%c%c]" % (c, c + 32) for c in letters.upper())


@functools.lru_cache(maxsize=64)
def _beyond(row: int, letters: bytes) -> re.Pattern[bytes]:
    """A cell tag that is not a plain cell within column ``letters`` (upper case) and row
    ``row``: one not written the plain way (address first), or a plain one past either. One
    negative look-ahead per cell tag: one pass over the sheet finds any of them (an
    alternation of what lies past, tried three ways per cell, took twice as long)."""
    return re.compile(rb'<c(?=[\s/>])(?! r="' + _up_to_column(letters) + _up_to_row(row) + b")")


def _up_to_column(letters: bytes) -> bytes:
    """Column letters (either case) up to ``letters`` (upper case): fewer letters, or as many
    and no later in the alphabet."""
    count = len(letters)
    shorter = [rb"[A-Za-z]{1,%d}" % (count - 1)] if count > 1 else []
    earlier = [
        _either_case(letters[:i])
        + b"[A-%ca-%c]" % (c - 1, c + 31)
        + (rb"[A-Za-z]{%d}" % (count - i - 1) if i < count - 1 else b"")
        for i, c in enumerate(letters)
        if c > ord("A")
    ]
    return b"(?:" + b"|".join([*shorter, *earlier, _either_case(letters)]) + b")"


def _up_to_row(row: int) -> bytes:
    """A plain row number (no leading zero) from 1 to ``row``, and the closing quote."""
    digits = str(row).encode()
    count = len(digits)
    shorter = [rb"[1-9][0-9]{0,%d}" % (count - 2)] if count > 1 else []
    smaller = []
    for i, d in enumerate(digits):
        low = ord("1") if i == 0 else ord("0")
        if d > low:
            rest = rb"[0-9]{%d}" % (count - i - 1) if i < count - 1 else b""
            smaller.append(digits[:i] + b"[%c-%c]" % (low, d - 1) + rest)
    return b"(?:" + b"|".join([*shorter, *smaller, digits]) + b')"'


def _checked_size(data: bytes, sheet: str) -> SheetSize | None:
    """The size of a plain sheet held whole, without a match object per cell (building one per
    cell cost as much as calamine's read): the last row tag and the declared last column are
    the candidates, checked by a cell on each and none past either. None when anything does
    not fit: the caller then reads the sheet cell by cell."""
    if _MAYBE_PREFIXED.search(data) and _PREFIXED.search(data):
        return None
    rows = _ROW_TAGS.findall(data)
    if not rows or b"" in rows:
        return None
    last = _DIMENSION.match(data, max(0, data.rfind(b'<dimension ref="')))  # found from the end
    if last is None:
        return None
    declared = last.group(1)
    letters = _LAST_LETTERS.search(declared.rsplit(b":", 1)[-1])
    if letters is None:
        return None
    row = max(map(int, rows))
    column = letters.group(1).upper()
    on_row = re.compile(rb'<c r="[A-Za-z]+%d"' % row)
    on_column = re.compile(rb'<c r="' + _either_case(column) + rb"[1-9]")
    last_row = max(0, data.rfind(b'<row r="%d"' % row))  # its cells follow the tag
    if (
        on_row.search(data, last_row) is None
        or on_column.search(data) is None
        or _beyond(row, column).search(data)
    ):
        return None
    return SheetSize(sheet, row, _column_number(column), declared.decode("ascii", "replace"))


def _xlsx_size(archive: zipfile.ZipFile, member: str, sheet: str) -> SheetSize:
    """The sheet's size from the cells' own addresses, gathered by the regex engine, when every
    cell and row is written the plain way with its address first (what Excel, WPS,
    LibreOffice and openpyxl write): many times as fast as reading tag by tag in Python, which
    took longer than calamine's whole read of an export. Any other sheet (a prefixed tag, a
    cell or row without an address or with it later, a row numbered past all its cells) is
    read tag by tag by ``_xlsx_size_by_tags``, which defines the result."""
    if archive.getinfo(member).file_size <= KEEP_BYTES:  # held whole (and shared) anyway
        checked = _checked_size(archive.read(member), sheet)
        if checked is not None:
            return checked
    cells = 0
    columns: set[bytes] = set()
    cell_rows: set[bytes] = set()
    row_numbers: set[bytes] = set()
    declared = ""
    for chunk in _chunks(archive, member):
        tags = _tags(chunk, b"c")
        found_columns = _CELL_COLUMN.findall(chunk)
        found_rows = _CELL_ROW.findall(chunk)
        rows = _ROW_R.findall(chunk)
        if (
            not len(found_columns) == len(found_rows) == tags
            or len(rows) != _tags(chunk, b"row")
            or _PREFIXED.search(chunk)
        ):
            return _xlsx_size_by_tags(archive, member, sheet)
        cells += tags
        columns.update(found_columns)
        cell_rows.update(found_rows)
        row_numbers.update(rows)
        for dimension in _DIMENSION.findall(chunk):
            declared = dimension.decode("ascii", "replace")
    if not cells:
        return _xlsx_size_by_tags(archive, member, sheet)
    max_row = max(map(int, cell_rows))
    if row_numbers and max(map(int, row_numbers)) > max_row:
        return _xlsx_size_by_tags(archive, member, sheet)
    return SheetSize(sheet, max_row, max(map(_column_number, columns)), declared)


def _xlsx_size_by_tags(archive: zipfile.ZipFile, member: str, sheet: str) -> SheetSize:
    max_row = max_col = 0
    row = col = 0
    declared = ""
    for chunk in _chunks(archive, member):
        for match in _XLSX_TAG.finditer(chunk):
            name, attrs = match.group(1), match.group(2)
            if name == b"dimension":
                ref = _REF_ATTR.search(attrs)
                declared = ref.group(1).decode("ascii", "replace") if ref else ""
                continue
            position = _R_ATTR.search(attrs)
            if name == b"row":
                row = int(position.group(2)) if position and position.group(2) else row + 1
                col = 0
                continue
            if position and position.group(1):
                col = _column_number(position.group(1))
                if position.group(2):
                    row = max(row, int(position.group(2)))
            else:
                col += 1
            max_col = max(max_col, col)
            max_row = max(max_row, row or 1)
    return SheetSize(sheet, max_row, max_col, declared)


def _xlsx_sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, archive member) for each worksheet, in the workbook's order."""
    from defusedxml import ElementTree

    names = set(archive.namelist())
    try:
        book = parse_part(archive, "xl/workbook.xml")
        rels = parse_part(archive, "xl/_rels/workbook.xml.rels")
    except (KeyError, ElementTree.ParseError):
        # Not the usual layout: scan every worksheet part under its own name.
        return [(posixpath.basename(n), n) for n in sorted(names) if _is_worksheet(n)]
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[rel.get("Id")] = posixpath.normpath(target)
    found = []
    for element in book.iter():
        if element.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
        member = targets.get(rid)
        if member in names:
            found.append((element.get("name", member), member))
    listed = {member for _, member in found}
    found += [(posixpath.basename(n), n) for n in sorted(names - listed) if _is_worksheet(n)]
    return found


def _is_worksheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _ods_sizes(archive: zipfile.ZipFile) -> list[SheetSize]:
    """Each table's last non-empty row and column, counting repeated rows and cells."""
    sizes: list[SheetSize] = []
    name = ""
    row = col = max_row = max_col = 0
    row_repeat = 1
    row_used = False
    for chunk in _chunks(archive, "content.xml"):
        for match in _ODS_TAG.finditer(chunk):
            closing, tag, attrs, empty = match.groups()
            if tag == b"table":
                if closing:
                    sizes.append(SheetSize(name, max_row, max_col))
                else:
                    found = _ODS_NAME.search(attrs)
                    name = found.group(1).decode("utf-8", "replace") if found else ""
                    row = max_row = max_col = 0
                continue
            if tag == b"table-row":
                if closing:
                    if row_used:
                        max_row = row + row_repeat
                    row += row_repeat
                    continue
                repeated = _ROWS_REPEATED.search(attrs)
                row_repeat = int(repeated.group(1)) if repeated else 1
                row_used, col = False, 0
                if empty:  # <table:table-row/>: an empty row
                    row += row_repeat
                continue
            if closing:
                continue
            repeated = _COLS_REPEATED.search(attrs)
            span = int(repeated.group(1)) if repeated else 1
            col += span
            # A cell with a value type or content (not self-closing) is a used cell.
            if not empty or b"office:value-type" in attrs:
                max_col, row_used = max(max_col, col), True
    return sizes


def sheet_sizes(path: Path, archive: zipfile.ZipFile | None = None) -> list[SheetSize]:
    """Every sheet's size, for .xlsx/.xlsm/.ods; [] for other files (``archive``: ``path``
    opened already, shared with the other readers).

    Raises ``zipfile.BadZipFile``/``OSError``/``KeyError`` for an archive that is not what it
    should be; ``workbook.check_size`` turns them into a sentence.
    """
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".ods"):
        return []
    if archive is None:
        with zipfile.ZipFile(path) as opened:
            return sheet_sizes(path, opened)
    if suffix in (".xlsx", ".xlsm"):
        return [_xlsx_size(archive, m, name) for name, m in _xlsx_sheets(archive)]
    if "content.xml" in archive.namelist():
        return _ods_sizes(archive)
    return []
