"""``ecodesk-cli`` end to end, in-process: Chinese output and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import units
from db.connection import open_database
from db.indicators import indicator_by_code
from db.values import ValueWrite, write_values
from desktop.cli import main


def test_demo_show_check_backup_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "d.ecodesk"
    assert main(["demo", "--db", str(path)]) == 0
    assert "已建立演示数据库" in capsys.readouterr().out

    assert (
        main(["show", "--db", str(path), "--period", "2021-YTD10", "--period", "2022-YTD10"]) == 0
    )
    out = capsys.readouterr().out
    assert "海岛区分局" in out and "2022年1-10月" in out
    line = next(line for line in out.splitlines() if line.startswith("发现环境问题"))
    assert line.split()[-1] == "51"

    assert main(["check", "--db", str(path), "--period", "2022-YTD10"]) == 0
    assert "0 项错误" in capsys.readouterr().out

    assert main(["backup", "--db", str(path)]) == 0
    assert "已备份到" in capsys.readouterr().out
    db = open_database(path)
    unit = units.unit_by_code(db, "330300-01")
    pm10 = indicator_by_code(db, "pm10")
    write_values(db, [ValueWrite(unit.id, "2022-YTD10", pm10.id, 10.0)])  # now PM2.5 > PM10
    db.close()
    assert main(["check", "--db", str(path), "--period", "2022-YTD10"]) == 1
    out = capsys.readouterr().out
    assert "PM2.5浓度不应高于PM10浓度" in out and "1 项错误" in out

    assert main(["restore", "--db", str(path)]) == 0
    assert "已从" in capsys.readouterr().out
    assert main(["check", "--db", str(path), "--period", "2022-YTD10"]) == 0


def test_errors_are_one_chinese_line_and_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "--db", str(tmp_path / "missing.ecodesk")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：找不到数据库文件") and "\n" not in err
    bad = tmp_path / "bad.ecodesk"
    bad.write_bytes(b"PK\x03\x04 not a database")
    assert main(["check", "--db", str(bad), "--period", "2022-Y"]) == 2
    assert "不是 EcoDesk 数据库" in capsys.readouterr().err
    path = tmp_path / "d.ecodesk"
    main(["demo", "--db", str(path)])
    capsys.readouterr()
    assert main(["check", "--db", str(path), "--period", "2022-M13"]) == 2
    assert "范围" in capsys.readouterr().err
    assert main(["demo", "--db", str(path)]) == 2
    assert "--force" in capsys.readouterr().err
