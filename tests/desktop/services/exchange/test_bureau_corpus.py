"""Bureau forms as thirteen provinces and cities write them (tests/support/bureau_corpus.py),
read without any mapping: every row recognised or named, never matched wrongly, and every figure
of every return stored exactly, whatever style its numbers were typed in."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import aliases, units, values
from db.connection import Database, open_database
from db.indicators import all_indicators
from desktop.services.common.dry_run import Status
from desktop.services.common.workbook import read_workbook
from desktop.services.exchange.importing import detect_all, dry_run_file
from desktop.services.exchange.judging import commit_dry_run
from desktop.services.exchange.vocabulary import UnitNames, Vocabulary, label_key
from tests.support.bureau_corpus import BRANCHES, DESIGNS, Design, figures, write

COPIES = Path(__file__).parent / "corpus"


def city(path: Path) -> Database:
    """An office's database: 嘉兴市局 and its seven branches, named as the office names them."""
    db = open_database(path, create=True)
    units.add_unit(db, "330400", "嘉兴市生态环境局", short_name="嘉兴市局", level="市局")
    for code, name, short, _line in BRANCHES:
        units.add_unit(db, code, name, short_name=short, level="分局", parent_code="330400")
    return db


def runs() -> list[tuple[Design, Path | None]]:
    copies = {p.stem: p for p in COPIES.iterdir() if p.suffix in (".xls", ".ods")}
    return [(d, None) for d in DESIGNS] + [(d, copies[d.key]) for d in DESIGNS if d.key in copies]


def test_the_corpus_is_what_the_issue_asks_for() -> None:
    assert len(DESIGNS) >= 12
    assert {d.header for d in DESIGNS} == {"one", "two"}
    assert {d.number_style for d in DESIGNS} >= {"percent_text", "fullwidth", "comma", "spaces"}
    assert {d.code_column for d in DESIGNS} >= {"hidden", "visible"}
    assert {p.suffix for p in COPIES.iterdir()} >= {".xls", ".ods"}
    wordings = {row.label for d in DESIGNS for row in d.rows if row.code == "air_good_rate"}
    assert len(wordings) >= 5, "the same figure under several official names"


@pytest.mark.parametrize(
    ("design", "copy"), runs(), ids=lambda x: getattr(x, "key", None) or str(x)
)
def test_every_row_recognised_or_named_never_guessed(
    design: Design, copy: Path | None, tmp_path: Path
) -> None:
    db = city(tmp_path / "city.ecodesk")
    written = write(design, tmp_path)
    try:
        found = detect_all(db, read_workbook(copy or written.path))
    finally:
        db.close()
    [layout] = [x for x in found.layouts if x.sheet == design.sheet]
    mapped = {row: key.indicator for row, key in layout.rows.items()}
    for row in design.rows:
        assert mapped.get(written.rows[row.label]) == row.code, row.label
    named = {label_key(s.label) for s in found.skipped}
    assert named == {label_key(r.label) for r in design.rows if r.code is None}, "rows named"
    assert layout.default.unit == design.expected_unit
    assert layout.default.period == design.period or all(
        k.period == design.period for k in layout.columns.values()
    )
    assert not found.problems


@pytest.mark.parametrize("design", DESIGNS, ids=lambda d: d.key)
def test_every_figure_of_a_return_lands_exactly(design: Design, tmp_path: Path) -> None:
    db = city(tmp_path / "city.ecodesk")
    written = write(design, tmp_path, seed=5)
    dry_run = dry_run_file(db, written.path)
    assert not dry_run.errors, [e.describe() for e in dry_run.errors]
    commit_dry_run(db, dry_run, "test")
    unit = units.unit_by_code(db, design.expected_unit or "")
    ids = {i.code: i.id for i in all_indicators(db)}
    period = design.period
    last_year = f"{int(period[:4]) - 1}{period[4:]}"
    typed = values.numbers_for_periods(db, unit.id, [period, last_year])
    for code, (now, before) in figures(design, 5).items():
        assert typed[period][ids[code]] == pytest.approx(now), code
        if design.last_year:
            assert typed[last_year][ids[code]] == pytest.approx(before), code
    line = dry_run.file_line(written.path.name)
    catalogless = sum(r.code is None for r in design.rows)
    assert f"拒绝 0 项，未识别的行 {catalogless} 行" in line
    assert dry_run.count(Status.NEW) == len(figures(design, 5)) * (2 if design.last_year else 1)
    db.close()


@pytest.mark.parametrize(
    ("design", "copy"),
    [r for r in runs() if r[1] is not None],
    ids=lambda x: getattr(x, "name", ""),
)
def test_xls_and_ods_copies_land_exactly(design: Design, copy: Path, tmp_path: Path) -> None:
    db = city(tmp_path / "city.ecodesk")
    try:
        dry_run = dry_run_file(db, copy)
        assert not dry_run.errors, [e.describe() for e in dry_run.errors]
        got = {(i.indicator_name, i.field): i.new for i in dry_run.items}
        names = {i.code: i.name for i in all_indicators(db)}
        for code, (now, before) in figures(design, 1).items():
            assert got[(names[code], "current")] == pytest.approx(now), code
            if design.last_year:
                assert got[(names[code], "last_year")] == pytest.approx(before), code
    finally:
        db.close()


def test_the_shipped_vocabulary_has_no_name_for_two_indicators(empty_db: Database) -> None:
    vocabulary = Vocabulary.from_db(empty_db)
    assert not vocabulary.clashes
    shipped = aliases.indicator_aliases(empty_db)
    assert len(shipped) > 250 and {a.origin for a in shipped} == {"catalog"}
    catalog = all_indicators(empty_db)
    assert all(vocabulary.match(i.name) == i for i in catalog)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("市控断面III类及以上比例", "water_section_good_rate"),  # III for Ⅲ
        ("市控断面Ⅲ类及以上比例（%）", "water_section_good_rate"),
        ("１．臭氧（Ｏ３－８ｈ－９０ｐｅｒ）浓度（μg/m³）", "o3"),  # full width, numbered
        ("一氧化碳(CO-95per)浓度(mg/m3)", "co"),
        ("受理环境信访件数", "complaints"),  # the catalog's name plus 数
        ("罚没款金额（万元）", "fines"),
        ("其中：移送公安机关", "cases_to_police"),
        ("pm2.5 平均浓度", "pm25"),
    ],
)
def test_wordings_that_are_the_same_figure(empty_db: Database, written: str, code: str) -> None:
    found = Vocabulary.from_db(empty_db).match(written)
    assert found is not None and found.code == code, label_key(written)


@pytest.mark.parametrize(
    "written",
    [
        "国考断面优良水体比例",  # another figure (国考, not 市控)
        "重污染天数",
        "优良天数同比",
        "PM2.5浓度同比变化",
        "VOCs深度治理企业数",
        "移送公安机关环境犯罪案件数",
    ],
)
def test_close_wordings_are_only_suggested(empty_db: Database, written: str) -> None:
    vocabulary = Vocabulary.from_db(empty_db)
    assert vocabulary.match(written) is None, "never applied silently"
    for suggestion in vocabulary.suggest(written):
        assert 60 <= suggestion.score <= 100 and suggestion.indicator.code


def test_a_branch_as_returns_write_it(tmp_path: Path) -> None:
    db = city(tmp_path / "city.ecodesk")
    aliases.add_unit_alias(db, "330402", "南湖区生态环境分局")
    names = UnitNames.from_db(db)
    for written in (
        "南湖区",
        "南湖分局",
        "嘉兴市生态环境局南湖分局",
        "330402",
        "南湖区生态环境分局",
    ):
        found = names.match(written)
        assert found is not None and found.code == "330402", written
    assert names.match("吴中区") is None
    assert names.match("嘉兴市局").code == "330400"  # type: ignore[union-attr]
    db.close()


def test_a_return_from_a_unit_the_office_does_not_know_says_what_to_do(tmp_path: Path) -> None:
    db = city(tmp_path / "city.ecodesk")
    try:
        design = next(d for d in DESIGNS if d.key == "zhejiang_jiaxing")
        written = write(design, tmp_path, unit_line="填报单位（盖章）：吴中区")
        dry_run = dry_run_file(db, written.path)
    finally:
        db.close()
    [problem] = [e for e in dry_run.errors if "吴中区" in e.reason]
    assert problem.where == "表1!A2" and "units add" in problem.reason
    assert not dry_run.accepted, "nothing is put on a unit the return does not name"
