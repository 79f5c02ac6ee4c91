"""The 数据交换 page driven as a user would: preview on a worker, commit, undo, export."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from db import units
from db.connection import Database
from db.periods import Period
from desktop.models.entry_grid import Col
from desktop.ui.exchange_page import ExchangePage
from desktop.ui.main_window import MainWindow
from tests.support.forms import bureau_form

P = Period.parse("2022-YTD10")


def test_preview_commit_undo_and_export(demo_db: Database, qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    window.context_bar.set_context(units.unit_by_code(demo_db, "330703").id, P)
    page = window.exchange_page()
    assert isinstance(page, ExchangePage)

    form = bureau_form(
        tmp_path / "金东分局.xlsx",
        [("PM2.5平均浓度", "μg/m³", 24, 30), ("二氧化硫平均浓度", "μg/m³", "约20", None)],
    )
    page.preview(form)
    qtbot.waitUntil(lambda: page.commit_button.isEnabled(), timeout=10_000)
    assert page.commit_button.text() == "导入 2 项（1 项错误将跳过）"
    assert page.dry_run_model.rowCount() == 3
    assert page.dry_run_model.index(0, 0).data() == "错误", "errors are listed first"
    assert "约20" in page.dry_run_model.index(0, 9).data()
    assert "尚未写入" in window.message.text()

    page.commit()
    assert "已导入 2 项" in window.message.text()
    grid = window.entry_page.model
    pm25 = grid.index(grid.row_of("pm25"), Col.CURRENT)
    assert pm25.data() == "24", "the entry grid shows the imported figure"
    assert grid.index(grid.row_of("pm25"), Col.LAST_YEAR).data() == "30"

    window.undo_action.trigger()
    assert pm25.data() == "26", "Ctrl+Z puts back what the import replaced"
    assert grid.index(grid.row_of("pm25"), Col.LAST_YEAR).data() == ""

    out = tmp_path / "导出.xlsx"
    page.export_to(out)
    qtbot.waitUntil(lambda: "已导出" in window.message.text(), timeout=10_000)
    assert out.exists()
    window.close()


def test_twenty_branch_returns_consolidate_from_the_page(tmp_path: Path, qtbot: QtBot) -> None:
    from db.connection import open_database
    from desktop.services.demo import build_demo
    from desktop.services.exchange.export import Selection, export_workbook
    from tests.desktop.services.exchange.test_consolidate import _branches

    source = build_demo(tmp_path / "branches.ecodesk")
    returns = tmp_path / "returns"
    returns.mkdir()
    for unit_id in _branches(source, 20):
        name = units.unit_by_id(source, unit_id).short_name
        export_workbook(source, Selection([unit_id], [P]), returns / f"{name}.xlsx")
    source.close()
    build_demo(tmp_path / "city.ecodesk").close()
    db = open_database(tmp_path / "city.ecodesk")
    for n in range(1, 21):
        units.add_unit(db, f"3304{n:02d}", f"嘉兴市第{n}分局", level="分局", parent_code="330400")
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    window.context_bar.set_context(units.unit_by_code(db, "330400").id, P)
    page = window.exchange_page()
    assert isinstance(page, ExchangePage)
    from desktop.services.exchange.consolidate import collect_files

    page.consolidate_files(collect_files([returns]))
    qtbot.waitUntil(lambda: page.save_summary.isEnabled(), timeout=20_000)
    assert page.files_list.count() == 20
    assert page.commit_button.text() == "导入 40 项"
    page.commit()
    assert "已导入 40 项" in window.message.text()
    out = tmp_path / "汇总.xlsx"
    page.write_summary(out)
    assert out.exists() and "汇总表已保存" in window.message.text()
    window.close()
