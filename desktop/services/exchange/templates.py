"""Bureau forms mapped once and recognised again next month (表样).

A template holds, per sheet, the layout (which cell means which unit, indicator, period and
field) and its anchors: the label of every mapped row (the indicator name as the form writes
it) and the header above every mapped column. Next month's copy of the same form is recognised
when all anchors read the same, wherever the title's period or the fill date changed.

A clerk's copy is recognised too when the sheet was renamed, a row ("其中：…") or a column was
inserted, or a header reworded: the template's rows are found again by their labels and its
columns by their headers (or, for a reworded header, by the field the header names), never by
position. Every figure then goes to the indicator its label names; a row or column the clerk
added is named in the report as not in the 表样. A copy missing any mapped row or column does not
match at all.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from db import aliases, form_templates
from db.connection import Database
from desktop.services.common.text import is_plain_number
from desktop.services.common.workbook import SheetGrid, WorkbookGrid
from desktop.services.exchange.detect import normalise, role_of
from desktop.services.exchange.layout import SheetLayout
from desktop.services.exchange.vocabulary import Vocabulary

Anchor = tuple[str, int, int, str]  # sheet, row, col, normalised text


@dataclass
class Template:
    name: str
    layouts: list[SheetLayout]
    anchors: list[Anchor]
    file_name: str = ""
    #: Per sheet, the header text above each column of the form as mapped (to tell a column a
    #: clerk inserted from one the form always had).
    headers: dict[str, list[str]] = field(default_factory=dict)
    #: Columns with text in the mapped rows that the 表样 does not have (sheet, row, col, header),
    #: found when this copy was recognised: named in the report, never imported.
    inserted_columns: list[Anchor] = field(default_factory=list)


def signature(grid: WorkbookGrid) -> str:
    """A cheap first filter: the names of the visible sheets."""
    return "|".join(sorted(s.name for s in grid.sheets if not s.hidden))


def _name_column(sheet: SheetGrid, layout: SheetLayout) -> int | None:
    """The column naming each mapped row: every mapped row has text there (not a number),
    and it tells them apart best (a 类别 column left of the names repeats itself)."""
    best: tuple[int, int, int] | None = None
    for col in range(min(min(layout.columns), sheet.width)):
        if col in sheet.hidden_columns:
            continue
        texts = [sheet.text(r, col) for r in layout.rows]
        if all(t and not is_plain_number(t) for t in texts):
            rank = (len({normalise(t) for t in texts}), sum(map(len, texts)), -col)
            if best is None or rank > best:
                best = rank
    return -best[2] if best else None


def _row_label(
    sheet: SheetGrid, row: int, before: int, names: int | None = None
) -> tuple[int, str] | None:
    if names is not None and sheet.text(row, names):
        return names, normalise(sheet.text(row, names))
    for col in range(min(before, sheet.width)):
        text = sheet.text(row, col)
        if text and not is_plain_number(text):
            return col, normalise(text)
    return None


def _column_label(sheet: SheetGrid, col: int, above: int) -> tuple[int, str] | None:
    for row in range(above - 1, -1, -1):
        text = sheet.text(row, col)
        if text:
            return row, normalise(text)
    for r1, c1, r2, c2 in sheet.merged:  # a header merged across this column
        if c1 <= col <= c2 and r2 < above and sheet.text(r1, c1):
            return r1, normalise(sheet.text(r1, c1))
    return None


def anchors_for(grid: WorkbookGrid, layouts: list[SheetLayout]) -> list[Anchor]:
    """The labels that identify the form: one per mapped row and one per mapped column."""
    anchors: list[Anchor] = []
    for layout in layouts:
        sheet = grid.sheet(layout.sheet)
        if not layout.rows or not layout.columns:
            continue
        first_col, first_row = min(layout.columns), min(layout.rows)
        names = _name_column(sheet, layout)
        for row in sorted(set(layout.rows) | layout.ignored):
            label = _row_label(sheet, row, first_col, names)
            if label:
                anchors.append((sheet.name, row, label[0], label[1]))
        for col in sorted(layout.columns):
            label = _column_label(sheet, col, first_row)
            if label:
                anchors.append((sheet.name, label[0], col, label[1]))
    return anchors


#: A period written in a header ("2022年1-10月累计", "1～10月"): next month's copy says another.
_PERIOD_WORDS = re.compile(
    r"\d{4}年度?|\d{1,2}\s*[-－—~～至到]\s*\d{1,2}月|\d{1,2}月|前[一二两三]季度|[一二三四]季度|上半年"
)


def _unperiodic(text: str) -> str:
    return _PERIOD_WORDS.sub("", text)


def matches(template: Template, grid: WorkbookGrid) -> bool:
    """Every anchor reads the same in ``grid``, a period in a header aside (the copy of next
    month, or of the year before, says its own)."""
    names = {s.name: s for s in grid.sheets}
    for sheet_name, row, col, text in template.anchors:
        sheet = names.get(sheet_name)
        if sheet is None:
            return False
        written = normalise(sheet.text(row, col))
        if written != text and _unperiodic(written) != _unperiodic(text):
            return False
    return bool(template.anchors)


def headers_for(grid: WorkbookGrid, layouts: list[SheetLayout]) -> dict[str, list[str]]:
    """Each mapped sheet's header text over every column (normalised, period words aside)."""
    found: dict[str, list[str]] = {}
    for layout in layouts:
        if not layout.rows:
            continue
        sheet = grid.sheet(layout.sheet)
        first_row = min(layout.rows)
        found[layout.sheet] = [
            _unperiodic(label[1]) if (label := _column_label(sheet, col, first_row)) else ""
            for col in range(sheet.width)
        ]
    return found


def to_json(template: Template) -> str:
    data = [
        {"layout": json.loads(layout.to_json()),
         "anchors": [list(a) for a in template.anchors if a[0] == layout.sheet],
         "headers": template.headers.get(layout.sheet, [])}
        for layout in template.layouts
    ]  # fmt: skip
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def from_json(name: str, text: str, file_name: str = "") -> Template:
    data: list[dict[str, Any]] = json.loads(text)
    layouts = [SheetLayout.from_json(json.dumps(entry["layout"])) for entry in data]
    anchors: list[Anchor] = [
        (str(a[0]), int(a[1]), int(a[2]), str(a[3])) for entry in data for a in entry["anchors"]
    ]
    headers = {
        str(entry["layout"]["sheet"]): [str(h) for h in entry["headers"]]
        for entry in data
        if entry.get("headers")
    }
    return Template(name, layouts, anchors, file_name, headers)


def save(db: Database, name: str, grid: WorkbookGrid, layouts: list[SheetLayout]) -> Template:
    """Store the mapping of ``grid`` (the form as received) under ``name``."""
    template = Template(
        name, layouts, anchors_for(grid, layouts), grid.path.name, headers_for(grid, layouts)
    )
    form_templates.save_template(
        db, name, signature(grid), to_json(template), grid.path.name, grid.path.read_bytes()
    )
    return template


def load(db: Database, name: str) -> Template:
    stored = form_templates.template_by_name(db, name)
    return from_json(stored.name, stored.layouts, stored.file_name)


def find(db: Database, grid: WorkbookGrid) -> Template | None:
    """The saved template this workbook is a copy of, if any: an exact copy first (newest
    first), else one whose rows and columns are all found again by their labels and headers
    (the template returned then has its layouts placed where this copy has them)."""
    for stored in form_templates.templates_with_signature(db, signature(grid)):
        template = from_json(stored.name, stored.layouts, stored.file_name)
        if matches(template, grid):
            return template
    for stored in form_templates.all_templates(db):
        template = from_json(stored.name, stored.layouts, stored.file_name)
        relocated = relocate(template, grid)
        if relocated is not None:
            return relocated
    return None


def relocate(template: Template, grid: WorkbookGrid) -> Template | None:
    """``template`` placed on this copy of its form, found by labels and headers, or None when
    some mapped row or column cannot be found (another form, or one changed too much)."""
    layouts: list[SheetLayout] = []
    inserted: list[Anchor] = []
    taken: set[str] = set()
    for layout in template.layouts:
        anchors = [a for a in template.anchors if a[0] == layout.sheet]
        if not layout.rows or not layout.columns or not anchors:
            return None
        visible = [s for s in grid.sheets if not s.hidden and s.name not in taken]
        visible.sort(key=lambda s: s.name != layout.sheet)  # the sheet of that name first
        for sheet in visible:
            placed = _place(layout, anchors, sheet)
            if placed is not None:
                layouts.append(placed)
                taken.add(sheet.name)
                headers = template.headers.get(layout.sheet, [])
                unmapped = [h for c, h in enumerate(headers) if c not in layout.columns]
                inserted += _inserted_columns(placed, sheet, headers, unmapped)
                break
        else:
            return None
    return replace(template, layouts=layouts, inserted_columns=inserted)


def _place(layout: SheetLayout, anchors: list[Anchor], sheet: SheetGrid) -> SheetLayout | None:
    first_col = min(layout.columns)
    row_labels = {r: text for _s, r, c, text in anchors if c < first_col and r in layout.rows}
    ignored_labels = {
        r: text for _s, r, c, text in anchors if c < first_col and r in layout.ignored
    }
    if set(row_labels) != set(layout.rows):
        return None
    rows = _find_rows(sheet, {**row_labels, **ignored_labels})
    if rows is None or not set(row_labels) <= set(rows):
        return None
    first_row = min(rows[r] for r in row_labels)
    column_labels = {
        c: text for _s, r, c, text in anchors if c in layout.columns and r < min(layout.rows)
    }
    columns = _find_columns(sheet, layout, column_labels, first_row)
    if columns is None:
        return None
    measure = None
    if layout.measure_column is not None:
        measure = next(
            (c for c in range(sheet.width)
             if (label := _column_label(sheet, c, first_row)) and role_of(label[1]) == "measure"),
            None,
        )  # fmt: skip
    return replace(
        layout,
        sheet=sheet.name,
        rows={rows[r]: key for r, key in layout.rows.items()},
        columns={columns[c]: key for c, key in layout.columns.items()},
        ignored={rows[r] for r in layout.ignored if r in rows},
        measure_column=measure,
        unit_cell=None if layout.default.unit is None else layout.unit_cell,
    )


def _find_rows(sheet: SheetGrid, labels: dict[int, str]) -> dict[int, int] | None:
    """Template row → this sheet's row, by label, in the column holding most of the labels;
    a label written twice there is ambiguous, and the copy does not match."""
    wanted = set(labels.values())
    best: dict[str, list[int]] = {}
    for col in range(sheet.width):
        seen: dict[str, list[int]] = {}
        for r in range(sheet.height):
            text = sheet.text(r, col)
            if text and normalise(text) in wanted:
                seen.setdefault(normalise(text), []).append(r)
        if len(seen) > len(best):
            best = seen
    if any(len(rows) > 1 for rows in best.values()):
        return None
    return {r: best[text][0] for r, text in labels.items() if text in best}


def _find_columns(
    sheet: SheetGrid, layout: SheetLayout, labels: dict[int, str], first_row: int
) -> dict[int, int] | None:
    """Template column → this sheet's column: the same header text (period words aside), else,
    for a reworded header, the next column whose header names the same field (本年累计 for
    1-10月累计, 去年同期 for 上年同期)."""
    here = {
        col: label[1]
        for col in range(sheet.width)
        if col not in sheet.hidden_columns and (label := _column_label(sheet, col, first_row))
    }
    found: dict[int, int] = {}
    for col, text in labels.items():
        same = [c for c, h in here.items() if _unperiodic(h) == _unperiodic(text)]
        if len(same) == 1:
            found[col] = same[0]
    for col in sorted(layout.columns):
        if col in found:
            continue
        field_name = layout.columns[col].field
        free = [
            c for c, h in sorted(here.items())
            if c not in found.values() and field_name and role_of(h) == field_name
        ]  # fmt: skip
        if not free:
            return None
        found[col] = free[0]
    return found


def _inserted_columns(
    layout: SheetLayout, sheet: SheetGrid, headers: list[str], unmapped: list[str]
) -> list[Anchor]:
    """Columns holding text in the mapped rows whose header the 表样 does not have, nor words
    like one it leaves out (增幅 for 同比增减): only known for templates that kept headers."""
    if not headers:
        return []
    known = set(headers)
    left_out = {role_of(h) for h in unmapped if h} - {None}
    first_row = min(layout.rows)
    found: list[Anchor] = []
    for col in range(sheet.width):
        if col in layout.columns or col in sheet.hidden_columns:
            continue
        label = _column_label(sheet, col, first_row)
        if label is None or _unperiodic(label[1]) in known or role_of(label[1]) in left_out:
            continue
        if any(sheet.text(r, col) for r in layout.rows):
            found.append((sheet.name, label[0], col, sheet.text(label[0], col)))
    return found


def original_file(db: Database, name: str, folder: Path) -> Path:
    """Write the template's stored original into ``folder`` and return its path."""
    stored = form_templates.template_by_name(db, name)
    path = folder / stored.file_name
    path.write_bytes(stored.file)
    return path


def remember_confirmed(db: Database, pairs: list[tuple[str, str]], *, source: str) -> list[str]:
    """Keep each (row label, indicator code) a person confirmed as the office's alias, so the
    next form that words it the same is recognised without a template; returns the labels
    newly kept. A label the vocabulary already matches to that code adds nothing."""
    vocabulary = Vocabulary.from_db(db)
    kept: list[str] = []
    for label, code in pairs:
        found = vocabulary.match(label)
        if found is not None and found.code == code:
            continue
        if found is not None:  # the label is another indicator's name: the mapping is this
            continue  # form's own choice, not a word for the office's vocabulary
        written = normalise(label)
        if aliases.remember_indicator_alias(db, code, written, source=source):
            kept.append(written)
    return kept
