"""Rates that may be percent cells read as fractions (.xls): refused until someone confirms.

A clerk who types 88.2% into Excel stores 0.882 shown as 88.2%. In .xlsx and .ods the reader
sees the format and reads "88.2%" (``common.percent_cells``); a legacy .xls read by calamine
gives no number formats, so the cell arrives as 0.882, and a 空气质量优良率 of 0.9 would be
stored without a word. A "%" figure of at most 1 from such a file is refused, naming the cell,
when something says it should be above 1: the same indicator above 1 elsewhere in the files
being imported (another column, another return), its figure in the store already, or the store's
figure of the same period last year.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from db import values
from db.connection import Database
from db.indicators import all_indicators
from db.periods import Period
from desktop.services.common.dry_run import DryRun, DryRunItem, Status

#: Formats whose percent cells the reader recognises (their number formats are read).
_FORMATS_READ = (".xlsx", ".xlsm", ".ods")
_WRITES = (Status.NEW, Status.CHANGED)


def flag_fractions(db: Database, dry_run: DryRun) -> None:
    """Turn each suspicious rate of a file without readable number formats into an error."""
    if all(Path(f).suffix.lower() in _FORMATS_READ for f in dry_run.files):
        return
    percent = {i.id for i in all_indicators(db) if i.is_percent}
    items = dry_run.items
    above = {
        item.indicator_id
        for item in items
        if item.indicator_id in percent and isinstance(item.new, float) and item.new > 1
    }
    last_years: dict[tuple[int, str], dict[int, float | None]] = {}
    for n, item in enumerate(items):
        value = item.new
        if (
            item.status not in _WRITES
            or item.indicator_id not in percent
            or not isinstance(value, float)
            or not 0 < value <= 1
            or Path(item.file).suffix.lower() in _FORMATS_READ
        ):
            continue
        if item.indicator_id in above or _above_before(db, item, last_years):
            items[n] = replace(item, status=Status.ERROR, reason=_reason(value))


def _above_before(
    db: Database, item: DryRunItem, cache: dict[tuple[int, str], dict[int, float | None]]
) -> bool:
    """The store holds this figure above 1, now or for the same period last year."""
    if isinstance(item.old, float) and item.old > 1:
        return True
    if item.unit_id is None or item.indicator_id is None or not item.period:
        return False
    try:
        last_year = Period.parse(item.period).same_period_last_year().code
    except ValueError:
        return False
    key = (item.unit_id, last_year)
    if key not in cache:
        cache[key] = values.numbers_for_periods(db, item.unit_id, [last_year])[last_year]
    before = cache[key].get(item.indicator_id)
    return before is not None and before > 1


def _reason(value: float) -> str:
    shown = f"{round(value * 100, 6):g}"
    return (
        f"错误/需确认：可能是百分数格式（{value:g} = {shown}%）。.xls 文件不带单元格格式，"
        f"请核对后在表中写成 {shown} 或“{shown}%”再导入，或另存为 .xlsx"
    )
