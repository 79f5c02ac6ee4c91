"""Plan checklists: overdue against a fixed today, target progress computed from the indicator
store (including the ledger's rate fed into it), the Excel export, and the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from db import plans, units
from db.connection import Database
from db.periods import Period
from db.plans import NewItem
from desktop.cli import main
from desktop.services.common.deadlines import deadline_date
from desktop.services.plans.checklist import checklist, summarise

P = Period.parse("2022-YTD10")


def test_deadlines_and_plan_overdue_with_a_fixed_today(empty_db: Database) -> None:
    assert deadline_date("年底前", 2022) == date(2022, 12, 31)
    assert deadline_date("上半年", 2022) == date(2022, 6, 30)
    assert deadline_date("按序时", 2022) is None
    assert deadline_date("2022-09-30", 2022) == date(2022, 9, 30)
    unit = units.add_unit(empty_db, "1", "分局", level="分局")
    plan = plans.create_plan(empty_db, unit.id, 2022, "计划")
    plans.add_items(empty_db, plan.id, [NewItem("组", "一、", children=(
        NewItem("上半年的", deadline="上半年", status="推进中"),
        NewItem("已完成的", deadline="2022-03-01", status="已完成"),
        NewItem("按序时的", deadline="按序时"),
        NewItem("年底前的", deadline="年底前", status="滞后"),
        NewItem("取消的", deadline="2022-01-01", status="取消"),
    ))])  # fmt: skip
    july = checklist(empty_db, plan, date(2022, 7, 1))
    overdue = [r.item.text for r in july if r.overdue]
    assert overdue == ["上半年的"]
    assert summarise(july).text == "已完成 1/4 项，逾期 1 项，滞后 1 项"
    assert [r.status_word for r in july][:2] == ["1/4 完成", "推进中·逾期"]
    assert {r.item.text: r.tone for r in july}["年底前的"] == "late"
    next_year = summarise(checklist(empty_db, plan, date(2023, 1, 1)))
    assert next_year.overdue == 2


def test_targets_are_measured_from_the_indicator_store(demo_db: Database) -> None:
    unit = units.unit_by_code(demo_db, "330300-01")
    plan = next(p for p in plans.plans_for(demo_db, unit.id, 2022))
    rows = {r.item.text: r for r in checklist(demo_db, plan, date(2022, 11, 5))}
    cells = rows["建成一批“无废细胞”"]
    assert cells.target is not None and cells.target.value == 24
    assert cells.progress == pytest.approx(80.0)
    assert "2022年1-10月 24个" in cells.target.text
    central = rows["第二轮央督“1+3+6”问题全部完成整改"]
    assert central.progress == pytest.approx(90.0)


def test_cli_plan_show_and_ledger_show_export(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(demo_db.path)
    demo_db.close()
    assert main(["plan", "show", "--db", path, "--year", "2022", "--today", "2022-11-05"]) == 0
    out = capsys.readouterr().out
    assert "一、打好污染防治攻坚战  【3/5 完成】" in out
    assert "已完成 4/10 项，逾期 2 项，滞后 1 项" in out
    assert main(["ledger", "show", "--db", path, "--overdue", "--today", "2023-01-15"]) == 0
    out = capsys.readouterr().out
    assert out.count("整改中·逾期") == 6 and "完成率 90.0%" in out
    out_file = tmp_path / "x.xlsx"
    assert main(["ledger", "export", "--db", path, "--out", str(out_file)]) == 0
    assert out_file.exists() and "33 个问题" in capsys.readouterr().out
    assert main(["ledger", "import", str(out_file), "--db", path, "--dry-run"]) == 0
    assert "不变 33 项" in capsys.readouterr().out


def test_plan_export_and_cli_paste_and_feed(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    from desktop.services.plans.checklist import PLAN_HEADER, export_plan

    unit = units.unit_by_code(demo_db, "330300-01")
    plan = plans.plans_for(demo_db, unit.id, 2022)[0]
    out = tmp_path / "计划.xlsx"
    assert export_plan(demo_db, plan, out, date(2022, 11, 5)) == 13
    sheet = load_workbook(out).worksheets[0]
    assert [c.value for c in sheet[3]] == list(PLAN_HEADER)
    assert sheet.title == f"2022年{plan.title}", "the tab names the plan, not 台账"
    assert sheet["B4"].value == "打好污染防治攻坚战" and sheet["F4"].value == "3/5 完成"
    assert "已完成 4/10 项" in str(sheet["A2"].value)

    path = str(demo_db.path)
    demo_db.close()
    outline = tmp_path / "提纲.txt"
    outline.write_text("一、治气\n1.完成16家以上\nVOCs企业整改\n二、治水", encoding="utf-8")
    args = ["plan", "paste", str(outline), "--db", path, "--unit", "330213", "--year", "2023"]
    assert main(args) == 0
    assert "添加 3 个条目" in capsys.readouterr().out
    assert main(["plan", "show", "--db", path, "--unit", "330213", "--year", "2023"]) == 0
    assert "1.完成16家以上VOCs企业整改" in capsys.readouterr().out
    feed = ["ledger", "feed", "--db", path, "--batch", "第二轮央督“1+3+6”", "--period", "2022-Y"]
    assert main(feed) == 0
    assert "完成率 90.0%" in capsys.readouterr().out
    assert (
        main(["ledger", "feed", "--db", path, "--batch", "央督交办信访件", "--period", "2022-Y"])
        == 2
    )
    assert "没有对应的指标" in capsys.readouterr().err
