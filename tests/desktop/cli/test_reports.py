"""The demo's own reports fill every field from the demo figures; the CLI drives it all."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import reports
from db.connection import Database
from desktop.cli import main
from desktop.services.reports.blanks import Filler
from tests.conftest import SEEDS


def test_demo_reports_fill_every_field(demo_db: Database) -> None:
    found = reports.reports(demo_db)
    assert len(found) == 3
    for report in found:
        filler = Filler(demo_db, report.unit_id, report.period)
        text = "".join(filler.fill(n.body) for n in reports.nodes_of(demo_db, report.id))
        assert filler.missing == [], report.title
        assert filler.filled >= 3
    island = next(r for r in found if r.title.startswith("海岛区"))
    first = reports.nodes_of(demo_db, island.id)[0]
    assert (
        Filler(demo_db, island.unit_id, island.period)
        .fill(first.body)
        .startswith("1-10月，我区空气质量优良率97.0%，PM2.5平均浓度17μg/m³")
    )
    assert text


def _cli(*args: str) -> int:
    return main(list(args))


def test_cli_import_export_search(
    demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_db.path)
    demo_db.close()
    seed = next(SEEDS.glob("004_*.txt"))
    assert _cli("report", "import", str(seed), "--db", db, "--unit", "620800-01", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "一、工作完成情况" in out and "（预览，未保存）" in out
    assert _cli("report", "import", str(seed), "--db", db, "--unit", "620800-01") == 0
    assert "已保存为报告 4" in capsys.readouterr().out
    assert _cli("report", "export", "4", "--db", db, "--docx", str(tmp_path / "o.docx")) == 0
    out = capsys.readouterr().out
    assert "仍为空白" in out and (tmp_path / "o.docx").exists()
    assert _cli("search", "逆温层", "--db", db) == 0
    assert "【逆温层】" in capsys.readouterr().out
    assert _cli("search", "没有这句话的", "--db", db) == 1
    assert _cli("report", "figures", "1", "--db", db) == 0
    assert "空气质量优良率" not in capsys.readouterr().out  # fields are not figures to offer
