"""Bureau forms as thirteen provinces and cities write them (tests/support/bureau_corpus.py),
read without any mapping: every row recognised or named, never matched wrongly, and every figure
of every return stored exactly, whatever style its numbers were typed in."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from db import aliases, units, values
from db.connection import Database, open_database
from db.indicators import all_indicators
from desktop.services.common.dry_run import Status
from desktop.services.common.workbook import read_workbook
from desktop.services.exchange.detect import Matcher
from desktop.services.exchange.importing import detect_all, dry_run_file
from desktop.services.exchange.judging import commit_dry_run
from desktop.services.exchange.vocabulary import UnitNames, Vocabulary, label_key
from tests.support.bureau_corpus import BRANCHES, DESIGNS, Design, figures, write, write_returns

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
        "PM2.5平均浓度（同比）",  # a bracket that changes what the row is
        "空气质量优良率（目标）",
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
    matcher = Matcher(Vocabulary.from_db(db), names)
    assert matcher.unit_within("嘉兴市南湖区2022年1-10月报表").code == "330402"  # type: ignore[union-attr]
    assert matcher.unit_within("南湖区和秀洲区合报") is None, "two branches: not guessed"
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


def test_a_city_collection_form_with_branches_down_the_side(tmp_path: Path) -> None:
    """The 市局's collection form: one row per branch (written as 区/县/市), one column per
    indicator in its own wording, two header rows, a 合计 row."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "汇总"
    ws["A1"] = "2022年1-10月各县（市、区）空气质量情况"
    ws.merge_cells("A1:E1")
    ws["A2"], ws["B2"] = "序号", "县（市、区）"
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    for col, name in ((3, "优良天数比例"), (4, "PM2.5浓度"), (5, "臭氧（O3-8h-90per）浓度")):
        ws.cell(row=2, column=col, value=name)
        ws.cell(row=3, column=col, value="本期")
    places = ("南湖区", "秀洲区", "嘉善县", "海盐县", "海宁市", "平湖市", "桐乡市")
    for n, place in enumerate(places, start=1):
        ws.append([n, place, 90 + n / 10, 25 + n, 150 + n])
    ws.append([None, "合计", None, None, None])
    path = tmp_path / "各县汇总.xlsx"
    book.save(path)
    db = city(tmp_path / "city.ecodesk")
    try:
        found = detect_all(db, read_workbook(path))
        dry_run = dry_run_file(db, path)
    finally:
        db.close()
    [layout] = found.layouts
    assert [k.unit for k in layout.rows.values()] == [code for code, *_ in BRANCHES]
    assert [k.indicator for k in layout.columns.values()] == ["air_good_rate", "pm25", "o3"]
    assert not dry_run.errors and dry_run.count(Status.NEW) == 21
    assert {i.period for i in dry_run.items} == {"2022-YTD10"}


def test_a_title_that_names_the_branch_names_the_return_a_city_title_does_not(
    tmp_path: Path,
) -> None:
    db = city(tmp_path / "city.ecodesk")
    design = next(d for d in DESIGNS if d.key == "soil")
    try:
        title = "2022年1～10月土壤和固废工作统计表"
        branch = write(replace(design, title=f"南湖区{title}"), tmp_path / "a", unit_line=None)
        cityform = write(replace(design, title=f"嘉兴市{title}"), tmp_path / "b", unit_line=None)
        [named] = detect_all(db, read_workbook(branch.path)).layouts
        [unnamed] = detect_all(db, read_workbook(cityform.path)).layouts
    finally:
        db.close()
    assert named.default.unit == "330402"
    assert unnamed.default.unit is None, "the city's own form title is not a return's 填报单位"


def test_a_wide_summary_goes_on_sheets_that_stay_readable(tmp_path: Path) -> None:
    """Every YTD10 design's seven returns consolidated: too many indicators for one page
    across, so whole categories go on sheets of at most 14 columns, each fitted to A4."""
    from openpyxl import load_workbook

    from db.periods import Period
    from desktop.services.exchange import consolidate, summary_table

    db = city(tmp_path / "city.ecodesk")
    period = Period.parse("2022-YTD10")
    try:
        for design in DESIGNS:
            if design.period == period.code and design.key in ("zhejiang_jiaxing", "enforcement",
                                                               "investment", "soil"):  # fmt: skip
                folder = tmp_path / design.key
                write_returns(design, folder)
                found = consolidate.dry_run_returns(db, consolidate.collect_files([folder]), period)
                commit_dry_run(db, found.dry_run, "test")
        branches = [u.id for u in units.all_units(db) if u.parent_id is not None]
        out = tmp_path / "汇总表.xlsx"
        summary_table.write_summary(
            db, branches, period, out, parent=units.unit_by_code(db, "330400")
        )
    finally:
        db.close()
    book = load_workbook(out)
    assert len(book.sheetnames) >= 2 and book.sheetnames[0] == "汇总表（1）"
    columns = 0
    for ws in book.worksheets:
        assert ws.max_column <= 2 + summary_table.COLUMNS_PER_SHEET
        assert ws.page_setup.fitToWidth == 1 and str(ws["A2"].value).startswith("填报单位")
        columns += ws.max_column - 2
    assert columns >= 20, "every indicator is on one of the sheets"


def test_a_hidden_row_is_neither_imported_nor_reported(tmp_path: Path) -> None:
    """A bureau hides a helper row (last year's wording, kept for its formulas): not a figure
    of this return, unless a template maps it."""
    from openpyxl import load_workbook

    design = next(d for d in DESIGNS if d.key == "zhejiang_jiaxing")
    written = write(design, tmp_path, seed=2)
    book = load_workbook(written.path)
    hidden = written.rows["罚没款金额"] + 1
    book.active.row_dimensions[hidden].hidden = True
    book.save(written.path)
    db = city(tmp_path / "city.ecodesk")
    try:
        dry_run = dry_run_file(db, written.path)
    finally:
        db.close()
    assert "罚款金额" not in {i.indicator_name for i in dry_run.items}
    assert "罚没款金额" not in {s.label for s in dry_run.skipped}
    assert {i.indicator_name for i in dry_run.items} >= {"空气质量优良率", "受理环境信访件"}
