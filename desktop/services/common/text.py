"""Folding the ways one header or label is written, so that "ＳＯ２（μg/m³）", "SO2 (ug/m3)" and
"so2" can be compared.

Each step builds on the one before; a caller takes the strongest step its comparison allows and
adds its own rule on top (the exchange forms drop a leading number, the ledger drops a note
after its headers), never a copy of these:

* ``half_width``: full-width letters, digits and punctuation become ASCII ("（" → "(",
  "２" → "2"), and the compatibility forms units come in are folded too ("m³" → "m3",
  "µ" micro sign → "μ", "㎎" → "mg", "Ⅲ" → "III");
* ``compact``: and no whitespace at all (a header broken over two lines in its cell, "填 报");
* ``fold``: and lower case, without the marks headers are decorated with: "_", "-", "—", "·",
  ".", brackets and colons. Indicator names keep their case and dots ("PM2.5" is not
  "pm25" there), so the exchange forms stop at ``compact``;
* ``header_key``: a header without the bracketed unit or note it carries ("断面名称（必填）").
"""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")
#: After half_width: "．" is ".", "（）" are "()", "：" is ":"; "【】" have no ASCII form.
_MARKS = re.compile(r"[_\-—·.()\[\]【】:]")
_BRACKETED = re.compile(r"[(（\[［【][^)）\]］】]*[)）\]］】]")


def half_width(text: str) -> str:
    """Full-width and compatibility characters as their plain forms (Unicode NFKC)."""
    return unicodedata.normalize("NFKC", text)


def compact(text: str) -> str:
    """``half_width`` without whitespace anywhere."""
    return _WHITESPACE.sub("", half_width(text))


def fold(text: str) -> str:
    """The key a header or label is compared by: ``compact``, lower case, no decoration."""
    return _MARKS.sub("", compact(text).lower())


def drop_brackets(text: str) -> str:
    """The text without its bracketed parts: "氨氮（mg/L）" → "氨氮", "日期[年/月/日]" → "日期"."""
    return _BRACKETED.sub("", text)


def header_key(text: str) -> str:
    """What a column header names, as compared: "监测日期（年/月/日）" → "监测日期"."""
    return fold(drop_brackets(text))


def is_plain_number(text: str) -> bool:
    """Whether a cell's text is a plain number ("1,234.5"): what a column of names never holds,
    so the forms' readers use it to tell the name column from the figures."""
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True
