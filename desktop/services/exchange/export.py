"""Export figures to .xlsx in the layout bureaus exchange.

One sheet per unit: a merged title ("2022年1-10月主要生态环境指标统计表"), a 填报单位 / 填报日期
line, two-row merged headers (序号 / 指标 / 单位 / 本期 / 去年同期 / 同比 / 年度目标 / 备注, the
period written above its three columns), category rows numbered 一、二、…, each indicator with
its decimals, computed cells shaded, frozen panes, and A4 print setup that repeats the headers.

The workbook also carries, in a hidden ``_ecodesk`` sheet, the layout of every sheet, so a copy
sent back filled in imports cell for cell without any guessing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db import units as unit_store
from db.connection import Database
from db.errors import Cancelled
from db.indicators import all_indicators
from db.periods import Period
from db.records import Indicator, Unit
from db.sheet import Sheet, Source, display, read_sheets
from desktop.services.common.cells import as_text, write_cell
from desktop.services.common.sheet_xml import (
    BulkRow,
    RowCell,
    SheetBody,
    StyleIds,
    render_rows,
    save_spliced,
    write_rows,
)
from desktop.services.common.wording import date_text
from desktop.services.common.workbook import save_workbook
from desktop.services.exchange.layout import Key, SheetLayout

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

METADATA_SHEET = "_ecodesk"
METADATA_MARK = "EcoDesk layout v1"
CHINESE_NUMBERS = "一二三四五六七八九十"
TITLE_FONT = "黑体"
BODY_FONT = "宋体"
Progress = Callable[[int, int], bool]  # (done, total) → False to cancel


@dataclass(frozen=True)
class Selection:
    """What to export: units × indicators × periods. ``indicators`` None means all of them."""

    unit_ids: Sequence[int]
    periods: Sequence[Period]
    indicator_codes: Sequence[str] | None = None
    only_with_data: bool = False


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二 (category numbering in bureau forms)."""
    if n <= 10:
        return CHINESE_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CHINESE_NUMBERS[tens - 1]
    return head + "十" + (CHINESE_NUMBERS[ones - 1] if ones else "")


def title_for(periods: Sequence[Period]) -> str:
    if len(periods) == 1:
        return f"{periods[0].label}主要生态环境指标统计表"
    return f"{periods[0].label}至{periods[-1].label}主要生态环境指标统计表"


def number_format(indicator: Indicator) -> str:
    return "0" if indicator.decimals == 0 else "0." + "0" * indicator.decimals


def export_workbook(
    db: Database,
    selection: Selection,
    path: Path,
    *,
    today: date | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the workbook; return the number of figure cells written.

    Raises ``StorageError`` from the store, ``WorkbookError`` when the file cannot be written
    (open in Excel, say) and ``Cancelled`` when ``progress`` says stop; the file is written to a
    temporary name first and moved into place, so a failed export never leaves half a file
    under the chosen name.
    """
    from openpyxl import Workbook

    today = today or date.today()
    catalog = all_indicators(db)
    if selection.indicator_codes is not None:
        wanted = set(selection.indicator_codes)
        catalog = [i for i in catalog if i.code in wanted]
    periods = sorted(selection.periods)
    book = Workbook()
    book.remove(book.active)
    styles = _Styles(book)
    written = 0
    total = len(selection.unit_ids)
    layouts: list[SheetLayout] = []
    used_names: set[str] = set()
    for number, unit_id in enumerate(selection.unit_ids, start=1):
        unit = unit_store.unit_by_id(db, unit_id)
        sheets = read_sheets(db, unit_id, periods, catalog)
        rows = _rows_to_write(catalog, sheets, selection.only_with_data)
        name = _sheet_name(unit, used_names)
        sheet = book.create_sheet(name)
        layout, cells = _write_unit_sheet(sheet, unit, periods, sheets, rows, today, styles)
        layouts.append(layout)
        written += cells
        if progress is not None and not progress(number, total):
            raise Cancelled("已取消导出")
    _write_metadata(book, layouts)
    save_workbook(book, path, styles.save)
    return written


def _sheet_name(unit: Unit, used: set[str]) -> str:
    base = (unit.short_name or unit.name)[:28]
    for bad in "[]:*?/\\":
        base = base.replace(bad, "_")
    name, n = base, 2
    while name in used:
        name, n = f"{base}{n}", n + 1
    used.add(name)
    return name


def _rows_to_write(
    catalog: list[Indicator], sheets: list[Sheet], only_with_data: bool
) -> list[Indicator]:
    if not only_with_data:
        return catalog
    keep = set()
    for sheet in sheets:
        for row in sheet.rows:
            if row.current.value is not None or row.last_year.value is not None or row.target:
                keep.add(row.indicator.id)
                if row.indicator.parent_id is not None:
                    keep.add(row.indicator.parent_id)
    return [i for i in catalog if i.id in keep]


class _Styles:
    """Named cell styles registered once per workbook.

    Assigning Font/Border/Fill objects cell by cell makes openpyxl hash and compare style
    objects for every cell (18 s for 30 units); a named style is assigned by name.
    """

    def __init__(self, book: Any) -> None:
        from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

        thin = Side(style="thin", color="000000")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        body = Font(name=BODY_FONT, size=11)
        bold = Font(name=BODY_FONT, size=11, bold=True)
        grey = PatternFill("solid", fgColor="F2F2F2")
        blue = PatternFill("solid", fgColor="DDEBF7")

        def align(horizontal: str, wrap: bool = False) -> Alignment:
            return Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)

        def add(name: str, **parts: Any) -> None:
            book.add_named_style(NamedStyle(name=name, border=border, **parts))

        add("ed_header", font=bold, alignment=align("center", True), fill=blue)
        add("ed_category", font=bold, alignment=align("left"))
        add("ed_left", font=body, alignment=align("left", True))
        add("ed_center", font=body, alignment=align("center"))
        add("ed_right", font=body, alignment=align("right"))
        add("ed_right_grey", font=body, alignment=align("right"), fill=grey)
        for decimals in range(7):
            fmt = "0" if decimals == 0 else "0." + "0" * decimals
            add(f"ed_num{decimals}", font=body, alignment=align("right"), number_format=fmt)
            add(
                f"ed_num{decimals}_grey", font=body, alignment=align("right"),
                number_format=fmt, fill=grey,
            )  # fmt: skip
        # What ``cell.style = name`` copies into the cell, found once: openpyxl looks the name
        # up in a list it rebuilds on every assignment (a quarter of a large export's time).
        from openpyxl.styles.cell_style import StyleArray

        self._new = StyleArray
        self._arrays = {style.name: style.as_tuple() for style in book._named_styles}

        self._book = book
        self._ids = StyleIds(book, self._arrays)
        self._bodies: list[tuple[Any, SheetBody]] = []

    def apply(self, cell: Any, name: str) -> None:
        """``cell.style = name``: a copy of the same style array, without the look-up."""
        cell._style = self._new(self._arrays[name])

    def body(
        self,
        ws: Worksheet,
        rows: list[BulkRow],
        last_col: int,
        merges: list[str],
        widths: list[tuple[int, float]],
    ) -> None:
        """The sheet's indicator rows: kept as XML for the save, or, when a text needs a note
        (批注), written as openpyxl cells through ``as_text``; its merged ranges and column
        widths kept."""
        from openpyxl.utils import get_column_letter

        letters = [get_column_letter(c) for c in range(1, last_col + 1)]
        xml = render_rows(rows, self._ids, letters) if rows else ""
        if xml is None:
            write_rows(ws, rows, self.apply)
            xml = ""
        dimension = f"A1:{letters[-1]}{rows[-1].number}" if xml else None
        self._bodies.append((ws, SheetBody(xml, dimension, merges, widths)))

    def save(self, book: Any, path: Path) -> None:
        """Save with every kept sheet body spliced in."""
        sheets = book.worksheets
        save_spliced(book, path, {sheets.index(ws): body for ws, body in self._bodies})


def _write_unit_sheet(
    ws: Worksheet,
    unit: Unit,
    periods: list[Period],
    sheets: list[Sheet],
    indicators: list[Indicator],
    today: date,
    styles: _Styles,
) -> tuple[SheetLayout, int]:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    first_period_col = 4  # 1-based: A 序号, B 指标, C 单位
    last_col = first_period_col + 3 * len(periods) + 1  # … 年度目标, 备注
    target_col, note_col = last_col - 1, last_col

    merges: list[str] = []  # written beside the rows at save (openpyxl's merge_cells was a
    # fifth of the export: it makes a MergedCell per covered cell and formats their borders)

    def merge(top: int, left: int, bottom: int, right: int) -> None:
        merges.append(f"{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom}")

    merge(1, 1, 1, last_col)
    title = write_cell(ws, 1, 1, title_for(periods))
    title.font = Font(name=TITLE_FONT, size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 32
    split = max(3, last_col // 2)
    merge(2, 1, 2, split)
    as_text(ws.cell(row=2, column=1), f"填报单位：{unit.name}")
    ws.cell(row=2, column=1).font = Font(name=BODY_FONT, size=11)
    merge(2, split + 1, 2, last_col)
    stamp = f"填报日期：{date_text(today)}"
    filled = write_cell(ws, 2, split + 1, stamp)
    filled.font = Font(name=BODY_FONT, size=11)
    filled.alignment = Alignment(horizontal="right")

    # The two header rows go with the indicator rows (every cell bordered and shaded).
    heads: list[list[RowCell]] = [[(None, "ed_header")] * last_col for _ in range(2)]
    fixed = ((1, "序号"), (2, "指标"), (3, "单位"), (target_col, "年度目标"), (note_col, "备注"))
    for col, text in fixed:
        merge(3, col, 4, col)
        heads[0][col - 1] = (text, "ed_header")
    for n, period in enumerate(periods):
        col = first_period_col + 3 * n
        merge(3, col, 3, col + 2)
        heads[0][col - 1] = (period.label, "ed_header")
        for offset, text in enumerate(("本期", "去年同期", "同比")):
            heads[1][col - 1 + offset] = (text, "ed_header")

    layout = SheetLayout(
        sheet=ws.title,
        default=Key(unit=unit.code, period=periods[-1].code),
        measure_column=2,  # 0-based column C
        unit_cell=(1, 0),
    )
    for n, period in enumerate(periods):
        col0 = first_period_col + 3 * n - 1  # 0-based
        layout.columns[col0] = Key(period=period.code, field="current")
        layout.columns[col0 + 1] = Key(period=period.code, field="last_year")
    layout.columns[target_col - 1] = Key(period=periods[-1].code, field="target")
    layout.columns[note_col - 1] = Key(period=periods[-1].code, field="note")

    widths = {1: 6, 2: 30, 3: 9, target_col: 11, note_col: 24}
    # every sheet's rows are in the same (catalog) order: a row is found by its position
    position = {r.indicator.id: k for k, r in enumerate(sheets[0].rows)}
    derived = (Source.MONTHS, Source.PARTS, Source.FORMULA)  # ``Figure.derived``, inlined
    rows = [BulkRow(3, heads[0]), BulkRow(4, heads[1])]
    row_no, category, category_no, item_no, written = 5, None, 0, 0, 0
    for ind in indicators:
        if ind.category != category:
            category, category_no, item_no = ind.category, category_no + 1, 0
            # Not merged: the label overflows into the empty cells beside it, and merging
            # dozens of bordered ranges costs openpyxl seconds per workbook.
            label = f"{chinese_number(category_no)}、{category}"
            blank: list[RowCell] = [(None, "ed_category")] * (last_col - 1)
            rows.append(BulkRow(row_no, [(label, "ed_category"), *blank]))
            row_no += 1
        is_part = ind.parent_id is not None
        if not is_part:
            item_no += 1
        number = f"ed_num{ind.decimals}"
        grey = number + "_grey"
        cells: list[RowCell] = [
            (None if is_part else item_no, "ed_center"),
            (("　其中：" if is_part else "") + ind.name, "ed_left"),
            (ind.unit, "ed_center"),
        ]
        layout.rows[row_no - 1] = Key(indicator=ind.code)
        k, shown = position[ind.id], ind.kind == "water_class"
        for sheet in sheets:
            row = sheet.rows[k]
            for figure in (row.current, row.last_year):
                style = grey if figure.source in derived else number
                if figure.value is None:
                    cells.append((None, style))
                else:
                    cells.append((display(ind, figure.value) if shown else figure.value, style))
                    written += 1
            cells.append((row.change.text if row.change else "", "ed_right_grey"))
        last_row = sheets[-1].rows[k]
        if last_row.target is None:
            cells.append((None, number))
        else:
            cells.append((_cell_value(ind, last_row.target), number))
            written += 1
        cells.append((last_row.note, "ed_left"))
        lines = max(_lines(last_row.note, widths[note_col]), _lines(ind.name, widths[2]))
        # spreadsheet programs do not grow a row for wrapped text on their own
        rows.append(BulkRow(row_no, cells, 15 * lines if lines > 1 else None))
        row_no += 1
    column_widths: list[tuple[int, float]] = [
        (c, widths.get(c, 13 if (c - first_period_col) % 3 == 2 else 11))
        for c in range(1, last_col + 1)
    ]
    styles.body(ws, rows, last_col, merges, column_widths)
    ws.freeze_panes = f"{get_column_letter(first_period_col)}5"
    _print_setup(ws, landscape=last_col > 8)
    return layout, written


@lru_cache(maxsize=4096)
def _lines(text: str, width: float) -> int:
    """Lines ``text`` needs in a column ``width`` characters wide (a Chinese character is two);
    kept per text: every unit's sheet has the same indicator names."""
    import unicodedata

    cells = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return max(1, -(-cells // max(1, int(width) - 1)))


def _cell_value(indicator: Indicator, value: float) -> float | str:
    return display(indicator, value) if indicator.kind == "water_class" else value


def _print_setup(ws: Worksheet, *, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:4"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.right.text = "数据来源：EcoDesk"


def _write_metadata(book: Any, layouts: list[SheetLayout]) -> None:
    meta = book.create_sheet(METADATA_SHEET)
    meta.sheet_state = "hidden"
    write_cell(meta, 1, 1, METADATA_MARK)
    for n, layout in enumerate(layouts, start=2):
        write_cell(meta, n, 1, layout.sheet)
        write_cell(meta, n, 2, layout.to_json())
