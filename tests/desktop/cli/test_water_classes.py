"""控制级别 and 水质目标 from a centre's file: used from the file alone, set on import where the
store has none, and never overwriting what the office set (the dry run says so instead)."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.connection import open_database
from db.stations import stations_of
from db.units import unit_by_code
from desktop.cli import main
from desktop.services.demo import build_demo
from desktop.services.monitoring.sample_import import commit_import, revert_import
from desktop.services.monitoring.water.classes import WaterBody
from desktop.services.monitoring.water.section_import import dry_run_water_file
from tests.support.section_exports import write_centre_export


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.ecodesk"
    build_demo(path).close()
    return path


def _classes(path: Path) -> dict[str, tuple[str, int | None]]:
    db = open_database(path, read_only=True)
    try:
        own = unit_by_code(db, str(db.meta("own_unit"))).id
        return {s.name: (s.control_level, s.target_class) for s in stations_of(db, own, "water")}
    finally:
        db.close()


def test_water_from_the_file_counts_its_levels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_centre_export(tmp_path / "3月.xlsx")
    assert main(["water", str(path), "--body", "河流"]) == 0
    out = capsys.readouterr().out
    # 岙底 is 县控: the 市控以上 share is over 江口, 南溪口, 城西桥 (城西桥 is Ⅳ类).
    assert "市控以上断面Ⅲ类及以上 2/3，比例 66.7%" in out
    assert "断面达标率 75.0%（3/4）" in out and "城西桥（Ⅳ类，目标Ⅲ类）" in out


def test_import_sets_empty_attributes_and_never_overwrites(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_centre_export(tmp_path / "3月.xlsx")
    args = ["water-import", str(path), "--body", "河流", "--db", str(demo_path)]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "设置：江口 控制级别 国控（3月!D5），水质目标 Ⅱ类（3月!E5）（库中未设）" in out
    assert "江口" not in _classes(demo_path)  # a dry run writes nothing
    assert main(args) == 0
    capsys.readouterr()
    assert _classes(demo_path)["江口"] == ("国控", 2)
    assert _classes(demo_path)["岙底"] == ("县控", 3)
    # The office decides 南溪口 is 市控 with target Ⅱ; the next month's file still says 省控 Ⅲ.
    assert main(["stations", "set", "南溪口", "--level", "市控", "--target", "Ⅱ",
                 "--db", str(demo_path)]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "3月!D6：南溪口 文件写省控，库中为市控，未改动" in out
    assert "3月!E6：南溪口 文件写水质目标Ⅲ类，库中为Ⅱ类，未改动" in out
    assert "stations set" in out and "设置：" not in out
    assert _classes(demo_path)["南溪口"] == ("市控", 2)


def test_undoing_the_import_unsets_what_it_set(demo_path: Path, tmp_path: Path) -> None:
    path = write_centre_export(tmp_path / "3月.xlsx")
    db = open_database(demo_path)
    try:
        own = unit_by_code(db, str(db.meta("own_unit"))).id
        imp = dry_run_water_file(db, path, own, WaterBody.RIVER)
        commit_import(db, imp, "测试")
        assert {s.name: s.control_level for s in stations_of(db, own, "water")}["江口"] == "国控"
        revert_import(db, imp, "测试")
        after = {s.name: (s.control_level, s.target_class) for s in stations_of(db, own, "water")}
    finally:
        db.close()
    assert after["江口"] == ("", None)


def test_a_file_with_nothing_new_but_a_target_still_sets_it(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_centre_export(tmp_path / "3月.xlsx")
    args = ["water-import", str(path), "--body", "河流", "--db", str(demo_path)]
    assert main(args) == 0
    assert main(["stations", "set", "江口", "--target", "无", "--db", str(demo_path)]) == 0
    capsys.readouterr()
    assert main(args) == 0  # every value 不变; the file still states 江口's target
    out = capsys.readouterr().out
    assert "设置：江口 水质目标 Ⅱ类（3月!E5）（库中未设）" in out
    assert "已导入 0 项监测数据，设置点位属性 1 个" in out
    assert _classes(demo_path)["江口"] == ("国控", 2)
