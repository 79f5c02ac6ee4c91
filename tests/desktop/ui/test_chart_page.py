"""The 图表 page driven with qtbot: it follows the context bar, redraws on a control change,
exports, prints to a PDF through the print path, saves a set and writes a pack on the worker
(and cancels it, leaving no file). Also: the main window does not load matplotlib until the
page is opened."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from matplotlib.patches import Rectangle
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QInputDialog, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from db import chart_sets, units
from db.connection import Database
from db.periods import Period
from desktop import tasks
from desktop.services.charts.building import ChartSpec
from desktop.tasks import ProgressFn
from desktop.ui import chart_print
from desktop.ui.chart_page import ChartPage
from desktop.ui.main_window import MainWindow
from tests.conftest import ROOT
from tests.support.pdf_text import pdf_text

P = Period.parse("2022-YTD10")


def _page(qtbot: QtBot, db: Database) -> ChartPage:
    page = ChartPage(db)
    qtbot.addWidget(page)
    page.show()
    own = units.unit_by_code(db, "330300-01")
    page.set_context(own.id, P, own.name)
    return page


def test_page_redraws_on_each_change_and_prints(
    chart_db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    page = _page(qtbot, chart_db)
    page.type_box.setCurrentIndex(page.type_box.findData("ranking"))
    page.indicator_box.setCurrentIndex(page.indicator_box.findData("pm25"))
    qtbot.waitUntil(
        lambda: (
            page.current_data() is not None
            and page.current_data().caption.title == "PM2.5平均浓度排名"
        )
    )
    ax = page.figure.axes[0]
    assert len([p for p in ax.patches if isinstance(p, Rectangle)]) == 5
    assert page.indicator_list.isHidden() and not page.indicator_box.isHidden()

    # Only two units ticked: the ranking follows at once.
    codes = ("330300-01", "330302")
    page.set_checked(page.unit_list, codes)
    qtbot.waitUntil(
        lambda: (
            len(page.figure.axes) == 1
            and len([p for p in page.figure.axes[0].patches if isinstance(p, Rectangle)]) == 2
        )
    )

    with qtbot.waitSignal(page.status) as blocker:
        page.export_to(tmp_path / "排名.png")
    assert "已导出" in blocker.args[0] and (tmp_path / "排名.png").stat().st_size > 10_000

    job = page.print_job()
    assert job is not None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "打印.pdf"))
    chart_print.setup_printer(printer, landscape=True)
    assert chart_print.paint(printer, job) == 1
    text = pdf_text(tmp_path / "打印.pdf")
    assert "PM2.5平均浓度排名" in text and "温州市生态环境局海岛区分局" in text
    assert "2022年1-10月" in text and "鹿城分局" in text and "24" in text
    flat = text.replace(" ", "")
    assert "数据来源：EcoDesk" in text and "第1" in flat and "共1" in flat

    # The yoy type shows the multi-indicator list instead.
    page.type_box.setCurrentIndex(page.type_box.findData("yoy"))
    assert not page.indicator_list.isHidden() and page.indicator_box.isHidden()


def test_pack_from_page_and_saved_set(
    chart_db: Database, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(qtbot, chart_db)
    page.show_spec(ChartSpec("composition", ("problems_found",), style="pie"))
    qtbot.waitUntil(
        lambda: (
            page.current_data() is not None
            and page.current_data().caption.title == "发现环境问题构成"
        )
    )
    page.add_to_pack()
    page.show_spec(ChartSpec("trend", ("pm25",), span="years", count=5))
    qtbot.waitUntil(
        lambda: (
            page.current_data() is not None
            and page.current_data().caption.title == "PM2.5平均浓度变化趋势"
        )
    )
    page.add_to_pack()
    assert page.pack_list.count() == 2
    page.save_set_as("月度局务会", "局务会材料", page.pack_specs())
    assert chart_sets.chart_set_by_name(chart_db, "月度局务会").title == "局务会材料"
    page.pack_list.clear()
    assert page.load_set("月度局务会") == "局务会材料" and page.pack_list.count() == 2

    path = tmp_path / "材料.pdf"
    _answer_pack_dialogs(monkeypatch, "局务会材料", path)
    messages: list[str] = []
    page.status.connect(messages.append)
    page.pack_action.trigger()
    assert not page.add_button.isEnabled(), "the PDF is written on the worker"
    qtbot.waitUntil(lambda: any("已生成会议材料" in m for m in messages), timeout=20_000)
    assert path.exists() and page.add_button.isEnabled()
    text = pdf_text(path)
    assert "局务会材料" in text and "图2" in text and "PM2.5平均浓度变化趋势" in text


def _answer_pack_dialogs(monkeypatch: pytest.MonkeyPatch, title: str, path: Path) -> None:
    """生成会议材料… asks for a title and a file: answer both."""
    monkeypatch.setattr(QInputDialog, "getText", lambda *_, **__: (title, True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_, **__: (str(path), ""))


def test_pack_can_be_cancelled_and_leaves_no_file(
    chart_db: Database, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui import chart_page

    page = _page(qtbot, chart_db)
    qtbot.waitUntil(lambda: page.current_data() is not None)
    page.add_to_pack()
    # Hold the worker after the first page until 取消 has been clicked.
    first_page, clicked = threading.Event(), threading.Event()
    real = chart_page.write_pack

    def held(*args: Any, progress: ProgressFn, **kwargs: Any) -> int:
        def paused(done: int, total: int) -> bool:
            first_page.set()
            clicked.wait(10)
            return progress(done, total)

        return real(*args, progress=paused, **kwargs)

    monkeypatch.setattr(chart_page, "write_pack", held)
    path = tmp_path / "材料.pdf"
    _answer_pack_dialogs(monkeypatch, "局务会材料", path)
    messages: list[str] = []
    page.status.connect(messages.append)
    page.pack_action.trigger()
    qtbot.waitUntil(first_page.is_set, timeout=20_000)
    dialog = page.findChild(QProgressDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    clicked.set()
    qtbot.waitUntil(lambda: "已取消，未生成文件" in messages, timeout=10_000)
    assert not path.exists() and not list(tmp_path.glob("*材料*")), "no file, no half file"
    assert page.add_button.isEnabled() and not tasks.busy()


def test_main_window_builds_the_chart_page_on_demand(demo_db: Database, qtbot: QtBot) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    titles = [window.nav.item(r).text() for r in range(window.nav.count())]
    row = titles.index("图表")
    window.nav.setCurrentRow(row)
    page = window.pages.currentWidget()
    assert isinstance(page, ChartPage)
    qtbot.waitUntil(lambda: page.current_data() is not None, timeout=5000)
    assert "2022年1-10月" in page.period_label.text(), "the page follows the context bar"


def test_start_up_does_not_import_matplotlib() -> None:
    code = "import sys, desktop.ui.main_window; print('matplotlib' in sys.modules)"
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "False"
