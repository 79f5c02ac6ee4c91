"""A branch's export imported into an office's file that does not hold those figures yet:
rates and totals agree with the figures imported beside them, a figure and its 备注 both land,
sheets of units without figures are no error, and importing the file again changes nothing."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from db import units, values
from db.connection import Database, open_database
from db.indicators import indicator_by_code
from db.periods import Period
from desktop.services.common.dry_run import Status
from desktop.services.exchange.export import Selection, export_workbook
from desktop.services.exchange.importing import dry_run_file
from desktop.services.exchange.judging import commit_dry_run

PERIOD = Period.ytd(2022, 10)
BRANCH = "330300-01"  # 海岛区分局: figures, rates and notes in the seed report


def _office(tmp_path: Path, demo_db: Database) -> Database:
    """A new file holding the demo's units (the city bureaus have no 2022 figures)."""
    office = open_database(tmp_path / "office.ecodesk", create=True)
    for unit in units.all_units(demo_db):
        units.add_unit(office, unit.code, unit.name)
    return office


def _export(demo_db: Database, path: Path) -> Path:
    ids = [u.id for u in units.all_units(demo_db)]
    export_workbook(demo_db, Selection(ids, [PERIOD], only_with_data=True), path)
    return path


def test_first_import_then_again_all_unchanged(demo_db: Database, tmp_path: Path) -> None:
    book = _export(demo_db, tmp_path / "报回.xlsx")
    office = _office(tmp_path, demo_db)
    dry_run = dry_run_file(office, book)
    assert dry_run.count(Status.ERROR) == 0, [i.describe() for i in dry_run.errors]
    settled = [i for i in dry_run.items if "与导入后的计算结果一致" in i.reason]
    assert settled and all(i.status is Status.UNCHANGED for i in settled)
    assert {i.indicator_name for i in settled} >= {"信访立案率"}

    commit_dry_run(office, dry_run, "导入 报回.xlsx")
    branch = units.unit_by_code(office, BRANCH)
    rate = indicator_by_code(office, "air_good_rate").id
    stored = values.values_for(office, branch.id, PERIOD.code)[rate]
    source = values.values_for(demo_db, units.unit_by_code(demo_db, BRANCH).id, PERIOD.code)
    assert (stored.value, stored.note) == (source[rate].value, source[rate].note)
    assert stored.value is not None and stored.note  # 97.0 with its note "1-10月"

    again = dry_run_file(office, book)
    assert again.count(Status.NEW) == again.count(Status.CHANGED) == 0
    assert again.count(Status.ERROR) == 0
    office.close()


def test_a_rate_that_disagrees_with_its_imported_inputs_is_refused(
    demo_db: Database, tmp_path: Path
) -> None:
    book = _export(demo_db, tmp_path / "报回.xlsx")
    office = _office(tmp_path, demo_db)
    rate = next(i for i in dry_run_file(office, book).items if i.indicator_name == "信访立案率")
    wb = load_workbook(book)
    sheet = wb[rate.sheet]
    sheet[rate.cell] = float(sheet[rate.cell].value) / 2  # type: ignore[arg-type]
    wb.save(book)
    [refused] = [i for i in dry_run_file(office, book).errors if i.indicator_name == "信访立案率"]
    assert refused.where == rate.where
    assert "由公式计算（导入后应为" in refused.reason
    office.close()


def test_a_locked_period_refuses_new_figures_too(demo_db: Database, tmp_path: Path) -> None:
    from db import locks

    book = _export(demo_db, tmp_path / "报回.xlsx")
    office = _office(tmp_path, demo_db)
    branch = units.unit_by_code(office, BRANCH)
    locks.lock_period(office, branch.id, PERIOD.code)
    dry_run = dry_run_file(office, book)
    mine = [i for i in dry_run.items if i.unit_id == branch.id and i.period == PERIOD.code]
    numbers = [i for i in mine if i.field == "current"]
    assert numbers and all(i.status is Status.ERROR for i in numbers)
    typed = [i for i in numbers if "由公式计算" not in i.reason]  # rates: nothing to agree with
    assert len(typed) > 30 and all("已锁定" in i.reason for i in typed)
    office.close()
