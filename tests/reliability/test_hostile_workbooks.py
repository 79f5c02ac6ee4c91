"""Workbooks built to exhaust memory are refused with a sentence before any grid is built.

Each read runs in a child process with its address space limited, so a regression aborts the
child (and fails the test) instead of taking the whole test run down with it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from desktop.services.common.sheet_size import sheet_sizes
from desktop.services.common.workbook import read_workbook

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="the child's memory limit uses resource.setrlimit (POSIX)"
)
HERE = Path(__file__).resolve().parent
LIMIT = 1536 << 20  # 1.5 GiB: plenty for Python and calamine, far from 512 GiB

_READ = """
    import resource, sys
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
    from desktop.services.common.workbook import WorkbookError, read_workbook
    try:
        book = read_workbook(Path(sys.argv[1]))
    except WorkbookError as exc:
        print("refused:", exc.with_hint())
    else:
        print("read:", [(s.name, s.height, s.width) for s in book.sheets])
"""


def _read_in_child(path: Path) -> str:
    code = textwrap.dedent(_READ.format(limit=LIMIT))
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, f"the reader died (rc {done.returncode}): {done.stderr[-800:]}"
    return done.stdout.strip()


def _xlsx_with(path: Path, extra_rows: str, sheet: str = "报表") -> Path:
    """A real workbook (A1 filled by openpyxl) with ``extra_rows`` added to its sheet XML."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    ws["A1"] = "指标"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    member = "xl/worksheets/sheet1.xml"
    parts[member] = parts[member].replace(b"</sheetData>", extra_rows.encode() + b"</sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_one_cell_at_the_last_address_is_refused_naming_the_sheet(tmp_path: Path) -> None:
    path = _xlsx_with(
        tmp_path / "一格.xlsx",
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
    )
    assert path.stat().st_size < 20_000
    said = _read_in_child(path)
    assert said.startswith("refused:"), said
    assert "“一格.xlsx”的工作表“报表”用到了 XFD1048576 单元格" in said
    assert "提示：" in said


def test_a_narrower_but_still_absurd_sheet_is_refused(tmp_path: Path) -> None:
    path = _xlsx_with(tmp_path / "CV.xlsx", '<row r="1048576"><c r="CV1048576"><v>1</v></c></row>')
    assert "CV1048576" in _read_in_child(path)


def test_cells_without_addresses_are_counted_too(tmp_path: Path) -> None:
    cells = "<c><v>1</v></c>" * 20_000  # "r" is optional: positions follow the order
    path = _xlsx_with(tmp_path / "无地址.xlsx", f'<row r="400"><c r="A400"/>{cells}</row>')
    size = sheet_sizes(path)[0]
    assert (size.rows, size.columns) == (400, 20_001)
    assert "400 行 × 20,001 列" in _read_in_child(path)


def test_two_hundred_megabytes_of_zeros_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "零.xlsx"
    _xlsx_with(path, "")
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    member = "xl/worksheets/sheet1.xml"
    head, tail = parts.pop(member).split(b"</sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        with archive.open(member, "w", force_zip64=True) as stream:
            stream.write(head + b'<row r="2"><c r="A2"><v>')
            zeros = b"0" * (1 << 20)
            for _ in range(200):
                stream.write(zeros)
            stream.write(b"</v></c></row></sheetData>" + tail)
    assert path.stat().st_size < 1_000_000, "small on disk"
    said = _read_in_child(path)
    assert said.startswith("refused:") and "零.xlsx" in said, said


def test_an_ods_with_repeated_rows_of_values_is_refused(tmp_path: Path) -> None:
    row = (
        '<table:table-row table:number-rows-repeated="1000000">'
        '<table:table-cell office:value-type="float" office:value="1" '
        'table:number-columns-repeated="1000"/></table:table-row>'
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="水质">'
        f"{row}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "重复.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    said = _read_in_child(path)
    assert "“重复.ods”的工作表“水质”" in said and "1,000,000 行 × 1,000 列" in said, said


def test_ordinary_workbooks_measure_what_calamine_reads(tmp_path: Path) -> None:
    ods = HERE.parent / "desktop" / "services" / "exchange" / "form.ods"
    plain = _xlsx_with(tmp_path / "普通.xlsx", '<row r="30"><c r="F30"><v>1</v></c></row>')
    for path in (ods, plain):
        grid = read_workbook(path)
        sizes = {s.sheet: (s.rows, s.columns) for s in sheet_sizes(path)}
        for sheet in grid.sheets:
            assert sizes[sheet.name] == (sheet.height, sheet.width), path.name


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_a_broken_archive_member_is_a_sentence(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"坏{suffix}"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml" if suffix == ".xlsx" else "content.xml", "<<<")
    said = _read_in_child(path)
    assert said.startswith("refused:") and f"坏{suffix}" in said, said


def test_a_legacy_xls_with_its_last_cell_used_is_refused(tmp_path: Path) -> None:
    # 5.6 KB, made by LibreOffice from a sheet with A1 and IV65536 (BIFF8's last cell): read
    # whole it made 1.2 GB of Python lists. The .xls is not scanned before calamine; the grid
    # calamine reports is checked before it becomes lists.
    path = tmp_path / "一格.xls"
    path.write_bytes((HERE / "files" / "一格IV65536.xls").read_bytes())
    said = _read_in_child(path)
    assert "“一格.xls”的工作表" in said and "IV65536" in said, said
