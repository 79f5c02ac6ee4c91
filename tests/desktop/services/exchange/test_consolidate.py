"""Consolidating 20 branch returns from the command line, and the all-or-nothing property."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from db import locks, units, values
from db.connection import Database, open_database
from db.indicators import indicator_by_code
from db.periods import Period
from db.sheet import read_sheet
from desktop.cli import main
from desktop.services.common.dry_run import Status
from desktop.services.demo import build_demo
from desktop.services.exchange.export import Selection, export_workbook
from desktop.services.exchange.importing import dry_run_file
from desktop.services.exchange.judging import commit_dry_run
from tests.support.forms import bureau_form

P = Period.parse("2022-YTD10")


def _branches(db: Database, count: int) -> list[int]:
    """``count`` branches under 嘉兴市局 with figures: branch n has n+10 staff, PM2.5 20+n."""
    ids = []
    staff, pm25 = indicator_by_code(db, "enforce_staff"), indicator_by_code(db, "pm25")
    for n in range(1, count + 1):
        unit = units.add_unit(
            db, f"3304{n:02d}", f"嘉兴市第{n}分局", short_name=f"第{n}分局", level="分局",
            parent_code="330400",
        )  # fmt: skip
        ids.append(unit.id)
        values.write_values(
            db,
            [
                values.ValueWrite(unit.id, P.code, staff.id, float(n + 10)),
                values.ValueWrite(unit.id, P.code, pm25.id, float(20 + n)),
            ],
        )
    return ids


def test_twenty_branch_returns_consolidate_from_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = build_demo(tmp_path / "branches.ecodesk")
    ids = _branches(source, 20)
    returns = tmp_path / "returns"
    returns.mkdir()
    for unit_id in ids:
        name = units.unit_by_id(source, unit_id).short_name
        export_workbook(
            source, Selection([unit_id], [P], only_with_data=True), returns / f"{name}.xlsx"
        )
    source.close()

    city = tmp_path / "city.ecodesk"
    build_demo(city).close()
    db = open_database(city)
    for n in range(1, 21):  # the city knows its branches, but has none of their figures yet
        units.add_unit(db, f"3304{n:02d}", f"嘉兴市第{n}分局", level="分局", parent_code="330400")
    db.close()
    (returns / "~$第1分局.xlsx").write_bytes(b"office lock file")  # must be ignored

    out = tmp_path / "汇总.xlsx"
    args = ["consolidate", str(returns), "--db", str(city), "--period", P.code]
    assert main([*args, "--dry-run"]) == 0
    report = capsys.readouterr().out
    assert "共 20 个文件：新增 40 项" in report and "未写入" in report
    assert main([*args, "--parent", "330400", "--out", str(out)]) == 0
    assert "已导入 40 项" in capsys.readouterr().out

    ws = load_workbook(out)["汇总表"]
    header = [ws.cell(row=3, column=c).value for c in range(1, ws.max_column + 1)]
    staff_col = header.index("出动执法人员") + 1
    pm25_col = header.index("PM2.5平均浓度") + 1
    branch_rows = [
        r
        for r in range(5, ws.max_row + 1)
        if str(ws.cell(row=r, column=2).value).startswith("嘉兴市第")
    ]
    assert len(branch_rows) == 20
    labels = {ws.cell(row=r, column=2).value: r for r in range(5, ws.max_row + 1)}
    total_row, mean_row = labels["嘉兴市生态环境局合计"], labels["嘉兴市生态环境局平均"]
    assert ws.cell(row=total_row, column=staff_col).value == sum(n + 10 for n in range(1, 21))
    assert ws.cell(row=mean_row, column=pm25_col).value == pytest.approx(
        sum(20 + n for n in range(1, 21)) / 20
    ), "a mean of concentrations is named 平均, not 合计"
    assert ws.cell(row=total_row, column=pm25_col).value is None


def test_a_return_for_another_period_is_refused_whole(demo_db: Database, tmp_path: Path) -> None:
    from desktop.services.exchange.consolidate import dry_run_returns

    unit_id = units.unit_by_code(demo_db, "330300-01").id
    other = tmp_path / "wrong.xlsx"
    export_workbook(demo_db, Selection([unit_id], [Period.parse("2021-YTD10")]), other)
    result = dry_run_returns(demo_db, [other], P)
    assert result.files[0].problem.startswith("表中期间为2021年1-10月")
    assert [i.status for i in result.dry_run.items] == [Status.ERROR]


CELL = st.one_of(
    st.integers(min_value=-5, max_value=400),
    st.floats(min_value=-10, max_value=200, allow_nan=False, allow_infinity=False),
    st.sampled_from(["约20", "—", "97.0%", "１７", "abc", "", "1,064", "105%"]),
)
NAMES = [
    "空气质量优良率",
    "PM2.5平均浓度",
    "PM10平均浓度",
    "臭氧浓度",
    "二氧化硫平均浓度",
    "优良天数",
]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cells=st.lists(st.tuples(st.sampled_from(NAMES), CELL, CELL), min_size=1, max_size=6),
       lock_before_commit=st.booleans())  # fmt: skip
def test_no_import_leaves_the_database_half_changed(
    tmp_path: Path, cells: list[tuple[str, object, object]], lock_before_commit: bool
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    path = folder / "p.ecodesk"
    template = tmp_path / "template.ecodesk"
    if not template.exists():
        build_demo(template).close()
    shutil.copy(template, path)
    db = open_database(path)
    try:
        form = bureau_form(path.with_suffix(".xlsx"), [(n, "", a, b) for n, a, b in cells])
        dry_run = dry_run_file(db, form)
        accepted = dry_run.accepted
        unit_id = units.unit_by_code(db, "330703").id
        if lock_before_commit and accepted:
            locks.lock_period(db, unit_id, P.code)
            locks.lock_period(db, unit_id, P.same_period_last_year().code)
        before = {p: values.values_for(db, unit_id, p) for p in (P.code, "2021-YTD10")}
        try:
            commit_dry_run(db, dry_run, "property")
            committed = True
        except Exception:
            committed = False
        sheet = read_sheet(db, unit_id, P)
        present = [
            (sheet.row_by_id(i.indicator_id).current if i.field == "current"
             else sheet.row_by_id(i.indicator_id).last_year).value == i.new
            for i in accepted
        ]  # fmt: skip
        if committed:
            assert all(present)
        else:
            after = {p: values.values_for(db, unit_id, p) for p in (P.code, "2021-YTD10")}
            assert after == before, "a refused commit changed nothing"
    finally:
        db.close()


def test_each_return_is_matched_to_its_branch_without_rereading_every_unit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A city consolidating its branches finds each return's unit by its file name. The
    places of the city's units are worked out once per run: once per file made consolidation
    grow with files × units (half the time of 200 returns)."""
    from desktop.services.exchange import detect
    from desktop.services.exchange.consolidate import dry_run_returns

    source = build_demo(tmp_path / "branches.ecodesk")
    ids = _branches(source, 12)
    files = []
    for unit_id in ids:
        name = units.unit_by_id(source, unit_id).short_name
        files.append(tmp_path / f"{name}报表.xlsx")
        export_workbook(source, Selection([unit_id], [P], only_with_data=True), files[-1])
    source.close()
    city = build_demo(tmp_path / "city.ecodesk")
    for n in range(1, 13):
        units.add_unit(city, f"3304{n:02d}", f"嘉兴市第{n}分局", level="分局", parent_code="330400")
    asked: list[str] = []
    real = detect.place_of
    monkeypatch.setattr(detect, "place_of", lambda text: asked.append(text) or real(text))
    result = dry_run_returns(city, files, P)
    everyone = units.all_units(city)
    city.close()
    assert result.dry_run.summary().startswith("新增 24 项"), result.dry_run.summary()
    assert [r.units for r in result.files] == [[f"嘉兴市第{n}分局"] for n in range(1, 13)]
    assert len(asked) <= 2 * len(everyone), "places worked out per file"
