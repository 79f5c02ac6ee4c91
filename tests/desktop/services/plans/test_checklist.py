"""Overdue against a fixed today, the ledger arithmetic of seeds 000 and 001, the completion rate
fed into the indicator store, target progress computed from it, Excel round trip, and the CLI."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from db import ledger, plans, units
from db.connection import Database
from db.ledger import NewProblem
from db.periods import Period
from db.plans import NewItem
from db.sheet import read_sheet
from desktop.cli import main
from desktop.services.common.deadlines import deadline_date
from desktop.services.common.dry_run import Status
from desktop.services.ledger import tracking
from desktop.services.plans.checklist import checklist, summarise
from tests.conftest import seed_text

P = Period.parse("2022-YTD10")


def _batch(
    source: str, batch: str, statuses: list[str], deadline: str = "年底前"
) -> list[NewProblem]:
    return [
        NewProblem(source, batch, n, 2022, f"问题{n}", deadline=deadline, status=s)
        for n, s in enumerate(statuses, start=1)
    ]


def test_seed_000_ledgers_give_the_reported_rates_and_feed_the_store(demo_db: Database) -> None:
    text = seed_text("000")
    central = re.search(r"“1\+3\+6”已完成问题整改(\d+)个，(\d+)个立行立改，完成率(\d+)%", text)
    echo = re.search(
        r"举一反三(\d+)个问题已完成问题整改(\d+)个，(\d+)个立行立改，完成率([\d.]+)%", text
    )
    assert central and echo
    done, immediate, rate = (int(g) for g in central.groups())
    total = 1 + 3 + 6
    unit = units.add_unit(demo_db, "330300-99", "测试分局", level="分局", parent_code="330300")
    statuses = ["已完成整改"] * done + ["立行立改"] * immediate
    statuses += ["整改中"] * (total - len(statuses))
    source = "中央生态环境保护督察（第二轮）"
    ledger.add_problems(demo_db, unit.id, _batch(source, "1+3+6", statuses))
    e_total, e_done, e_immediate = (int(g) for g in echo.groups()[:3])
    statuses = ["已完成整改"] * (e_done - 1) + ["已销号"] + ["立行立改"] * e_immediate
    statuses += ["整改中"] * (e_total - len(statuses))
    problems = _batch("举一反三", "举一反三", statuses)
    problems[e_done - 1] = NewProblem(
        "举一反三", "举一反三", e_done, 2022, "x", status="已销号", closed_on="2022-09-01",
        verification="核查到位",
    )  # fmt: skip
    ledger.add_problems(demo_db, unit.id, problems)

    summaries = tracking.summarise(ledger.problems_for(demo_db, unit.id), date(2022, 11, 5))
    assert summaries[0].rate == pytest.approx(rate)  # 90%
    assert f"{summaries[1].rate:.1f}" == echo[4]  # 64.7%: 已销号 counts as rectified
    tracking.feed_store(demo_db, unit.id, "1+3+6", P)
    tracking.feed_store(demo_db, unit.id, "举一反三", P)
    sheet = read_sheet(demo_db, unit.id, P)
    assert sheet.row("cent_insp_rate").current.value == pytest.approx(90.0)
    assert sheet.row("cent_insp_ongoing").current.value == 1
    assert f"{sheet.row('ref_insp_rate').current.value:.1f}" == "64.7"


def test_seed_001_feedback_statuses_and_overdue_with_a_fixed_today(empty_db: Database) -> None:
    text = seed_text("001")
    found = re.search(
        r"反馈问题(\d+)个，已完成整改(\d+)个，(\d+)个为长期坚持问题，另(\d+)个问题年底前完成",
        text,
    )
    assert found
    total, done, longterm, due = (int(g) for g in found.groups())
    unit = units.add_unit(empty_db, "330703", "金东分局", level="分局")
    statuses = ["已完成整改"] * done + ["长期坚持"] * longterm + ["整改中"] * due
    assert len(statuses) == total
    source = "中央生态环境保护督察（第二轮）"
    ledger.add_problems(empty_db, unit.id, _batch(source, "反馈问题", statuses))
    problems = ledger.problems_for(empty_db, unit.id)
    before, after = date(2022, 12, 31), date(2023, 1, 1)
    assert [tracking.is_overdue(p, before) for p in problems] == [False] * total
    assert sum(tracking.is_overdue(p, after) for p in problems) == due  # 长期坚持 never overdue
    summary = tracking.summarise(problems, after)[0]
    assert (summary.rate, summary.longterm, summary.overdue) == (40.0, 1, 2)
    assert "完成率 40.0%" in summary.text


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


def test_ledger_export_import_dry_run_and_commit(demo_db: Database, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    unit = units.unit_by_code(demo_db, "330300-01")
    path = tmp_path / "台账.xlsx"
    assert tracking.export_ledger(demo_db, unit.id, path, date(2022, 11, 5)) == 33
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[3]] == list(tracking.LEDGER_HEADER)
    assert sheet.print_title_rows == "$3:$3" or sheet.print_title_rows == "3:3"
    assert sheet.page_setup.orientation == "landscape"
    unchanged = tracking.dry_run_ledger(demo_db, unit.id, path)
    assert unchanged.count(Status.UNCHANGED) == 33 and not unchanged.accepted

    sheet["G7"] = "已完成整改"  # 序号 4 (the 料场 problem) is done now
    sheet["F7"] = "料场已封闭"
    sheet["G8"] = "完成了"  # not a status
    sheet.append(["11", "新发现的问题", "东屏街道", "年底前", "", "", "整改中", ""])
    sheet.append(["12", "要销号却没写日期", "", "", "", "", "已销号", ""])
    book.save(path)
    plan = tracking.dry_run_ledger(demo_db, unit.id, path)
    counts = [plan.count(s) for s in (Status.NEW, Status.CHANGED, Status.ERROR)]
    assert counts == [1, 1, 2]
    lines = [item.describe() for item in plan.items if item.status is not Status.UNCHANGED]
    assert any("!G8" in line and "状态“完成了”无效" in line for line in lines)
    assert any("!H15" in line and "销号需要" in line for line in lines)
    assert any("状态：整改中 → 已完成整改" in line for line in lines)
    assert tracking.commit_import(demo_db, plan, 2022, path.name) == 2
    other = units.unit_by_code(demo_db, "330703")
    refused = tracking.dry_run_ledger(demo_db, other.id, path)
    assert refused.count(Status.ERROR) == 3 and not refused.accepted
    assert "本表是“温州市生态环境局海岛区分局”的台账" in refused.items[0].describe()
    batch = ledger.problems_for(demo_db, unit.id, batch="第二轮央督“1+3+6”")
    assert len(batch) == 11 and batch[3].status == "已完成整改"
    assert tracking.summarise(batch, date(2022, 11, 5))[0].completed == 10


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


def test_a_bureaus_own_ledger_imports_once_source_and_batch_are_given(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["金东区第二轮中央生态环境保护督察反馈问题整改台账"])
    sheet.append(["序号", "存在问题", "责任\n单位", "完成时限", "整改措施", "整改情况", "整改状态"])
    sheet.append([1, "管网破损", "住建局", "2022-06-30", "修复", "完成", "已完成整改"])
    sheet.append([2, "扰民问题", "开发区", "", "长效监管", "推进", "长期坚持"])
    sheet.append([3, "污水厂建设滞后", "东城街道", "年底前", "加快建设", "按序时进度推进", ""])
    path = tmp_path / "金东台账.xlsx"
    book.save(path)
    unit = units.unit_by_code(demo_db, "330703")
    first = tracking.dry_run_ledger(demo_db, unit.id, path)
    assert tracking.needs_batch(first) and not first.accepted
    source = "中央生态环境保护督察（第二轮）"
    plan = tracking.dry_run_ledger(demo_db, unit.id, path, source=source, batch="反馈问题（导入）")
    assert plan.count(Status.NEW) == 3
    assert tracking.commit_import(demo_db, plan, 2022, path.name) == 3
    imported = ledger.problems_for(demo_db, unit.id, batch="反馈问题（导入）")
    assert [p.status for p in imported] == ["已完成整改", "长期坚持", "整改中"]
    assert imported[2].deadline == "年底前" and imported[0].responsible == "住建局"

    path_db = str(demo_db.path)
    demo_db.close()
    args = ["ledger", "import", str(path), "--db", path_db, "--unit", "330703", "--dry-run"]
    assert main(args) == 1
    assert "请指定这些问题的来源和批次" in capsys.readouterr().out
    assert main([*args, "--source", source, "--batch", "反馈问题（导入）"]) == 0
    assert "不变 3 项" in capsys.readouterr().out
