"""``ecodesk-cli duties``: the 工作台's reporting duties as a clerk would manage them from a
script, checked against what the 工作台 states on the same day."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli import main
from desktop.services.demo import build_demo
from tests.desktop.cli.test_forms_end_to_end import CITY_FORM
from tests.support.bureau_corpus import write


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.ecodesk"
    build_demo(path).close()
    return path


def _row(out: str, name: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(name + " "))


def test_list_states_overdue_due_and_done(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["duties", "list", "--db", str(demo_path), "--today", "2022-11-08"]) == 0
    out = capsys.readouterr().out
    monthly = _row(out, "市局主要指标月报（1-N月累计）")
    assert "2022年1-10月" in monthly and "11月5日截止，已逾期 3 天" in monthly
    assert "逾期" in monthly
    petitions = _row(out, "环境信访月报")
    assert "2022年10月" in petitions and "还有 2 天" in petitions and "未填 3 项" in petitions
    assert "已报送" in _row(out, "执法检查季报") and "2022年第三季度" in _row(out, "执法检查季报")
    assert "环境信访月报 未填：受理环境信访件" in out
    # Before the 5th the same monthly form is only due, and filled.
    assert main(["duties", "list", "--db", str(demo_path), "--today", "2022-11-03"]) == 0
    monthly = _row(capsys.readouterr().out, "市局主要指标月报（1-N月累计）")
    assert "还有 2 天" in monthly and "已填" in monthly and "逾期" not in monthly


def test_add_then_list_then_remove(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(demo_path)]
    assert main(["duties", "add", "大气季报", "--kind", "季报", "--due", "季后10日内",
                 "--group", "大气", *db]) == 0  # fmt: skip
    assert "已为温州市生态环境局海岛区分局新增报送任务“大气季报”" in capsys.readouterr().out
    assert main(["duties", "list", "--today", "2023-01-05", *db]) == 0
    row = _row(capsys.readouterr().out, "大气季报")
    assert "2022年第四季度" in row and "1月10日截止，还有 5 天" in row and "未填" in row
    assert main(["duties", "remove", "大气季报", *db]) == 0
    assert "已删除温州市生态环境局海岛区分局的报送任务“大气季报”" in capsys.readouterr().out
    assert main(["duties", "list", "--today", "2023-01-05", *db]) == 0
    assert "大气季报" not in capsys.readouterr().out


def test_add_by_template(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A duty for the city's own form counts the rows that form asks for."""
    db = ["--db", str(demo_path)]
    assert main(["duties", "add", "按表样", "--kind", "M", "--due", "每月5日前",
                 "--template", "没有这个表", *db]) == 2  # fmt: skip
    assert "没有名为“没有这个表”的表样" in capsys.readouterr().err
    form = write(CITY_FORM, tmp_path / "form", blank=True)
    assert main(["template", "add", str(form.path), "--name", "市局调度表",
                 "--map", "新增城镇污水管网长度=-", *db]) == 0  # fmt: skip
    assert main(["duties", "add", "市局调度", "--kind", "累计", "--due", "每月5日前",
                 "--template", "市局调度表", *db]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["duties", "list", "--today", "2022-11-03", *db]) == 0
    out = capsys.readouterr().out
    row = _row(out, "市局调度")
    assert "2022年1-10月" in row and "市局调度表" in row and "未填 1 项" in row
    assert "市局调度 未填：臭氧浓度" in out  # the one row of the form the demo has no figure for


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--kind", "月报", "--due", "每月五号前", "--group", "大气"],
         ["“每月五号前”不是可识别的报送时限", "每月5日前", "季后10日内"]),
        (["--kind", "月报", "--due", "季后10日内", "--group", "大气"],
         ["按季的时限，与月报不符", "提示：月报写“每月5日前”"]),
        (["--kind", "半年报", "--due", "每月5日前", "--group", "大气"],
         ["报送期间“半年报”无法识别", "季报（Q）"]),
        (["--kind", "月报", "--due", "每月5日前", "--group", "空气"],
         ["没有指标组“空气”", "可选的指标组：大气、水"]),
        (["--kind", "月报", "--due", "每月5日前"], ["需要选择上级表样或至少一个指标组"]),
    ],
)  # fmt: skip
def test_refusals_name_what_is_wrong(
    demo_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: list[str]
) -> None:
    assert main(["duties", "add", "新任务", *args, "--db", str(demo_path)]) == 2
    err = capsys.readouterr().err
    for word in words:
        assert word in err
    assert main(["duties", "list", "--db", str(demo_path)]) == 0
    assert "新任务" not in capsys.readouterr().out  # nothing half-added


def test_repeated_name_and_unknown_removal(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(demo_path)]
    assert main(["duties", "add", "环境信访月报", "--kind", "M", "--due", "每月10日前",
                 "--group", "信访", *db]) == 2  # fmt: skip
    assert "已有名为“环境信访月报”的报送任务" in capsys.readouterr().err
    assert main(["duties", "remove", "信访月报", *db]) == 2
    err = capsys.readouterr().err
    assert "没有名为“信访月报”的报送任务" in err and "现有：市局主要指标月报" in err
