"""The 监测数据 page in the real main window: import a file through the preview, calendar, both
standards, write, undo."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from db import locks
from db.connection import Database
from db.periods import Period
from desktop.models.aqi_calendar import AQI_ROLE
from desktop.models.entry_grid import Col
from desktop.ui.main_window import MainWindow
from desktop.ui.monitoring_page import FIGURE_ROWS, MonitoringPage
from tests.desktop.services.monitoring.air.test_figures import UNIT, write_daily_csv


def _open(window: MainWindow) -> MonitoringPage:
    row = next(r for r in range(window.nav.count()) if window.nav.item(r).text() == "监测数据")
    window.nav.setCurrentRow(row)
    page = window.page(row)
    assert isinstance(page, MonitoringPage)
    return page


def test_read_show_both_standards_and_write(
    demo_db: Database, qtbot: QtBot, qtmodeltester: ModelTester, tmp_path: Path
) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.context_bar.set_context(UNIT, Period.month(2026, 4))
    page = _open(window)
    path = write_daily_csv(tmp_path / "日均值.csv")
    assert not page.figures and "尚无日均值数据" in page.file_label.text()
    page.import_file(path)
    qtbot.waitUntil(lambda: page.preview is not None and page.task is None, timeout=5000)
    preview = page.preview
    assert preview is not None and preview.isVisible()
    assert not page.figures  # nothing is written before the user says 导入
    assert preview.commit_button.text().startswith("导入 ")
    qtbot.mouseClick(preview.commit_button, Qt.MouseButton.LeftButton)
    assert not page.import_button.isEnabled(), "the window waits for the worker's write"
    qtbot.waitUntil(lambda: "已导入" in window.message.text(), timeout=5000)
    assert page.figures and page.import_button.isEnabled()

    model = page.calendar_model
    qtmodeltester.check(model)
    assert model.columnCount() == 7 and model.rowCount() == 5  # April 2026 starts on a Wednesday
    index = model.index_of(date(2026, 4, 1))
    assert index.column() == 2
    # The largest IAQI of the day is O3 8 h 90 µg/m³ → 45 (100 ↔ 50) under both editions: 优.
    assert index.data() == "4月1日\nAQI 45 优"
    brush = index.data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(brush, QBrush) and brush.color().getRgb()[:3] == (0, 228, 0)
    late = model.index_of(date(2026, 4, 25))
    scored = late.data(AQI_ROLE)
    assert scored is not None and scored.category.name in late.data()
    assert late.data(Qt.ItemDataRole.BackgroundRole).color().getRgb()[:3] == scored.category.rgb

    headers = [page.table.horizontalHeaderItem(c).text() for c in range(2)]
    assert headers == ["HJ 633—2012", "HJ 633—2026"]
    rate_row = [key for _, key in FIGURE_ROWS].index("good_rate")
    assert all(page.table.item(rate_row, c).text() not in ("", "—") for c in range(2))
    pm25_row = [key for _, key in FIGURE_ROWS].index("mean:PM2.5")
    # 20 days at 20 and 10 days at 62: the mean, not the 95th percentile.
    assert [page.table.item(pm25_row, c).text().split()[0] for c in range(2)] == ["34", "34"]

    page.standard_box.setCurrentIndex(page.standard_box.findData("2026"))
    assert page.write_button.text() == "写入指标库（按 HJ 633—2026 标准）"
    page.write_to_store()
    grid = window.entry_page.model
    row = grid.row_of("air_good_rate")
    expected = page.table.item(rate_row, 1).text()
    assert grid.index(row, Col.CURRENT).data() == expected
    assert "写入" in window.message.text()

    locks.lock_period(demo_db, UNIT, "2026-M4")
    page.write_to_store()
    assert "已锁定" in window.message.text()


def test_import_preview_then_undo_redo(demo_db: Database, qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.context_bar.set_context(UNIT, Period.month(2026, 4))
    page = _open(window)
    path = write_daily_csv(tmp_path / "日均值.csv")
    page.import_file(path)
    qtbot.waitUntil(lambda: page.preview is not None and page.task is None, timeout=5000)
    assert page.preview is not None
    page.preview.reject()  # 放弃: nothing stored
    assert not page.figures and "放弃" in page.file_label.text()

    page.import_file(path)
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible(), timeout=5000)
    model = page.preview.model
    assert model.rowCount() == len(page.preview.imp.dry_run.items) > 0
    assert model.index(0, 0).data() == "新增"
    page.preview.accept()
    qtbot.waitUntil(lambda: len({r.day for r in page.records}) == 30, timeout=5000)

    window.undo_action.trigger()
    assert not page.isEnabled(), "the undo runs on the worker, the window disabled"
    qtbot.waitUntil(lambda: not page.records, timeout=5000)
    assert not page.figures and "已撤销" in window.message.text()
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: len({r.day for r in page.records}) == 30, timeout=5000)
    assert page.isEnabled()

    # 逐月写入 needs a period of several months; 1-4月 writes April and 1-4月 (March is empty).
    assert not page.monthly_button.isEnabled()
    window.context_bar.set_context(UNIT, Period.ytd(2026, 4))
    assert page.monthly_button.isEnabled()
    qtbot.mouseClick(page.monthly_button, Qt.MouseButton.LeftButton)
    assert not page.monthly_button.isEnabled(), "逐月写入 runs on the worker"
    qtbot.waitUntil(lambda: "2 个期间" in window.message.text(), timeout=5000)
    assert page.monthly_button.isEnabled()

    # The same file again: every value 不变, nothing to import.
    page.import_file(path)
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible(), timeout=5000)
    dry_run = page.preview.imp.dry_run
    assert dry_run.accepted == [] and dry_run.count(dry_run.items[0].status) == len(dry_run.items)
    assert not page.preview.commit_button.isEnabled()


def test_water_tab_follows_the_context_bar(demo_db: Database, qtbot: QtBot, tmp_path: Path) -> None:
    from tests.desktop.services.monitoring.water.test_reader import write_station_workbook

    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.context_bar.set_context(UNIT, Period.month(2026, 3))
    page = _open(window)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["环境空气", "地表水"]
    page.tabs.setCurrentWidget(page.water)
    water = page.water
    water.import_file(write_station_workbook(tmp_path / "断面.xlsx"))
    qtbot.waitUntil(lambda: water.preview is not None and water.task is None, timeout=5000)
    assert water.preview is not None
    water.preview.accept()
    qtbot.waitUntil(lambda: water.model.rowCount() == 4, timeout=5000)
    assert "3/4" in water.share_label.text()
    assert "已导入" in window.message.text()  # the panel's messages reach the status bar
    window.context_bar.set_context(UNIT, Period.month(2026, 4))
    assert water.model.rowCount() == 0


def test_water_preview_sets_a_target_the_store_lacks(
    demo_db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    """A centre's file whose values are all stored already but which states a 水质目标 the
    office has not set: the preview says so and its one button sets it (and Ctrl+Z unsets)."""
    from db.stations import classify_station, find_station
    from desktop.services.monitoring.sample_import import commit_import
    from desktop.services.monitoring.water.classes import WaterBody
    from desktop.services.monitoring.water.section_import import dry_run_water_file
    from tests.support.section_exports import write_centre_export

    path = write_centre_export(tmp_path / "3月.xlsx")
    unit_id = UNIT
    # Imported last month; since then the office cleared 江口's target in 点位与断面….
    commit_import(demo_db, dry_run_water_file(demo_db, path, UNIT, WaterBody.RIVER), "测试")
    jiangkou = find_station(demo_db, UNIT, "water", "江口")
    assert jiangkou is not None and jiangkou.target_class == 2
    classify_station(demo_db, jiangkou.id, jiangkou.control_level, None)
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.context_bar.set_context(UNIT, Period.month(2026, 3))
    page = _open(window)
    page.tabs.setCurrentWidget(page.water)
    page.water.import_file(path)
    qtbot.waitUntil(
        lambda: page.water.preview is not None and page.water.task is None, timeout=5000
    )
    preview = page.water.preview
    assert preview is not None
    assert preview.commit_button.text() == "设置点位属性 1 项"
    assert preview.warnings.item(0).text() == "设置：江口 水质目标 Ⅱ类（3月!E5）（库中未设）"
    qtbot.mouseClick(preview.commit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "设置点位属性 1 个" in window.message.text(), timeout=5000)
    station = find_station(demo_db, unit_id, "water", "江口")
    assert station is not None and station.target_class == 2
    page.undo_stack.undo()
    qtbot.waitUntil(
        lambda: (
            (s := find_station(demo_db, unit_id, "water", "江口")) is not None
            and s.target_class is None
        ),
        timeout=5000,
    )
