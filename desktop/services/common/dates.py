"""Dates as stations, monitoring centres and bureaus write them in their cells.

One reading for every importer: a date cell of an air file is read as the same cell of a water
file, and a ledger's 销号 note opens with a date written the same ways. A cell may hold:

* a date or datetime (a cell formatted as a date): its day;
* an Excel serial day number left unformatted (46082 is 2026-03-01);
* text ``2026-03-01``, ``2026/3/1``, ``2026.3.1``, ``2026年3月1日``, full-width or spaced
  (``２０２６年３月１日``, ``2026 年 3 月 1 日``), and whatever follows the day (a time
  ``2026-03-01 00:00:00`` from a CSV export, a weekday ``（周日）``) is ignored;
* ``20260301`` as text or as a number;
* a month without a day: ``2026-03``, ``2026年3月``, and ``3`` or ``3月`` when the caller knows
  the year (from the file's title). A month is kept as its first day and flagged
  ``month_only``: a water section sampled once a month may be dated so, a daily air mean may
  not, and only the caller knows which it reads.

A day that does not exist (2026-02-30) is no date at all: nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from desktop.services.common.text import half_width

#: Day 0 of Excel's serial numbers (1899-12-30, so that 1900-03-01 is 61 as Excel counts).
EXCEL_EPOCH = date(1899, 12, 30)
#: Serial numbers read as days: 1954-10-03 … 2119-01-11. Other numbers are counts or values.
SERIAL_DAYS = (20_000, 80_000)

#: "日" after a space closes the date ("5 日") unless it opens a word ("5 日常巡查…").
_YMD = re.compile(
    r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:日|\s*日(?![\u4e00-\u9fff]))?"
    r"\s*(.*)$",
    re.S,
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_MONTH = re.compile(r"^(\d{1,2})\s*月?$")


@dataclass(frozen=True)
class WrittenDate:
    """A year, month and day at the start of a text, and the text after them.

    The numbers are as written, not checked against the calendar: a ledger passes "2022-02-30"
    on so that the store refuses it in its own words instead of the date vanishing into a note.
    """

    year: int
    month: int
    day: int
    rest: str  # what follows the date, stripped ("经现场核查…", "00:00:00")

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def to_date(self) -> date | None:
        """The day, or None when the calendar has no such day."""
        try:
            return date(self.year, self.month, self.day)
        except ValueError:
            return None


@dataclass(frozen=True)
class CellDate:
    """A date read from a cell. ``month_only``: the cell named a month, kept as its 1st day."""

    day: date
    month_only: bool = False


def leading_date(text: str) -> WrittenDate | None:
    """The date a text opens with (``2022年11月5日 经现场核查…``), or None.

    The text is taken as given (not folded to half width) so that ``rest`` keeps the writer's
    own punctuation; full-width digits still count, as Python reads them as digits.
    """
    found = _YMD.match(text)
    if found is None:
        return None
    return WrittenDate(int(found[1]), int(found[2]), int(found[3]), found[4].strip())


def parse_date(value: object, year: int | None = None) -> CellDate | None:
    """The date in a cell, or None when it holds none. ``year`` completes a bare month."""
    if isinstance(value, datetime):
        return CellDate(value.date())
    if isinstance(value, date):
        return CellDate(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if SERIAL_DAYS[0] <= value <= SERIAL_DAYS[1]:
            return CellDate(EXCEL_EPOCH + timedelta(days=int(value)))
        text = str(int(value)) if float(value).is_integer() else ""
    else:
        text = half_width("" if value is None else str(value)).strip()
    written = leading_date(text)
    if written is not None:
        day = written.to_date()
        return CellDate(day) if day else None
    if found := _COMPACT.match(text):
        return _cell_date(int(found[1]), int(found[2]), int(found[3]), False)
    if found := _YEAR_MONTH.match(text):
        return _cell_date(int(found[1]), int(found[2]), 1, True)
    if year is not None and (found := _MONTH.match(text)):
        return _cell_date(year, int(found[1]), 1, True)
    return None


def parse_day(value: object) -> date | None:
    """A whole day only: a bare month is no day (a daily mean needs its day)."""
    found = parse_date(value)
    return found.day if found and not found.month_only else None


def _cell_date(year: int, month: int, day: int, month_only: bool) -> CellDate | None:
    try:
        return CellDate(date(year, month, day), month_only)
    except ValueError:
        return None
