"""The entry table itself prints: A4 through the preview (Ctrl+P), every indicator with its
figures, the unit and period in the title, the footer's source line."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from db.connection import Database
from desktop.ui.main_window import MainWindow
from desktop.ui.table_print import TableJob, print_pdf
from tests.support.pdf_text import pdf_text


def test_the_entry_table_prints_what_it_shows(
    demo_db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    page = window.entry_page
    assert page.print_action.shortcut().toString() == "Ctrl+P"
    job = page.print_job()
    assert isinstance(job, TableJob)
    assert job.header[:3] == ("指标", "单位", "本期")
    pages = print_pdf(job, str(tmp_path / "填报表.pdf"))
    assert pages >= 2
    text = pdf_text(tmp_path / "填报表.pdf").replace(" ", "")
    assert "温州市生态环境局海岛区分局" in text and "2022年1-10月" in text
    assert "空气质量优良率" in text and "97.0" in text and "数据来源：EcoDesk" in text
