"""The one way EcoDesk puts a value into a cell of a workbook it writes.

Every .xlsx the project writes (the bureau-layout export, the plan and ledger tables, a filled
bureau form, the summary table) goes through ``write_cell`` or ``safe_value``, because openpyxl
trusts what it is given in three ways that lose or endanger data:

- text that starts with "=" becomes a formula (the 整改措施 "=加强巡查" came back empty after a
  round trip); text starting with + - @ or a tab/CR is what spreadsheet formula injection uses.
  All such text is stored as a string cell (data type ``s``), never evaluated;
- characters XML 1.0 does not allow (control characters pasted from old systems) make openpyxl
  refuse the whole workbook (``IllegalCharacterError``): they are removed, and the cell gets a
  note (批注) saying so, so the reader knows the text was changed;
- Excel holds at most 32,767 characters in a cell. Entry refuses longer text
  (``db.text_limits``); text stored before that rule is cut here with a note saying where the
  whole text is, never silently.

The functions take openpyxl objects but import nothing from openpyxl at module level, so a
caller that only needs ``safe_value`` pays no import.
"""

from __future__ import annotations

import re
from typing import Any

from db.text_limits import MAX_CELL_CHARS, XML_ILLEGAL

#: Text starting with one of these is what a spreadsheet would evaluate or reinterpret.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_ILLEGAL = re.compile(XML_ILLEGAL)


def clean_text(text: str) -> tuple[str, list[str]]:
    """``text`` as a cell can hold it, and what was changed (sentences, empty when nothing)."""
    changes: list[str] = []
    cleaned, removed = _ILLEGAL.subn("", text)
    if removed:
        changes.append(f"删除了 {removed} 个 Excel 无法保存的控制字符")
    if len(cleaned) > MAX_CELL_CHARS:
        changes.append(
            f"原文 {len(cleaned)} 字，超过 Excel 单元格上限 {MAX_CELL_CHARS} 字，"
            "此处只写入前面部分，全文见 EcoDesk"
        )
        cleaned = cleaned[:MAX_CELL_CHARS]
    return cleaned, changes


def safe_value(value: Any) -> Any:
    """``value`` as it may be assigned to a cell: text cleaned (see ``clean_text``).

    Assigning the result still lets openpyxl treat "=…" as a formula: use ``write_cell`` (or
    ``as_text``) for text, which also fixes the data type.
    """
    if isinstance(value, str):
        return clean_text(value)[0]
    return value


def as_text(cell: Any, text: str) -> None:
    """Put ``text`` into an existing ``cell`` as a string cell, cleaned, with a note if changed."""
    cleaned, changes = clean_text(text)
    cell.value = cleaned
    cell.data_type = "s"  # never a formula, whatever it starts with
    if changes:
        from openpyxl.comments import Comment

        cell.comment = Comment("EcoDesk：" + "；".join(changes), "EcoDesk")


def write_cell(ws: Any, row: int, col: int, value: Any, style: str | None = None) -> Any:
    """Write ``value`` at 1-based (row, col) of ``ws`` safely; return the cell.

    Text is always a string cell (see the module docstring); numbers, dates and None are written
    as they are. ``style`` is the name of a named style registered on the workbook.
    """
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        as_text(cell, value)
    else:
        cell.value = value
    if style is not None:
        cell.style = style
    return cell
