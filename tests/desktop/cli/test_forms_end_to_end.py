"""A city's own form and seven branch returns, from the command line alone.

The office starts with an empty database: it adds its units with ``units add`` (each branch as
EcoDesk knows it, the returns naming it as 南湖区, 县, 市, a code or nothing but the file name),
maps the city's form with ``template add`` (only the row with no catalog figure needs ``--map``),
then consolidates the folder of returns: every figure lands exactly, every row not imported is
named with its sheet!cell, and the summary table lists the branches in the office's order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from db import audit, units, values
from db.connection import open_database
from db.indicators import all_indicators
from desktop.cli import main
from tests.support.bureau_corpus import BRANCHES, Design, Row, figures, write, write_returns

#: The 市局's form: its own wording (none of it the catalog's names), a two-row merged header
#: with the period over 本期/去年同期, a hidden code column, 序号, a totals and a notes row, and
#: one row EcoDesk has no figure for.
CITY_FORM = Design(
    "city", "嘉兴市局", "2022年1-10月全市生态环境重点指标调度表", "2022-YTD10",
    (
        Row("环境空气质量优良天数比率", "air_good_rate", "%"),
        Row("细颗粒物（PM2.5）平均浓度", "pm25", "μg/m³"),
        Row("臭氧（O3-8h-90per）浓度", "o3", "μg/m³"),
        Row("市控以上断面Ⅲ类及以上水质比例", "water_section_good_rate", "%"),
        Row("受理环境信访件数", "complaints", "件"),
        Row("查处环境违法案件数", "cases", "件"),
        Row("罚没款金额", "fines", "万元"),
        Row("新增城镇污水管网长度", None, "公里"),
    ),
    unit_line="填报单位（盖章）：", code_column="hidden", note=True, totals=True,
    notes=("注：浓度单位为微克/立方米。",), sheet="调度表", period_header="2022年1-10月",
)  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_city_form_and_seven_returns_from_the_cli_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "city.ecodesk"
    open_database(db_path, create=True).close()
    db = ["--db", str(db_path)]

    # Units, added as an office would, in its own order (not Unicode order).
    assert run(capsys, "units", "add", "嘉兴市生态环境局", "--code", "330400", "--level", "市局",
               "--short", "嘉兴市局", *db)[0] == 0  # fmt: skip
    for code, name, short, _line in BRANCHES:
        place = short.removesuffix("分局")
        status, out = run(capsys, "units", "add", name, "--code", code, "--parent", "330400",
                          "--short", short, "--alias", f"{place}局", *db)  # fmt: skip
        assert status == 0, out
    status, listing = run(capsys, "units", "list", *db)
    assert status == 0 and "南湖局" in listing and "330483" in listing

    # The blank form: everything recognised but the row with no catalog figure.
    blank = write(CITY_FORM, tmp_path / "form", blank=True)
    status, out = run(capsys, "template", "add", str(blank.path), "--name", "市局调度表", *db)
    assert status == 2 and "未保存" in out
    assert "调度表!C12“新增城镇污水管网长度”" in out  # by sheet!cell (C: after 序号, 代码)
    assert not list_templates(capsys, db)
    status, out = run(capsys, "template", "add", str(blank.path), "--name", "市局调度表",
                      "--map", "新增城镇污水管网长度=-", *db)  # fmt: skip
    assert status == 0, out
    assert "自动识别 7 行" in out and "标为不导入 1 行" in out and "未对应 0 行" in out

    # Seven returns, each branch naming itself its own way; one names itself nowhere but the
    # file name.
    folder = tmp_path / "returns"
    returns = write_returns(CITY_FORM, folder)
    out_table = tmp_path / "汇总表.xlsx"
    status, report = run(capsys, "consolidate", str(folder), "--period", "2022-YTD10",
                         "--parent", "330400", "--out", str(out_table), *db)  # fmt: skip
    assert status == 0, report
    assert "拒绝 0 项" in report and "错误 0 项" in report
    for written in returns:
        assert f"{written.path.name}（" in report
        assert f"{written.path.name} 调度表!C12“新增城镇污水管网长度”" in report, "skipped, named"
    assert report.count("未识别的行 1 行") == 7

    # Every figure exact, for the branch that sent it.
    store = open_database(db_path, read_only=True)
    try:
        ids = {i.code: i.id for i in all_indicators(store)}
        for seed, (code, *_rest) in enumerate(BRANCHES, start=1):
            unit = units.unit_by_code(store, code)
            typed = values.numbers_for_periods(store, unit.id, ["2022-YTD10", "2021-YTD10"])
            for indicator, (now, before) in figures(CITY_FORM, seed).items():
                assert typed["2022-YTD10"][ids[indicator]] == pytest.approx(now), (code, indicator)
                assert typed["2021-YTD10"][ids[indicator]] == pytest.approx(before)
    finally:
        store.close()

    # The summary table: branches in the office's order, the bottom rows named by what they are.
    ws = load_workbook(out_table)["汇总表"]
    names = [ws.cell(row=r, column=2).value for r in range(5, 5 + len(BRANCHES))]
    assert names == [name for _code, name, _short, _line in BRANCHES]
    headers = {ws.cell(row=3, column=c).value: c for c in range(3, ws.max_column + 1)}
    labels = {ws.cell(row=r, column=2).value: r for r in range(5, ws.max_row + 1)}
    total, mean = labels["嘉兴市生态环境局合计"], labels["嘉兴市生态环境局平均"]
    sums = [figures(CITY_FORM, seed)["complaints"][0] for seed in range(1, 8)]
    assert ws.cell(row=total, column=headers["受理环境信访件"]).value == sum(sums)
    pm25 = [figures(CITY_FORM, seed)["pm25"][0] for seed in range(1, 8)]
    assert ws.cell(row=mean, column=headers["PM2.5平均浓度"]).value == pytest.approx(sum(pm25) / 7)
    assert ws.cell(row=total, column=headers["臭氧浓度"]).value == "市级数据另行填报"
    notes = " ".join(str(ws.cell(row=r, column=1).value) for r in range(mean + 1, ws.max_row + 1))
    assert "臭氧浓度：不能由各单位数据汇总" in notes and "PM2.5平均浓度：各单位算术平均" in notes
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$4", "the title and headers repeat on every page"


def list_templates(capsys: pytest.CaptureFixture[str], db: list[str]) -> list[str]:
    status, out = run(capsys, "template", "list", *db)
    assert status == 0
    return [line for line in out.splitlines() if "原表" in line]


def test_filling_the_city_form_names_the_unit_and_date_and_leaves_codes_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "branch.ecodesk"
    open_database(db_path, create=True).close()
    db = ["--db", str(db_path)]
    run(capsys, "units", "add", "嘉兴市生态环境局", "--code", "330400", "--level", "市局", *db)
    run(capsys, "units", "add", "嘉兴市生态环境局南湖分局", "--code", "330402", "--parent",
        "330400", "--short", "南湖分局", *db)  # fmt: skip
    returned = write(CITY_FORM, tmp_path / "ours", seed=3, unit_line="填报单位：南湖区")
    assert run(capsys, "import", str(returned.path), *db)[0] == 0
    blank = write(CITY_FORM, tmp_path / "form", blank=True)
    status, out = run(capsys, "template", "add", str(blank.path), "--name", "调度表",
                      "--map", "新增城镇污水管网长度=-", *db)  # fmt: skip
    assert status == 0, out
    filled = tmp_path / "已填.xlsx"
    status, out = run(capsys, "fill", "--template", "调度表", "--unit", "330402",
                      "--period", "2022-YTD10", "--out", str(filled), *db)  # fmt: skip
    assert status == 0, out
    assert "调度表!C12“新增城镇污水管网长度”：表样中标为不导入（目录中没有此指标），未填" in out
    ws = load_workbook(filled)["调度表"]
    assert ws["A2"].value == "填报单位（盖章）：嘉兴市生态环境局南湖分局"
    assert str(ws.cell(row=2, column=ws.max_column).value).startswith("填报日期：20")
    assert [ws.cell(row=r, column=2).value for r in range(5, 13)] == [
        f"ZB{n:03d}" for n in range(1, 9)
    ], "the hidden code column is never written"
    expected = figures(CITY_FORM, 3)
    assert ws["E5"].value == pytest.approx(expected["air_good_rate"][0])
    assert ws["F9"].value == pytest.approx(expected["complaints"][1])


def test_template_add_completed_by_map_or_saved_partial_and_every_import_names_the_gap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "city.ecodesk"
    open_database(db_path, create=True).close()
    db = ["--db", str(db_path)]
    run(capsys, "units", "add", "嘉兴市生态环境局", "--code", "330400", "--level", "市局", *db)
    run(capsys, "units", "add", "嘉兴市生态环境局南湖分局", "--code", "330402", "--parent",
        "330400", "--alias", "南湖区", *db)  # fmt: skip
    rows = (*CITY_FORM.rows[:-1], Row("VOCs深度治理企业数", "vocs_rectified", "家"),
            CITY_FORM.rows[-1])  # fmt: skip
    form = CITY_FORM.__class__(**{**CITY_FORM.__dict__, "rows": rows})
    blank = write(form, tmp_path / "form", blank=True)

    status, out = run(capsys, "template", "add", str(blank.path), "--name", "T", *db)
    assert status == 2
    assert "“VOCs深度治理企业数”（可能是：vocs_rectified VOCs治理企业（相似度" in out
    status, out = run(capsys, "template", "add", str(blank.path), "--name", "T",
                      "--map", "新增城镇污水管网长度=no_such_code", *db)  # fmt: skip
    assert status == 2 and "“no_such_code”不是指标代码" in out
    status, out = run(capsys, "template", "add", str(blank.path), "--name", "T",
                      "--map", "不在表中的行=pm25", "--allow-partial", *db)  # fmt: skip
    assert status == 2 and "找不到对应的行" in out

    # Partial: saved only when asked, and each import names the rows it leaves out.
    status, out = run(capsys, "template", "add", str(blank.path), "--name", "T",
                      "--allow-partial", *db)  # fmt: skip
    assert status == 0 and "未对应 2 行" in out, out
    returned = write(form, tmp_path / "ret", seed=2, unit_line="填报单位：南湖区")
    status, out = run(capsys, "import", str(returned.path), "--dry-run", *db)
    assert "调度表!C12“VOCs深度治理企业数”：不在表样“T”中（未对应此行），未导入" in out
    assert "调度表!C13“新增城镇污水管网长度”" in out and "未识别的行 2 行" in out

    # Completed from a mapping file (as Notepad saves it): the confirmed row becomes the
    # office's own word for that indicator.
    mapping = tmp_path / "对应关系.txt"
    lines = ["# 行文字=指标代码", "VOCs深度治理企业数=vocs_rectified", "新增城镇污水管网长度=-"]
    mapping.write_text("\n".join(lines), encoding="utf-8-sig")
    status, out = run(capsys, "template", "add", str(blank.path), "--name", "T",
                      "--map-file", str(mapping), *db)  # fmt: skip
    assert status == 0 and "按对应关系补全 1 行" in out and "标为不导入 1 行" in out, out
    assert "已记住本单位的指标别名：VOCs深度治理企业数" in out
    status, out = run(capsys, "aliases", "list", "--office", *db)
    assert "VOCs深度治理企业数" in out
    status, out = run(capsys, "import", str(returned.path), *db)
    assert status == 0 and "未识别的行 1 行" in out and "拒绝 0 项" in out
    store = open_database(db_path, read_only=True)
    try:
        unit = units.unit_by_code(store, "330402")
        vocs = next(i.id for i in all_indicators(store) if i.code == "vocs_rectified")
        typed = values.numbers_for_periods(store, unit.id, ["2022-YTD10"])["2022-YTD10"]
        assert typed[vocs] == pytest.approx(figures(form, 2)["vocs_rectified"][0])
        [kept] = [e for e in audit.recent(store) if e.action == "指标别名"]
        assert kept.indicator_id == vocs and kept.new_value == "VOCs深度治理企业数"
        assert kept.source == "表样“T”", "audited: who confirmed it, through which template"
    finally:
        store.close()


def test_next_months_copy_of_a_one_row_form_is_still_the_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A one-row header with the period in it ("2022年1-10月") says 1-11月 next month: the
    template still recognises the form, and its catalog-less row is still 标为不导入."""
    db_path = tmp_path / "city.ecodesk"
    open_database(db_path, create=True).close()
    db = ["--db", str(db_path)]
    run(capsys, "units", "add", "嘉兴市生态环境局", "--code", "330400", "--level", "市局", *db)
    run(capsys, "units", "add", "嘉兴市生态环境局南湖分局", "--code", "330402", "--parent",
        "330400", *db)  # fmt: skip
    october = CITY_FORM.__class__(**{**CITY_FORM.__dict__, "header": "one"})
    blank = write(october, tmp_path / "form", blank=True)
    status, out = run(capsys, "template", "add", str(blank.path), "--name", "月报",
                      "--map", "新增城镇污水管网长度=-", *db)  # fmt: skip
    assert status == 0, out
    november = october.__class__(**{
        **october.__dict__, "title": "2022年1-11月全市生态环境重点指标调度表",
        "period_header": "2022年1-11月",
    })  # fmt: skip
    returned = write(november, tmp_path / "ret", unit_line="填报单位：南湖区")
    status, out = run(capsys, "import", str(returned.path), *db)
    assert status == 0 and "表样“月报”中标为不导入" in out, out
    store = open_database(db_path, read_only=True)
    try:
        unit = units.unit_by_code(store, "330402")
        typed = values.numbers_for_periods(store, unit.id, ["2022-YTD11", "2022-YTD10"])
        assert len(typed["2022-YTD11"]) == 7 and not typed["2022-YTD10"], "November's figures"
    finally:
        store.close()
