"""A form the city bureau designed (names we do not use, merged headers, formulas): mapped once,
recognised in next month's copy, imported, and filled with our figures keeping its formatting."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pytestqt.qtbot import QtBot

from db import units
from db.connection import Database
from db.errors import StorageError
from db.periods import Period
from desktop.services.common.dry_run import Status
from desktop.services.common.workbook import read_workbook
from desktop.services.exchange import templates
from desktop.services.exchange.filling import fill_form
from desktop.services.exchange.importing import detect_all, dry_run_file
from desktop.services.exchange.layout import Key, SheetLayout

ISLAND = "330300-01"


def city_form(path: Path, month: int, figures: dict[str, object] | None = None) -> Path:
    """温州市局's own monthly form: its own indicator wording, money in 亿元, a formula total."""
    figures = figures or {}
    book = Workbook()
    ws = book.active
    ws.title = "月报"
    ws.merge_cells("A1:E1")
    ws["A1"] = f"全市生态环境重点工作月度调度表（2022年1-{month}月）"
    ws.merge_cells("A2:B3")
    ws["A2"] = "调度事项"
    ws.merge_cells("C2:C3")
    ws["C2"] = "计量"
    ws.merge_cells("D2:E2")
    ws["D2"] = "完成情况"
    ws["D3"], ws["E3"] = "累计完成", "上年同期"
    rows = [
        ("空气", "空气优良天数比例", "%"),
        ("空气", "细颗粒物浓度", "微克/立方米"),
        ("执法", "现场检查人次", "人次"),
        ("投资", "生态项目投资", "亿元"),
    ]
    for offset, (group, name, measure) in enumerate(rows):
        r = 4 + offset
        ws.cell(row=r, column=1, value=group)
        ws.cell(row=r, column=2, value=name)
        ws.cell(row=r, column=3, value=measure)
        if name in figures:
            ws.cell(row=r, column=4, value=figures[name])
        ws.cell(row=r, column=4).number_format = "0.00"
    ws["A8"] = "合计（人次+…）"
    ws["D8"] = "=SUM(D4:D7)"
    book.save(path)
    return path


def mapping() -> SheetLayout:
    """What the user picks in the mapping dialog for that form."""
    return SheetLayout(
        sheet="月报",
        default=Key(unit=ISLAND),
        rows={
            3: Key(indicator="air_good_rate"),
            4: Key(indicator="pm25"),
            5: Key(indicator="enforce_staff"),
            6: Key(indicator="eco_invest"),
        },
        columns={3: Key(field="current"), 4: Key(field="last_year")},
        measure_column=2,
    )


def test_unmapped_form_is_not_guessed(demo_db: Database, tmp_path: Path) -> None:
    grid = read_workbook(city_form(tmp_path / "月报.xlsx", 10))
    found = detect_all(demo_db, grid)
    assert not found.layouts and found.problems, "no 指标 header: EcoDesk asks for a mapping"


def test_mapped_once_then_recognised_imported_and_filled(demo_db: Database, tmp_path: Path) -> None:
    october = city_form(tmp_path / "10月.xlsx", 10)
    layout = mapping().with_default(period="2022-YTD10")
    templates.save(demo_db, "市局月度调度表", read_workbook(october), [layout])

    # Next month's copy: another title, figures typed by a colleague, money in 亿元.
    november = city_form(
        tmp_path / "11月.xlsx", 11,
        {"空气优良天数比例": 97.0, "细颗粒物浓度": "17", "生态项目投资": 0.6525},
    )  # fmt: skip
    grid = read_workbook(november)
    found = templates.find(demo_db, grid)
    assert found is not None and found.name == "市局月度调度表"
    dry_run = dry_run_file(demo_db, november)
    by_code = {i.indicator_name: i for i in dry_run.items}
    assert by_code["空气质量优良率"].status is Status.UNCHANGED
    assert by_code["PM2.5平均浓度"].status is Status.UNCHANGED
    assert by_code["生态环境项目完成投资"].new == pytest.approx(6525.0)  # 0.6525亿元

    filled = tmp_path / "10月_已填.xlsx"
    island = units.unit_by_code(demo_db, ISLAND)
    report = fill_form(
        demo_db, october, [layout], filled, unit_code=island.code, period=Period.parse("2022-YTD10")
    )
    ws = load_workbook(filled)["月报"]
    assert ws["D4"].value == 97.0 and ws["D5"].value == 17 and ws["D6"].value == 572
    assert ws["D7"].value == pytest.approx(0.6525), "万元 converted back to the form's 亿元"
    assert ws["E5"].value is None and any("暂无数据" in s for s in report.skipped)
    assert ws["D8"].value == "=SUM(D4:D7)", "the bureau's formula is kept"
    assert "A1:E1" in {str(r) for r in ws.merged_cells.ranges}, "merged title kept"
    assert ws["D4"].number_format == "0.00", "the bureau's number format kept"
    assert report.written == 4, "four figures this year; last year has none for this unit"


def test_moved_rows_are_found_by_label_and_originals_are_never_overwritten(
    demo_db: Database, tmp_path: Path
) -> None:
    """A clerk's copy with a row inserted, the sheet renamed: the template still recognises it,
    each figure by its label; a copy missing a mapped row is another form and does not match."""
    october = city_form(tmp_path / "10月.xlsx", 10)
    templates.save(
        demo_db, "月报", read_workbook(october), [mapping().with_default(period="2022-YTD10")]
    )
    moved = tmp_path / "moved.xlsx"
    book = load_workbook(october)
    book["月报"].insert_rows(5)
    book["月报"]["B5"], book["月报"]["D5"] = "其中：城区PM2.5", 99
    book["月报"].title = "Sheet1"
    book.save(moved)
    found = templates.find(demo_db, read_workbook(moved))
    assert found is not None and found.layouts[0].sheet == "Sheet1"
    assert {r: k.indicator for r, k in found.layouts[0].rows.items()} == {
        3: "air_good_rate", 5: "pm25", 6: "enforce_staff", 7: "eco_invest"
    }  # fmt: skip
    dry_run = dry_run_file(demo_db, moved)
    assert [(s.cell, s.reason) for s in dry_run.skipped] == [
        ("B5", "不在表样“月报”中（未对应此行），未导入")
    ]
    assert not any(i.new == 99 for i in dry_run.items), "the inserted row's figure goes nowhere"

    book = load_workbook(october)
    book["月报"].delete_rows(5)  # 细颗粒物浓度 gone: not this 表样
    book.save(moved)
    assert templates.find(demo_db, read_workbook(moved)) is None
    with pytest.raises(StorageError, match="不要覆盖"):
        fill_form(demo_db, october, [mapping()], october)


def test_mapping_dialog_saves_what_the_user_picked(
    demo_db: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QComboBox

    from desktop.ui.mapping_dialog import MappingDialog

    grid = read_workbook(city_form(tmp_path / "10月.xlsx", 10))
    dialog = MappingDialog(demo_db, grid, Period.parse("2022-YTD10"))
    qtbot.addWidget(dialog)
    labels = {
        dialog.rows_table.item(n, 1).text(): n
        for n in range(dialog.rows_table.rowCount())  # type: ignore[union-attr]
    }
    assert "细颗粒物浓度" in labels and "空气优良天数比例" in labels

    def pick(table: object, n: int, data: str) -> None:
        box = table.cellWidget(n, 2)  # type: ignore[attr-defined]
        assert isinstance(box, QComboBox)
        box.setCurrentIndex(box.findData(data))

    pick(dialog.rows_table, labels["细颗粒物浓度"], "pm25")
    pick(dialog.rows_table, labels["空气优良天数比例"], "air_good_rate")
    headers = {
        dialog.columns_table.item(n, 1).text(): n
        for n in range(dialog.columns_table.rowCount())  # type: ignore[union-attr]
    }
    pick(dialog.columns_table, headers["累计完成"], "current")
    pick(dialog.columns_table, headers["计量"], "measure")
    dialog.unit_box.setCurrentIndex(dialog.unit_box.findData(ISLAND))
    dialog.name_edit.setText("市局月度调度表")
    dialog.save()
    assert dialog.saved == "市局月度调度表"
    saved = templates.load(demo_db, "市局月度调度表")
    [layout] = saved.layouts
    assert layout.default.period is None, "按表中标题: each copy's title says its period"
    assert {k.indicator for k in layout.rows.values()} == {"pm25", "air_good_rate"}
    assert [k.field for k in layout.columns.values()] == ["current", "last_year"], "suggested"
    assert layout.measure_column == 2
    november = city_form(tmp_path / "11月.xlsx", 11, {"细颗粒物浓度": 18})
    [item] = [
        i for i in dry_run_file(demo_db, november).items if i.indicator_name == "PM2.5平均浓度"
    ]
    assert item.period == "2022-YTD11" and item.new == 18, "next month's copy is 1-11月"
