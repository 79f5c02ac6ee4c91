"""A rate a clerk typed as "88.2%" into Excel or WPS is the number 0.882 shown as 88.2%: the
reader gives the text the clerk saw, so it is stored as 88.2, never as 0.9."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from desktop.services.common.workbook import read_workbook
from tests.support.blind_forms import CLERKS, HELD_OUT_COPIES, write_form

NANHU = next(c for c in CLERKS if c.style == "percent_cells")


def test_percent_cells_read_as_shown_in_xlsx_and_ods(tmp_path: Path) -> None:
    xlsx = write_form(tmp_path / NANHU.file, NANHU)
    ods = HELD_OUT_COPIES / Path(NANHU.file).with_suffix(".ods").name  # saved by LibreOffice
    for path in (xlsx, ods):
        sheet = read_workbook(path).sheets[0]
        assert sheet.value(5, 4) == "88.2%" and sheet.value(5, 5) == "85.6%", path.suffix
        assert sheet.value(10, 4) == "100%", path.suffix  # 饮用水水源地 100% is 1.0 in the file
        assert sheet.value(12, 4) == 1268, "a count beside them is left alone"


def test_only_formats_that_scale_are_percent(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    formats = {
        "A1": "0%",
        "A2": "0.00%",
        "A3": '0.0"%"',
        "A4": "0.0\\%",
        "A5": "[Red]0.0%",
        "A6": "0.0",
    }
    for ref, number_format in formats.items():
        ws[ref] = 0.5
        ws[ref].number_format = number_format
    ws["A7"] = "50%"
    ws["A7"].number_format = "0%"  # typed as text: already what the clerk saw
    book.save(tmp_path / "f.xlsx")
    sheet = read_workbook(tmp_path / "f.xlsx").sheets[0]
    assert [sheet.value(r, 0) for r in range(7)] == ["50%", "50%", 0.5, 0.5, "50%", 0.5, "50%"]
