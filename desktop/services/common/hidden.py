"""Which rows and columns of a workbook's sheets are hidden (calamine does not say).

A bureau hides what is not for the person filling the form — an internal code column, a
helper row — so an import must not take a hidden column's codes for figures, nor a fill write
into it. Read from the files themselves: .xlsx/.xlsm (``<col hidden="1">``, ``<row
hidden="1">``) and .ods (``table:visibility="collapse"``). A legacy .xls says nothing here;
its code columns are recognised by their header and contents instead.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from desktop.services.common.archive import parse_part

T = TypeVar("T")

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
# Scanned as bytes, not parsed: a returned export's sheets hold hundreds of thousands of cells,
# and only the <col> and <row> tags' attributes matter here.
_HIDDEN_COLUMNS = re.compile(
    rb'<(?:\w+:)?col\b(?=[^>]*\bhidden="(?:1|true)")(?=[^>]*\bmin="(?P<min>\d+)")'
    rb'(?=[^>]*\bmax="(?P<max>\d+)")'
)
_HIDDEN_ROWS = re.compile(
    rb'<(?:\w+:)?row\b(?=[^>]*\bhidden="(?:1|true)")(?=[^>]*\br="(?P<r>\d+)")'
)
#: Past this, a "hidden" range is a formatting artefact (a whole sheet's tail), not a column.
MAX_SPAN = 2000


@dataclass
class Hidden:
    rows: set[int] = field(default_factory=set)  # 0-based
    columns: set[int] = field(default_factory=set)


def hidden_parts(path: Path, archive: zipfile.ZipFile | None = None) -> dict[str, Hidden]:
    """Hidden rows and columns by sheet name; empty for a format that cannot say (or a file
    whose parts cannot be read — the workbook reader reports that). ``archive``: the file
    opened already (the workbook reader shares one among its readers)."""
    return by_format(path, _xlsx, _ods, archive)


def by_format(
    path: Path,
    xlsx: Callable[[zipfile.ZipFile], dict[str, T]],
    ods: Callable[[zipfile.ZipFile], dict[str, T]],
    archive: zipfile.ZipFile | None = None,
) -> dict[str, T]:
    """``xlsx`` or ``ods`` applied to the archive by the file's format, per sheet name; empty for
    a format whose parts say nothing (.xls) or an archive that cannot be read (the workbook
    reader reports that, with the file named). ``archive``: ``path`` opened already."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".ods"):
        return {}
    reader = xlsx if suffix in (".xlsx", ".xlsm") else ods
    try:
        if archive is not None:
            return reader(archive)
        with zipfile.ZipFile(path) as opened:
            return reader(opened)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, SyntaxError):
        return {}


def xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name and the archive member holding its cells, in the workbook's order."""
    book = parse_part(archive, "xl/workbook.xml")
    rels = parse_part(archive, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG}Relationship")}
    names = set(archive.namelist())
    found: dict[str, str] = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        if part in names:
            found[str(sheet.get("name"))] = part
    return found


def _xlsx(archive: zipfile.ZipFile) -> dict[str, Hidden]:
    found: dict[str, Hidden] = {}
    for name, part in xlsx_sheet_parts(archive).items():
        data = archive.read(part)
        hidden = Hidden()
        if b'hidden="' in data:  # nearly every sheet: nothing hidden, nothing more to read
            for match in _HIDDEN_COLUMNS.finditer(data):
                low, high = int(match["min"]), int(match["max"])
                if high - low < MAX_SPAN:
                    hidden.columns.update(range(low - 1, high))
            hidden.rows.update(int(m["r"]) - 1 for m in _HIDDEN_ROWS.finditer(data))
        found[name] = hidden
    return found


def _ods(archive: zipfile.ZipFile) -> dict[str, Hidden]:
    if b'table:visibility="collapse"' not in archive.read("content.xml"):
        return {}
    content = parse_part(archive, "content.xml")
    found: dict[str, Hidden] = {}
    for table in content.iter(f"{_TABLE}table"):
        hidden = Hidden()
        col = row = 0
        for element in table.iter():
            if element.tag == f"{_TABLE}table-column":
                repeat = int(element.get(f"{_TABLE}number-columns-repeated", "1"))
                if element.get(f"{_TABLE}visibility") == "collapse" and repeat < MAX_SPAN:
                    hidden.columns.update(range(col, col + repeat))
                col += repeat
            elif element.tag == f"{_TABLE}table-row":
                repeat = int(element.get(f"{_TABLE}number-rows-repeated", "1"))
                if element.get(f"{_TABLE}visibility") == "collapse" and repeat < MAX_SPAN:
                    hidden.rows.update(range(row, row + repeat))
                row += repeat
        found[str(table.get(f"{_TABLE}name"))] = hidden
    return found
