"""The 地表水 panel: import through the preview, the coloured class table, share, write, undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QUndoStack
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from db import indicators
from db.connection import Database
from db.periods import Period
from db.values import values_for
from desktop.models.water_sections import CLASS_COLUMN
from desktop.services.monitoring.water.classes import WaterBody
from desktop.services.monitoring.water.section_import import BodyNeeded
from desktop.ui.water_panel import WaterPanel
from tests.desktop.services.monitoring.water.test_reader import write_station_workbook

UNIT = 2
MARCH = Period.month(2026, 3)


def _panel(db: Database, qtbot: QtBot) -> tuple[WaterPanel, QUndoStack, list[str]]:
    stack = QUndoStack()
    panel = WaterPanel(db, stack)
    qtbot.addWidget(panel)
    messages: list[str] = []
    panel.status.connect(messages.append)
    panel.set_context(UNIT, MARCH, "海岛区分局")
    panel.show()
    return panel, stack, messages


def _import(panel: WaterPanel, qtbot: QtBot, path: Path) -> None:
    panel.preview = None
    panel.import_file(path)
    qtbot.waitUntil(lambda: panel.preview is not None and panel.task is None, timeout=5000)
    preview = panel.preview
    assert preview is not None and preview.isVisible()
    with qtbot.waitSignal(panel.data_changed, timeout=2000):
        qtbot.mouseClick(preview.commit_button, Qt.MouseButton.LeftButton)


def test_import_shows_classes_and_share_then_write_and_undo(
    demo_db: Database, qtbot: QtBot, qtmodeltester: ModelTester, tmp_path: Path
) -> None:
    panel, stack, messages = _panel(demo_db, qtbot)
    assert panel.model.rowCount() == 0 and "尚无断面监测数据" in panel.share_label.text()
    assert not panel.write_button.isEnabled()

    panel.import_file(write_station_workbook(tmp_path / "断面.xlsx"))
    qtbot.waitUntil(lambda: panel.preview is not None and panel.task is None, timeout=5000)
    preview = panel.preview
    assert preview is not None and preview.isVisible()
    assert panel.model.rowCount() == 0  # nothing is written before the user says 导入
    assert preview.commit_button.text() == "导入 46 项（3 项错误将跳过）"
    with qtbot.waitSignal(panel.data_changed, timeout=2000):
        qtbot.mouseClick(preview.commit_button, Qt.MouseButton.LeftButton)
    assert "已导入 46 项监测数据" in messages[-1]

    model = panel.model
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    south = model.index_of("南溪口", CLASS_COLUMN)
    assert south.data() == "Ⅳ类（轻度污染）"
    brush = south.data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(brush, QBrush) and brush.color().getRgb()[:3] == (255, 255, 0)
    assert "氨氮：1.32 → Ⅳ类" in south.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index_of("南溪口", 6).data() == "氨氮（0.3）"
    lake = model.index_of("西湖闸", CLASS_COLUMN)
    assert lake.data() == "Ⅲ类（良好）"
    assert lake.data(Qt.ItemDataRole.BackgroundRole).color().getRgb()[:3] == (0, 176, 80)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    nh3 = headers.index("氨氮\nmg/L")
    assert model.index_of("城东桥", nh3).data() == "0.365"  # (0.32 + 0.41) / 2
    assert panel.share_label.text().startswith("Ⅲ类及以上断面 3/4，比例 75.0%")

    assert panel.write_button.isEnabled()
    with qtbot.waitSignal(panel.data_changed, timeout=1000):
        panel.write_button.click()
    indicator = indicators.indicator_by_code(demo_db, "water_section_good_rate")
    stored = values_for(demo_db, UNIT, MARCH.code)[indicator.id]
    assert stored.value == 75.0 and "GB 3838—2002" in stored.note
    assert messages[-1].startswith("已写入 海岛区分局2026年3月 市控断面Ⅲ类及以上比例 75.0%")

    with qtbot.waitSignal(panel.data_changed, timeout=5000):
        stack.undo()
    assert model.rowCount() == 0 and "尚无断面监测数据" in panel.share_label.text()
    assert "已撤销" in messages[-1]
    panel.set_context(UNIT, Period.month(2026, 4), "海岛区分局")
    assert "2026年4月尚无断面监测数据" in panel.share_label.text()


def test_a_file_without_body_column_asks(
    demo_db: Database, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel, _, messages = _panel(demo_db, qtbot)
    asked: list[list[str]] = []

    def ask(needed: BodyNeeded) -> WaterBody:
        asked.append(needed.sections)
        return WaterBody.LAKE

    monkeypatch.setattr(panel, "ask_body", ask)
    path = tmp_path / "水库.csv"
    path.write_text("断面名称,采样日期,总磷\n库心,2026-03-10,0.04\n", encoding="utf-8")
    _import(panel, qtbot, path)
    assert asked == [["库心"]]
    index = panel.model.index_of("库心", CLASS_COLUMN)
    assert index.data() == "Ⅲ类（良好）"  # TP 0.04 against the lake limits
    assert panel.model.index_of("库心", 1).data() == "湖库"

    def cancel(needed: BodyNeeded) -> None:
        return None

    monkeypatch.setattr(panel, "ask_body", cancel)
    other = tmp_path / "新.csv"
    other.write_text("断面名称,采样日期,总磷\n新闸,2026-03-10,0.04\n", encoding="utf-8")
    panel.import_file(other)
    qtbot.waitUntil(lambda: panel.task is None, timeout=5000)
    assert messages[-1].startswith("未导入 新.csv：文件没有水体类型列")


def test_an_unreadable_file_is_reported(demo_db: Database, qtbot: QtBot, tmp_path: Path) -> None:
    panel, _, messages = _panel(demo_db, qtbot)
    path = tmp_path / "坏.xlsx"
    path.write_bytes(b"not a workbook")
    panel.import_file(path)
    qtbot.waitUntil(lambda: panel.task is None, timeout=5000)
    assert panel.preview is None and "坏.xlsx" in messages[-1]
