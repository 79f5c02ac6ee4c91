"""The sheet size read from the cells' addresses at once equals the size read tag by tag.

``sheet_size._xlsx_size`` gathers the addresses with the regex engine and falls back to the
tag-by-tag reading for anything unusual; on generated sheets (cells with and without
addresses, lower-case and namespaced tags, rows numbered past their cells, huge addresses,
empty sheets) both must give the same rows, columns and declared dimension.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.services.common.sheet_size import _xlsx_size, _xlsx_size_by_tags

LETTERS = st.sampled_from(["A", "B", "Z", "AA", "AK", "XFD", "b", "zz"])
NUMBERS = st.sampled_from(["1", "2", "9", "10", "58", "1048576", "0", "01"])


@st.composite
def _cell(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(["", "x:"]))
    if draw(st.booleans()):
        address = f' r="{draw(LETTERS)}{draw(NUMBERS)}"'
    else:
        address = draw(st.sampled_from(["", ' r="C"', ' r=""']))
    style = draw(st.sampled_from(["", ' s="3"', ' t="s"']))
    if draw(st.booleans()):
        return f"<{prefix}c{style}{address}/>"
    return f"<{prefix}c{address}{style}><{prefix}v>1</{prefix}v></{prefix}c>"


@st.composite
def _row(draw: st.DrawFn) -> str:
    number = draw(st.one_of(st.none(), NUMBERS))
    attrs = "" if number is None else f' r="{number}"'
    cells = "".join(draw(st.lists(_cell(), max_size=5)))
    return f"<row{attrs}>{cells}</row>" if cells or draw(st.booleans()) else f"<row{attrs}/>"


def _archive(xml: str) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", xml)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(_row(), max_size=8), dimension=st.sampled_from(["", "A1:C3", "A1"]))
def test_the_fast_reading_equals_the_tag_by_tag_one(rows: list[str], dimension: str) -> None:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    xml = f"<worksheet>{declared}<sheetData>{''.join(rows)}</sheetData></worksheet>"
    archive = _archive(xml)
    member = "xl/worksheets/sheet1.xml"
    assert _xlsx_size(archive, member, "S") == _xlsx_size_by_tags(archive, member, "S")


def test_an_export_like_sheet_takes_the_fast_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every cell and row addressed, as our export writes: the answer without the fallback."""
    from desktop.services.common import sheet_size

    def not_here(*_args: object) -> None:
        raise AssertionError("read tag by tag")

    monkeypatch.setattr(sheet_size, "_xlsx_size_by_tags", not_here)
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="1"><v>{r}</v></c>' for c in "ABCD") + "</row>"
        for r in range(1, 40)
    )
    archive = _archive(
        f'<worksheet><dimension ref="A1:D39"/><sheetData>{rows}</sheetData></worksheet>'
    )
    size = _xlsx_size(archive, "xl/worksheets/sheet1.xml", "S")
    assert (size.rows, size.columns, size.declared) == (39, 4, "A1:D39")
