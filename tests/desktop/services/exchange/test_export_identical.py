"""The export writes today the workbook it wrote before it was made faster, cell by cell and
style by style: values and their types, fonts, fills, borders, alignment, number formats, named
styles, notes, merged ranges, widths and heights, frozen panes and the print setup.

``export_before.xlsx`` was written by the export as it was before issue #17 (three demo units,
October and 1-10月 2022, dated 2026-11-29) and is kept as the reference.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from db import units
from db.connection import Database
from db.periods import Period
from desktop.services.exchange.export import Selection, export_workbook

BEFORE = Path(__file__).with_name("export_before.xlsx")


def _sheet_setup(ws: Any) -> dict[str, object]:
    setup = ws.page_setup
    margins = ws.page_margins
    return {
        "state": ws.sheet_state,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "freeze": ws.freeze_panes,
        "widths": {k: d.width for k, d in ws.column_dimensions.items()},
        "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height is not None},
        "page": (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight),
        "fit": ws.sheet_properties.pageSetUpPr.fitToPage
        if ws.sheet_properties.pageSetUpPr
        else None,
        "titles": ws.print_title_rows,
        "centred": ws.print_options.horizontalCentered,
        "margins": (margins.left, margins.right, margins.top, margins.bottom),
        "footer": (ws.oddFooter.center.text, ws.oddFooter.right.text),
        "size": (ws.max_row, ws.max_column),
    }


def _cell(cell: Any) -> tuple[object, ...]:
    return (
        cell.value,
        cell.data_type,
        cell.style,
        cell.number_format,
        repr(cell.font),  # style proxies compare by identity: their parameters are compared
        repr(cell.fill),
        repr(cell.border),
        repr(cell.alignment),
        repr(cell.protection),
        cell.comment.text if cell.comment else None,
    )


def test_the_export_is_the_same_workbook_as_before(demo_db: Database, tmp_path: Path) -> None:
    ids = [units.unit_by_code(demo_db, c).id for c in ("330703", "330213", "330300-01")]
    periods = [Period.parse("2022-M10"), Period.parse("2022-YTD10")]
    out = tmp_path / "now.xlsx"
    export_workbook(demo_db, Selection(ids, periods), out, today=date(2026, 11, 29))
    before, now = load_workbook(BEFORE), load_workbook(out)
    assert now.sheetnames == before.sheetnames
    assert sorted(now.named_styles) == sorted(before.named_styles)
    for name in before.sheetnames:
        old, new = before[name], now[name]
        assert _sheet_setup(new) == _sheet_setup(old), name
        for row in old.iter_rows(min_row=1, max_row=old.max_row, max_col=old.max_column):
            for cell in row:
                assert _cell(new[cell.coordinate]) == _cell(cell), f"{name}!{cell.coordinate}"
