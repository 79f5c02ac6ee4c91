"""A return saved as .xls (LibreOffice, from 南湖's .xlsx whose rates sit in percent-formatted
cells): calamine gives no number formats, so 88.2% arrives as 0.882. Such a rate is refused
with its cell named and "可能是百分数格式（0.882 = 88.2%）" — when the other returns, or the
store, say the figure is above 1 — and never stored as 0.9."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from db import units, values
from db.connection import Database, open_database
from db.indicators import all_indicators
from db.periods import Period
from desktop.services.common.dry_run import Status
from desktop.services.common.workbook import read_workbook
from desktop.services.exchange.consolidate import dry_run_returns
from desktop.services.exchange.importing import dry_run_file
from desktop.services.exchange.judging import commit_dry_run
from tests.support.blind_forms import (
    BRANCHES,
    CITY,
    CLERKS,
    NANHU_XLS,
    PERIOD,
    write_form,
    write_returns,
)

NANHU = next(c for c in CLERKS if c.unit == "330402")
#: 南湖's rate cells: (cell, the figure typed) — 本期 in E, 上年同期 in F.
RATES = {"E6": 88.2, "F6": 85.6, "E10": 92.3, "F10": 88.5, "E11": 100.0, "F11": 100.0}


def office(tmp_path: Path) -> Database:
    db = open_database(tmp_path / "city.ecodesk", create=True)
    units.add_unit(db, CITY[0], CITY[1], level="市局")
    for code, name, short in BRANCHES:
        units.add_unit(db, code, name, parent_code=CITY[0], short_name=short)
    return db


def test_the_committed_xls_is_nanhus_return_with_fractions(tmp_path: Path) -> None:
    """Made by LibreOffice from the .xlsx the generator writes (remake: convert_copy("330402"))."""
    fresh = read_workbook(write_form(tmp_path / NANHU.file, NANHU)).sheets[0]
    copy = read_workbook(NANHU_XLS).sheets[0]
    assert fresh.value(5, 4) == "88.2%", "the .xlsx says what the clerk saw"
    assert copy.value(5, 4) == pytest.approx(0.882), "the .xls does not"
    assert copy.value(12, 4) == fresh.value(12, 4) == 1268


def test_a_folder_with_an_xls_return_names_each_fraction_and_stores_none(
    tmp_path: Path,
) -> None:
    db = office(tmp_path)
    try:
        folder = write_returns(tmp_path / "returns")
        (folder / NANHU.file).unlink()
        shutil.copy(NANHU_XLS, folder / NANHU_XLS.name)
        consolidation = dry_run_returns(db, sorted(folder.iterdir()), Period.parse(PERIOD))
        refused = {
            i.cell: i.reason for i in consolidation.dry_run.errors if i.file == NANHU_XLS.name
        }
        assert set(refused) == set(RATES), refused
        assert "可能是百分数格式（0.882 = 88.2%）" in refused["E6"]
        assert "（1 = 100%）" in refused["E11"]
        lines = consolidation.report_lines()
        assert any(
            line.startswith(f"{NANHU_XLS.name} 调度表!E6") and "88.2%" in line for line in lines
        )
        others = [i for i in consolidation.dry_run.errors if i.file != NANHU_XLS.name]
        assert not others, [i.describe() for i in others]
        commit_dry_run(db, consolidation.dry_run, source="test")
        codes = {i.id: i.code for i in all_indicators(db)}
        nanhu = units.unit_by_code(db, "330402")
        stored = values.numbers_for_periods(db, nanhu.id, [PERIOD])[PERIOD]
        by_code = {codes[i]: v for i, v in stored.items() if v is not None}
        assert "air_good_rate" not in by_code and by_code["pm25"] == 27, "no 0.9 stored"
    finally:
        db.close()


def test_one_xls_file_against_the_figures_already_stored(tmp_path: Path) -> None:
    """Imported alone: the store's figures (this period's, or last year's) say 88.2, not 0.882;
    in .xlsx the same cells read right and nothing is refused."""
    db = office(tmp_path)
    try:
        xlsx = write_form(tmp_path / NANHU.file, NANHU)
        first = dry_run_file(db, xlsx)
        assert not first.errors, [i.describe() for i in first.errors]
        commit_dry_run(db, first, source="test")
        again = dry_run_file(db, NANHU_XLS)
        refused = {i.cell for i in again.errors}
        assert refused == set(RATES), [i.describe() for i in again.errors]
        assert all("可能是百分数格式" in i.reason for i in again.errors)
        assert {i.cell for i in again.items if i.status is Status.UNCHANGED} >= {"E7", "E13"}
    finally:
        db.close()
