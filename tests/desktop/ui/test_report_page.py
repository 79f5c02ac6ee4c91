"""The 工作报告 page against the demo database: browse, edit with autosave and undo, import
with the outline check, accept figures, export and search."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from db import reports, units
from db.connection import Database
from db.periods import Period
from desktop.services.reports.text_import import import_text
from desktop.ui.main_window import MainWindow
from desktop.ui.report_dialogs import FiguresDialog, ImportDialog, flatten, rebuild
from desktop.ui.report_page import ReportPage
from tests.conftest import seed_text


def _page(qtbot: QtBot, db: Database, code: str = "330300-01") -> ReportPage:
    page = ReportPage(db, QUndoStack())
    qtbot.addWidget(page)
    unit = units.unit_by_code(db, code)
    page.set_context(unit.id, Period.parse("2022-YTD10"), unit.name)
    return page


def test_edit_autosaves_and_undoes(qtbot: QtBot, demo_db: Database) -> None:
    page = _page(qtbot, demo_db)
    assert page.report_box.currentText().startswith("2022年 工作总结：海岛区分局")
    assert page.outline.topLevelItemCount() == 4
    assert "97.0%" in page.preview.toPlainText()
    node_id = page.node_id
    assert node_id is not None
    page.body.setPlainText("改写后的前言，优良率{{air_good_rate}}。")
    qtbot.waitUntil(lambda: reports.node_by_id(demo_db, node_id).body.startswith("改写后"))
    assert "改写后的前言，优良率97.0%。" in page.preview.toPlainText()
    page.undo_stack.undo()
    assert reports.node_by_id(demo_db, node_id).body.startswith("1-10月，我区空气质量")
    assert page.body.toPlainText().startswith("1-10月")
    page.undo_stack.redo()
    assert reports.node_by_id(demo_db, node_id).body.startswith("改写后")


def test_import_check_accept_export_search(qtbot: QtBot, demo_db: Database, tmp_path: Path) -> None:
    page = _page(qtbot, demo_db)
    dialog = ImportDialog(import_text(seed_text("000"), default_title="海岛区分局2022年工作总结"))
    qtbot.addWidget(dialog)
    item = dialog.tree.topLevelItem(1)
    assert item is not None
    child = item.child(0)
    assert child is not None
    dialog.tree.setCurrentItem(child)
    dialog.promote()  # （一） becomes a top-level section …
    assert dialog.rows[2][0] == 0
    dialog.demote()  # … and back
    assert dialog.rows[2][0] == 1
    report_id = page.save_import(dialog.result_report())
    assert report_id is not None
    assert page.report_box.currentData() == report_id
    found = page.candidates()
    assert len(found) == 20
    figures = FiguresDialog(found)
    qtbot.addWidget(figures)
    page.accept_figures(figures.accepted_candidates()[:2])
    audit = demo_db.conn.execute(
        "SELECT count(*) FROM audit WHERE source = '报告 海岛区分局2022年工作总结'"
    ).fetchone()[0]
    assert audit == 3  # the import, and two notes: the demo already held the values
    result = page.export_to(tmp_path / "out.docx")
    assert result is not None and result.path.exists()
    page.query.setText("美丽海湾")
    page.run_search()
    assert page.results.count() >= 1 and "【美丽海湾】" in page.results.item(0).text()
    page._open_result(page.results.item(0))
    assert page.node_id is not None


def test_flatten_and_rebuild_round_trip() -> None:
    nodes = import_text(seed_text("003")).nodes
    rows = flatten(nodes)
    again = rebuild(rows)
    assert [n.label for n in again] == [n.label for n in nodes]
    assert len(flatten(again)) == len(rows)


def test_sections_are_added_and_removed_with_undo(qtbot: QtBot, demo_db: Database) -> None:
    page = _page(qtbot, demo_db, "330703")
    report = page.current_report()
    assert report is not None
    before = [n.label for n in reports.nodes_of(demo_db, report.id)]
    page.add_section()
    labels = [n.label for n in reports.nodes_of(demo_db, report.id)]
    assert labels[1] == "新的小节" and len(labels) == len(before) + 1
    page.undo_stack.undo()
    assert [n.label for n in reports.nodes_of(demo_db, report.id)] == before
    page.select_node(reports.nodes_of(demo_db, report.id)[1].id)
    page.remove_section()
    assert [n.label for n in reports.nodes_of(demo_db, report.id)] == [before[0], before[2]]
    assert reports.search_nodes(demo_db, "移送涉刑案件") == []
    page.undo_stack.undo()
    assert [n.label for n in reports.nodes_of(demo_db, report.id)] == before
    assert len(reports.search_nodes(demo_db, "移送涉刑案件")) == 1


def test_main_window_has_the_report_page(qtbot: QtBot, demo_db: Database) -> None:
    from desktop.ui.main_window import MainWindow

    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    titles = [window.nav.item(r).text() for r in range(window.nav.count())]
    window.nav.setCurrentRow(titles.index("工作报告"))
    page = window.pages.currentWidget()
    assert isinstance(page, ReportPage)
    assert page.report_box.currentText().endswith("海岛区分局2022年1-10月生态环境工作情况")


def test_report_info_changes_the_figure_period(qtbot: QtBot, demo_db: Database) -> None:
    page = _page(qtbot, demo_db)
    page.set_info("海岛区分局简报", "工作总结", 2022, "2021-YTD10")
    report = page.current_report()
    assert report is not None and (report.title, report.period) == ("海岛区分局简报", "2021-YTD10")
    assert "无数据" in page.preview.toPlainText()  # 2021 has no 优良率 in the demo
    page.set_info("海岛区分局简报", "工作总结", 2022, "十月")
    report = page.current_report()
    assert report is not None and report.period == "2021-YTD10"


def test_autosave_waits_while_a_task_has_the_connection(qtbot: QtBot, demo_db: Database) -> None:
    import threading

    from PySide6.QtWidgets import QWidget

    from desktop.tasks import run_task
    from desktop.ui.report_page import AUTOSAVE_MS

    page = _page(qtbot, demo_db)
    node_id = page.node_id
    assert node_id is not None
    page.body.setPlainText("导入期间键入的文字")  # the pause timer starts …
    other = QWidget()
    qtbot.addWidget(other)
    release = threading.Event()
    run_task(other, "导入中…", lambda _: release.wait(10), print, print)  # … and a task starts
    qtbot.wait(AUTOSAVE_MS * 2)
    assert not reports.node_by_id(demo_db, node_id).body.startswith("导入期间"), "not meanwhile"
    release.set()
    qtbot.waitUntil(lambda: reports.node_by_id(demo_db, node_id).body.startswith("导入期间"))


def test_fields_show_as_chips_with_the_indicator_name(demo_db: Database, qtbot: QtBot) -> None:
    """A reader sees 〔空气质量优良率〕, never {{air_good_rate}}; the store keeps the token."""
    from PySide6.QtCore import Qt

    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    row = next(r for r in range(window.nav.count()) if window.nav.item(r).text() == "工作报告")
    window.nav.setCurrentRow(row)
    page = window.page(row)
    assert isinstance(page, ReportPage)
    text = "优良率{{air_good_rate}}，PM2.5{{=pm25@2021-Y}}。"
    page.body.setPlainText(text)
    shown = page.body.document().toPlainText()
    assert "{{" not in shown and "air_good_rate" not in shown
    assert shown == "优良率〔空气质量优良率〕，PM2.5〔PM2.5平均浓度·2021年〕。"
    assert page.body.toPlainText() == text
    assert [t for _w, t in page.body.chips()] == ["{{air_good_rate}}", "{{=pm25@2021-Y}}"]
    # Backspace after a chip takes the whole chip; typing next to it stays plain text.
    cursor = page.body.textCursor()
    cursor.setPosition(len("优良率〔空气质量优良率〕"))
    page.body.setTextCursor(cursor)
    page.body.setFocus()
    qtbot.keyClick(page.body, Qt.Key.Key_Backspace)
    assert page.body.toPlainText() == "优良率，PM2.5{{=pm25@2021-Y}}。"
    qtbot.keyClicks(page.body, "97%")
    assert page.body.toPlainText() == "优良率97%，PM2.5{{=pm25@2021-Y}}。"


def test_the_report_period_is_chosen_by_its_words(qtbot: QtBot) -> None:
    from desktop.ui.report_dialogs import ReportInfoDialog

    dialog = ReportInfoDialog("工作总结", "工作总结", 2022, "2022-YTD10")
    qtbot.addWidget(dialog)
    assert dialog.period.currentText() == "2022年1-10月"
    shown = [dialog.period.itemText(i) for i in range(dialog.period.count())]
    assert not any("YTD" in t or "-Y" in t for t in shown)
    dialog.period.setCurrentIndex(dialog.period.findText("2022年第三季度"))
    assert dialog.values()[3] == "2022-Q3"
    dialog.year.setValue(2023)
    assert (
        dialog.period.currentText() == "未注明（按2023年全年）"
        or "2023" in dialog.period.currentText()
    )


def test_closing_the_window_right_after_typing_keeps_the_text(
    demo_db: Database, qtbot: QtBot
) -> None:
    """Typed less than the autosave pause before closing: written, not lost on a closed file."""
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    row = next(r for r in range(window.nav.count()) if window.nav.item(r).text() == "工作报告")
    window.nav.setCurrentRow(row)
    page = window.page(row)
    assert isinstance(page, ReportPage) and page.node_id is not None
    node_id = page.node_id
    page.body.setPlainText("关闭前刚写的一句")
    assert page.timer.isActive()
    window.backup_on_close = False
    window.close()
    assert not page.timer.isActive()
    from db.connection import open_database

    fresh = open_database(demo_db.path)
    try:
        assert reports.node_by_id(fresh, node_id).body == "关闭前刚写的一句"
    finally:
        fresh.close()
