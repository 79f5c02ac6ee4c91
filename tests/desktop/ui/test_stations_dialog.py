"""点位与断面: set 控制级别 and 水质目标 through the page's button; the share and 达标率 follow."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox
from pytestqt.qtbot import QtBot

from db import stations
from db.connection import Database
from desktop.ui.monitoring_page import MonitoringPage
from desktop.ui.stations_dialog import StationsDialog
from tests.desktop.services.monitoring.water.test_reader import write_station_workbook
from tests.desktop.ui.test_water_panel import MARCH, UNIT, _import


def test_levels_and_targets_set_in_the_dialog_drive_the_shares(
    demo_db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    page = MonitoringPage(demo_db)
    qtbot.addWidget(page)
    page.set_context(UNIT, MARCH, "海岛区分局")
    page.show()
    _import(page.water, qtbot, write_station_workbook(tmp_path / "断面.xlsx"))
    assert "未设控制级别" in page.water.share_label.text()

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, StationsDialog):
            QTimer.singleShot(50, fill)
            return
        for row, station in enumerate(dialog.rows):
            if station.kind != "water":
                continue
            level = dialog.table.cellWidget(row, 2)
            target = dialog.table.cellWidget(row, 4)
            assert isinstance(level, QComboBox) and isinstance(target, QComboBox)
            level.setCurrentText("市控" if station.name != "北渠" else "县控")
            target.setCurrentText("Ⅲ类")
        buttons = dialog.findChild(QDialogButtonBox)
        assert buttons is not None
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    QTimer.singleShot(50, fill)
    qtbot.mouseClick(page.stations_button, Qt.MouseButton.LeftButton)
    levels = {s.name: s.control_level for s in stations.stations_of(demo_db, UNIT, "water")}
    assert levels["北渠"] == "县控" and levels["南溪口"] == "市控"
    text = page.water.share_label.text()
    # 北渠 (县控) leaves the 市控以上 share: 城东桥, 西湖闸 good, 南溪口 Ⅳ → 2/3.
    assert text.startswith("市控以上断面Ⅲ类及以上 2/3，比例 66.7%")
    # Every section has target Ⅲ: 南溪口 (Ⅳ) misses it → 3/4.
    assert "断面达标率 75.0%（3/4）" in text
