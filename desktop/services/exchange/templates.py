"""Bureau forms mapped once and recognised again next month (表样).

A template holds, per sheet, the layout (which cell means which unit, indicator, period and
field) and its anchors: the label of every mapped row (the indicator name as the form writes
it) and the header above every mapped column. Next month's copy of the same form is recognised
when all anchors read the same, wherever the title's period or the fill date changed; a form
whose rows were moved is not silently mis-read, it simply no longer matches.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db import aliases, form_templates
from db.connection import Database
from desktop.services.common.workbook import SheetGrid, WorkbookGrid
from desktop.services.exchange.detect import normalise
from desktop.services.exchange.layout import SheetLayout
from desktop.services.exchange.vocabulary import Vocabulary

Anchor = tuple[str, int, int, str]  # sheet, row, col, normalised text


@dataclass
class Template:
    name: str
    layouts: list[SheetLayout]
    anchors: list[Anchor]
    file_name: str = ""


def signature(grid: WorkbookGrid) -> str:
    """A cheap first filter: the names of the visible sheets."""
    return "|".join(sorted(s.name for s in grid.sheets if not s.hidden))


def _row_label(sheet: SheetGrid, row: int, before: int) -> tuple[int, str] | None:
    for col in range(min(before, sheet.width)):
        text = sheet.text(row, col)
        if text and not _is_number(text):
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


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def anchors_for(grid: WorkbookGrid, layouts: list[SheetLayout]) -> list[Anchor]:
    """The labels that identify the form: one per mapped row and one per mapped column."""
    anchors: list[Anchor] = []
    for layout in layouts:
        sheet = grid.sheet(layout.sheet)
        if not layout.rows or not layout.columns:
            continue
        first_col, first_row = min(layout.columns), min(layout.rows)
        for row in sorted(layout.rows):
            label = _row_label(sheet, row, first_col)
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


def to_json(template: Template) -> str:
    data = [
        {"layout": json.loads(layout.to_json()),
         "anchors": [list(a) for a in template.anchors if a[0] == layout.sheet]}
        for layout in template.layouts
    ]  # fmt: skip
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def from_json(name: str, text: str, file_name: str = "") -> Template:
    data: list[dict[str, Any]] = json.loads(text)
    layouts = [SheetLayout.from_json(json.dumps(entry["layout"])) for entry in data]
    anchors: list[Anchor] = [
        (str(a[0]), int(a[1]), int(a[2]), str(a[3])) for entry in data for a in entry["anchors"]
    ]
    return Template(name, layouts, anchors, file_name)


def save(db: Database, name: str, grid: WorkbookGrid, layouts: list[SheetLayout]) -> Template:
    """Store the mapping of ``grid`` (the form as received) under ``name``."""
    template = Template(name, layouts, anchors_for(grid, layouts), grid.path.name)
    form_templates.save_template(
        db, name, signature(grid), to_json(template), grid.path.name, grid.path.read_bytes()
    )
    return template


def load(db: Database, name: str) -> Template:
    stored = form_templates.template_by_name(db, name)
    return from_json(stored.name, stored.layouts, stored.file_name)


def find(db: Database, grid: WorkbookGrid) -> Template | None:
    """The saved template this workbook is a copy of, if any (newest first)."""
    for stored in form_templates.templates_with_signature(db, signature(grid)):
        template = from_json(stored.name, stored.layouts, stored.file_name)
        if matches(template, grid):
            return template
    return None


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
