"""A known error on the command line: ``错误：`` and the message, ``提示：`` and the hint on the
next line, exit status 2; run as the real process where the exit status and stderr matter."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from db import locks, units
from db.connection import open_database
from desktop.cli import main
from desktop.services.demo import build_demo
from tests.conftest import ROOT

UNIT_CODE = "330300-01"
HEADER = ["日期", "监测点位", "SO2", "NO2", "CO", "O3_8h", "PM10", "PM2.5(μg/m³)"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m desktop.cli`` from this checkout, as a user would run it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.ecodesk"
    build_demo(path).close()
    return path


def test_a_locked_period_prints_the_message_and_the_hint(demo_path: Path, tmp_path: Path) -> None:
    daily = tmp_path / "日均值.csv"
    with daily.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows([f"2026-04-0{d}", "城东", 8, 20, 0.6, 90, 50, 30] for d in range(1, 5))
    db = open_database(demo_path)
    try:
        locks.lock_period(db, units.unit_by_code(db, UNIT_CODE).id, "2026-M4")
    finally:
        db.close()

    result = _cli(
        "aqi", str(daily), "--db", str(demo_path), "--unit", UNIT_CODE,
        "--period", "2026-M4", "--write", "--summary",
    )  # fmt: skip

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "错误：2026年4月已报送（已锁定），不能写入监测数据"
    assert lines[1].startswith("提示：") and "解除锁定" in lines[1]
    assert len(lines) == 2, "a known error is no traceback"


def test_a_bad_file_is_one_line_and_exit_2(demo_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "报表.xlsx"
    bad.write_bytes(b"this is no workbook")
    result = _cli("import", str(bad), "--db", str(demo_path), "--dry-run")
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()  # no hint: the message says what to do
    assert line.startswith("错误：“报表.xlsx”不是有效的 .xlsx 文件")


def test_a_refusal_with_a_hint_prints_it_on_the_next_line(tmp_path: Path) -> None:
    path = tmp_path / "断面.csv"
    path.write_text("断面名称,采样日期,总磷\n湖心,2026-05-06,0.04\n", encoding="utf-8")
    result = _cli("water", str(path))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "错误：“断面.csv”没有水体类型列",
        "提示：请用 --body 河流 或 --body 湖库 指定水体类型",
    ]


def test_an_export_over_a_file_open_in_excel_says_close_it(
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "导出.xlsx"
    replace = Path.replace

    def locked(self: Path, target: str | os.PathLike[str]) -> Path:
        if Path(target) == out:  # what Windows answers while Excel holds the file open
            raise PermissionError(13, "Permission denied", str(target))
        return replace(self, target)

    monkeypatch.setattr(Path, "replace", locked)
    args = ["--db", str(demo_path), "--unit", UNIT_CODE, "--period", "2022-YTD10"]
    assert main(["export", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("错误：无法写入“导出.xlsx”")
    assert err[1] == "提示：在 Excel 或 WPS 中关闭该文件后重试，或另选保存位置"
    assert not out.exists()
    assert list(tmp_path.glob("*.part")) == [], "no half-written file is left beside it"


def test_a_save_into_a_folder_that_is_not_there_is_a_sentence_not_a_traceback(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A shared drive unmapped since, a folder deleted: the export and the chart say which file."""
    blocked = tmp_path / "共享盘.txt"
    blocked.write_text("a file where the user thought a folder was", encoding="utf-8")
    args = ["--db", str(demo_path), "--unit", UNIT_CODE, "--period", "2022-YTD10"]
    assert main(["export", *args, "--out", str(blocked / "导出.xlsx")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("错误：无法写入“") and "导出.xlsx" in err[0]
    assert err[0].endswith("路径中的文件夹不存在（同名的是一个文件）"), "the reason in Chinese"
    assert err[1] == "提示：检查磁盘空间和保存位置后重试"

    chart = ["chart", "--db", str(demo_path), "--type", "ranking", "--indicator", "pm10"]
    assert main([*chart, "--period", "2022-YTD10", "--out", str(blocked / "排名.png")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("错误：无法写入“") and "排名.png" in err[0]
    assert "Not a directory" not in err[0]


def test_a_command_that_only_reads_upgrades_a_file_from_an_older_ecodesk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After installing a new EcoDesk, `ecodesk-cli units` on last year's file answers (the file
    upgraded with a 升级前 copy beside it, as the window does) instead of refusing to read it."""
    import sqlite3

    from db.migrations import MIGRATIONS, apply_pending
    from db.schema_version import LATEST_VERSION

    path = tmp_path / "去年的.ecodesk"
    conn = sqlite3.connect(path, isolation_level=None)
    apply_pending(conn, MIGRATIONS[:7])
    conn.execute(
        "INSERT INTO unit (code, name, short_name, level)"
        " VALUES ('330300-01', '海岛区分局', '', '分局')"
    )
    conn.close()

    assert main(["units", "--db", str(path)]) == 0
    assert "海岛区分局" in capsys.readouterr().out
    db = open_database(path, read_only=True)
    try:
        assert db.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    finally:
        db.close()
    assert [p.name for p in tmp_path.glob("去年的.v7-升级前-*.ecodesk")], (
        "the copy before upgrading"
    )
