"""``ecodesk-cli aqi``: daily AQI and period figures under either standard, in-process."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from desktop.cli import main

HEADER = ["日期", "监测点位", "SO2", "NO2", "CO", "O3_8h", "PM10", "PM2.5(μg/m³)"]


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_aqi_by_date_and_recomputed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start = date(2026, 2, 27)
    rows: list[list[object]] = [
        [(start + timedelta(n)).isoformat(), "城东", 8, 20, 0.6, 90, 90, 70] for n in range(4)
    ]
    path = write_csv(tmp_path / "d.csv", rows)
    assert main(["aqi", str(path)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert any(
        line.startswith("2026-02-28") and " 94 " in line and "HJ 633—2012" in line for line in lines
    )
    assert any(
        line.startswith("2026-03-01") and " 110 " in line and "轻度污染" in line for line in lines
    )
    assert "按日期分段" in out and "优良率 50.0%" in out

    assert main(["aqi", str(path), "--standard", "2026", "--summary"]) == 0
    out = capsys.readouterr().out
    assert "新标准（HJ 633—2026）（按该标准口径重算）" in out and "优良率 0.0%" in out
    assert "2026-02-28" not in out  # --summary: no daily table

    assert main(["aqi", str(path), "--compare", "--summary"]) == 0
    out = capsys.readouterr().out
    assert "优良率 100.0%" in out and "优良率 0.0%" in out


def test_aqi_reports_problems_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows: list[list[object]] = [
        ["2026-04-01", "甲", 8, 20, 0.6, 90, 50, 30],
        ["2026-04-02", "甲", 8, 20, 0.6, 90, 50, -30],
        ["2026-04-01", "乙", 8, 20, 0.6, 90, 50, 30],
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    assert main(["aqi", str(path), "--period", "2026-M4", "--summary"]) == 1
    out = capsys.readouterr().out
    assert "错误：bad.csv 第3行 H列（PM2.5(μg/m³)）：-30 为负数，已剔除" in out
    assert "【全部点位平均】2026-04-01～2026-04-30" in out
    assert "数据有效性：PM2.5：2026年4月仅有 0 个有效日均值" not in out
    assert "PM2.5：2026年4月仅有 1 个有效日均值（至少 27 个）" in out
    assert main(["aqi", str(path), "--station", "丙"]) == 2
    assert "没有可用的日均值数据" in capsys.readouterr().err
    assert main(["aqi", str(tmp_path / "none.csv")]) == 2
    assert "找不到文件" in capsys.readouterr().err
