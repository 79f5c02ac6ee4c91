"""监测数据: daily air data into period figures, under both editions, and into the store.

The user picks a daily-data file (.xlsx/.xls/.csv); it is read on a worker. The page lists the
reader's problems (file, row, column, reason), shows a calendar of daily AQI for the context
period under the chosen standard, the period figures under HJ 633—2012 and HJ 633—2026 side by
side, and writes the chosen standard's figures to the indicator store for the context unit and
period.

Signals:
    status(str): a sentence for the status bar.
    data_changed(): figures were written to the store.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt, Signal
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
    QVBoxLayout,
    QWidget,
)

from db.connection import Database
from db.errors import StorageError
from db.periods import Period
from desktop.models.aqi_calendar import AqiCalendarModel
from desktop.services.air_period import PeriodFigures
from desktop.services.monitoring_reader import ReadResult, read_daily_file
from desktop.services.monitoring_store import (
    figures_for_period,
    period_span,
    write_period_figures,
)
from desktop.services.standards import StandardsLibrary, load_library
from desktop.tasks import ProgressFn, Task, run_task

FILE_FILTER = "日均值数据 (*.xlsx *.xls *.csv)"
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
    kind, measure = key.split(":")
    stat = fig.pollutant(measure)
    value = stat.mean_rounded if kind == "mean" else stat.percentile_rounded
    return "—" if value is None else f"{value} {stat.unit}"


class MonitoringPage(QWidget):
    status = Signal(str)
    data_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.library: StandardsLibrary = load_library()
        self.editions: tuple[str, ...] = self.library.editions
        self._unit_id: int | None = None
        self._unit_name = ""
        self._period: Period | None = None
        self.result: ReadResult | None = None
        self.figures: dict[str, PeriodFigures] = {}
        self.task: Task | None = None

        choose = QPushButton("选择日均值文件…")
        choose.clicked.connect(self.choose_file)
        self.file_label = QLabel("尚未选择文件（支持 .xlsx、.xls、.csv）")
        self.context_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(choose)
        top.addWidget(self.file_label, 1)
        top.addWidget(self.context_label)

        self.problems = QListWidget()
        self.problems.setToolTip("读取文件时发现的问题：文件、行、列和原因")

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
        right_layout.addWidget(QLabel("文件问题"))
        right_layout.addWidget(self.problems, 2)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self._standard_changed()

    # ------------------------------------------------------------------ context
    def set_context(self, unit_id: int, period: Period, unit_name: str) -> None:
        self._unit_id, self._period, self._unit_name = unit_id, period, unit_name
        self.context_label.setText(f"{unit_name}　{period.label}（在顶部切换）")
        self.recompute()

    def chosen_edition(self) -> str:
        return str(self.standard_box.currentData())

    def _standard_changed(self) -> None:
        code = self.standard_box.currentText()
        self.write_button.setText(f"写入指标库（按 {code} 标准）")
        self._show_calendar()
        self._update_write_button()

    def _update_write_button(self) -> None:
        ready = bool(self.figures) and self._unit_id is not None and not self.db.read_only
        self.write_button.setEnabled(ready)
        if self.db.read_only:
            self.write_button.setToolTip(f"只读：{self.db.read_only_reason}")

    # ------------------------------------------------------------------ reading
    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择日均值数据文件", "", FILE_FILTER)
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> None:
        """Read ``path`` on a worker; the page updates when it is done."""

        def work(progress: ProgressFn) -> ReadResult:
            progress(0, 1)
            return read_daily_file(path)

        self.file_label.setText(f"正在读取 {path.name}…")
        self.task = run_task(self, f"正在读取 {path.name}…", work, self._loaded, self._failed)

    def _failed(self, message: str) -> None:
        self.task = None
        self.file_label.setText(message)
        self.status.emit(message)

    def _loaded(self, result: object) -> None:
        self.task = None
        assert isinstance(result, ReadResult)
        self.result = result
        stations = sorted({r.station for r in result.records if r.station})
        where = f"，{len(stations)} 个点位（按平均值计算）" if len(stations) > 1 else ""
        self.file_label.setText(f"{result.path.name}：{len(result.records)} 条日均值{where}")
        self.problems.clear()
        for problem in result.problems:
            self.problems.addItem(problem.text)
        if not result.problems:
            self.problems.addItem("未发现问题")
        self.recompute()
        self.status.emit(
            f"已读取 {result.path.name}：{len(result.records)} 条日均值，"
            f"{len(result.problems)} 个问题"
        )

    # ------------------------------------------------------------------ figures
    def recompute(self) -> None:
        """Figures for the context period under every edition, from the records read."""
        self.figures = {}
        if self.result is not None and self._period is not None and self.result.records:
            for edition in self.editions:
                self.figures[edition] = figures_for_period(
                    self.result.records, self._period, edition, self.library
                )
            if not any(f.days_with_data for f in self.figures.values()):
                self.figures = {}
                self.status.emit(f"文件中没有{self._period.label}的数据")
        self._show_table()
        self._show_calendar()
        self._update_write_button()

    def _show_table(self) -> None:
        for column, edition in enumerate(self.editions):
            fig = self.figures.get(edition)
            for row, (_, key) in enumerate(FIGURE_ROWS):
                text = figure_text(fig, key) if fig is not None else ""
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if fig is not None and key == "validity" and fig.validity:
                    item.setToolTip("\n".join(i.message for i in fig.validity))
                self.table.setItem(row, column, item)

    def _show_calendar(self) -> None:
        fig = self.figures.get(self.chosen_edition())
        if fig is None or self._period is None:
            self.calendar_model.clear()
            self.calendar_label.setText("每日空气质量指数（AQI）：请选择日均值文件")
            return
        start, end = period_span(self._period)
        self.calendar_model.set_days(start, end, fig.daily)
        self.calendar_label.setText(
            f"每日空气质量指数（AQI），按 {self.standard_box.currentText()} 评价；"
            "颜色为该标准的类别颜色"
        )

    # ------------------------------------------------------------------ writing
    def write_to_store(self) -> None:
        fig = self.figures.get(self.chosen_edition())
        if fig is None or self._unit_id is None or self._period is None or self.result is None:
            self.status.emit("请先选择含本期间数据的日均值文件")
            return
        try:
            count = write_period_figures(
                self.db, self._unit_id, self._period, fig, self.result.path.name, self.library
            )
        except StorageError as exc:
            self.status.emit(exc.message)
            return
        self.data_changed.emit()
        self.status.emit(
            f"已按 {self.standard_box.currentText()} 写入 {self._unit_name}"
            f"{self._period.label} 的 {count} 项指标"
        )
