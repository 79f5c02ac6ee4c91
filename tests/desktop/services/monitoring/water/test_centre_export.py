"""A monitoring centre's monthly section table, read as it comes: merged title, units under the
names, 控制级别 and 水质目标 columns, a 注 line at the foot."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from desktop.services.monitoring.water.classes import WaterBody
from desktop.services.monitoring.water.reader import read_water_file
from tests.support.section_exports import ROWS, write_centre_export


def test_levels_and_targets_are_read_with_their_cells(tmp_path: Path) -> None:
    read = read_water_file(write_centre_export(tmp_path / "3月.xlsx"), WaterBody.RIVER)
    assert read.errors == []  # the units row and the 注 line are not data
    stated = {name: (c.control_level, c.target_class) for name, c in read.classes.items()}
    assert stated == {"江口": ("国控", 2), "南溪口": ("省控", 3), "城西桥": ("市控", 3),
                      "岙底": ("县控", 3)}  # fmt: skip
    assert read.classes["城西桥"].level_cell == "3月!D7"
    assert read.classes["江口"].target_cell == "3月!E5"
    assert len(read.observations) == 4 * 7
    assert read.columns["NH3-N"] == "氨氮（mg/L）"
    bod = next(o for o in read.observations if o.station == "岙底" and o.item == "BOD5")
    assert bod.value == Decimal("0.25")  # 0.5L: half the detection limit


def test_a_unit_row_in_ug_converts(tmp_path: Path) -> None:
    path = write_centre_export(tmp_path / "3月.xlsx")
    book = load_workbook(path)
    sheet = book["3月"]
    sheet["L4"] = "μg/L"
    sheet["L5"] = 30  # 0.03 mg/L written in μg/L
    book.save(path)
    read = read_water_file(path, WaterBody.RIVER)
    tp = next(o for o in read.observations if o.station == "江口" and o.item == "TP")
    assert tp.value == Decimal("0.030")
    assert any("μg/L，已换算为 mg/L" in w for w in read.warnings)


def test_words_not_understood_and_rows_that_disagree(tmp_path: Path) -> None:
    rows = (
        ("江口", "飞云江", "国控", "Ⅱ", *ROWS[0][4:]),
        ("江口", "飞云江", "省控", "Ⅲ", *ROWS[0][4:]),  # the same section, another level
        ("南溪口", "南溪", "重点", "好", *ROWS[1][4:]),
        ("城西桥", "温瑞塘河", "", "劣Ⅴ", *ROWS[2][4:]),
    )
    read = read_water_file(write_centre_export(tmp_path / "3月.xlsx", rows), WaterBody.RIVER)
    assert read.classes["江口"].control_level == "国控"  # the first row counts
    assert read.classes["江口"].target_class == 2
    warnings = "\n".join(read.warnings)
    assert "3月!D6：江口 写省控，与3月!D5（国控）不同，按3月!D5" in warnings
    assert "3月!E6：江口 水质目标写Ⅲ类，与3月!E5（Ⅱ类）不同，按3月!E5" in warnings
    assert "3月!D7：控制级别“重点”无法识别" in warnings
    assert "3月!E7：水质目标“好”不是水质类别" in warnings
    assert "3月!E8：水质目标不能是劣Ⅴ类" in warnings
    assert "南溪口" not in read.classes and "城西桥" not in read.classes
    assert len({o.station for o in read.observations}) == 3  # the values are still read
