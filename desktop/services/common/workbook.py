"""Reading any workbook a bureau sends (.xlsx, .xlsm, .xls, .ods) without trusting it.

Values come from python-calamine (fast, and it reads legacy .xls; a workbook of many sheets is
parsed on several threads). Before a file is parsed it is checked: an .xlsx that is not a zip
archive, a truncated archive, or one that would expand to an absurd size (an XML bomb) is
refused with a sentence that names the file and says what to do.
"""

from __future__ import annotations

import contextlib
import os
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, cast

from db.errors import KnownError, os_reason
from desktop.services.common.archive import SharedArchive
from desktop.services.common.hidden import Hidden, hidden_parts
from desktop.services.common.percent_cells import as_shown, percent_cells

SUPPORTED = (".xlsx", ".xlsm", ".xls", ".ods")
#: Spreadsheets a bureau sends that EcoDesk cannot read: named in a folder of returns and
#: refused with what to do, never passed over (WPS saves .et by default on many office PCs).
UNREADABLE = {
    ".et": "WPS 表格", ".ett": "WPS 表格模板", ".xlsb": "Excel 二进制工作簿",
    ".xlt": "Excel 模板", ".xltx": "Excel 模板", ".numbers": "Numbers 表格",
}  # fmt: skip
ZIP_FORMATS = (".xlsx", ".xlsm", ".ods")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: A real bureau form expands to a few MB; 500 MB of XML is an attack or a broken file.
MAX_EXPANDED_BYTES = 500 * 1024 * 1024
MAX_RATIO = 200

CellValue = str | float | int | bool | date | datetime | time | timedelta | None


class WorkbookError(KnownError):
    """The file cannot be read (or written) as a workbook; nothing was changed.

    The known error of the files a bureau exchanges: workbooks and CSV files read for an
    import, and the workbooks written for an export. Not a ``StorageError``: the database is
    not involved.
    """


@dataclass
class SheetGrid:
    """One sheet's values, row by row (0-based), and its merged ranges.

    ``cells`` are as read ("" for an empty cell); ``rows`` has empty cells as None and is made
    on first use: an export is mostly empty cells, and the dry run reads ``cells`` directly.
    """

    name: str
    cells: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    hidden: bool = False
    #: 0-based rows and columns the bureau hid (.xlsx and .ods say so; .xls does not).
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    _rows: list[list[CellValue]] | None = field(default=None, init=False, repr=False)

    @property
    def rows(self) -> list[list[CellValue]]:
        if self._rows is None:
            plain = _PLAIN
            cleaned = [
                [None if v == "" else v if v.__class__ in plain else clean_cell(v) for v in row]
                for row in self.cells
            ]  # clean_cell inlined for the common types: this runs for every cell of the sheet
            self._rows = cast(list[list[CellValue]], cleaned)
        return self._rows

    def value(self, row: int, col: int) -> CellValue:
        cells = self.cells
        if 0 <= row < len(cells) and 0 <= col < len(cells[row]):
            return clean_cell(cells[row][col])
        return None

    def text(self, row: int, col: int) -> str:
        value = self.value(row, col)
        return "" if value is None else str(value).strip()

    @property
    def height(self) -> int:
        return len(self.cells)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.cells), default=0)


@dataclass
class WorkbookGrid:
    path: Path
    sheets: list[SheetGrid]

    def sheet(self, name: str) -> SheetGrid:
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise WorkbookError(f"“{self.path.name}”中没有工作表“{name}”")


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """Around saving a workbook to ``path``: a refused write becomes a sentence with a hint.

    On Windows, Excel and WPS lock the files they have open, so saving over a workbook the user
    is still looking at is refused; that is by far the most common export failure and not a bug.
    A full disk or a folder gone since it was chosen is no bug either: every other failure of
    the file system is said the same way, so no caller wraps its save in its own copy of this.
    """
    try:
        yield
    except PermissionError as exc:
        raise WorkbookError(
            f"无法写入“{path.name}”：该文件正在 Excel 或 WPS 中打开，或没有写入权限",
            "在 Excel 或 WPS 中关闭该文件后重试，或另选保存位置",
        ) from exc
    except OSError as exc:
        raise WorkbookError(
            f"无法写入“{path}”：{os_reason(exc)}", "检查磁盘空间和保存位置后重试"
        ) from exc


def save_workbook(book: Any, path: Path, write: Callable[[Any, Path], None] | None = None) -> None:
    """Save an openpyxl workbook to ``path`` whole or not at all.

    ``write(book, part)`` saves it (``book.save`` when not given; the export splices its bulk
    rows in, see ``sheet_xml``).

    It is written beside the target and moved into place, so a failed save (a full disk, the
    old file open in Excel) leaves the previous file as it was and no ``.part`` behind; the
    failure is said as ``writing`` says it.
    """
    part = path.with_name(path.name + ".part")
    with writing(path):
        try:
            if write is None:
                book.save(part)
            else:
                write(book, part)
            part.replace(path)
        finally:
            with contextlib.suppress(OSError):
                part.unlink()


def cell_address(row: int, col: int) -> str:
    """0-based (row, col) → "E7"."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def check_file(path: Path) -> None:
    """Refuse files that are not what their name says, truncated, or would expand absurdly."""
    if _checked_kind(path) == ".xls":
        return
    with _opened(path) as archive:
        check_archive(path, archive)


def _checked_kind(path: Path) -> str:
    """The file's suffix, once it is known to be a readable kind and (for .xls) what it says."""
    name = path.name
    suffix = path.suffix.lower()
    if not path.is_file():
        raise WorkbookError(f"找不到文件“{path}”")
    if suffix in UNREADABLE:
        raise WorkbookError(
            f"“{name}”是{UNREADABLE[suffix]}（{suffix}）格式，不能直接读取：请在 WPS 或 Excel 中"
            "打开后“另存为”Excel 工作簿（.xlsx）再导入"
        )
    if suffix not in SUPPORTED:
        raise WorkbookError(f"“{name}”不是 Excel/WPS 表格（支持 {'、'.join(SUPPORTED)}）")
    with path.open("rb") as handle:
        head = handle.read(8)
    if suffix == ".xls":
        if head != OLE2_MAGIC:
            if head.startswith(b"PK"):
                raise WorkbookError(f"“{name}”实际是 .xlsx 格式，请把扩展名改为 .xlsx 后再导入")
            raise WorkbookError(f"“{name}”不是有效的 .xls 文件（可能已损坏或只是改了扩展名）")
        return suffix
    if not zipfile.is_zipfile(path):
        if head == OLE2_MAGIC:
            raise WorkbookError(f"“{name}”实际是旧版 .xls 格式，请把扩展名改为 .xls 后再导入")
        raise WorkbookError(
            f"“{name}”不是有效的 {suffix} 文件（不是 zip 格式），"
            "可能已损坏、未下载完整或只是改了扩展名"
        )
    return suffix


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[SharedArchive]:
    """The workbook's archive, opened once for every reader; a broken one is a sentence."""
    try:
        archive = SharedArchive(path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise WorkbookError(f"“{path.name}”已损坏或不完整（{exc}），请重新获取该文件") from exc
    with archive:
        yield archive


def check_archive(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse an archive that would expand absurdly or whose value-holding parts are damaged."""
    name = path.name
    try:
        members = archive.infolist()
        expanded = sum(m.file_size for m in members)
        packed = max(1, sum(m.compress_size for m in members))
        if expanded <= MAX_EXPANDED_BYTES:
            broken = _damaged_data_part(archive, members)
            if broken is not None:
                raise WorkbookError(f"“{name}”已损坏：其中的“{broken}”校验失败，请重新获取该文件")
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise WorkbookError(f"“{name}”已损坏或不完整（{exc}），请重新获取该文件") from exc
    if expanded > MAX_EXPANDED_BYTES or (expanded / packed > MAX_RATIO and expanded > 50_000_000):
        raise WorkbookError(
            f"“{name}”解压后达 {expanded // 1_048_576} MB，超出合理范围，为安全起见拒绝读取"
        )


#: The parts of a zip workbook that hold cell values: their checksums are verified before
#: reading, since calamine does not always reach the end of a part where its check happens
#: (a damaged digit in a stored sheet would otherwise be read as a different figure).
_DATA_PARTS = ("xl/worksheets/", "xl/sharedStrings", "xl/workbook.", "content.xml")


def _damaged_data_part(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> str | None:
    """The first value-holding part whose CRC-32 fails (only those: checking every part, the
    theme and styles included, cost as much as reading the workbook)."""
    for member in members:
        if member.filename.startswith(_DATA_PARTS):
            try:
                if isinstance(archive, SharedArchive) and archive.fits(member):
                    archive.read(member)  # checked whole, and kept for the readers after
                    continue
                with archive.open(member) as part:
                    while part.read(1 << 20):
                        pass
            except zipfile.BadZipFile:
                return member.filename
    return None


def check_members(path: Path) -> None:
    """Name the part of a zip workbook whose checksum fails, if one does: said when calamine
    could not read the workbook, in place of its own message."""
    if path.suffix.lower() == ".xls":
        return
    try:
        with zipfile.ZipFile(path) as archive:
            broken = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise WorkbookError(f"“{path.name}”已损坏或不完整（{exc}），请重新获取该文件") from exc
    if broken is not None:
        raise WorkbookError(f"“{path.name}”已损坏：其中的“{broken}”校验失败，请重新获取该文件")


def check_size(path: Path, archive: zipfile.ZipFile | None = None) -> None:
    """Refuse a sheet whose used range would make an absurd grid, before any reader builds it
    (``archive``: ``path`` opened already).

    One cell at XFD1048576 in a 12 KB file made calamine allocate 512 GiB and abort.
    """
    from desktop.services.common.sheet_size import MAX_GRID_CELLS, sheet_sizes

    try:
        sizes = sheet_sizes(path, archive)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as exc:
        raise WorkbookError(f"“{path.name}”已损坏或不完整（{exc}），请重新获取该文件") from exc
    for size in sizes:
        if size.cells > MAX_GRID_CELLS:
            raise too_big(path.name, size.sheet, size.rows, size.columns)


def too_big(file_name: str, sheet: str, rows: int, columns: int) -> WorkbookError:
    """The refusal of a sheet whose grid would be absurd, naming its last cell."""
    return WorkbookError(
        f"“{file_name}”的工作表“{sheet}”用到了 {cell_address(rows - 1, columns - 1)} 单元格"
        f"（{rows:,} 行 × {columns:,} 列），超出合理范围，为安全起见拒绝读取",
        "在 Excel 或 WPS 中删除该表末尾或右侧多余的行列（或把数据复制到新表）后另存再导入",
    )


def read_workbook(path: Path) -> WorkbookGrid:
    """All sheets' values. Raises ``WorkbookError`` with a Chinese sentence.

    A zip workbook's archive is opened once and each part inflated once for the checks and
    the readers of what calamine does not say (hidden rows, percent cells); the guards all
    run before calamine builds any grid.
    """
    if _checked_kind(path) == ".xls":
        parts: dict[str, Hidden] = {}
        percent: dict[str, set[tuple[int, int]]] = {}
    else:
        with _opened(path) as archive:
            check_archive(path, archive)
            check_size(path, archive)
            try:
                parts = hidden_parts(path, archive)
                percent = percent_cells(path, archive)
            except Exception as exc:  # parts no reader expected: said as calamine's would be
                raise WorkbookError(f"无法读取“{path.name}”的内容：{exc}") from exc
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken content
        check_members(path)
        raise WorkbookError(f"无法读取“{path.name}”：{exc}") from exc
    try:
        hidden = {
            meta.name: str(meta.visible).rsplit(".", 1)[-1].lower() != "visible"
            for meta in book.sheets_metadata
        }
        names = list(book.sheet_names)
        sheets = [
            SheetGrid(name, rows, merged, hidden.get(name, False))
            for name, (rows, merged) in zip(names, _parse_all(path, book, names), strict=True)
        ]
        for sheet in sheets:
            found = parts.get(sheet.name)
            if found is not None:
                sheet.hidden_rows = frozenset(found.rows)
                sheet.hidden_columns = frozenset(found.columns)
            for row, col in percent.get(sheet.name, ()):  # 0.882 shown as 88.2% is "88.2%"
                if row < len(sheet.cells) and col < len(sheet.cells[row]):
                    sheet.cells[row][col] = as_shown(sheet.cells[row][col])
    except WorkbookError:
        raise
    except Exception as exc:
        check_members(path)
        raise WorkbookError(f"无法读取“{path.name}”的内容：{exc}") from exc
    finally:
        book.close()
    return WorkbookGrid(path, sheets)


#: Sheets per thread below which a workbook is parsed on one thread. Calamine parses without
#: holding Python's lock, so the many sheets of a collection (one per unit) are shared among
#: threads, each with its own handle on the file (1.7 times as fast on two cores).
SHEETS_PER_THREAD = 4
MAX_THREADS = 4

Parsed = tuple[list[list[Any]], list[tuple[int, int, int, int]]]


def _parse(book: Any, names: list[str], file_name: str = "") -> list[Parsed]:
    """Each named sheet's cells as read ("" for empty) and its merged ranges.

    The grid's size is checked again before it becomes Python lists: ``check_size`` cannot scan
    a legacy .xls, where one cell at IV65536 in a 5 KB file made 1.2 GB of lists.
    """
    from desktop.services.common.sheet_size import MAX_GRID_CELLS

    found: list[Parsed] = []
    for name in names:
        sheet = book.get_sheet_by_name(name)
        end = sheet.end
        if end is not None and (end[0] + 1) * (end[1] + 1) > MAX_GRID_CELLS:
            raise too_big(file_name, name, end[0] + 1, end[1] + 1)
        rows = sheet.to_python(skip_empty_area=False)
        merged = [(r1, c1, r2, c2) for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or [])]
        found.append((rows, merged))
    return found


def _parse_all(path: Path, book: Any, names: list[str]) -> list[Parsed]:
    """Every sheet, in order: on this thread, or shared among threads for a large workbook."""
    threads = min(MAX_THREADS, os.cpu_count() or 1, len(names) // SHEETS_PER_THREAD)
    if threads < 2:
        return _parse(book, names, path.name)
    from python_calamine import CalamineWorkbook

    shares = [names[n::threads] for n in range(threads)]  # interleaved: sizes even out

    def share(number: int) -> list[Parsed]:
        own = CalamineWorkbook.from_path(str(path))  # a handle serves one thread at a time
        try:
            return _parse(own, shares[number], path.name)
        finally:
            own.close()

    with ThreadPoolExecutor(threads - 1) as pool:
        others = [pool.submit(share, n) for n in range(1, threads)]
        parts = [_parse(book, shares[0], path.name), *(f.result() for f in others)]
    found: list[Parsed] = [([], [])] * len(names)
    for number, part in enumerate(parts):
        found[number::threads] = part
    return found


_PLAIN = frozenset({str, float, int, bool, date, datetime, time, timedelta})


def clean_cell(value: object) -> CellValue:
    """A cell as the rest of EcoDesk sees it: None for empty, anything unexpected as text."""
    if value is None or value == "":
        return None
    if isinstance(value, (str, float, int, bool, date, datetime, time, timedelta)):
        return value
    return str(value)
