"""The ledger as a workbook: export in the printed layout, a returned workbook judged cell by cell
and committed, and a bureau's own ledger imported once its source and batch are named."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from db import ledger, units
from db.connection import Database
from db.periods import Period
from desktop.cli import main
from desktop.services.common.dry_run import Status
from desktop.services.ledger import spreadsheet, tracking

P = Period.parse("2022-YTD10")


def test_ledger_export_import_dry_run_and_commit(demo_db: Database, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    unit = units.unit_by_code(demo_db, "330300-01")
    path = tmp_path / "台账.xlsx"
    assert spreadsheet.export_ledger(demo_db, unit.id, path, date(2022, 11, 5)) == 33
    book = load_workbook(path)
    sheet = book.worksheets[0]
    batches = {p.batch for p in ledger.problems_for(demo_db, unit.id)}
    assert set(book.sheetnames) == batches, "one tab per batch, named for it"
    assert [c.value for c in sheet[3]] == list(tracking.LEDGER_HEADER)
    assert sheet.print_title_rows == "$3:$3" or sheet.print_title_rows == "3:3"
    assert sheet.page_setup.orientation == "landscape"
    unchanged = spreadsheet.dry_run_ledger(demo_db, unit.id, path)
    assert unchanged.count(Status.UNCHANGED) == 33 and not unchanged.accepted

    sheet["G7"] = "已完成整改"  # 序号 4 (the 料场 problem) is done now
    sheet["F7"] = "料场已封闭"
    sheet["G8"] = "完成了"  # not a status
    sheet.append(["11", "新发现的问题", "东屏街道", "年底前", "", "", "整改中", ""])
    sheet.append(["12", "要销号却没写日期", "", "", "", "", "已销号", ""])
    book.save(path)
    dry_run = spreadsheet.dry_run_ledger(demo_db, unit.id, path)
    counts = [dry_run.count(s) for s in (Status.NEW, Status.CHANGED, Status.ERROR)]
    assert counts == [1, 1, 2]
    lines = [item.describe() for item in dry_run.items if item.status is not Status.UNCHANGED]
    assert any("!G8" in line and "状态“完成了”无效" in line for line in lines)
    assert any("!H15" in line and "销号需要" in line for line in lines)
    assert any("状态：整改中 → 已完成整改" in line for line in lines)
    assert spreadsheet.commit_import(demo_db, dry_run, 2022, path.name) == 2
    other = units.unit_by_code(demo_db, "330703")
    refused = spreadsheet.dry_run_ledger(demo_db, other.id, path)
    assert refused.count(Status.ERROR) == 3 and not refused.accepted
    assert "本表是“温州市生态环境局海岛区分局”的台账" in refused.items[0].describe()
    batch = ledger.problems_for(demo_db, unit.id, batch="第二轮央督“1+3+6”")
    assert len(batch) == 11 and batch[3].status == "已完成整改"
    assert tracking.summarise(batch, date(2022, 11, 5))[0].completed == 10


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
    first = spreadsheet.dry_run_ledger(demo_db, unit.id, path)
    assert spreadsheet.needs_batch(first) and not first.accepted
    source = "中央生态环境保护督察（第二轮）"
    dry_run = spreadsheet.dry_run_ledger(
        demo_db, unit.id, path, source=source, batch="反馈问题（导入）"
    )
    assert dry_run.count(Status.NEW) == 3
    assert spreadsheet.commit_import(demo_db, dry_run, 2022, path.name) == 3
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
