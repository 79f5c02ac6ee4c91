"""Daily air files into the store through the exchange's dry run: every value judged with its
sheet and cell, one all-or-nothing commit, undo, and figures from the store equal the file's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from db import audit, stations
from db.connection import Database
from db.errors import StorageError
from db.periods import Period
from db.samples import AIR, read_samples, write_samples
from desktop.cli import main
from desktop.services.common.dry_run import Status
from desktop.services.monitoring.air.daily_import import (
    area_station,
    dry_run_air_file,
    stored_records,
)
from desktop.services.monitoring.air.figures import figures_for_period
from desktop.services.monitoring.air.period import indicator_values
from desktop.services.monitoring.air.reader import read_daily_file
from desktop.services.monitoring.sample_import import commit_import, revert_import
from tests.desktop.services.monitoring.air.test_figures import UNIT, write_daily_csv

JINDONG = 4  # 金东分局: no monitoring data in the demo


def _station_book(path: Path) -> Path:
    """Two stations as a monitoring centre sends them: a title row, units in the headers, a
    "-1" (the usual missing code), a text value, and one station-day twice with different values."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "日均值"
    ws.append(["2026年3月空气质量日均值"])
    ws.append(["日期", "监测点位", "SO2(μg/m3)", "NO2(μg/m3)", "CO(mg/m3)", "O3_8h(μg/m3)",
               "PM10(μg/m3)", "PM2.5(μg/m3)"])  # fmt: skip
    ws.append(["2026-03-01", "市监测站", 8, 30, 0.8, 90, 60, 35.5])
    ws.append(["2026-03-01", "开发区", 9, 31, 0.9, 95, 70, 40])
    ws.append(["2026-03-02", "市监测站", 8, 30, -1, 90, 60, "约20"])
    ws.append(["2026-03-02", "开发区", 9, 31, 0.9, 95, 70, 40])
    ws.append(["2026-03-02", "开发区", 9, 31, 0.9, 95, 70, 44])
    wb.save(path)
    return path


def test_every_value_judged_at_its_cell(demo_db: Database, tmp_path: Path) -> None:
    imp = dry_run_air_file(demo_db, _station_book(tmp_path / "站点.xlsx"), UNIT, "海岛区")
    items = imp.dry_run.items
    by_cell = {i.where: i for i in items}
    assert by_cell["日均值!H3"].status is Status.NEW
    assert by_cell["日均值!H3"].new == "35.5" and by_cell["日均值!H3"].unit_name == "市监测站"
    assert by_cell["日均值!H3"].field == "PM2.5" and by_cell["日均值!H3"].period == "2026-03-01"
    # -1 is how centres write "no value": missing, said in a warning naming the cell, no error.
    assert "日均值!E5" not in by_cell
    assert any("E列" in w and "E5" in w and "缺测" in w for w in imp.warnings)
    assert by_cell["日均值!H5"].status is Status.ERROR and "约20" in by_cell["日均值!H5"].reason
    duplicate = by_cell["日均值!A7"]
    assert duplicate.status is Status.ERROR and "数值不同" in duplicate.reason
    # 4 clean rows × 6 items, minus the two refused cells of row 5.
    assert len(imp.dry_run.accepted) == 4 * 6 - 2
    assert imp.dry_run.count(Status.ERROR) == 2


def test_commit_then_same_file_is_unchanged_and_undo_restores(
    demo_db: Database, tmp_path: Path
) -> None:
    path = _station_book(tmp_path / "站点.xlsx")
    imp = dry_run_air_file(demo_db, path, UNIT, "海岛区")
    assert commit_import(demo_db, imp, "导入 站点.xlsx") == 22
    names = [s.name for s in stations.stations_of(demo_db, UNIT, "air")]
    # Beside the demo's two sample stations (示例数据), the file's two.
    assert [n for n in names if "示例数据" not in n] == sorted(["市监测站", "开发区"])
    again = dry_run_air_file(demo_db, path, UNIT, "海岛区")
    assert again.dry_run.accepted == []
    assert again.dry_run.count(Status.UNCHANGED) == 22

    # A changed value shows old → new; the audit names the file and the change.
    book = _station_book(tmp_path / "改.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(book)
    wb["日均值"]["H3"] = 36
    wb.save(book)
    changed = dry_run_air_file(demo_db, book, UNIT, "海岛区")
    [item] = [i for i in changed.dry_run.items if i.status is Status.CHANGED]
    assert (item.where, item.old, item.new) == ("日均值!H3", "35.5", "36")
    commit_import(demo_db, changed, "导入 改.xlsx")
    entries = audit.recent(demo_db, 5)
    assert any(e.action == "修改监测数据" and e.new_value == "市监测站 PM2.5 36" for e in entries)
    assert any(e.action == "导入监测数据" and e.source == "导入 改.xlsx" for e in entries)

    revert_import(demo_db, changed, "撤销")
    revert_import(demo_db, imp, "撤销")
    ids = [s.id for s in stations.stations_of(demo_db, UNIT, "air") if "示例" not in s.name]
    assert read_samples(demo_db, AIR, ids) == {}


def test_nothing_written_when_the_store_changed_after_the_preview(
    demo_db: Database, tmp_path: Path
) -> None:
    path = write_daily_csv(tmp_path / "日均值.csv")
    first = dry_run_air_file(demo_db, path, UNIT, "海岛区")
    commit_import(demo_db, first, "first")
    station = stations.find_station(demo_db, UNIT, "air", area_station("海岛区"))
    assert station is not None
    # Someone else's import lands between this preview and its commit.
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ",21"  # 2026-04-01 PM2.5 20 → 21
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    preview = dry_run_air_file(demo_db, path, UNIT, "海岛区")
    assert len(preview.dry_run.accepted) == 1
    with demo_db.transaction():
        write_samples(demo_db, AIR, [((station.id, "2026-04-01", "PM2.5"), Decimal(25))])
    before = read_samples(demo_db, AIR, [station.id])
    with pytest.raises(StorageError, match=r"日均值!G2.*已改变"):
        commit_import(demo_db, preview, "second")
    assert read_samples(demo_db, AIR, [station.id]) == before
    # And the first import can no longer be undone blindly: that value was changed since.
    with pytest.raises(StorageError, match="无法撤销"):
        revert_import(demo_db, first, "撤销")
    assert read_samples(demo_db, AIR, [station.id]) == before


def test_figures_from_the_store_equal_figures_from_the_file(
    demo_db: Database, tmp_path: Path
) -> None:
    path = write_daily_csv(tmp_path / "日均值.csv")
    commit_import(demo_db, dry_run_air_file(demo_db, path, UNIT, "海岛区"), "x")
    period = Period.month(2026, 4)
    stored = stored_records(demo_db, UNIT, date(2026, 4, 1), date(2026, 4, 30))
    assert len(stored) == 30
    for edition in ("2012", "2026"):
        from_file = figures_for_period(read_daily_file(path).records, period, edition)
        from_store = figures_for_period(stored, period, edition)
        assert indicator_values(from_store) == indicator_values(from_file)


def test_cli_air_import_dry_run_then_import(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = str(demo_db.path)
    code = demo_db.conn.execute("SELECT code FROM unit WHERE id = ?", (UNIT,)).fetchone()[0]
    demo_db.close()
    book = _station_book(tmp_path / "站点.xlsx")
    assert main(["air-import", str(book), "--db", db_path, "--unit", code, "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert (
        "站点.xlsx 日均值!H5" in out and "（E5）" in out and "新增 22 项" in out and "未写入" in out
    )
    assert main(["air-import", str(book), "--db", db_path, "--unit", code,
                 "--all-or-nothing"]) == 1  # fmt: skip
    assert "全部未导入" in capsys.readouterr().out
    assert main(["air-import", str(book), "--db", db_path, "--unit", code]) == 1
    assert "已导入 22 项监测数据，2 项错误未导入" in capsys.readouterr().out
    clean = write_daily_csv(tmp_path / "日均值.csv")
    assert main(["air-import", str(clean), "--db", db_path, "--unit", code]) == 0
    capsys.readouterr()
    assert main(["aqi", "--db", db_path, "--unit", code, "--period", "2026-M4", "--summary"]) == 0
    assert "有效天数 30" in capsys.readouterr().out
    write = ["aqi", "--db", db_path, "--unit", code, "--period", "2026-YTD4", "--summary"]
    assert main([*write, "--standard", "2026", "--write", "--monthly"]) == 0
    assert "已写入指标库" in capsys.readouterr().out
    from db.connection import open_database
    from db.values import values_for

    db = open_database(Path(db_path), read_only=True)
    april, ytd = values_for(db, UNIT, "2026-M4"), values_for(db, UNIT, "2026-YTD4")
    db.close()
    assert april and ytd and {v.note for v in april.values()} == {"按HJ 633—2026计算"}


def test_area_and_station_series_in_one_unit_are_warned_about(
    demo_db: Database, tmp_path: Path
) -> None:
    area = write_daily_csv(tmp_path / "全区.csv")  # no station column
    # Into the demo's 海岛区 the sample stations already meet an area file: said at once.
    into_sample = dry_run_air_file(demo_db, area, UNIT, "海岛区")
    assert [w for w in into_sample.warnings if "全区日均值" in w and "示例点位甲" in w]
    first = dry_run_air_file(demo_db, area, JINDONG, "金东")
    assert not [w for w in first.warnings if "全区日均值" in w]
    commit_import(demo_db, first, "全区")
    book = _station_book(tmp_path / "站点.xlsx")
    stations_file = dry_run_air_file(demo_db, book, JINDONG, "金东")
    [warning] = [w for w in stations_file.warnings if "全区日均值" in w]
    assert "金东（全区）" in warning and "市监测站" in warning
