"""The numbering that opens a heading or item in Chinese official writing, and its level.

GB/T 9704 fixes the order ``一、`` → ``（一）`` → ``1.`` → ``（1）``, and documents go on with
``①``. The style of the number, not indentation (which copying loses), gives the level, so a
plan pasted from a web page and a report typed in Word are read alike. Documents write the same
marker several ways, all read here:

* full-width or half-width brackets, with or without spaces: ``（一）``, ``(一)``, ``（ 1 ）``;
* ``一、``, ``一．`` or ``一.``; ``1.``, ``1．`` or ``1、``;
* Chinese numerals up to the hundreds of a long plan (``十二、``, ``一百零一、``), Arabic
  numbers up to 999;
* circled numbers ``①`` to ``⑳``.

"1.5倍" or "2.3万吨" open with a number and a dot but no marker: a dot followed by a digit is a
decimal point. Which lines count as headings (a bare marker, a run-in sentence, a part heading
above 一、) is each outline parser's own rule; this module only reads the marker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The characters of a Chinese numeral in a marker (〇 and 零 as in 一百零一, 二〇).
NUMERALS = "一二三四五六七八九十百零〇"
#: The numbering family of each level, named by its first marker.
STYLES = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）", 5: "①"}

_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^([{NUMERALS}]+\s*[、．.])\s*")),
    (2, re.compile(rf"^([（(]\s*[{NUMERALS}]+\s*[）)])\s*")),
    (3, re.compile(r"^(\d{1,3}\s*(?:[、．.](?!\d)|、))\s*")),
    (4, re.compile(r"^([（(]\s*\d{1,3}\s*[）)])\s*")),
    (5, re.compile(r"^([①-⑳])\s*")),
)


@dataclass(frozen=True)
class Marker:
    """The marker a line opens with: its level (1 for 一、 … 5 for ①), the marker as written
    without spaces ("（一）", "(三)", "1."), and the rest of the line, stripped (may be "")."""

    level: int
    text: str
    rest: str

    @property
    def style(self) -> str:
        """The numbering family: "（一）" for "(三)" as for "（一）"."""
        return STYLES[self.level]


def read_marker(line: str) -> Marker | None:
    """The marker ``line`` opens with, or None. The line is expected without leading spaces."""
    for level, pattern in _PATTERNS:
        found = pattern.match(line)
        if found:
            return Marker(level, found[1].replace(" ", ""), line[found.end() :].strip())
    return None
