"""A rate a clerk typed as "88.2%" into Excel or WPS is the number 0.882 shown as 88.2%: the
reader gives the text the clerk saw, so it is stored as 88.2, never as 0.9."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from desktop.services.common.percent_cells import _no_percent_format, _percent_styles
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


_IDS = ["0", "9", "09", "10", " 10", "+9", "1_0", "164", "&#57;", "2", "100", "19"]
_CODES = ["0.0", "0%", "0.0&#37;", "&quot;%&quot;0", "General", "[Red]0"]


@settings(max_examples=300, deadline=None)
@given(
    ids=st.lists(st.sampled_from(_IDS), max_size=4),
    custom=st.lists(st.tuples(st.sampled_from(_IDS), st.sampled_from(_CODES)), max_size=3),
    quote=st.sampled_from(['"', "'"]),
)
def test_styles_are_parsed_unless_their_bytes_rule_out_a_percent_format(
    ids: list[str], custom: list[tuple[str, str]], quote: str
) -> None:
    """The byte check that skips parsing styles.xml says "no percent format" only when the
    parse finds none: a percent format id written oddly or a % behind a reference is parsed."""
    formats = "".join(
        f"<numFmt numFmtId={quote}{i}{quote} formatCode={quote}{c}{quote}/>" for i, c in custom
    )
    xfs = "".join(f"<xf numFmtId={quote}{i}{quote}/>" for i in ids)
    xml = (
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<numFmts>{formats}</numFmts><cellXfs>{xfs}</cellXfs></styleSheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/styles.xml", xml)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        try:  # what the parse finds, or that it refuses the part (the reader then finds none)
            parsed = _percent_styles(archive, parse_only=True)
        except (ValueError, SyntaxError):
            parsed = set()
        if _no_percent_format(xml.encode()):
            assert not parsed
            assert not _percent_styles(archive)
