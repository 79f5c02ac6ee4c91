"""Excel exchange end to end: export, dry run, commit, nasty workbooks, consolidation."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db import locks, units, values
from db.connection import Database
from db.errors import StorageError
from db.indicators import indicator_by_code
from db.periods import Period
from db.sheet import read_sheet
from desktop.services.common.dry_run import Status
from desktop.services.common.workbook import WorkbookError, read_workbook
from desktop.services.exchange.export import METADATA_SHEET, Selection, export_workbook
from desktop.services.exchange.importing import dry_run_file
from desktop.services.exchange.judging import commit_dry_run
from tests.support.forms import bureau_form

P = Period.parse("2022-YTD10")
JINDONG = "330703"


def _unit(db: Database, code: str) -> int:
    return units.unit_by_code(db, code).id


def test_export_layout_as_bureaus_print_it(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    export_workbook(demo_db, Selection([_unit(demo_db, "330300-01")], [P]), out)
    book = load_workbook(out)
    ws = book["海岛区分局"]
    assert ws["A1"].value == "2022年1-10月主要生态环境指标统计表"
    assert "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "填报单位：温州市生态环境局海岛区分局"
    assert [ws.cell(row=3, column=c).value for c in (1, 2, 3, 7, 8)] == [
        "序号", "指标", "单位", "年度目标", "备注",
    ]  # fmt: skip
    assert [ws.cell(row=4, column=c).value for c in (4, 5, 6)] == ["本期", "去年同期", "同比"]
    assert ws["D3"].value == "2022年1-10月"
    assert ws.freeze_panes == "D5"
    assert int(ws.page_setup.paperSize) == 9, "A4"
    assert ws.print_title_rows == "$3:$4", "headers repeat on every printed page"
    names = {ws.cell(row=r, column=2).value: r for r in range(5, ws.max_row + 1)}
    pm10 = names["PM10平均浓度"]
    assert (ws.cell(row=pm10, column=4).value, ws.cell(row=pm10, column=5).value) == (26, 32)
    assert ws.cell(row=pm10, column=6).value == "-18.8%"
    assert ws.cell(row=pm10, column=6).data_type == "s", "同比 is text, never a formula"
    rate = names["空气质量优良率"]
    assert ws.cell(row=rate, column=4).number_format == "0.0"
    assert book[METADATA_SHEET].sheet_state == "hidden"


def test_round_trip_is_unchanged_for_every_cell(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "round.xlsx"
    ids = [_unit(demo_db, c) for c in ("330300-01", JINDONG, "330400")]
    periods = [Period.parse("2021-Y"), P]
    export_workbook(demo_db, Selection(ids, periods), out)
    dry_run = dry_run_file(demo_db, out)
    assert dry_run.items, "the export has figures"
    assert {i.status for i in dry_run.items} == {Status.UNCHANGED}, [
        i.describe() for i in dry_run.items if i.status is not Status.UNCHANGED
    ]


def test_formula_injection_is_written_as_text(demo_db: Database, tmp_path: Path) -> None:
    unit_id = _unit(demo_db, "330300-01")
    pm25 = indicator_by_code(demo_db, "pm25")
    values.write_values(demo_db, [values.ValueWrite(unit_id, P.code, pm25.id, 17.0, "=1+1")])
    out = tmp_path / "inj.xlsx"
    export_workbook(demo_db, Selection([unit_id], [P]), out)
    ws = load_workbook(out)["海岛区分局"]
    note = next(
        ws.cell(row=r, column=8) for r in range(5, ws.max_row + 1)
        if ws.cell(row=r, column=2).value == "PM2.5平均浓度"
    )  # fmt: skip
    assert note.value == "=1+1" and note.data_type == "s"


def test_bureau_form_with_merged_headers_and_text_numbers(
    demo_db: Database, tmp_path: Path
) -> None:
    form = bureau_form(
        tmp_path / "金东分局.xlsx",
        [
            ("空气质量优良率", "%", "86.1%", None),
            ("PM2.5平均浓度", "μg/m³", "２６", None),  # full-width digits
            ("PM10平均浓度", "μg/m3", "45μg/m3", "50"),
            ("二氧化硫平均浓度", "μg/m³", "约20", None),
            ("臭氧浓度", "μg/m³", 165, None),
            ("罚款金额", "亿元", "0.0086", None),
            ("办理环境违法案件", "件", "1,064", None),
            ("不存在的指标", "个", 5, None),
        ],
    )
    dry_run = dry_run_file(demo_db, form)
    by_name = {(i.indicator_name, i.field): i for i in dry_run.items}
    assert by_name[("空气质量优良率", "current")].status is Status.UNCHANGED
    assert by_name[("PM2.5平均浓度", "current")].status is Status.UNCHANGED
    assert by_name[("PM10平均浓度", "last_year")].status is Status.NEW
    assert by_name[("PM10平均浓度", "last_year")].period == "2021-YTD10"
    bad = by_name[("二氧化硫平均浓度", "current")]
    assert bad.status is Status.ERROR and "约20" in bad.reason and bad.where == "表1!E9"
    assert by_name[("臭氧浓度", "current")].status is Status.CHANGED
    assert by_name[("罚款金额", "current")].new == pytest.approx(86.0)  # 0.0086亿元 → 86万元
    cases = by_name[("办理环境违法案件", "current")]
    assert cases.status is Status.ERROR and "分项" in cases.reason  # 41 = 5 + 2 + 34 in the store
    unknown = [row for row in dry_run.skipped if row.label == "不存在的指标"]
    assert unknown and f"{unknown[0].sheet}!{unknown[0].cell}" == "表1!C13"
    assert "未识别的行 1 行" in dry_run.file_line(form.name)
    assert not any("同比" in i.reason for i in dry_run.items), "the 同比 column is not imported"


def test_105_percent_and_missing_unit_are_refused(demo_db: Database, tmp_path: Path) -> None:
    form = bureau_form(tmp_path / "f.xlsx", [("空气质量优良率", "%", 105, None)])
    [item] = dry_run_file(demo_db, form).items
    assert item.status is Status.ERROR and "0%～100%" in item.reason
    no_unit = bureau_form(
        tmp_path / "g.xlsx", [("PM2.5平均浓度", "μg/m³", 20, None)], unit_line=None
    )
    [item] = dry_run_file(demo_db, no_unit).items
    assert item.status is Status.ERROR and "填报单位" in item.reason
    dry_run = dry_run_file(demo_db, no_unit, unit_code=JINDONG)
    assert [i.status for i in dry_run.items] == [Status.CHANGED]


def test_locked_period_is_refused(demo_db: Database, tmp_path: Path) -> None:
    locks.lock_period(demo_db, _unit(demo_db, JINDONG), P.code)
    form = bureau_form(tmp_path / "f.xlsx", [("PM2.5平均浓度", "μg/m³", 20, None)])
    [item] = dry_run_file(demo_db, form).items
    assert item.status is Status.ERROR and "已锁定" in item.reason


def test_commit_writes_all_accepted_and_audits_the_file(demo_db: Database, tmp_path: Path) -> None:
    form = bureau_form(
        tmp_path / "返回.xlsx",
        [("PM2.5平均浓度", "μg/m³", 20, 30), ("二氧化硫平均浓度", "μg/m³", "约20", None)],
    )
    dry_run = dry_run_file(demo_db, form)
    assert commit_dry_run(demo_db, dry_run, "导入 返回.xlsx") == 2
    sheet = read_sheet(demo_db, _unit(demo_db, JINDONG), P)
    assert sheet.row("pm25").current.value == 20 and sheet.row("pm25").last_year.value == 30
    assert sheet.row("so2").current.value is None
    sources = demo_db.conn.execute("SELECT DISTINCT source FROM audit ORDER BY id DESC LIMIT 1")
    assert sources.fetchone()[0] == "导入 返回.xlsx"


def test_commit_refuses_whole_when_the_database_changed(demo_db: Database, tmp_path: Path) -> None:
    form = bureau_form(
        tmp_path / "f.xlsx",
        [("PM2.5平均浓度", "μg/m³", 20, None), ("臭氧浓度", "μg/m³", 150, None)],
    )
    dry_run = dry_run_file(demo_db, form)
    unit_id = _unit(demo_db, JINDONG)
    o3 = indicator_by_code(demo_db, "o3")
    values.write_values(demo_db, [values.ValueWrite(unit_id, P.code, o3.id, 170.0)])
    with pytest.raises(StorageError, match="已改变"):
        commit_dry_run(demo_db, dry_run, "导入 f.xlsx")
    sheet = read_sheet(demo_db, unit_id, P)
    assert sheet.row("pm25").current.value == 26, "nothing of the import was written"


def test_commit_refuses_whole_when_the_period_was_locked_since(
    demo_db: Database, tmp_path: Path
) -> None:
    form = bureau_form(tmp_path / "f.xlsx", [("PM2.5平均浓度", "μg/m³", 20, None)])
    dry_run = dry_run_file(demo_db, form)
    unit_id = _unit(demo_db, JINDONG)
    locks.lock_period(demo_db, unit_id, P.code)
    with pytest.raises(StorageError, match="已被锁定，全部未导入"):
        commit_dry_run(demo_db, dry_run, "导入 f.xlsx")
    assert read_sheet(demo_db, unit_id, P).row("pm25").current.value == 26


def test_broken_files_are_refused_with_the_file_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "报表.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(WorkbookError, match=r"报表\.xlsx.*不是有效的 \.xlsx"):
        read_workbook(fake)
    good = bureau_form(tmp_path / "good.xlsx", [("PM2.5平均浓度", "μg/m³", 20, None)])
    truncated = tmp_path / "半截.xlsx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(WorkbookError, match=r"半截\.xlsx"):
        read_workbook(truncated)

    from desktop.services.common import workbook

    monkeypatch.setattr(workbook, "MAX_EXPANDED_BYTES", 1024 * 1024)  # keep the test small
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (2 * 1024 * 1024))
    with pytest.raises(WorkbookError, match="超出合理范围"):
        read_workbook(bomb)


def test_a_damaged_sheet_is_refused_naming_the_damaged_part(tmp_path: Path) -> None:
    """A sheet damaged in transit (its checksum no longer fits): refused, the part named."""
    good = bureau_form(tmp_path / "good.xlsx", [("PM2.5平均浓度", "μg/m³", 20, None)])
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    data[sheet.header_offset + 14] ^= 0xFF  # the CRC-32 in the part's local header …
    entry = data.find(b"PK\x01\x02")
    while entry >= 0:  # … and in its central directory entry
        length = int.from_bytes(data[entry + 28 : entry + 30], "little")
        if data[entry + 46 : entry + 46 + length] == sheet.filename.encode():
            data[entry + 16] ^= 0xFF
        entry = data.find(b"PK\x01\x02", entry + 4)
    damaged = tmp_path / "传坏了.xlsx"
    damaged.write_bytes(bytes(data))
    with pytest.raises(WorkbookError, match=r"传坏了\.xlsx.*xl/worksheets/sheet1\.xml.*校验失败"):
        read_workbook(damaged)


@pytest.mark.parametrize("name", ["form.xls", "form.ods", "form.xlsm"])
def test_legacy_xls_ods_and_xlsm_are_read(demo_db: Database, tmp_path: Path, name: str) -> None:
    """.xls and .ods made by LibreOffice from a bureau form; .xlsm as a macro workbook is named."""
    fixture = Path(__file__).with_name(name)
    if name == "form.xlsm":
        fixture = tmp_path / name
        bureau_form(
            tmp_path / "src.xlsx",
            [("PM2.5平均浓度", "μg/m³", 26, None), ("PM10平均浓度", "μg/m³", 45, None)],
        ).rename(fixture)
    dry_run = dry_run_file(demo_db, fixture)
    statuses = {i.indicator_name: i.status for i in dry_run.items}
    assert statuses == {"PM2.5平均浓度": Status.UNCHANGED, "PM10平均浓度": Status.UNCHANGED}


def test_units_down_the_side_form(demo_db: Database, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws["A1"] = "2022年1-10月各分局空气质量情况"
    ws.append([])
    ws.append(["序号", "单位名称", "空气质量优良率", "PM2.5平均浓度"])
    ws.append([1, "金东分局", 86.1, 26])
    ws.append([2, "海岛区分局", 97.0, 17])
    ws.append([3, "合计", None, None])
    path = tmp_path / "units.xlsx"
    book.save(path)
    dry_run = dry_run_file(demo_db, path)
    assert {i.status for i in dry_run.items} == {Status.UNCHANGED}
    assert len(dry_run.items) == 4
