"""图表: pick a chart, watch it update, export, print, and make the meeting pack.

The page follows the context bar: its unit is the default unit, its period the chart's period.
Each control change redraws the chart (after a short pause, so typing a count does not redraw
five times). Charts added to 会议材料 form a list that can be saved as a 图表组 and re-run next
month: a pack is always made for the period in the context bar, and its PDF is written on the
one worker of ``desktop.tasks`` with the window disabled.

matplotlib's QtAgg canvas is imported here only; the main window builds this page when it is
first opened, so start-up never loads matplotlib.

Signals:
    status(str): a line for the status bar (what the last action did, or why it failed).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from db import chart_sets
from db import indicators as indicator_store
from db import units as unit_store
from db.connection import Database
from db.errors import KnownError, explain
from db.periods import Period
from desktop.services.charts.building import (
    BY,
    CHART_TYPES,
    MAX_TREND_PERIODS,
    SPANS,
    STYLES,
    ChartSpec,
    build_chart,
    describe,
    specs_from_json,
    specs_to_json,
)
from desktop.services.charts.drawing.data import ChartData
from desktop.services.charts.drawing.style import configure_matplotlib
from desktop.services.charts.meeting_pack import (
    EXPORT_FORMATS,
    export_chart,
    prepare_pack,
    write_pack,
)
from desktop.tasks import ProgressFn, Task, busy, run_task
from desktop.ui import chart_print

if TYPE_CHECKING:
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

TEXT = {
    "type": "图表类型：",
    "indicator": "指标：",
    "indicators": "指标（可多选，不选为全部）：",
    "units": "单位（可多选，不选为本单位）：",
    "units_ranking": "参加比较的单位（不选为全部）：",
    "unit_one": "单位（取第一个勾选的，不选为本单位）：",
    "span": "趋势范围：",
    "count": "期数：",
    "style": "样式：",
    "by": "比较：",
    "pack": "会议材料",
    "add": "加入会议材料",
    "remove": "移除",
    "load": "载入图表组",
    "save_set": "保存为图表组…",
    "make_pack": "生成会议材料 PDF…",
    "print": "打印预览…",
    "no_chart": "没有可导出的图表",
}
#: Pause after a control change before redrawing, in ms.
REDRAW_DELAY_MS = 150


def _canvas_class() -> type[FigureCanvasQTAgg]:
    """The QtAgg canvas, imported after the fonts are set up (and MPLCONFIGDIR when frozen)."""
    configure_matplotlib()
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    return FigureCanvasQTAgg


class ChartPage(QWidget):
    status = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._unit_id: int | None = None
        self._unit_name = ""
        self._period: Period | None = None
        self._data: ChartData | None = None
        self._pack_title = ""
        self._catalog = indicator_store.all_indicators(db)
        self._units = unit_store.all_units(db)

        canvas_class = _canvas_class()
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(10, 6), dpi=100, facecolor="white")
        self.canvas = canvas_class(self.figure)
        self.canvas.setMinimumSize(480, 320)

        self.type_box = QComboBox()
        for key, label in CHART_TYPES.items():
            self.type_box.addItem(label, key)
        self.indicator_box = QComboBox()
        self.indicator_box.setMaxVisibleItems(25)
        self.indicator_list = QListWidget()
        self.unit_list = QListWidget()
        for unit in self._units:
            item = QListWidgetItem(
                "　" * unit_store.depth_of(self._units, unit) + unit.display_name
            )
            item.setData(Qt.ItemDataRole.UserRole, unit.code)
            item.setToolTip(unit.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.unit_list.addItem(item)
        self.span_box = QComboBox()
        for key, label in SPANS.items():
            self.span_box.addItem(label, key)
        self.count_box = QSpinBox()
        self.count_box.setRange(0, MAX_TREND_PERIODS)
        self.count_box.setValue(5)
        self.count_box.setToolTip("逐年：年数；逐月：月数（0 为本年 1 月起）")
        self.style_box = QComboBox()
        for key, label in STYLES.items():
            self.style_box.addItem(label, key)
        self.by_box = QComboBox()
        for key, label in BY.items():
            self.by_box.addItem(label, key)
        self.period_label = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.addRow(TEXT["type"], self.type_box)
        self.indicator_label = QLabel(TEXT["indicator"])
        form.addRow(self.indicator_label, self.indicator_box)
        self.indicators_label = QLabel(TEXT["indicators"])
        form.addRow(self.indicators_label)
        form.addRow(self.indicator_list)
        self.units_label = QLabel(TEXT["units"])
        form.addRow(self.units_label)
        form.addRow(self.unit_list)
        self.span_label = QLabel(TEXT["span"])
        span_row = QHBoxLayout()
        span_row.addWidget(self.span_box, 1)
        self.count_label = QLabel(TEXT["count"])
        span_row.addWidget(self.count_label)
        span_row.addWidget(self.count_box)
        form.addRow(self.span_label, span_row)
        self.style_label = QLabel(TEXT["style"])
        form.addRow(self.style_label, self.style_box)
        self.by_label = QLabel(TEXT["by"])
        form.addRow(self.by_label, self.by_box)
        form.addRow(self.period_label)

        # 会议材料: the charts of the pack, saved sets.
        self.pack_list = QListWidget()
        self.pack_list.setMaximumHeight(120)
        self.add_button = QPushButton(TEXT["add"])
        self.remove_button = QPushButton(TEXT["remove"])
        self.set_box = QComboBox()
        self.load_button = QPushButton(TEXT["load"])
        pack_buttons = QHBoxLayout()
        pack_buttons.addWidget(self.add_button)
        pack_buttons.addWidget(self.remove_button)
        set_row = QHBoxLayout()
        set_row.addWidget(self.set_box, 1)
        set_row.addWidget(self.load_button)
        form.addRow(QLabel(f"<b>{TEXT['pack']}</b>"))
        form.addRow(self.pack_list)
        form.addRow(pack_buttons)
        form.addRow(set_row)

        controls = QWidget()
        controls.setLayout(form)
        controls.setFixedWidth(300)

        self.toolbar = QToolBar()
        self.export_actions: dict[str, QAction] = {}
        for suffix in EXPORT_FORMATS:
            action = QAction(f"导出 {suffix[1:].upper()}", self)
            action.triggered.connect(lambda _=False, s=suffix: self.choose_export(s))
            self.toolbar.addAction(action)
            self.export_actions[suffix] = action
        self.toolbar.addSeparator()
        self.print_action = QAction(TEXT["print"], self)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.print_action.triggered.connect(self.print_preview)
        self.toolbar.addAction(self.print_action)
        self.addAction(self.print_action)
        self.toolbar.addSeparator()
        self.save_set_action = QAction(TEXT["save_set"], self)
        self.save_set_action.triggered.connect(self.save_set)
        self.toolbar.addAction(self.save_set_action)
        self.pack_action = QAction(TEXT["make_pack"], self)
        self.pack_action.triggered.connect(self.choose_pack)
        self.toolbar.addAction(self.pack_action)

        right = QVBoxLayout()
        right.addWidget(self.toolbar)
        right.addWidget(self.canvas, 1)
        right.addWidget(self.message)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(controls)
        layout.addLayout(right, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_DELAY_MS)
        self._timer.timeout.connect(self.redraw)
        self.type_box.currentIndexChanged.connect(self._type_changed)
        self.by_box.currentIndexChanged.connect(self._type_changed)
        for signal in (
            self.indicator_box.currentIndexChanged,
            self.span_box.currentIndexChanged,
            self.count_box.valueChanged,
            self.style_box.currentIndexChanged,
            self.indicator_list.itemChanged,
            self.unit_list.itemChanged,
        ):
            signal.connect(self._timer.start)
        # Margins are in inches: a resized canvas is redrawn so labels keep their room.
        self.canvas.installEventFilter(self)
        self.add_button.clicked.connect(self.add_to_pack)
        self.remove_button.clicked.connect(self._remove_from_pack)
        self.load_button.clicked.connect(self._load_set)
        # Open on 同比 of every indicator with figures both years: it shows something for any
        # office with last year's data, where a trend needs an indicator chosen first.
        self.span_box.setCurrentIndex(self.span_box.findData("years"))
        self.type_box.setCurrentIndex(self.type_box.findData("yoy"))
        self._reload_sets()
        self._type_changed()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.canvas and event.type() == QEvent.Type.Resize:
            self._timer.start()
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ context and controls
    def set_context(self, unit_id: int, period: Period, unit_name: str) -> None:
        self._unit_id, self._period, self._unit_name = unit_id, period, unit_name
        self.period_label.setText(f"期间：{period.label}（跟随顶部选择）")
        self._timer.start()

    def chart_type(self) -> str:
        return str(self.type_box.currentData())

    def _single_indicator(self) -> bool:
        kind = self.chart_type()
        return kind in ("trend", "ranking", "composition") or (
            kind == "completion" and self.by_box.currentData() == "unit"
        )

    def _type_changed(self) -> None:
        kind = self.chart_type()
        single = self._single_indicator()
        shown: list[tuple[tuple[QWidget, ...], bool]] = [
            ((self.indicator_label, self.indicator_box), single),
            ((self.indicators_label, self.indicator_list), not single),
            ((self.span_label, self.span_box, self.count_label, self.count_box), kind == "trend"),
            ((self.style_label, self.style_box), kind == "composition"),
            ((self.by_label, self.by_box), kind == "completion"),
        ]
        for widgets, visible in shown:
            for widget in widgets:
                widget.setVisible(visible)
        if kind == "ranking" or (kind == "completion" and single):
            self.units_label.setText(TEXT["units_ranking"])
        elif kind in ("yoy", "completion"):
            self.units_label.setText(TEXT["unit_one"])
        else:
            self.units_label.setText(TEXT["units"])
        self._fill_indicators()
        self._timer.start()

    def _fill_indicators(self) -> None:
        """Composition offers only totals with parts; the others every indicator."""
        kind = self.chart_type()
        totals = {i.parent_id for i in self._catalog if i.parent_id is not None}
        shown = [i for i in self._catalog if kind != "composition" or i.id in totals]
        current = self.indicator_box.currentData()
        self.indicator_box.blockSignals(True)
        self.indicator_box.clear()
        for ind in shown:
            self.indicator_box.addItem(f"{ind.category}｜{ind.name}", ind.code)
        position = self.indicator_box.findData(current)
        self.indicator_box.setCurrentIndex(max(0, position))
        self.indicator_box.blockSignals(False)
        if self.indicator_list.count() == 0:
            self.indicator_list.blockSignals(True)
            for ind in self._catalog:
                item = QListWidgetItem(f"{ind.category}｜{ind.name}")
                item.setData(Qt.ItemDataRole.UserRole, ind.code)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.indicator_list.addItem(item)
            self.indicator_list.blockSignals(False)

    @staticmethod
    def _checked(widget: QListWidget) -> tuple[str, ...]:
        return tuple(
            str(widget.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(widget.count())
            if widget.item(row).checkState() == Qt.CheckState.Checked
        )

    def set_checked(self, widget: QListWidget, codes: tuple[str, ...]) -> None:
        widget.blockSignals(True)
        for row in range(widget.count()):
            item = widget.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in codes
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        widget.blockSignals(False)
        self._timer.start()

    def current_spec(self) -> ChartSpec:
        """The chart the controls describe, for the context bar's period."""
        indicators = (
            (str(self.indicator_box.currentData()),)
            if self._single_indicator()
            else self._checked(self.indicator_list)
        )
        units = self._checked(self.unit_list)
        if not units and self.chart_type() in ("trend", "composition", "yoy") and self._unit_id:
            units = (unit_store.unit_by_id(self._db, self._unit_id).code,)
        if self.chart_type() == "completion" and self.by_box.currentData() == "indicator":
            units = units[:1] or (
                (unit_store.unit_by_id(self._db, self._unit_id).code,) if self._unit_id else ()
            )
        return ChartSpec(
            type=self.chart_type(),
            indicators=indicators,
            units=units,
            period=self._period.code if self._period else "",
            span=str(self.span_box.currentData()),
            count=self.count_box.value(),
            style=str(self.style_box.currentData()),
            by=str(self.by_box.currentData()),
        )

    def show_spec(self, spec: ChartSpec) -> None:
        """Set the controls to a saved chart (and redraw)."""
        self.type_box.setCurrentIndex(self.type_box.findData(spec.type))
        self.by_box.setCurrentIndex(self.by_box.findData(spec.by))
        self.span_box.setCurrentIndex(self.span_box.findData(spec.span))
        self.style_box.setCurrentIndex(self.style_box.findData(spec.style))
        self.count_box.setValue(spec.count)
        if spec.indicators:
            position = self.indicator_box.findData(spec.indicators[0])
            if position >= 0:
                self.indicator_box.setCurrentIndex(position)
        self.set_checked(self.indicator_list, spec.indicators)
        self.set_checked(self.unit_list, spec.units)

    # ------------------------------------------------------------------ drawing
    def redraw(self) -> None:
        """Build the data and draw it; a chart that cannot be drawn says why, in the plot."""
        from desktop.services.charts.drawing.render import draw_chart

        self._timer.stop()
        if busy():
            # A task has the connection (and a pack task matplotlib's fonts): draw afterwards.
            self._timer.start()
            return
        self.figure.clear()
        self._data = None
        if self._period is None:
            return
        try:
            self._data = build_chart(self._db, self.current_spec())
        except KnownError as exc:
            self.figure.text(
                0.5,
                0.5,
                exc.with_hint(),
                ha="center",
                va="center",
                fontsize=12,
                color="#666666",
                wrap=True,
            )
            self.message.setText(f"无法生成图表：{exc}")
        else:
            draw_chart(self.figure, self._data)
            self.message.setText(self._data.caption.subtitle)
        for action in (*self.export_actions.values(), self.print_action):
            action.setEnabled(self._data is not None)
        self.canvas.draw_idle()  # type: ignore[no-untyped-call]

    def current_data(self) -> ChartData | None:
        return self._data

    # ------------------------------------------------------------------ export and print
    def choose_export(self, suffix: str) -> None:
        if self._data is None:
            self.status.emit(TEXT["no_chart"])
            return
        name = f"{self._data.caption.title}_{self._period.label if self._period else ''}{suffix}"
        path, _ = QFileDialog.getSaveFileName(
            self, "导出图表", str(Path.home() / name), f"{EXPORT_FORMATS[suffix]} (*{suffix})"
        )
        if path:
            self.export_to(Path(path).with_suffix(suffix))

    def export_to(self, path: Path) -> None:
        if self._data is None:
            self.status.emit(TEXT["no_chart"])
            return
        try:
            export_chart(self._data, path)
        except (KnownError, ValueError) as exc:  # ValueError: a format it cannot write
            QMessageBox.warning(self, "导出图表", f"未能导出：{explain(exc)}")
            return
        self.status.emit(f"已导出：{path}")

    def print_job(self) -> chart_print.PrintJob | None:
        if self._data is None or self._period is None:
            return None
        return chart_print.PrintJob(
            self._data, self.shown_units(self.current_spec()), self._period.label, date.today()
        )

    def shown_units(self, spec: ChartSpec) -> str:
        """The units the chart shows, for the print header (not the context bar's unit: the
        chart may show another one, or several)."""
        names = [unit_store.unit_by_code(self._db, code).name for code in spec.units]
        if not names:
            return "全部单位" if spec.type == "ranking" else self._unit_name
        if len(names) > 3:
            return f"{'、'.join(names[:3])}等 {len(names)} 个单位"
        return "、".join(names)

    def print_preview(self) -> None:
        job = self.print_job()
        if job is None:
            self.status.emit(TEXT["no_chart"])
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        # A ranking or a wide trend reads better across the page; yoy panels down it.
        chart_print.setup_printer(printer, landscape=self.chart_type() != "yoy")
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle(f"打印预览 — {job.data.caption.title}")
        dialog.paintRequested.connect(lambda p: chart_print.paint(p, job))
        dialog.exec()

    # ------------------------------------------------------------------ 会议材料 and 图表组
    def pack_specs(self) -> list[ChartSpec]:
        return [
            ChartSpec.from_json(self.pack_list.item(r).data(Qt.ItemDataRole.UserRole))
            for r in range(self.pack_list.count())
        ]

    def add_to_pack(self) -> None:
        if self._data is None:
            self.status.emit("当前图表无法生成，未加入")
            return
        self._add_spec(self.current_spec())
        self.status.emit(f"已加入会议材料：{self._data.caption.title}")

    def _add_spec(self, spec: ChartSpec) -> None:
        item = QListWidgetItem(describe(spec, self._db))
        item.setData(Qt.ItemDataRole.UserRole, spec.to_json())
        self.pack_list.addItem(item)

    def _remove_from_pack(self) -> None:
        row = self.pack_list.currentRow()
        if row >= 0:
            self.pack_list.takeItem(row)

    def _reload_sets(self) -> None:
        self.set_box.clear()
        for saved in chart_sets.all_chart_sets(self._db):
            self.set_box.addItem(saved.name, saved.name)
        self.load_button.setEnabled(self.set_box.count() > 0)

    def load_set(self, name: str) -> str:
        """Fill the pack list from a saved set; return its title."""
        saved = chart_sets.chart_set_by_name(self._db, name)
        self.pack_list.clear()
        for spec in specs_from_json(saved.specs):
            self._add_spec(spec)
        self._pack_title = saved.title
        self.status.emit(f"已载入图表组“{name}”：{self.pack_list.count()} 张图")
        return saved.title

    def _load_set(self) -> None:
        name = self.set_box.currentData()
        if name:
            try:
                self.load_set(str(name))
            except KnownError as exc:
                QMessageBox.warning(self, "图表组", exc.with_hint())

    def save_set(self) -> None:
        specs = self.pack_specs() or ([self.current_spec()] if self._data else [])
        if not specs:
            self.status.emit("会议材料中还没有图表")
            return
        name, ok = QInputDialog.getText(
            self, "保存为图表组", "图表组名称（如“月度局务会”）：", text=self.set_box.currentText()
        )
        if not ok or not name.strip():
            return
        title, ok = QInputDialog.getText(
            self, "保存为图表组", "会议材料标题：", text=self._pack_title or name
        )
        if not ok:
            return
        self.save_set_as(name, title, specs)

    def save_set_as(self, name: str, title: str, specs: list[ChartSpec]) -> None:
        try:
            chart_sets.save_chart_set(self._db, name, title, specs_to_json(specs))
        except KnownError as exc:
            QMessageBox.warning(self, "保存为图表组", exc.with_hint())
            return
        self._reload_sets()
        self.set_box.setCurrentIndex(self.set_box.findData(name.strip()))
        self.status.emit(f"已保存图表组“{name.strip()}”（{len(specs)} 张图）")

    def choose_pack(self) -> None:
        specs = self.pack_specs() or ([self.current_spec()] if self._data else [])
        if not specs or self._period is None:
            self.status.emit("会议材料中还没有图表：先“加入会议材料”或载入图表组")
            return
        default = self._pack_title or f"{self._unit_name}生态环境工作数据"
        title, ok = QInputDialog.getText(self, "生成会议材料", "标题：", text=default)
        if not ok:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            "生成会议材料",
            str(Path.home() / f"{title}_{self._period.label}.pdf"),
            "PDF 文件 (*.pdf)",
        )
        if path:
            self.make_pack(Path(path).with_suffix(".pdf"), title, specs)

    def make_pack(self, path: Path, title: str, specs: list[ChartSpec]) -> Task | None:
        """Build the charts for the context period here, write the PDF on the one worker.

        The progress dialog appears after 0.8 s; 取消 stops after the page being drawn
        (write_pack raises ``Cancelled`` when its progress callback returns False, which the
        task reports as a cancel) and leaves no file. The page does not redraw meanwhile:
        matplotlib is used from one thread at a time. Returns the task.
        """
        pack = prepare_pack(self._db, specs, title, self._period)
        for line in pack.skipped:
            self.status.emit(f"未列入：{line}")
        if not pack.charts:
            QMessageBox.warning(self, "生成会议材料", "没有一张图表有数据，未生成文件。")
            return None
        charts, pack_title, subtitle = pack.charts, pack.title, pack.subtitle

        def work(progress: ProgressFn) -> int:
            return write_pack(path, pack_title, charts, subtitle=subtitle, progress=progress)

        skipped = f"，{len(pack.skipped)} 张无数据未列入" if pack.skipped else ""

        def written(pages: int) -> None:
            self.status.emit(f"已生成会议材料：{path}（{len(charts)} 张图，{pages} 页{skipped}）")

        return run_task(
            self, "正在生成会议材料…", work, written, self.status.emit,
            cancelled="已取消，未生成文件",
        )  # fmt: skip
