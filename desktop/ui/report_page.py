"""The 工作报告 page: reports of the current unit as outlines, edited in place, searchable.

The outline is on the left and the selected section's heading and text on the right. Edits
save themselves a moment after typing stops (and when another section is chosen), each save
one step on the window's undo stack, so Ctrl+Z walks back through them. Below the text, the
section is shown again with its figure fields filled from the store, and every field still
without a value is listed. Import, figure extraction and the official-style export open from
the toolbar; search (Ctrl+F) covers all reports and plans in the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import indicators, reports
from db.connection import Database
from db.errors import KnownError, explain
from db.periods import Period
from desktop import tasks
from desktop.services.reports import docx_export, figures, search, text_import
from desktop.services.reports.blanks import TOKEN, Filler, token
from desktop.ui.field_edit import FieldEdit
from desktop.ui.report_dialogs import FieldPicker, FiguresDialog, ImportDialog, ReportInfoDialog
from desktop.ui.undo.base import write_then_push
from desktop.ui.undo.callbacks import ActionCommand
from desktop.ui.undo.reports import ReportEditCommand

TEXTS = {
    "import": "导入报告…",
    "info": "报告信息…",
    "figures": "提取数字…",
    "export": "导出公文…",
    "delete": "删除报告",
    "field": "插入数字字段…",
    "search": "在全部报告和计划中查找（Ctrl+F）",
    "none": "（本单位还没有报告：点“导入报告…”）",
    "heading": "本节标题",
    "filled": "填入数字后的效果：",
    "add": "新增小节",
    "remove": "删除小节",
    "new_heading": "新的小节",
}
AUTOSAVE_MS = 800


class ReportPage(QWidget):
    """Signals:
    status: a sentence for the status bar.
    data_changed: figures were written to the store (accepted from a report).
    """

    #: The context bar's parts this page uses (a report carries its own year and period).
    CONTEXT_SCOPE = frozenset({"unit"})

    status = Signal(str)
    data_changed = Signal()

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.undo_stack = undo_stack
        self.unit_id = 0
        self.unit_name = ""
        self.node_id: int | None = None
        self._saved: tuple[str, str] = ("", "")
        self._loading = False
        self.last_export_notes: list[str] = []

        self.report_box = QComboBox()
        self.report_box.currentIndexChanged.connect(self._report_chosen)
        toolbar = QHBoxLayout()
        toolbar.addWidget(QLabel("报告"))
        toolbar.addWidget(self.report_box, 1)
        self.buttons: dict[str, QPushButton] = {}
        actions: tuple[tuple[str, Callable[[], None]], ...] = (
            ("import", self.choose_import),
            ("info", self.info_dialog),
            ("figures", self.figures_dialog),
            ("export", self.export_dialog),
            ("delete", self.delete_report),
        )
        for key, slot in actions:
            button = QPushButton(TEXTS[key])
            button.clicked.connect(slot)
            toolbar.addWidget(button)
            self.buttons[key] = button

        self.outline = QTreeWidget()
        self.outline.setHeaderHidden(True)
        self.outline.currentItemChanged.connect(self._node_chosen)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.outline, 1)
        structure = QHBoxLayout()
        for key, slot in (("add", self.add_section), ("remove", self.remove_section)):
            button = QPushButton(TEXTS[key])
            button.clicked.connect(slot)
            structure.addWidget(button)
            self.buttons[key] = button
        left_layout.addLayout(structure)
        self.heading = QLineEdit()
        self.heading.setPlaceholderText(TEXTS["heading"])
        self.body = FieldEdit(self.field_name)
        self.preview = QTextBrowser()
        self.preview.setMaximumHeight(180)
        self.field_button = QPushButton(TEXTS["field"])
        self.field_button.clicked.connect(self.insert_field)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self._autosave)
        self.heading.textEdited.connect(self._edited)
        self.body.textChanged.connect(self._edited)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.body, 1)
        row = QHBoxLayout()
        row.addWidget(self.field_button)
        row.addStretch(1)
        right_layout.addLayout(row)
        right_layout.addWidget(QLabel(TEXTS["filled"]))
        right_layout.addWidget(self.preview)

        self.query = QLineEdit()
        self.query.setPlaceholderText(TEXTS["search"])
        self.query.returnPressed.connect(self.run_search)
        self.results = QListWidget()
        self.results.setMaximumHeight(160)
        self.results.itemActivated.connect(self._open_result)
        self.results.hide()
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.query.setFocus)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(self.query)
        layout.addWidget(self.results)
        layout.addWidget(splitter, 1)
        self._set_editable(False)

    # ------------------------------------------------------------------ context
    def set_context(self, unit_id: int, period: Period, unit_name: str) -> None:
        self.save_now()
        self.unit_id, self.unit_name = unit_id, unit_name
        self.reload()

    def reload(self, select: int | None = None) -> None:
        found = reports.reports(self.db, self.unit_id) if self.unit_id else []
        self.report_box.blockSignals(True)
        self.report_box.clear()
        for report in found:
            self.report_box.addItem(f"{report.year}年 {report.kind}：{report.title}", report.id)
        if not found:
            self.report_box.addItem(TEXTS["none"], None)
        if select is not None:
            self.report_box.setCurrentIndex(max(0, self.report_box.findData(select)))
        self.report_box.blockSignals(False)
        self._report_chosen()

    def current_report(self) -> reports.Report | None:
        report_id = self.report_box.currentData()
        return reports.report_by_id(self.db, int(report_id)) if report_id else None

    def _report_chosen(self, _index: int = 0) -> None:
        self.save_now()
        self.outline.clear()
        self.node_id = None
        report = self.current_report()
        for key in ("info", "figures", "export", "delete", "add", "remove"):
            self.buttons[key].setEnabled(report is not None)
        if report is None:
            self._show_node(None)
            return
        items: dict[int, QTreeWidgetItem] = {}
        for node in reports.nodes_of(self.db, report.id):
            item = QTreeWidgetItem([node.label or "（前言）"])
            item.setData(0, Qt.ItemDataRole.UserRole, node.id)
            parent = items.get(node.parent_id) if node.parent_id else None
            if parent is not None:
                parent.addChild(item)
            else:
                self.outline.addTopLevelItem(item)
            items[node.id] = item
        self.outline.expandAll()
        first = self.outline.topLevelItem(0)
        if first is not None:
            self.outline.setCurrentItem(first)

    def select_node(self, node_id: int) -> None:
        for item in self._items():
            if item.data(0, Qt.ItemDataRole.UserRole) == node_id:
                self.outline.setCurrentItem(item)
                return

    def _items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        stack = [self.outline.topLevelItem(i) for i in range(self.outline.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item is not None:
                found.append(item)
                stack.extend(item.child(i) for i in range(item.childCount()))
        return found

    # ------------------------------------------------------------------ editing
    def _node_chosen(self, current: QTreeWidgetItem | None, _previous: object = None) -> None:
        self.save_now()
        node_id = current.data(0, Qt.ItemDataRole.UserRole) if current is not None else None
        self._show_node(int(node_id) if node_id else None)

    def _set_editable(self, on: bool) -> None:
        for widget in (self.heading, self.body, self.field_button):
            widget.setEnabled(on and not self.db.read_only)

    def _show_node(self, node_id: int | None) -> None:
        self._loading = True
        self.node_id = node_id
        if node_id is None:
            self.heading.clear()
            self.body.clear()
            self._saved = ("", "")
        else:
            node = reports.node_by_id(self.db, node_id)
            self.heading.setText(node.heading)
            self.body.setPlainText(node.body)
            self._saved = (node.heading, node.body)
        self._set_editable(node_id is not None)
        self._loading = False
        self._refresh_preview()

    def _edited(self) -> None:
        if not self._loading:
            self.timer.start()

    def _autosave(self) -> None:
        """The pause after typing: save, unless a task has the connection (then a bit later)."""
        if tasks.busy():
            self.timer.start()
            return
        self.save_now()

    def save_now(self) -> None:
        """Write the section being edited if it changed (autosave, and before leaving it)."""
        self.timer.stop()
        if self.node_id is None or self.db.read_only:
            return
        new = (self.heading.text().strip(), self.body.toPlainText())
        if new == self._saved:
            return
        try:
            reports.update_node(self.db, self.node_id, heading=new[0], body=new[1])
        except KnownError as exc:
            self.status.emit(f"未保存：{exc.one_line()}")
            return
        self.undo_stack.push(ReportEditCommand(self, self.node_id, self._saved, new))
        self._saved = new
        self._relabel(self.node_id)
        self._refresh_preview()
        self.status.emit("已保存")

    def apply_text(self, node_id: int, heading: str, body: str) -> None:
        """Undo / redo of an edit: write it, and show it if that section is open.

        Raises a ``KnownError`` when the store refuses (the command reports it).
        """
        reports.update_node(self.db, node_id, heading=heading, body=body)
        if node_id == self.node_id:
            self._show_node(node_id)
        self._relabel(node_id)

    def _relabel(self, node_id: int) -> None:
        node = reports.node_by_id(self.db, node_id)
        for item in self._items():
            if item.data(0, Qt.ItemDataRole.UserRole) == node_id:
                item.setText(0, node.label or "（前言）")

    def _refresh_preview(self) -> None:
        report = self.current_report()
        if report is None or self.node_id is None:
            self.preview.clear()
            return
        filler = Filler(self.db, report.unit_id, report.period or f"{report.year}-Y")
        shown = filler.fill(self.body.toPlainText(), self.heading.text())
        missing = "".join(f"<li>{m.what}</li>" for m in filler.missing)
        html = shown.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br>")
        if missing:
            html += f"<p style='color:#c62828'>仍为空白（{len(filler.missing)} 处）：</p>"
            html += f"<ul>{missing}</ul>"
        self.preview.setHtml(html)

    def field_name(self, text: str) -> str:
        """A field's chip words: the indicator's name, and its own period or unit if it has
        them ("PM2.5平均浓度·2021年"); the code itself only in the tooltip."""
        match = TOKEN.fullmatch(text)
        if match is None:
            return text
        _bare, code, period, unit = match.groups()
        try:
            words = indicators.indicator_by_code(self.db, code).name
        except KnownError:
            return f"未知指标{code}"
        if period:
            try:
                words += f"·{Period.parse(period).label}"
            except ValueError:
                words += f"·{period}"
        if unit:
            words += f"·{unit}"
        return words

    def insert_field(self) -> None:
        dialog = FieldPicker(indicators.all_indicators(self.db), self)
        if not dialog.exec():
            return
        code, bare, period = dialog.chosen()
        self.body.insertPlainText(token(code, bare=bare, period=period))
        self.save_now()

    # ------------------------------------------------------------------ structure
    def add_section(self) -> None:
        """A new section after the current one, at its level (numbering left to the user)."""
        report = self.current_report()
        if report is None or self.db.read_only:
            return
        self.save_now()
        current = reports.node_by_id(self.db, self.node_id) if self.node_id else None
        parent = current.parent_id if current else None
        position = current.position + 1 if current else 0
        level = current.level if current else 1
        made: list[int] = []

        def do() -> None:
            node = reports.NewNode(level, "", TEXTS["new_heading"])
            made[:] = [reports.insert_node(self.db, report.id, parent, position, node)]
            self._after_structure(made[0])

        def undo() -> None:
            if made:
                reports.delete_node(self.db, made[0])
            self._after_structure(current.id if current else None)

        command = ActionCommand(TEXTS["add"], do, undo, self.status.emit)
        write_then_push(self.undo_stack, command, done="已新增小节", refused="未完成")

    def remove_section(self) -> None:
        report = self.current_report()
        if report is None or self.node_id is None or self.db.read_only:
            return
        self.save_now()
        node_id = self.node_id
        kept: list[tuple[int | None, int, reports.NewNode]] = []
        restored: list[int] = [node_id]

        def do() -> None:
            kept[:] = [reports.delete_node(self.db, restored[0])]
            self.node_id = None
            self._after_structure(kept[0][0])

        def undo() -> None:
            parent, position, tree = kept[0]
            restored[:] = [reports.insert_node(self.db, report.id, parent, position, tree)]
            self._after_structure(restored[0])

        command = ActionCommand(TEXTS["remove"], do, undo, self.status.emit)
        write_then_push(
            self.undo_stack, command, done="已删除小节（Ctrl+Z 可恢复）", refused="未完成"
        )

    def _after_structure(self, select: int | None) -> None:
        report = self.current_report()
        self.reload(select=report.id if report else None)
        if select is not None:
            self.select_node(select)

    # ------------------------------------------------------------------ actions
    def choose_import(self) -> None:
        """导入报告…: its own slot, since ``clicked`` passes ``checked`` as a first argument."""
        name, _filter = QFileDialog.getOpenFileName(
            self, TEXTS["import"], "", "报告 (*.txt *.docx)"
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        """Read a .txt/.docx report, let the user check its outline, then save it."""
        try:
            imported = text_import.import_file(path)
        except (OSError, ValueError) as exc:  # ReportError is a ValueError
            QMessageBox.warning(self, TEXTS["import"], explain(exc))
            return
        bound, left = text_import.bind_all_blanks(imported.nodes)
        if bound or left:
            imported.warnings.append(f"空白“**”：{bound} 处已绑定指标，{left} 处未能识别")
        dialog = ImportDialog(imported, self)
        if dialog.exec():
            self.save_import(dialog.result_report())

    def info_dialog(self) -> None:
        report = self.current_report()
        if report is None:
            return
        dialog = ReportInfoDialog(report.title, report.kind, report.year, report.period, self)
        if dialog.exec():
            self.set_info(*dialog.values())

    def set_info(self, title: str, kind: str, year: int, period: str) -> None:
        """Change the report's title, kind, year and figure period (audited, not undoable)."""
        report = self.current_report()
        if report is None:
            return
        if period:
            try:
                Period.parse(period)
            except ValueError:
                self.status.emit(f"期间“{period}”无效，应为 2022-YTD10 或 2022-Y 的形式")
                return
        try:
            reports.update_report(
                self.db, report.id, title=title, kind=kind, year=year, period=period
            )
        except KnownError as exc:
            self.status.emit(f"未保存：{exc.one_line()}")
            return
        self.reload(select=report.id)
        self.status.emit("已保存报告信息")

    def save_import(self, imported: text_import.ImportedReport) -> int | None:
        try:
            report_id = text_import.save(self.db, imported, self.unit_id)
        except (KnownError, ValueError) as exc:
            self.status.emit(f"未保存：{explain(exc, one_line=True)}")
            return None
        self.reload(select=report_id)
        self.status.emit(f"已导入报告《{imported.title}》")
        return report_id

    def candidates(self) -> list[figures.Candidate]:
        report = self.current_report()
        if report is None:
            return []
        return figures.find_in_nodes(
            self.db,
            reports.nodes_of(self.db, report.id),
            period=report.period or f"{report.year}-Y",
            year=report.year,
        )

    def figures_dialog(self) -> None:
        report = self.current_report()
        found = self.candidates()
        if report is None or not found:
            self.status.emit("没有在报告中识别到指标数字")
            return
        dialog = FiguresDialog(found, self)
        if dialog.exec():
            self.accept_figures(dialog.accepted_candidates())

    def accept_figures(self, chosen: list[figures.Candidate]) -> None:
        report = self.current_report()
        if report is None or not chosen:
            return
        try:
            count = figures.accept(self.db, report.title, report.unit_id, chosen)
        except KnownError as exc:
            self.status.emit(f"未写入：{exc.one_line()}")
            return
        self.data_changed.emit()
        self._refresh_preview()
        self.status.emit(f"已写入 {count} 项数字（来源：报告 {report.title}）")

    def export_dialog(self) -> None:
        report = self.current_report()
        if report is None:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self, TEXTS["export"], f"{report.title}.docx", "Word 文档 (*.docx)"
        )
        if not name:
            return
        result = self.export_to(Path(name))
        if result is not None:
            lines = list(self.last_export_notes)
            lines += [f"· {m.where}：{m.what}" for m in result.missing[:15]]
            if len(result.missing) > 15:
                lines.append(f"……另有 {len(result.missing) - 15} 处")
            QMessageBox.information(self, TEXTS["export"], "\n".join(lines))

    def export_to(self, path: Path) -> docx_export.ExportResult | None:
        report = self.current_report()
        if report is None:
            return None
        self.save_now()
        try:
            result = docx_export.export_docx(self.db, report.id, path)
        except (OSError, KnownError) as exc:
            self.status.emit(f"导出失败：{explain(exc, one_line=True)}")
            return None
        notes = [f"已导出到 {result.path}，填入数字 {result.filled} 处。"]
        notes += result.fallbacks
        if result.missing:
            notes.append(f"仍为空白 {len(result.missing)} 处（导出件中以黄色标出）。")
        self.status.emit(
            notes[0] + (f"仍为空白 {len(result.missing)} 处" if result.missing else "")
        )
        self.last_export_notes = notes
        return result

    def delete_report(self) -> None:
        report = self.current_report()
        if report is None:
            return
        answer = QMessageBox.question(self, TEXTS["delete"], f"删除报告《{report.title}》？")
        if answer == QMessageBox.StandardButton.Yes:
            self.node_id = None
            reports.delete_report(self.db, report.id)
            self.undo_stack.clear()  # edits of a deleted report cannot be undone
            self.reload()
            self.status.emit(f"已删除报告《{report.title}》")

    # ------------------------------------------------------------------ search
    def run_search(self) -> None:
        self.results.clear()
        found = search.search(self.db, self.query.text(), 100)
        for result in found:
            where = f"{result.unit} {result.year}年《{result.title}》{result.where}"
            item = QListWidgetItem(f"[{result.kind}] {where}：{result.text()}")
            item.setData(Qt.ItemDataRole.UserRole, (result.kind, result.doc_id, result.item_id))
            self.results.addItem(item)
        self.results.setVisible(bool(found))
        self.status.emit(f"找到 {len(found)} 处" if found else f"没有找到“{self.query.text()}”")

    def _open_result(self, item: QListWidgetItem) -> None:
        kind, doc_id, item_id = item.data(Qt.ItemDataRole.UserRole)
        if kind != "报告":
            self.status.emit("计划条目请在“计划清单”页查看")
            return
        report = reports.report_by_id(self.db, doc_id)
        if report.unit_id != self.unit_id:
            self.unit_id = report.unit_id
        self.reload(select=doc_id)
        self.select_node(item_id)
