"""Checks stay true: the check panel and the cell marks follow every edit, undo and redo; one
limit for 优良天数 (the period's days); 优良天数 against 优良率; parts against their total."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from db import indicators, units, values
from db.connection import Database
from db.periods import Period
from db.sheet import read_sheet
from db.validation import check_sheet, load_rules
from desktop.models.entry_grid import ERROR_BG, Col
from desktop.ui.main_window import MainWindow

P = Period.parse("2022-YTD10")  # 304 days


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    window.context_bar.set_context(units.unit_by_code(db, "330300-01").id, P)
    return window


def _findings(window: MainWindow) -> list[str]:
    panel = window.entry_page.findings
    return [panel.item(r).text() for r in range(panel.count())]


def _type(qtbot: QtBot, window: MainWindow, code: str, text: str) -> None:
    page = window.entry_page
    view = page.view
    view.setFocus()
    view.setCurrentIndex(page.model.index(page.model.row_of(code), Col.CURRENT))
    qtbot.keyClicks(view, text[0])
    editor = view.indexWidget(view.currentIndex())
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_the_panel_follows_undo_and_redo(demo_db: Database, qtbot: QtBot) -> None:
    window = _window(qtbot, demo_db)
    _type(qtbot, window, "pm25", "40")  # above PM10 26: an error
    qtbot.waitUntil(lambda: any("PM2.5" in t and "PM10" in t for t in _findings(window)))
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: not any("PM2.5浓度不应高于" in t for t in _findings(window)))
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: any("PM2.5浓度不应高于" in t for t in _findings(window)))


def test_a_refused_mark_goes_when_the_cell_changes(demo_db: Database, qtbot: QtBot) -> None:
    window = _window(qtbot, demo_db)
    model = window.entry_page.model
    cell = model.index(model.row_of("air_good_days"), Col.CURRENT)
    _type(qtbot, window, "air_good_days", "400")
    assert "只有 304 天" in window.message.text()  # the period's days, not 366
    assert model.data(cell, Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    _type(qtbot, window, "air_good_days", "500")
    assert "只有 304 天" in window.message.text(), "the same limit in the next message"
    _type(qtbot, window, "air_good_days", "290")
    assert model.data(cell, Qt.ItemDataRole.BackgroundRole) is None or (
        model.data(cell, Qt.ItemDataRole.BackgroundRole).color() != ERROR_BG
    )
    window.undo_action.trigger()  # back to empty: still no pink over a cell nobody refused now
    brush = model.data(cell, Qt.ItemDataRole.BackgroundRole)
    assert brush is None or brush.color() != ERROR_BG


def test_good_days_against_the_rate_and_parts_against_total(
    demo_db: Database, qtbot: QtBot
) -> None:
    window = _window(qtbot, demo_db)
    _type(qtbot, window, "air_good_rate", "95.5")
    _type(qtbot, window, "air_good_days", "250")
    qtbot.waitUntil(lambda: any("优良天数" in t and "不符" in t for t in _findings(window)))
    text = next(t for t in _findings(window) if "不符" in t)
    assert "约 262 天" in text and "共 304 天" in text and "258～290" in text
    _type(qtbot, window, "air_good_days", "285")
    qtbot.waitUntil(lambda: not any("不符" in t for t in _findings(window)))

    unit = units.unit_by_code(demo_db, "330300-01").id
    figures = {"problems_found": 51, "problems_water": 1, "problems_air": 12,
               "problems_waste": 24, "problems_other": 10}  # fmt: skip
    values.write_values(demo_db, [
        values.ValueWrite(unit, "2023-YTD10", indicators.indicator_by_code(demo_db, c).id, v)
        for c, v in figures.items()
    ])  # fmt: skip
    sheet = read_sheet(demo_db, unit, Period.parse("2023-YTD10"))
    found = [f.message for f in check_sheet(sheet, load_rules(demo_db))]
    assert any("合计 51" in m and "只有 47" in m and "漏填" in m for m in found), found
