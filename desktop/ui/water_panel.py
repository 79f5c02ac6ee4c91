"""地表水 panel of 监测数据: import section measurements, see each section's class, write the share.

The user imports a section file (.xlsx/.xls/.ods/.csv): it is read and judged on a worker, shown
value by value in the shared preview (新增 / 修改 / 不变 / 错误 with sheet and cell), and
committed in one transaction that Ctrl+Z takes back. A file with no 水体类型 column is asked
about once (river and lake TP limits differ) for sections the unit does not hold yet. The table
then shows the context unit's sections over the context period from the store: class by
GB 3838-2002's single-factor rule on the period means (coloured and worded as 环办〔2011〕22号
does), main pollutants and the means; under it the share of sections at Ⅲ类 or better, which
"写入指标库" writes as 市控断面Ⅲ类及以上比例.

Signals:
    status(str): a sentence for the status bar.
    data_changed(): samples or the share were written to the store.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.connection import Database
from db.errors import KnownError
from db.periods import Period
from desktop.models.water_sections import WaterSectionsModel
from desktop.services.monitoring.sample_import import MonitoringImport
from desktop.services.monitoring.standards import StandardsLibrary, load_library
from desktop.services.monitoring.water.classes import WaterBody
from desktop.services.monitoring.water.period import WaterPeriod, section_period, write_good_share
from desktop.services.monitoring.water.section_import import BodyNeeded, dry_run_water_file
from desktop.tasks import ProgressFn, Task, run_task
from desktop.ui.monitoring_preview import ImportPreviewDialog, commit_with_undo

FILE_FILTER = "断面监测数据 (*.xlsx *.xls *.ods *.csv)"
METHOD = "按{code}单因子评价：期间内各项目取算术平均值，水温、总氮、粪大肠菌群不参与评价"
LEGEND = (
    "颜色（环办〔2011〕22号）：Ⅰ-Ⅱ类 优 蓝，Ⅲ类 良好 绿，Ⅳ类 轻度污染 黄，Ⅴ类 中度污染 橙，"
    "劣Ⅴ类 重度污染 红"
)


class WaterPanel(QWidget):
    status = Signal(str)
    data_changed = Signal()

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.undo_stack = undo_stack
        self.library: StandardsLibrary = load_library()
        self._unit_id: int | None = None
        self._unit_name = ""
        self._period: Period | None = None
        self.result: WaterPeriod | None = None
        self.task: Task | None = None
        self.preview: ImportPreviewDialog | None = None

        self.import_button = QPushButton("导入断面监测数据…")
        self.import_button.clicked.connect(self.choose_file)
        self.context_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.import_button)
        top.addStretch(1)
        top.addWidget(self.context_label)

        self.model = WaterSectionsModel(self.library)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)

        self.share_label = QLabel()
        font = self.share_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.share_label.setFont(font)
        self.method_label = QLabel(METHOD.format(code=self.library.water.code) + "。\n" + LEGEND)
        self.method_label.setWordWrap(True)
        self.write_button = QPushButton("写入指标库（市控断面Ⅲ类及以上比例）")
        self.write_button.clicked.connect(self.write_to_store)
        bottom = QHBoxLayout()
        bottom.addWidget(self.share_label)
        bottom.addStretch(1)
        bottom.addWidget(self.write_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.method_label)
        if db.read_only:
            for button in (self.import_button, self.write_button):
                button.setEnabled(False)
                button.setToolTip(f"只读：{db.read_only_reason}")
        self.refresh()

    # ------------------------------------------------------------------ context
    def set_context(self, unit_id: int, period: Period, unit_name: str) -> None:
        self._unit_id, self._period, self._unit_name = unit_id, period, unit_name
        self.context_label.setText(f"{unit_name}　{period.label}（在顶部切换）")
        self.refresh()

    def refresh(self) -> None:
        """The context period's sections from the store."""
        if self._unit_id is None or self._period is None:
            self.result = None
        else:
            self.result = section_period(self.db, self._unit_id, self._period, self.library)
        self.model.set_result(self.result)
        if self.result is None or not self.result.sections:
            where = self._period.label if self._period else "本期间"
            self.share_label.setText(f"{where}尚无断面监测数据，请导入")
        else:
            target = self.result.target
            extra = f"；{target.text}" if target is not None else ""
            self.share_label.setText(self.result.share_line + extra)
            if target is not None and target.failing:
                self.share_label.setToolTip("未达标断面：" + "、".join(target.failing))
        ready = self.result is not None and self.result.share.rate is not None
        self.write_button.setEnabled(ready and not self.db.read_only)

    # ------------------------------------------------------------------ import
    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择断面监测数据文件", "", FILE_FILTER)
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path, body: WaterBody | None = None) -> None:
        """Read and judge ``path`` on a worker; the preview opens when it is done."""
        if self._unit_id is None:
            self.status.emit("请先在顶部选择单位和期间")
            return
        unit_id, db, library = self._unit_id, self.db, self.library

        def work(progress: ProgressFn) -> MonitoringImport | BodyNeeded:
            progress(0, 1)
            try:
                return dry_run_water_file(db, path, unit_id, body, library)
            except BodyNeeded as exc:
                return exc

        def done(result: object) -> None:
            self.task = None
            if isinstance(result, BodyNeeded):
                chosen = self.ask_body(result)
                if chosen is None:
                    self.status.emit(f"未导入 {path.name}：{result.message}")
                else:
                    self.import_file(path, chosen)
                return
            assert isinstance(result, MonitoringImport)
            self._preview(result)

        self.task = run_task(self, f"正在读取 {path.name}…", work, done, self._failed)

    def ask_body(self, needed: BodyNeeded) -> WaterBody | None:
        """Ask which body the new sections are; None when the user cancels."""
        choices = [b.value for b in WaterBody]
        text, ok = QInputDialog.getItem(
            self, "断面类型", f"{needed.message}。\n新断面按：", choices, 0, False
        )
        return WaterBody(text) if ok else None

    def _failed(self, message: str) -> None:
        self.task = None
        self.status.emit(message)

    def _preview(self, imp: MonitoringImport) -> None:
        self.preview = ImportPreviewDialog(imp, self)
        self.preview.accepted.connect(lambda: self._commit(imp))
        self.preview.open()
        self.status.emit(f"{imp.file}：{imp.summary()}，请在预览中确认")

    def _commit(self, imp: MonitoringImport) -> None:
        commit_with_undo(self.db, imp, self.undo_stack, self, self.status.emit, self._changed)

    def _changed(self) -> None:
        self.refresh()
        self.data_changed.emit()

    # ------------------------------------------------------------------ writing
    def write_to_store(self) -> None:
        if self.result is None or self._unit_id is None or self._period is None:
            self.status.emit("请先导入本期间的断面监测数据")
            return
        try:
            rate = write_good_share(self.db, self._unit_id, self._period, self.result, "监测数据页")
        except KnownError as exc:
            self.status.emit(exc.one_line())
            return
        self.data_changed.emit()
        target = self.result.target
        extra = ""
        if target is not None and target.rate is not None:
            extra = f"；断面水质达标率 {target.rate}%（{target.met}/{target.judged}）"
        self.status.emit(
            f"已写入 {self._unit_name}{self._period.label} 市控断面Ⅲ类及以上比例 {rate}%"
            f"（{self.result.share.good}/{self.result.share.evaluated}，按{self.result.standard_code}）"
            + extra
        )
