"""``ecodesk-cli chart``, ``chartset`` and ``pack``: a month's pack in one command."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli import main
from tests.support.pdf_text import pdf_text


def test_chart_chartset_and_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "d.ecodesk")
    assert main(["demo", "--db", db]) == 0
    png = tmp_path / "排名.png"
    args = ["chart", "--db", db, "--type", "ranking", "--indicator", "pm25"]
    assert main([*args, "--period", "2022-YTD10", "--out", str(png)]) == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert "已生成图表“PM2.5平均浓度排名”" in capsys.readouterr().out

    base = ["chartset", "add", "局务会", "--db", db, "--period", "2022-YTD10"]
    assert main([*base, "--set-title", "局务会数据材料", "--type", "yoy"]) == 0
    assert main([*base, "--type", "composition", "--indicator", "problems_found"]) == 0
    assert "共 2 张图" in capsys.readouterr().out
    assert main(["chartset", "list", "--db", db]) == 0
    assert "局务会数据材料" in capsys.readouterr().out
    assert main(["chartset", "show", "局务会", "--db", db]) == 0
    assert "2. 构成｜发现环境问题｜堆积柱｜2022-YTD10" in capsys.readouterr().out

    pdf = tmp_path / "pack.pdf"
    assert main(["pack", "局务会", "--db", db, "--out", str(pdf)]) == 0
    assert "2 张图" in capsys.readouterr().out
    text = pdf_text(pdf)
    assert "局务会数据材料" in text and "-18.8%" in text and "涉废类问题" in text

    # Next month: no figures yet, so nothing is written and the reason is printed.
    later = tmp_path / "later.pdf"
    assert main(["pack", "局务会", "--db", db, "--period", "2022-YTD11", "--out", str(later)]) == 2
    captured = capsys.readouterr()
    assert "未列入：第1张" in captured.out and "没有一张图表有数据" in captured.err
    assert not later.exists()


def test_chart_refusals_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "d.ecodesk")
    main(["demo", "--db", db])
    capsys.readouterr()
    out = str(tmp_path / "x.png")
    assert (
        main(
            [
                "chart",
                "--db",
                db,
                "--type",
                "trend",
                "--indicator",
                "nope",
                "--period",
                "2022-YTD10",
                "--out",
                out,
            ]
        )
        == 2
    )
    assert capsys.readouterr().err.strip() == "错误：没有代码为“nope”的指标"
    assert (
        main(
            [
                "chart",
                "--db",
                db,
                "--type",
                "ranking",
                "--indicator",
                "pm25",
                "--period",
                "2022-YTD10",
                "--out",
                str(tmp_path / "x.jpg"),
            ]
        )
        == 2
    )
    assert "不支持" in capsys.readouterr().err
    assert main(["pack", "无此组", "--db", db, "--out", out]) == 2
    assert "没有名为“无此组”的图表组" in capsys.readouterr().err
