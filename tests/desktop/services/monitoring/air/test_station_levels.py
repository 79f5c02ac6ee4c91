"""A provincial centre's daily export with a 点位级别 column: the level is read per station and
set on import only where the store has none."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from db.connection import open_database
from db.stations import stations_of
from db.units import unit_by_code
from desktop.services.demo import build_demo
from desktop.services.monitoring.air.daily_import import dry_run_air_file
from desktop.services.monitoring.air.reader import read_daily_file
from desktop.services.monitoring.sample_import import commit_import

HEADER = ("序号", "城市", "点位名称", "点位级别", "监测日期", "SO2(μg/m³)", "NO2(μg/m³)",
          "CO(mg/m³)", "O3-8h(μg/m³)", "PM10(μg/m³)", "PM2.5(μg/m³)", "AQI", "首要污染物",
          "级别")  # fmt: skip


def write_export(path: Path, levels: dict[str, str]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "日报"
    sheet.cell(1, 1, "海岛区环境空气质量自动监测日报数据（2026年3月）")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    for c, text in enumerate(HEADER, start=1):
        sheet.cell(2, c, text)
    row = 3
    for station, level in levels.items():
        for d in range(3):
            day = date(2026, 3, 1) + timedelta(days=d)
            values = (row - 2, "海岛区", station, level, day.isoformat(), 6, 21, 0.6, 88, 52, 30,
                      52, "PM10", "二级")  # fmt: skip
            for c, value in enumerate(values, start=1):
                sheet.cell(row, c, value)
            row += 1
    book.save(path)
    return path


def test_levels_read_per_station(tmp_path: Path) -> None:
    path = write_export(tmp_path / "日报.xlsx", {"城关": "国控点", "海滨": "省控", "东岙": "乡镇"})
    read = read_daily_file(path)
    assert {s: c.control_level for s, c in read.classes.items()} == {"城关": "国控", "海滨": "省控"}
    assert read.classes["城关"].level_cell == "日报!D3"
    assert not read.errors and len(read.records) == 9
    assert sum("控制级别“乡镇”无法识别" in p.message for p in read.problems) == 3


def test_import_sets_only_empty_levels(tmp_path: Path) -> None:
    build_demo(tmp_path / "demo.ecodesk").close()
    db = open_database(tmp_path / "demo.ecodesk")
    try:
        own = unit_by_code(db, str(db.meta("own_unit")))
        stored = {s.name: s.control_level for s in stations_of(db, own.id, "air")}
        existing = next(name for name, level in stored.items() if level == "国控")
        export = write_export(tmp_path / "日报.xlsx", {existing: "市控", "海滨": "省控点"})
        imp = dry_run_air_file(db, export, own.id, own.name)
        assert any("海滨 控制级别 省控（日报!D6）" in n for n in imp.notes)
        assert any(f"{existing} 文件写市控，库中为国控，未改动" in w for w in imp.warnings)
        commit_import(db, imp, "测试")
        after = {s.name: s.control_level for s in stations_of(db, own.id, "air")}
    finally:
        db.close()
    assert after["海滨"] == "省控" and after[existing] == "国控"
