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

from desktop.services.common.sheet_size import _checked_size, _xlsx_size, _xlsx_size_by_tags

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


@st.composite
def _plain_sheet(draw: st.DrawFn) -> str:
    """A sheet written the plain way, as the checked reading expects, with the odd cell or row
    that must make it give way: cells mostly on their row's number, a declared last column
    mostly one of the cells' columns (the right one or not)."""
    numbers = draw(st.sets(st.sampled_from([1, 2, 9, 10, 58, 99, 100, 1048576]), min_size=1))
    used = ["A"]
    rows = []
    for number in sorted(numbers):
        cells = []
        for _ in range(draw(st.integers(0, 4))):
            letters = draw(LETTERS)
            used.append(letters)
            elsewhere = [str(number + 1), str(number * 10), "1", "0", "01"]
            row = str(number) if draw(st.integers(0, 4)) else draw(st.sampled_from(elsewhere))
            odd = [f'<c r="{letters}{row}"/>', "<c/>", f"<c r='{letters}{row}'/>", "<x:c/>"]
            plain = f'<c r="{letters}{row}"><v>1</v></c>'
            cells.append(plain if draw(st.integers(0, 8)) else draw(st.sampled_from(odd)))
        rows.append(f'<row r="{number}">{"".join(cells)}</row>')
    letters = draw(st.sampled_from(used)) if draw(st.integers(0, 3)) else draw(LETTERS)
    last = f"{letters}{draw(NUMBERS)}"
    refs = [
        "",
        f'<dimension ref="A1:{last}"/>',
        f'<dimension ref="{last}"/>',
        '<dimension ref=""/>',
    ]
    declared = (
        draw(st.sampled_from(refs[1:])) if draw(st.integers(0, 4)) else draw(st.sampled_from(refs))
    )
    return f"<worksheet>{declared}<sheetData>{''.join(rows)}</sheetData></worksheet>"


@settings(max_examples=400, deadline=None)
@given(xml=_plain_sheet())
def test_the_checked_reading_gives_the_tag_by_tag_size_or_gives_way(xml: str) -> None:
    """The candidates (last row tag, declared last column) are taken only when the cells bear
    them out: whatever the checked reading answers is the tag-by-tag answer."""
    archive = _archive(xml)
    checked = _checked_size(xml.encode(), "S")
    assert checked is None or checked == _xlsx_size_by_tags(
        archive, "xl/worksheets/sheet1.xml", "S"
    )
    assert _xlsx_size(archive, "xl/worksheets/sheet1.xml", "S") == _xlsx_size_by_tags(
        archive, "xl/worksheets/sheet1.xml", "S"
    )
