"""全部单位一览 through the window: the demo's 2022年1-10月, totals, a header click that re-sorts
in SQL, filters, the print preview's pages and the Excel export through its button."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from db import units
from db.connection import Database
from db.indicators import indicator_by_code
from db.periods import Period
from db.values import ValueWrite, write_values
from desktop.models.overview_table import OverviewModel
from desktop.ui.main_window import MainWindow
from desktop.ui.overview_page import OverviewPage
from desktop.ui.table_print import TableJob, print_pdf
from tests.support.pdf_text import pdf_text


def _page(db: Database, qtbot: QtBot) -> tuple[MainWindow, OverviewPage]:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    window.context_bar.set_context(units.unit_by_code(db, "330300-01").id, Period.ytd(2022, 10))
    page = window.show_page_titled("全部单位一览")
    assert isinstance(page, OverviewPage)
    return window, page


def _labels(model: OverviewModel) -> list[str]:
    return [model.row(r).label for r in range(model.rowCount())]


def test_demo_period_side_by_side_sorted_by_a_header_click(
    demo_db: Database, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two 市局 with one branch each have figures; give 温州 a second branch to sort.
    units.add_unit(demo_db, "330300-02", "示例二分局", level="分局", parent_code="330300")
    pm25 = indicator_by_code(demo_db, "pm25").id
    write_values(demo_db, [ValueWrite(units.unit_by_code(demo_db, "330300-02").id,
                                      "2022-YTD10", pm25, 35.0)])  # fmt: skip
    window, page = _page(demo_db, qtbot)
    model = page.model
    page.group_box.setCurrentText("大气")
    assert "2022年1-10月　大气指标" in page.caption.text()
    labels = _labels(model)
    assert labels.index("温州市局") < labels.index("温州市局 下属合计（2 个单位）")
    column = 1 + [i.code for i in model.indicators].index("pm25")
    total = model.index_of("温州市局 下属合计（2 个单位）", column)
    assert total.data() == "26"  # mean of 海岛区 17 and 35
    assert model.index_of("温州市局", column).data() == "未填"  # visible, not blank
    assert model.index_of("海岛区分局", column).data() == "17"

    header = page.view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    first = _labels(model)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    second = _labels(model)
    branches = [n for n in first if n in ("海岛区分局", "示例二分局")]
    assert branches == [n for n in second if n in ("海岛区分局", "示例二分局")][::-1]
    assert model.order.indicator_id == pm25  # the store was asked with ORDER BY pm25
    qtbot.mouseClick(page.tree_button, Qt.MouseButton.LeftButton)
    assert model.order.indicator_id is None

    # A figure typed elsewhere shows when the page is shown again.
    jindong = units.unit_by_code(demo_db, "330703").id
    window.show_page_titled("数据填报")
    write_values(demo_db, [ValueWrite(jindong, "2022-YTD10", pm25, 29.0)])
    window.show_page_titled("全部单位一览")
    assert model.index_of("金东分局", column).data() == "29"

    page.level_box.setCurrentText("分局")
    assert {model.row(r).unit.level for r in range(model.rowCount())} == {"分局"}
    page.level_box.setCurrentIndex(0)
    page.name_edit.setText("金东")
    assert _labels(model) == ["金东分局"]
    page.name_edit.clear()

    job = page.print_job()
    assert isinstance(job, TableJob)
    pdf = tmp_path / "一览.pdf"
    assert print_pdf(job, str(pdf)) >= 1
    text = pdf_text(pdf)
    assert "2022年1-10月各单位大气指标一览" in text and "数据来源：EcoDesk" in text

    out = tmp_path / "一览.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None and sheet["A1"].value == "2022年1-10月各单位大气指标一览"
    assert "已导出" in window.message.text()
