"""点位与断面: each station's 控制级别 and each section's water body and 水质目标.

Bureaus report "市控以上" shares and 断面达标率 by these. A centre's export with a 控制级别 or
水质目标 column fills the ones still unset when it is imported (never overwriting); the office
sets or corrects them here (or with ``ecodesk-cli stations set``). 保存 writes every row in
one transaction; a refusal says why and nothing is written.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import stations
from db.connection import Database
from db.errors import KnownError
from db.numbers import CLASS_NAMES

NOT_SET = "未设"
HEADERS = ("类型", "点位/断面", "控制级别", "水体", "水质目标")


class StationsDialog(QDialog):
    """Edit the context unit's stations; ``saved`` counts the rows written."""

    def __init__(
        self, db: Database, unit_id: int, unit_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"点位与断面 — {unit_name}")
        self.resize(760, 420)
        self._db = db
        self.saved = 0
        self.rows = stations.stations_of(db, unit_id, "air") + stations.stations_of(
            db, unit_id, "water"
        )
        self.table = QTableWidget(len(self.rows), len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (2, 3, 4):  # room for the choice and its arrow
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(column, 96)
        for row, station in enumerate(self.rows):
            water = station.kind == "water"
            self.table.setItem(row, 0, QTableWidgetItem("地表水断面" if water else "空气站点"))
            self.table.setItem(row, 1, QTableWidgetItem(station.name))
            level = QComboBox()
            level.addItems([NOT_SET, *stations.CONTROL_LEVELS])
            level.setCurrentText(station.control_level or NOT_SET)
            self.table.setCellWidget(row, 2, level)
            if water:
                body = QComboBox()
                body.addItems(["河流", "湖库"])
                body.setCurrentText(station.water_body)
                self.table.setCellWidget(row, 3, body)
                target = QComboBox()
                target.addItems([NOT_SET, *(CLASS_NAMES[i] for i in range(1, 6))])
                if station.target_class is not None:
                    target.setCurrentIndex(station.target_class)
                self.table.setCellWidget(row, 4, target)
            else:
                for column in (3, 4):
                    self.table.setItem(row, column, QTableWidgetItem("—"))
        self.error = QLabel()
        self.error.setStyleSheet("color: #c00000")
        note = QLabel(
            "“市控以上”比例只计国控、省控、市控断面；断面达标率按各断面自己的水质目标评价。"
            if self.rows
            else "本单位还没有点位或断面：导入监测数据后在此设置。"
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            bool(self.rows) and not db.read_only
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _combo(self, row: int, column: int) -> QComboBox | None:
        widget = self.table.cellWidget(row, column)
        return widget if isinstance(widget, QComboBox) else None

    def save(self) -> None:
        """Write every row in one transaction, then close; on a refusal stay open and say why."""
        try:
            with self._db.transaction():
                for row, station in enumerate(self.rows):
                    level_box = self._combo(row, 2)
                    level = level_box.currentText() if level_box else ""
                    body_box, target_box = self._combo(row, 3), self._combo(row, 4)
                    target = target_box.currentIndex() if target_box else 0
                    stations.classify_station(
                        self._db,
                        station.id,
                        "" if level == NOT_SET else level,
                        target or None,
                        body_box.currentText() if body_box else None,
                    )
        except KnownError as exc:
            self.error.setText(exc.with_hint())
            return
        self.saved = len(self.rows)
        self.accept()
