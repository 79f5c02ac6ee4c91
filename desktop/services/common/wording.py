"""Words every capability prints the same way: a figure's fields, dates, the source line.

A preview row, a mapping dialog, a chart caption and a printout footer are read side by side in
one meeting; one spelling of 本期 or of a date keeps them one document.
"""

from __future__ import annotations

from datetime import date

#: The four things a figure cell can hold, as bureau forms head their columns.
FIELD_LABELS = {"current": "本期", "last_year": "去年同期", "target": "年度目标", "note": "备注"}


def bracketed(text: str) -> str:
    """ "（text）", or nothing when there is nothing to bracket: never an empty "（）"."""
    text = text.strip()
    return f"（{text}）" if text else ""


def date_text(day: date) -> str:
    """A date as official text writes it: 2022年11月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


def source_line(day: date) -> str:
    """The footer line under every chart and printout."""
    return f"数据来源：EcoDesk，截至 {date_text(day)}"


#: How an indicator's figures of several units make the whole (``Indicator.unit_agg``).
AGGREGATION_WORDS = {
    "sum": "各单位相加",
    "mean": "各单位平均",
    "last": "各单位相加",
    "none": "不汇总",
}
