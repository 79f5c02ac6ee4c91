"""全部单位一览: the context period's figures of every unit side by side.

Units are rows in tree order with each parent's 下属合计 under it (computed by each
indicator's aggregation rule), a chosen indicator group the columns; a missing figure says
未填. Filters (name, level, only units with a gap, totals on/off), a click on a header sorts in
SQL (siblings only: the tree stays), 打印… (Ctrl+P) previews on A4 landscape and 导出 Excel
writes the bureau layout. The page reloads when shown and when the period changes, so figures
typed elsewhere appear.

Signals:
    status(str): a sentence for the status bar.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import audit
from db.connection import Database
from db.errors import KnownError
from db.overview import OverviewFilter
from db.periods import Period
from db.records import CATEGORIES, UNIT_LEVELS
from desktop.models.overview_table import OverviewModel
from desktop.services.common.wording import source_line
from desktop.services.overview.table import OverviewSource, export_overview, group_indicators

ALL_LEVELS = "全部级别"
LEGEND = "“未填”为未填报；“—”为不汇总的指标（排名、类别等）；合计后“（缺n）”为有 n 个下属单位未填"


class OverviewPage(QWidget):
    #: Every unit is shown: only the period follows the context bar.
    CONTEXT_SCOPE = frozenset({"year", "period"})
    status = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.source = OverviewSource(db)
        self.model = OverviewModel(self.source)
        self._period: Period | None = None
        self._loaded_at = -1  # the audit row the figures were read at

        self.group_box = QComboBox()
        self.group_box.addItems(list(CATEGORIES))
        self.group_box.setToolTip("作为列显示的指标组")
        self.group_box.currentIndexChanged.connect(self.show_columns)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("按单位名称筛选")
        self.name_edit.setClearButtonEnabled(True)
        self.name_edit.textChanged.connect(self.apply_filters)
        self.level_box = QComboBox()
        self.level_box.addItems([ALL_LEVELS, *UNIT_LEVELS])
        self.level_box.currentIndexChanged.connect(self.apply_filters)
        self.missing_check = QCheckBox("只看有未填项的单位")
        self.missing_check.toggled.connect(self.apply_filters)
        self.totals_check = QCheckBox("显示下属合计")
        self.totals_check.setChecked(True)
        self.totals_check.toggled.connect(self.apply_filters)
        self.tree_button = QPushButton("按单位树排序")
        self.tree_button.setToolTip("取消按列排序，回到单位树的顺序")
        self.tree_button.clicked.connect(self.tree_order)
        self.print_button = QPushButton("打印…")
        self.print_button.clicked.connect(self.print_preview)
        self.export_button = QPushButton("导出 Excel…")
        self.export_button.clicked.connect(self.choose_export)
        self.print_action = QAction("打印…", self)
        self.print_action.setShortcut(QKeySequence("Ctrl+P"))
        self.print_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.print_action.triggered.connect(self.print_preview)
        self.addAction(self.print_action)

        top = QHBoxLayout()
        top.addWidget(QLabel("指标组："))
        top.addWidget(self.group_box)
        top.addWidget(self.name_edit, 1)
        top.addWidget(self.level_box)
        top.addWidget(self.missing_check)
        top.addWidget(self.totals_check)
        top.addWidget(self.tree_button)
        top.addWidget(self.print_button)
        top.addWidget(self.export_button)

        self.caption = QLabel()
        font = self.caption.font()
        font.setBold(True)
        self.caption.setFont(font)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the tree's own order first
        self.view.setSortingEnabled(True)
        self.view.setWordWrap(True)
        legend = QLabel(LEGEND + "。点击列标题排序（同级单位之间），下属合计始终在本单位下。")
        legend.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(top)
        layout.addWidget(self.caption)
        layout.addWidget(self.view, 1)
        layout.addWidget(legend)
        self.group_box.setCurrentText("大气")

    # ------------------------------------------------------------------ context
    def set_context(self, unit_id: int, period: Period, unit_name: str) -> None:
        """The page shows every unit: only the period follows the context bar."""
        if period != self._period:
            self._period = period
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if audit.last_id(self.db) != self._loaded_at:
            self.reload()  # figures were written since the page last read them

    def reload(self) -> None:
        if self._period is None:
            return
        try:
            self._loaded_at = audit.last_id(self.db)
            self.source.load(self._period)
        except KnownError as exc:
            self.status.emit(exc.one_line())
            return
        self.show_columns()

    def group(self) -> str:
        return self.group_box.currentText()

    def show_columns(self) -> None:
        self.model.show(group_indicators(self.db, self.group()), self._filter())
        self._caption()

    def _filter(self) -> OverviewFilter:
        level = self.level_box.currentText()
        missing = (
            tuple(i.id for i in self.model.indicators) if self.missing_check.isChecked() else ()
        )
        if self.missing_check.isChecked() and not missing:
            missing = tuple(i.id for i in group_indicators(self.db, self.group()))
        return OverviewFilter(self.name_edit.text(), "" if level == ALL_LEVELS else level, missing)

    def apply_filters(self) -> None:
        self.model.show(self.model.indicators, self._filter(), self.totals_check.isChecked())
        self._caption()

    def tree_order(self) -> None:
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.model.sort(-1)

    def _caption(self) -> None:
        if self._period is None:
            return
        units = sum(1 for r in self.model.rows if not r.total)
        self.caption.setText(
            f"{self._period.label}　{self.group()}指标　{units} 个单位，"
            f"{len(self.model.indicators)} 项指标"
        )

    # ------------------------------------------------------------------ output
    def _title(self) -> str:
        assert self._period is not None
        return f"{self._period.label}各单位{self.group()}指标一览"

    def print_job(self) -> object:
        from desktop.services.overview.table import header_text, table_rows
        from desktop.ui.table_print import TableJob

        indicators = self.model.indicators
        rows = table_rows(indicators, self.model.rows)
        filters = self._filter()
        notes = [LEGEND]
        if filters.name or filters.level or filters.missing_of:
            notes.append(
                "筛选："
                + "，".join(
                    t
                    for t in (
                        f"名称含“{filters.name}”" if filters.name else "",
                        filters.level,
                        "只看有未填项的单位" if filters.missing_of else "",
                    )
                    if t
                )
            )
        return TableJob(
            title=self._title(),
            lines=tuple(notes),
            header=("单位", *(header_text(i) for i in indicators)),
            rows=[tuple(r) for r in rows],
            widths=(16, *(8 for _ in indicators)),
            day=date.today(),
            bold_rows=frozenset(n for n, r in enumerate(self.model.rows) if r.total),
        )

    def print_preview(self) -> None:
        from desktop.ui.table_print import TableJob, preview

        job = self.print_job()
        assert isinstance(job, TableJob)
        if not job.rows:
            self.status.emit("没有可打印的单位")
            return
        preview(self, job)

    def choose_export(self) -> None:
        if self._period is None:
            return
        default = str(self.db.path.parent / f"{self._title()}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "导出 Excel", default, "Excel 工作簿 (*.xlsx)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        if self._period is None:
            return
        try:
            count = export_overview(
                path, self._period, self.group(), self.model.indicators, self.model.rows,
                date.today(),
            )  # fmt: skip
        except KnownError as exc:
            self.status.emit(exc.one_line())
            return
        self.status.emit(f"已导出 {count} 行到 {path.name}（{source_line(date.today())}）")
