"""``ecodesk-cli stations``: 控制级别, water body and 水质目标 set as the 点位与断面… dialog sets
them, and what the figures then say."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.connection import open_database
from db.stations import stations_of
from db.units import unit_by_code
from desktop.cli import main
from desktop.services.demo import build_demo

SECTION = "示例断面二（示例数据）"
AIR = "示例点位甲（示例数据）"


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.ecodesk"
    build_demo(path).close()
    return path


def _stored(path: Path, name: str) -> tuple[str, str, int | None]:
    db = open_database(path, read_only=True)
    try:
        own = unit_by_code(db, str(db.meta("own_unit"))).id
        found = stations_of(db, own, "air") + stations_of(db, own, "water")
        s = next(s for s in found if s.name == name)
        return s.control_level, s.water_body, s.target_class
    finally:
        db.close()


def test_list_shows_every_station(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stations", "list", "--db", str(demo_path)]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if SECTION in x)
    assert "地表水断面" in line and "市控" in line and "河流" in line and "Ⅲ类" in line
    assert "空气站点" in next(x for x in out.splitlines() if AIR in x)


@pytest.mark.parametrize(
    ("level", "target", "kind", "expected"),
    [
        ("省控", "II", "湖泊", ("省控", "湖库", 2)),
        ("国考", "Ⅱ", "水库", ("国控", "湖库", 2)),
        ("县控", "2", "湖库", ("县控", "湖库", 2)),
        ("市控断面", "Ⅳ类", "河流", ("市控", "河流", 4)),
    ],
)
def test_set_accepts_the_ways_bureaus_write(
    demo_path: Path,
    capsys: pytest.CaptureFixture[str],
    level: str,
    target: str,
    kind: str,
    expected: tuple[str, str, int],
) -> None:
    args = ["stations", "set", SECTION, "--level", level, "--target", target, "--kind", kind]
    assert main([*args, "--db", str(demo_path)]) == 0
    assert "已设置地表水断面" in capsys.readouterr().out
    assert _stored(demo_path, SECTION) == expected


def test_set_changes_only_what_is_given(demo_path: Path) -> None:
    assert main(["stations", "set", SECTION, "--target", "III", "--db", str(demo_path)]) == 0
    assert _stored(demo_path, SECTION) == ("市控", "河流", 3)
    assert main(["stations", "set", SECTION, "--level", "无", "--db", str(demo_path)]) == 0
    assert _stored(demo_path, SECTION) == ("", "河流", 3)


def test_the_level_moves_the_share(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A 县控 section leaves the 市控以上 share; set to 市控 it counts again."""
    share = ["water-share", "--period", "2022-Y", "--db", str(demo_path)]
    assert main(share) == 0
    before = next(x for x in capsys.readouterr().out.splitlines() if "市控以上断面" in x)
    assert main(["stations", "set", "示例湖库三（示例数据）", "--level", "市控",
                 "--db", str(demo_path)]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(share) == 0
    after = next(x for x in capsys.readouterr().out.splitlines() if "市控以上断面" in x)
    assert before.startswith("市控以上断面Ⅲ类及以上 2/2") and after.startswith(
        "市控以上断面Ⅲ类及以上 3/3"
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ([SECTION, "--level", "镇控"], ["控制级别“镇控”无法识别", "国控、省控、市控 或 县控"]),
        ([SECTION, "--target", "劣Ⅴ"], ["劣Ⅴ类不是目标"]),
        ([SECTION, "--target", "好"], ["“好”不是水质类别", "--target III"]),
        ([SECTION, "--kind", "海湾"], ["水体类型“海湾”无法识别", "河流 或 湖库"]),
        ([AIR, "--target", "III"], ["是空气站点，没有水质目标"]),
        (["南溪口", "--level", "市控"], ["没有名为“南溪口”的点位或断面", "现有：示例点位"]),
        ([SECTION], ["没有要修改的内容"]),
    ],
)
def test_refusals_change_nothing(
    demo_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: list[str]
) -> None:
    before = _stored(demo_path, SECTION)
    assert main(["stations", "set", *args, "--db", str(demo_path)]) == 2
    err = capsys.readouterr().err
    for word in words:
        assert word in err
    assert _stored(demo_path, SECTION) == before
