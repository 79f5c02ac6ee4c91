"""Figure fields in a report's text, filled from the indicator store.

A field is written inside the text as a token, ``{{air_good_rate}}``: it prints as the stored
value with its unit ("97.0%"). ``{{=air_good_rate}}`` prints the bare number, for a blank whose
unit the sentence already writes ("优良天数比率为{{=air_good_rate}}％"). A token may name its
own period and unit, ``{{pm25@2021-Y@330300-01}}``; otherwise the report's are used. A token
moves with the words around it when the text is edited, which a table of offsets would not.

Seed 004 is a summary whose every figure is "**": ``bind_blanks`` reads the words before each
"**" ("PM10平均浓度为**") with the same names the figure finder uses and turns the blank into a
token. Blanks it cannot place, and fields whose value the store lacks, stay visibly blank and
are listed, so the office knows what is still to be filled before the report goes out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from db import indicators, units
from db.connection import Database
from db.errors import StorageError
from db.periods import Period
from db.records import Indicator
from db.sheet import display, read_sheet
from desktop.services.reports.figures import _GAP, NAMES

TOKEN = re.compile(r"\{\{(=?)([a-z][a-z0-9_]*)(?:@([0-9]{4}-[A-Z0-9]+))?(?:@([0-9A-Za-z-]+))?\}\}")
BLANK = "**"
#: A "**" is a figure only when a measure word follows it ("**件", "**％", "**余份"); in
#: "浙能**风电场" it masks a name and is left as written.
BLANK_RE = re.compile(r"\*\*(?=[次项件个家处名天期人份余％%微毫万亿元吨辆台亩公米μ倍])")
#: How a missing figure prints: wide enough to write in by hand, never mistaken for a number.
MISSING = "＿＿"

_BEFORE = tuple((code, re.compile(rf"(?:{name}){_GAP}$")) for code, name, _unit, _after in NAMES)
_CLAUSE_END = re.compile(r"[，,；;。：:！？]")
_GOAL = re.compile(r"力争|争取|目标|控制在|确保|计划")
_BOUND_AFTER = re.compile(r"^[^，,；;。]{0,8}?(?:以上|以下|左右)")


def token(code: str, *, bare: bool = False, period: str = "", unit_code: str = "") -> str:
    """The text of a field, as the picker inserts it."""
    parts = [("=" if bare else "") + code]
    if period or unit_code:
        parts.append(period)
    if unit_code:
        parts.append(unit_code)
    return "{{" + "@".join(parts) + "}}"


def guess_code(before: str, after: str) -> str:
    """The indicator a "**" stands for, read from the words right before it; "" if unsure.

    A blank in a goal ("力争PM2.5年均浓度控制在**微克以下") is a target for next year, not a
    figure of the report's period, so it is left alone.
    """
    ends = [m.end() for m in _CLAUSE_END.finditer(before)]
    clause = before[ends[-1] if ends else 0 :]
    if _GOAL.search(clause) or _BOUND_AFTER.match(after):
        return ""
    for code, pattern in _BEFORE:
        if pattern.search(clause):
            return code
    return ""


def bind_blanks(text: str) -> tuple[str, int, int]:
    """Turn each "**" whose indicator can be read from its sentence into a bare field.

    Returns the new text, how many blanks were bound and how many stay unbound.
    """
    out: list[str] = []
    bound = unbound = 0
    last = 0
    for match in BLANK_RE.finditer(text):
        code = guess_code(text[: match.start()], text[match.end() :])
        out.append(text[last : match.start()])
        if code:
            out.append(token(code, bare=True))
            bound += 1
        else:
            out.append(BLANK)
            unbound += 1
        last = match.end()
    out.append(text[last:])
    return "".join(out), bound, unbound


@dataclass(frozen=True)
class Piece:
    """A run of filled text: ``kind`` is text, value (from the store) or missing (blank)."""

    text: str
    kind: str = "text"


@dataclass(frozen=True)
class Missing:
    """A field or blank with no value to show, worded for the list under the report."""

    where: str
    what: str


class Filler:
    """Fills fields for one report: caches the store sheets it reads, per (unit, period)."""

    def __init__(self, db: Database, unit_id: int, period: str) -> None:
        self.db = db
        self.unit_id = unit_id
        self.period = period
        self._catalog: dict[str, Indicator] = {i.code: i for i in indicators.all_indicators(db)}
        self._sheets: dict[tuple[int, str], dict[str, float | None]] = {}
        self.missing: list[Missing] = []
        self.filled = 0

    def _value(self, code: str, unit_id: int, period: str) -> float | None:
        key = (unit_id, period)
        if key not in self._sheets:
            sheet = read_sheet(self.db, unit_id, Period.parse(period))
            self._sheets[key] = {r.indicator.code: r.current.value for r in sheet.rows}
        return self._sheets[key].get(code)

    def pieces(self, text: str, where: str = "") -> list[Piece]:
        """``text`` cut into plain runs, filled values and visible blanks (recorded as missing)."""
        pieces: list[Piece] = []
        pattern = re.compile(TOKEN.pattern + "|" + BLANK_RE.pattern)
        last = 0
        for match in pattern.finditer(text):
            if match.start() > last:
                pieces.append(Piece(text[last : match.start()]))
            last = match.end()
            if match[0] == BLANK:
                pieces.append(Piece(MISSING, "missing"))
                self.missing.append(Missing(where, f"空白“**”未绑定指标：{_context(text, match)}"))
                continue
            pieces.append(self._field(match, text, where))
        if last < len(text):
            pieces.append(Piece(text[last:]))
        return pieces

    def _field(self, match: re.Match[str], text: str, where: str) -> Piece:
        bare, code, period, unit_code = match[1] == "=", match[2], match[3], match[4]
        indicator = self._catalog.get(code)
        if indicator is None:
            self.missing.append(Missing(where, f"指标代码“{code}”不存在"))
            return Piece(MISSING, "missing")
        unit_id = self.unit_id
        if unit_code:
            try:
                unit_id = units.unit_by_code(self.db, unit_code).id
            except StorageError:
                self.missing.append(Missing(where, f"单位代码“{unit_code}”不存在"))
                return Piece(MISSING, "missing")
        period = period or self.period
        try:
            value = self._value(code, unit_id, period)
        except ValueError:
            value = None
        if value is None:
            label = Period.parse(period).label if _valid(period) else period
            self.missing.append(Missing(where, f"{indicator.name}（{label}）无数据"))
            return Piece(MISSING, "missing")
        self.filled += 1
        shown = display(indicator, value)
        if not bare and indicator.kind != "water_class":
            shown += indicator.unit
        return Piece(shown, "value")

    def fill(self, text: str, where: str = "") -> str:
        return "".join(p.text for p in self.pieces(text, where))


def _valid(period: str) -> bool:
    try:
        Period.parse(period)
    except ValueError:
        return False
    return True


def _context(text: str, match: re.Match[str]) -> str:
    return text[max(0, match.start() - 12) : match.end() + 6].replace("\n", " ")
