"""One reading of dates for every importer: dates as stations, monitoring centres and bureaus
write them, read the same by the air reader, the water reader and the ledger."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db import units
from db.connection import Database
from desktop.services.common.dates import CellDate, leading_date, parse_date, parse_day
from desktop.services.common.dry_run import Status
from desktop.services.ledger import spreadsheet
from desktop.services.monitoring.air.reader import read_daily_file
from desktop.services.monitoring.water.reader import read_water_file

MARCH_5 = date(2026, 3, 5)


@pytest.mark.parametrize(
    "cell",
    [
        datetime(2026, 3, 5, 0, 0),  # a cell formatted as a date
        MARCH_5,
        46086,  # the serial number of a date cell whose format was lost
        46086.0,
        "2026-03-05",
        "2026-3-5",
        "2026/3/5",
        "2026.03.05",
        "2026年3月5日",
        "2026 年 3 月 5 日",
        "２０２６年３月５日",  # typed with a Chinese input method in full width
        "２０２６－０３－０５",
        "20260305",
        20260305,
        " 2026-03-05 ",
    ],
)
def test_a_day_however_it_is_written(cell: object) -> None:
    assert parse_date(cell) == CellDate(MARCH_5)
    assert parse_day(cell) == MARCH_5


@pytest.mark.parametrize(
    "cell",
    [
        "2026-03-05 00:00:00",  # a CSV export of a date cell
        "2026/3/5 8:00",
        "2026年3月5日（周四）",
        "2026年3月5日上午",
    ],
)
def test_what_follows_the_day_is_ignored(cell: str) -> None:
    """The air reader always read these; the water reader refused them as "不是日期"."""
    assert parse_day(cell) == MARCH_5


@pytest.mark.parametrize(
    ("cell", "year", "month"),
    [
        ("2026-03", None, date(2026, 3, 1)),
        ("2026/3", None, date(2026, 3, 1)),
        ("2026年3月", None, date(2026, 3, 1)),
        ("3月", 2026, date(2026, 3, 1)),  # under a title "2026年3月…监测结果"
        (3, 2026, date(2026, 3, 1)),
        ("12", 2025, date(2025, 12, 1)),
    ],
)
def test_a_month_is_its_first_day_flagged(cell: object, year: int | None, month: date) -> None:
    assert parse_date(cell, year) == CellDate(month, month_only=True)
    assert parse_day(cell) is None  # a daily mean needs its day


@pytest.mark.parametrize(
    "cell",
    [
        None,
        "",
        "三月",
        "3月",  # no year anywhere: not guessed
        "2026-02-30",  # no such day
        "2026-13",
        "05/03/2026",  # day first: ambiguous, refused
        "约3月5日",
        True,
        12.5,
        123,
        datetime(2026, 3, 5).time(),
    ],
)
def test_refused(cell: object) -> None:
    assert parse_date(cell) is None


def test_excel_serials_only_in_their_range() -> None:
    assert parse_day(20_000) == date(1954, 10, 3)
    assert parse_day(80_000) == date(2119, 1, 11)
    assert parse_day(19_999) is None  # a count, not a day
    assert parse_day(46086.75) == MARCH_5  # a datetime serial: the time is dropped


def test_a_closing_note_opens_with_its_date() -> None:
    """The ledger's 销号情况: the day it was closed, then the check, kept as written."""
    written = leading_date("2022年11月5日 经现场核查，已完成整改，同意销号。")
    assert written is not None
    assert (written.iso, written.rest) == ("2022-11-05", "经现场核查，已完成整改，同意销号。")
    spaced = leading_date("2022-11-5 日常巡查发现已整改")  # "日" after a space opens the note
    assert spaced is not None and spaced.rest == "日常巡查发现已整改"
    assert leading_date("经现场核查，同意销号") is None


def test_an_impossible_closing_day_is_kept_for_the_store_to_refuse() -> None:
    written = leading_date("2022-02-30 已核查")
    assert written is not None and written.iso == "2022-02-30" and written.to_date() is None


def test_the_ledger_reads_its_closing_dates_so(demo_db: Database, tmp_path: Path) -> None:
    unit = units.unit_by_code(demo_db, "330300-01")
    path = tmp_path / "台账.xlsx"
    spreadsheet.export_ledger(demo_db, unit.id, path, date(2022, 11, 5))
    book = load_workbook(path)
    sheet = book.worksheets[0]
    closing = ("２０２２ 年 11 月 5 日 经现场核查，同意销号", "2022-02-30 经现场核查")
    sheet.append(["11", "甲", "", "", "", "", "已销号", closing[0]])
    sheet.append(["12", "乙", "", "", "", "", "已销号", closing[1]])
    book.save(path)
    items = spreadsheet.dry_run_ledger(demo_db, unit.id, path).items
    closed, impossible = (next(i for i in items if i.seq == seq) for seq in (11, 12))
    assert closed.status is Status.NEW
    assert (closed.fields["closed_on"], closed.fields["verification"]) == (
        "2022-11-05",
        "经现场核查，同意销号",
    )
    assert impossible.status is Status.ERROR and "销号日期“2022-02-30”无效" in impossible.reason


DATE_CELLS = ("2026-03-05 00:00:00", "2026年3月6日（周五）", "2026/3/7", "20260308", "2026-03")


def test_both_readers_read_the_same_date_cells_alike(tmp_path: Path) -> None:
    """The same date column in an air file and a water file gives the same days; a month alone
    is a water sample's date but no day of a daily air mean."""
    air = tmp_path / "空气日均值.csv"
    air.write_text(
        "日期,监测点位,PM10,PM2.5\n" + "".join(f"{d},城东,50,30\n" for d in DATE_CELLS),
        encoding="utf-8",
    )
    water = tmp_path / "断面监测.csv"
    water.write_text(
        "断面名称,水体类型,采样日期,氨氮,总磷\n"
        + "".join(f"桥{i},河流,{d},0.5,0.1\n" for i, d in enumerate(DATE_CELLS)),
        encoding="utf-8",
    )
    days = [date(2026, 3, d) for d in (5, 6, 7, 8)]
    air_read = read_daily_file(air)
    assert [r.day for r in air_read.records] == days
    assert [p.row for p in air_read.errors] == [6]  # "2026-03": 不是日期
    water_read = read_water_file(water)
    by_section = {o.station: o.day for o in water_read.observations}
    assert [by_section[f"桥{i}"] for i in range(4)] == days
    assert by_section["桥4"] == date(2026, 3, 1)
    assert any("只写了月份" in w for w in water_read.warnings)
