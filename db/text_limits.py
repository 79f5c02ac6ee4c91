"""What free text the store accepts: nothing an export could not write back.

A note with a control character pasted from an old system used to import fine and then block
every Excel export of that unit; a 40,000-character note was cut at export without a word. So
text is checked where it enters (the grid's notes, ledger and plan fields, every import): control
characters other than tab and line breaks are removed (they carry no meaning a user could see),
and text longer than an Excel cell holds is refused with a sentence naming the field.
"""

from __future__ import annotations

import re

from db.errors import ValueRejected

#: Excel's limit on the characters of one cell.
MAX_CELL_CHARS = 32_767

#: Characters XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates):
#: openpyxl refuses a workbook holding any of them.
XML_ILLEGAL = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]"
_ILLEGAL = re.compile(XML_ILLEGAL)


def clean_entry(text: str, label: str) -> str:
    """``text`` without control characters; ``ValueRejected`` naming ``label`` if too long."""
    cleaned = _ILLEGAL.sub("", text)
    if len(cleaned) > MAX_CELL_CHARS:
        raise ValueRejected(
            f"{label}有 {len(cleaned)} 字，超过 Excel 单元格上限 {MAX_CELL_CHARS} 字，"
            "导出时无法完整写入",
            "请精简内容，或把详细材料另存为文档、在此处注明文档名称",
        )
    return cleaned


def imported_problem(text: str, label: str) -> str:
    """Why ``text`` read from a workbook cannot be stored as ``label`` (a dry run's 错误), or "".

    Excel, openpyxl and calamine all cut a cell at 32,767 characters, so text of exactly that
    length read from a file was most likely cut: importing it would silently lose the rest.
    """
    if len(text) >= MAX_CELL_CHARS:
        return f"{label}有 {len(text)} 字，已达 Excel 单元格上限，原文很可能已被截断，未导入"
    return ""
