"""Reporting periods: month, quarter, year-to-date (1-N月) and year.

A period is stored as a short text code so that a value's key stays one column:
``2022-M10`` (2022年10月), ``2022-Q3`` (2022年第三季度), ``2022-YTD10`` (2022年1-10月) and
``2022-Y`` (2022年). ``YTD12`` is the whole year and is normalised to ``Y`` so that the same
figure cannot be stored under two keys.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property


class PeriodKind(StrEnum):
    MONTH = "M"
    QUARTER = "Q"
    YTD = "YTD"
    YEAR = "Y"


KIND_LABELS: dict[PeriodKind, str] = {
    PeriodKind.MONTH: "月度",
    PeriodKind.QUARTER: "季度",
    PeriodKind.YTD: "1-N月累计",
    PeriodKind.YEAR: "年度",
}

_QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}
_QUARTER_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# Labels as bureaus write them in titles and headers: 2022年1-10月, 2022年1～10月, 2022年10月,
# 2022年第三季度, 2022年三季度, 2022年度, 2022年全年, 2022年.
#: 1-10月, 1～10月, 1至10月, and with the first month's 月 written too: 1月—10月, 1月至10月.
_LABEL_YTD = re.compile(r"(\d{4})\s*年\s*1\s*月?\s*[-－—–~～至到]\s*(\d{1,2})\s*月")
_LABEL_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
_LABEL_QUARTER = re.compile(r"(\d{4})\s*年\s*第?\s*([一二三四1-4])\s*季度")
_LABEL_YEAR = re.compile(r"(\d{4})\s*年")
#: Spans written in words: 2022年前三季度 (1-9月), 2022年上半年 (1-6月), 2022年前两季度.
_LABEL_WORDS = re.compile(r"(\d{4})\s*年\s*(前[一二两三]季度|上半年|一季度末)")
_WORD_MONTHS = {"前一季度": 3, "前二季度": 6, "前两季度": 6, "上半年": 6, "前三季度": 9}
_CODE = re.compile(r"^(\d{4})-(M|Q|YTD|Y)(\d{1,2})?$")


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period. ``num`` is the month (M, YTD), the quarter (Q) or 0 (Y)."""

    year: int
    kind: PeriodKind
    num: int = 0

    def __post_init__(self) -> None:
        limits = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.YTD: 12}
        if not 1900 <= self.year <= 2200:
            raise ValueError(f"年份 {self.year} 超出范围")
        if self.kind is PeriodKind.YEAR:
            if self.num != 0:
                raise ValueError("年度期间不带序号")
        elif not 1 <= self.num <= limits[self.kind]:
            raise ValueError(f"{KIND_LABELS[self.kind]}序号 {self.num} 超出范围")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, PeriodKind.MONTH, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls(year, PeriodKind.QUARTER, quarter)

    @classmethod
    def ytd(cls, year: int, month: int) -> Period:
        """1-``month``月; 1-12月 is the whole year."""
        if month == 12:
            return cls(year, PeriodKind.YEAR)
        return cls(year, PeriodKind.YTD, month)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        return cls(year, PeriodKind.YEAR)

    @classmethod
    def parse(cls, code: str) -> Period:
        """Read a period code such as ``2022-YTD10``; raise ``ValueError`` in Chinese."""
        match = _CODE.match(code.strip())
        if not match:
            raise ValueError(f"“{code}”不是期间代码（例如 2022-M10、2022-Q3、2022-YTD10、2022-Y）")
        year, kind, num = int(match[1]), PeriodKind(match[2]), match[3]
        if kind is PeriodKind.YEAR:
            if num is not None:
                raise ValueError(f"“{code}”：年度期间不带序号")
            return cls(year, kind)
        if num is None:
            raise ValueError(f"“{code}”缺少序号")
        if kind is PeriodKind.YTD:
            return cls.ytd(year, int(num))
        return cls(year, kind, int(num))

    @classmethod
    def find_in_text(cls, text: str) -> Period | None:
        """The first period written in ``text`` (a title or a header), or None.

        "2022年1-10月主要生态环境指标统计表" → 2022-YTD10; a bare "2022年" is the whole year.
        """
        text = text.replace("\u3000", " ")
        makers: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], Period]], ...] = (
            (_LABEL_WORDS, lambda m: cls.ytd(int(m[1]), _WORD_MONTHS.get(m[2], 3))),
            (_LABEL_YTD, lambda m: cls.ytd(int(m[1]), int(m[2]))),
            (_LABEL_QUARTER, lambda m: cls.quarter(int(m[1]), _QUARTER_NUMBERS[m[2]])),
            (_LABEL_MONTH, lambda m: cls.month(int(m[1]), int(m[2]))),
            (_LABEL_YEAR, lambda m: cls.whole_year(int(m[1]))),
        )
        for pattern, make in makers:
            match = pattern.search(text)
            if match:
                try:
                    return make(match)
                except ValueError:
                    return None
        return None

    @cached_property
    def code(self) -> str:
        suffix = "" if self.kind is PeriodKind.YEAR else str(self.num)
        return f"{self.year}-{self.kind.value}{suffix}"

    @property
    def label(self) -> str:
        """The period as a bureau writes it: 2022年1-10月."""
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}年{self.num}月"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}年第{_QUARTER_NAMES[self.num]}季度"
        if self.kind is PeriodKind.YTD:
            return f"{self.year}年1-{self.num}月" if self.num > 1 else f"{self.year}年1月"
        return f"{self.year}年"

    def same_period_last_year(self) -> Period:
        return Period(self.year - 1, self.kind, self.num)

    def months(self) -> tuple[int, ...]:
        """The calendar months the period covers."""
        if self.kind is PeriodKind.MONTH:
            return (self.num,)
        if self.kind is PeriodKind.QUARTER:
            first = 3 * self.num - 2
            return (first, first + 1, first + 2)
        if self.kind is PeriodKind.YTD:
            return tuple(range(1, self.num + 1))
        return tuple(range(1, 13))

    def days(self) -> int:
        """Calendar days in the period, the ceiling for 优良天数."""
        return sum(calendar.monthrange(self.year, m)[1] for m in self.months())

    def __str__(self) -> str:
        return self.label
