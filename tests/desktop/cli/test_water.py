"""``ecodesk-cli water``, ``water-import`` and ``water-share``: what they print and exit with."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import indicators, locks, units
from db.connection import open_database
from db.periods import Period
from db.values import values_for
from desktop.cli import main
from desktop.services.demo import build_demo
from tests.desktop.services.monitoring.water.test_reader import write_station_workbook

UNIT_CODE = "330300-01"


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.ecodesk"
    build_demo(path).close()
    return path


def _line(out: str, start: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(start))


def test_water_from_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_station_workbook(tmp_path / "断面.xlsx")
    assert main(["water", str(path)]) == 1  # three cells were refused
    out = capsys.readouterr().out
    assert "错误：3月!M6：石油类(μg/L)：“未检出”未写检出限" in out
    south = _line(out, "南溪口")
    assert "Ⅳ类" in south and "氨氮（0.3）" in south
    assert "湖库" in _line(out, "西湖闸") and "Ⅲ类" in _line(out, "西湖闸")
    assert "Ⅲ类及以上断面 3/4，比例 75.0%" in out


def test_water_without_a_body_needs_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "断面.csv"
    path.write_text("断面名称,采样日期,总磷\n湖心,2026-05-06,0.04\n", encoding="utf-8")
    assert main(["water", str(path)]) == 2
    assert "--body" in capsys.readouterr().err
    assert main(["water", str(path), "--body", "湖库"]) == 0
    assert "Ⅲ类" in _line(capsys.readouterr().out, "湖心")
    assert main(["water", str(path), "--body", "河流"]) == 0
    assert "Ⅱ类" in _line(capsys.readouterr().out, "湖心")


def test_import_dry_run_then_import_then_share(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_station_workbook(tmp_path / "断面.xlsx")
    db_args = ["--db", str(demo_path), "--unit", UNIT_CODE]
    assert main(["water-import", str(path), *db_args, "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "断面.xlsx 3月!J6（南溪口 2026-03-07 氨氮（mg/L））：新增 1.32" in out
    assert "断面.xlsx 3月!F7（北渠）：溶解氧(mg/L)：-1.2 为负数，未读入" in out
    assert "新增 46 项" in out and "预览完成，未写入数据库" in out

    assert main(["water-share", *db_args, "--period", "2026-M3"]) == 0
    assert "没有断面监测数据" in capsys.readouterr().out  # the dry run wrote nothing

    assert main(["water-import", str(path), *db_args]) == 1
    assert "已导入 46 项监测数据，3 项错误未导入" in capsys.readouterr().out
    assert main(["water-import", str(path), *db_args, "--dry-run"]) == 1
    assert "不变 46 项" in capsys.readouterr().out

    assert main(["water-share", *db_args, "--period", "2026-M3", "--write"]) == 0
    out = capsys.readouterr().out
    assert "Ⅲ类及以上断面 3/4，比例 75.0%" in out and "已写入指标库" in out
    db = open_database(demo_path)
    try:
        indicator = indicators.indicator_by_code(db, "water_section_good_rate")
        unit_id = units.unit_by_code(db, UNIT_CODE).id
        stored = values_for(db, unit_id, Period.month(2026, 3).code)[indicator.id]
        assert stored.value == 75.0 and stored.note.startswith("按GB 3838—2002评价")
    finally:
        db.close()


def test_share_for_a_locked_period_exits_2(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_station_workbook(tmp_path / "断面.xlsx")
    db_args = ["--db", str(demo_path), "--unit", UNIT_CODE]
    main(["water-import", str(path), *db_args])
    db = open_database(demo_path)
    try:
        locks.lock_period(db, units.unit_by_code(db, UNIT_CODE).id, "2026-M3")
    finally:
        db.close()
    capsys.readouterr()
    assert main(["water-share", *db_args, "--period", "2026-M3", "--write"]) == 2
    assert "已报送" in capsys.readouterr().err
