"""监测数据: daily air data stored per station, turned into period figures under both editions;
surface water sections in their own tab (``water_panel``).

The user imports a daily-data file (.xlsx/.xls/.csv): it is read and judged on a worker, shown
value by value in the exchange's preview (新增 / 修改 / 不变 / 错误 with sheet and cell), and
committed in one transaction that Ctrl+Z can take back. The page then works from the stored
days of the context unit: a calendar of daily AQI for the context period under the chosen
standard, the period figures under HJ 633—2012 and HJ 633—2026 side by side (all stations
averaged, or one station), and "写入指标库" for the chosen standard.

Signals:
    status(str): a sentence for the status bar.
    data_changed(): monitoring data or figures were written to the store.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.connection import Database
from db.errors import KnownError
from db.periods import Period, PeriodKind
from desktop.models.aqi_calendar import AqiCalendarModel
from desktop.services.monitoring.air.aqi import DailyConcentrations
from desktop.services.monitoring.air.daily_import import dry_run_air_file, stored_records
from desktop.services.monitoring.air.figures import (
    figures_for_period,
    period_span,
    write_monthly_figures,
    write_period_figures,
)
from desktop.services.monitoring.air.period import PeriodFigures, incomplete_text, primary_text
from desktop.services.monitoring.sample_import import MonitoringImport
from desktop.services.monitoring.standards import StandardsLibrary, load_library
from desktop.tasks import ProgressFn, Task, run_task
from desktop.ui.monitoring_preview import ImportPreviewDialog, commit_with_undo
from desktop.ui.stations_dialog import StationsDialog
from desktop.ui.water_panel import WaterPanel

FILE_FILTER = "日均值数据 (*.xlsx *.xls *.ods *.csv)"
ALL_STATIONS = "全部点位（平均）"
NO_DATA = "本期间没有日均值数据：请先导入监测站日均值文件"
SAMPLE_NOTE = "示例数据：演示用的虚构点位与数值，不代表任何真实站点"
T = TypeVar("T")
#: Rows of the side-by-side table: label and how to get the figure.
FIGURE_ROWS: tuple[tuple[str, str], ...] = (
    ("有效天数", "valid_days"),
    ("优良天数", "good_days"),
    ("优良率（%）", "good_rate"),
    ("PM2.5 平均浓度", "mean:PM2.5"),
    ("PM10 平均浓度", "mean:PM10"),
    ("O3 日最大8小时第90百分位", "percentile:O3_8h"),
    ("CO 日均值第95百分位", "percentile:CO"),
    ("SO2 平均浓度", "mean:SO2"),
    ("NO2 平均浓度", "mean:NO2"),
    ("首要污染物", "primary"),
    ("缺项天（AQI 为 NA）", "incomplete"),
    ("数据有效性", "validity"),
    ("评价口径", "basis"),
)


def _number(value: Decimal | int | None) -> str:
    return "—" if value is None else f"{value}"


def figure_text(fig: PeriodFigures, key: str) -> str:
    """One cell of the side-by-side table."""
    if key == "valid_days":
        return f"{fig.valid_days}（共 {fig.calendar_days} 天）"
    if key == "good_days":
        return str(fig.good_days)
    if key == "good_rate":
        return _number(fig.good_rate_rounded)
    if key == "validity":
        return "满足" if not fig.validity else f"不满足（{len(fig.validity)} 项）"
    if key == "basis":
        return fig.basis
    if key == "primary":
        return primary_text(fig, short=True)
    if key == "incomplete":
        return f"{len(fig.incomplete_days)} 天" if fig.incomplete_days else "无"
    kind, measure = key.split(":")
    stat = fig.pollutant(measure)
    value = stat.mean_rounded if kind == "mean" else stat.percentile_rounded
    return "—" if value is None else f"{value} {stat.unit}"


class MonitoringPage(QWidget):
    status = Signal(str)
    data_changed = Signal()

    def __init__(
        self, db: Database, undo_stack: QUndoStack | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        # Without the window's stack (a page on its own) imports are undoable on the page's own.
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.library: StandardsLibrary = load_library()
        self.editions: tuple[str, ...] = self.library.editions
        self._unit_id: int | None = None
        self._unit_name = ""
        self._period: Period | None = None
        self.records: list[DailyConcentrations] = []
        self.figures: dict[str, PeriodFigures] = {}
        self.task: Task | None = None
        self.preview: ImportPreviewDialog | None = None

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_air(), "环境空气")
        self.water = WaterPanel(db, self.undo_stack)
        self.water.status.connect(self.status)
        self.water.data_changed.connect(self.data_changed)
        self.tabs.addTab(self.water, "地表水")
        self.stations_button = QPushButton("点位与断面…")
        self.stations_button.setToolTip(
            "设置控制级别（国控/省控/市控/县控）、断面水体类型和水质目标"
        )
        self.stations_button.clicked.connect(self.edit_stations)
        self.tabs.setCornerWidget(self.stations_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.tabs)
        self._standard_changed()

    def _build_air(self) -> QWidget:
        self.import_button = QPushButton("导入日均值数据…")
        self.import_button.setToolTip("读取监测站发布的日均值文件，预览每个数值后一次导入")
        self.import_button.clicked.connect(self.choose_file)
        self.station_box = QComboBox()
        self.station_box.setToolTip("按全部点位的日均值平均计算，或只看一个点位")
        self.station_box.currentIndexChanged.connect(self.recompute)
        self.file_label = QLabel()
        self.context_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.import_button)
        top.addWidget(QLabel("点位："))
        top.addWidget(self.station_box)
        top.addWidget(self.file_label, 1)
        top.addWidget(self.context_label)

        self.problems = QListWidget()
        self.problems.setToolTip("最近一次导入的警告与错误：文件、行、列和原因")
        self.problems.setWordWrap(True)

        self.calendar_model = AqiCalendarModel()
        self.calendar = QTableView()
        self.calendar.setModel(self.calendar_model)
        self.calendar.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.calendar.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.calendar.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.calendar_label = QLabel("每日空气质量指数（AQI）")

        self.table = QTableWidget(len(FIGURE_ROWS), len(self.editions))
        self.table.setVerticalHeaderLabels([label for label, _ in FIGURE_ROWS])
        self.table.setHorizontalHeaderLabels(
            [self.library.edition(e).aqi.code for e in self.editions]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        self.standard_box = QComboBox()
        for edition in self.editions:
            self.standard_box.addItem(self.library.edition(edition).aqi.code, edition)
        self.standard_box.setCurrentIndex(len(self.editions) - 1)
        self.standard_box.currentIndexChanged.connect(self._standard_changed)
        self.write_button = QPushButton()
        self.write_button.clicked.connect(self.write_to_store)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("评价标准："))
        bottom.addWidget(self.standard_box)
        bottom.addWidget(self.write_button)
        self.monthly_button = QPushButton("逐月写入")
        self.monthly_button.setToolTip(
            "把本期间每个月的指标和本期间指标一并写入指标库（一次写入），供图表画逐月趋势"
        )
        self.monthly_button.clicked.connect(self.write_months_to_store)
        bottom.addWidget(self.monthly_button)
        bottom.addStretch(1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.calendar_label)
        left_layout.addWidget(self.calendar, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("期间统计（两版标准对照）"))
        right_layout.addWidget(self.table, 3)
        right_layout.addWidget(QLabel("导入提示"))
        right_layout.addWidget(self.problems, 2)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([600, 420])

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        return page

    # ------------------------------------------------------------------ context
    def set_context(self, unit_id: int, period: Period, unit_name: str) -> None:
        self._unit_id, self._period, self._unit_name = unit_id, period, unit_name
        self.context_label.setText(f"{unit_name}　{period.label}（在顶部切换）")
        self.recompute()
        self.water.set_context(unit_id, period, unit_name)

    def chosen_edition(self) -> str:
        return str(self.standard_box.currentData())

    def chosen_station(self) -> str | None:
        """The station chosen, or None for all stations averaged."""
        data = self.station_box.currentData()
        return None if data is None else str(data)

    def _standard_changed(self) -> None:
        code = self.standard_box.currentText()
        self.write_button.setText(f"写入指标库（按 {code} 标准）")
        self._show_calendar()
        self._update_write_button()

    def _update_write_button(self) -> None:
        ready = bool(self.figures) and self._unit_id is not None and not self.db.read_only
        self.write_button.setEnabled(ready)
        monthly = self._period is not None and self._period.kind is not PeriodKind.MONTH
        self.monthly_button.setEnabled(ready and monthly)
        self.import_button.setEnabled(not self.db.read_only)
        if self.db.read_only:
            self.write_button.setToolTip(f"只读：{self.db.read_only_reason}")
            self.import_button.setToolTip(f"只读：{self.db.read_only_reason}")

    def edit_stations(self) -> None:
        """The unit's stations and sections: 控制级别, 水体, 水质目标; figures follow at once."""
        if self._unit_id is None:
            self.status.emit("请先在顶部选择单位")
            return
        dialog = StationsDialog(self.db, self._unit_id, self._unit_name, self)
        if dialog.exec() and dialog.saved:
            self.water.refresh()
            self.recompute()
            self.data_changed.emit()
            self.status.emit(f"已保存 {dialog.saved} 个点位与断面的分级")

    # ------------------------------------------------------------------ importing
    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择日均值数据文件", "", FILE_FILTER)
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        """Read and judge ``path`` on a worker, then show the preview (nothing written yet)."""
        if self._unit_id is None:
            self.status.emit("请先在顶部选择单位")
            return
        unit_id, unit_name = self._unit_id, self._unit_name

        def work(progress: ProgressFn) -> MonitoringImport:
            progress(0, 1)
            return dry_run_air_file(self.db, path, unit_id, unit_name)

        self.file_label.setText(f"正在读取 {path.name}…")
        self.task = run_task(self, f"正在读取 {path.name}…", work, self._dry_run_done, self._failed)

    def _failed(self, message: str) -> None:
        self.task = None
        self.file_label.setText(message)
        self.status.emit(message)

    def _dry_run_done(self, result: object) -> None:
        self.task = None
        assert isinstance(result, MonitoringImport)
        self.problems.clear()
        self.problems.addItems(result.warnings)
        self.problems.addItems([i.describe() for i in result.dry_run.errors])
        self.file_label.setText(f"{result.file}：{result.summary()}（预览中，尚未写入）")
        self.preview = ImportPreviewDialog(result, self)
        self.preview.accepted.connect(lambda: self._commit(result))
        self.preview.rejected.connect(lambda: self.file_label.setText(f"已放弃导入 {result.file}"))
        self.preview.open()

    def _commit(self, imp: MonitoringImport) -> None:
        def report(text: str) -> None:
            self.file_label.setText(text)
            self.status.emit(text)

        commit_with_undo(self.db, imp, self.undo_stack, self, report, self._stored_changed)

    def _stored_changed(self) -> None:
        self.recompute()
        self.data_changed.emit()

    # ------------------------------------------------------------------ figures
    def recompute(self) -> None:
        """Figures for the context period under every edition, from the stored days."""
        self.figures = {}
        self.records = []
        if self._unit_id is not None and self._period is not None:
            start, end = period_span(self._period)
            self.records = stored_records(self.db, self._unit_id, start, end)
            self._fill_stations()
            station = self.chosen_station()
            chosen = [r for r in self.records if station is None or r.station == station]
            label = self.file_label.text()
            if any("示例数据" in r.station for r in chosen) and (not label or "尚无" in label):
                self.file_label.setText(SAMPLE_NOTE)
            if chosen:
                for edition in self.editions:
                    self.figures[edition] = figures_for_period(
                        chosen, self._period, edition, self.library
                    )
            elif not self.file_label.text() or "尚无" in self.file_label.text():
                self.file_label.setText(
                    f"{self._unit_name}{self._period.label}尚无日均值数据：请导入监测站日均值文件"
                )
        self._show_table()
        self._show_calendar()
        self._update_write_button()

    def _fill_stations(self) -> None:
        names = sorted({r.station for r in self.records})
        current = self.chosen_station()
        self.station_box.blockSignals(True)
        self.station_box.clear()
        self.station_box.addItem(ALL_STATIONS if len(names) != 1 else names[0], None)
        if len(names) > 1:
            for name in names:
                self.station_box.addItem(name, name)
        found = self.station_box.findData(current) if current is not None else 0
        self.station_box.setCurrentIndex(max(found, 0))
        self.station_box.blockSignals(False)

    def _show_table(self) -> None:
        for column, edition in enumerate(self.editions):
            fig = self.figures.get(edition)
            for row, (_, key) in enumerate(FIGURE_ROWS):
                text = figure_text(fig, key) if fig is not None else ""
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if fig is not None and key == "validity" and fig.validity:
                    item.setToolTip("\n".join(i.message for i in fig.validity))
                if fig is not None and key == "primary":
                    item.setToolTip(primary_text(fig))
                if fig is not None and key == "incomplete" and fig.incomplete_days:
                    item.setToolTip(incomplete_text(fig))
                self.table.setItem(row, column, item)

    def _show_calendar(self) -> None:
        fig = self.figures.get(self.chosen_edition())
        if fig is None or self._period is None:
            self.calendar_model.clear()
            self.calendar_label.setText("每日空气质量指数（AQI）：本期间尚无数据，请导入日均值文件")
            return
        start, end = period_span(self._period)
        self.calendar_model.set_days(start, end, fig.daily)
        self.calendar_label.setText(
            f"每日空气质量指数（AQI），按 {self.standard_box.currentText()} 评价；"
            "颜色为该标准的类别颜色"
        )

    # ------------------------------------------------------------------ writing
    def write_to_store(self) -> None:
        """The chosen standard's figures of the context period into the indicator store."""
        fig = self.figures.get(self.chosen_edition())
        if fig is None or self._unit_id is None or self._period is None:
            self.status.emit(NO_DATA)
            return
        unit_id, period = self._unit_id, self._period
        source = f"{self.chosen_station() or self._unit_name}日均值"
        count = self._store(
            lambda: write_period_figures(self.db, unit_id, period, fig, source, self.library)
        )
        if count is not None:
            self.status.emit(
                f"已按 {self.standard_box.currentText()} 写入 {self._unit_name}"
                f"{period.label} 的 {count} 项指标"
            )

    def write_months_to_store(self) -> None:
        """Each month of the context period, and the period itself, in one transaction.

        On the worker: a year of several stations' days is figured month by month first.
        """
        if not self.figures or self._unit_id is None or self._period is None:
            self.status.emit(NO_DATA)
            return
        unit_id, period, edition = self._unit_id, self._period, self.chosen_edition()
        station = self.chosen_station()
        chosen = [r for r in self.records if station is None or r.station == station]
        source = f"{station or self._unit_name}日均值"
        standard, unit_name = self.standard_box.currentText(), self._unit_name

        def work(progress: ProgressFn) -> list[Period]:
            progress(0, 1)
            return write_monthly_figures(
                self.db, unit_id, chosen, period, edition, source, self.library
            )

        def done(written: list[Period]) -> None:
            self.data_changed.emit()
            if written:
                self.status.emit(
                    f"已按 {standard} 写入 {unit_name} "
                    f"{len(written)} 个期间的指标（{written[0].label}～{written[-1].label}）"
                )

        run_task(self, "正在逐月计算并写入…", work, done, self.status.emit, cancellable=False)

    def _store(self, write: Callable[[], T]) -> T | None:
        """Run a write to the store; a refusal (a locked period, say) goes to the status bar."""
        try:
            result = write()
        except KnownError as exc:
            self.status.emit(exc.one_line())
            return None
        self.data_changed.emit()
        return result
