"""The two dialogs where an office teaches EcoDesk its words: 单位管理 (a branch with the names
its returns use, its place in the office's order) and 对应表样 (every row of a form, matched or
with scored suggestions that are never picked for the user)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from db import aliases, units
from db.connection import Database
from db.periods import Period
from desktop.services.common.workbook import read_workbook
from desktop.services.exchange import templates
from desktop.services.exchange.vocabulary import UnitNames
from tests.support.bureau_corpus import DESIGNS, write

JIAXING = next(d for d in DESIGNS if d.key == "zhejiang_jiaxing")


def test_units_dialog_adds_a_branch_with_its_aliases_and_moves_it(
    demo_db: Database, qtbot: QtBot
) -> None:
    from desktop.ui.units_dialog import UnitsDialog

    dialog = UnitsDialog(demo_db)
    qtbot.addWidget(dialog)
    for code, name in (
        ("330411", "嘉兴市生态环境局秀洲分局"),
        ("330402", "嘉兴市生态环境局南湖分局"),
    ):
        dialog.name.setText(name)
        dialog.code.setText(code)
        dialog.parent_box.setCurrentIndex(dialog.parent_box.findData("330400"))
        dialog.alias_edit.setText("南湖区、南湖" if code == "330402" else "")
        QTest.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        assert not dialog.error.text()
    names = UnitNames.from_db(demo_db)
    assert names.match("南湖区").code == "330402"  # type: ignore[union-attr]
    assert names.match("嘉兴市生态环境局南湖分局").code == "330402"  # type: ignore[union-attr]

    # 南湖 comes before 秀洲 in the office's order, whatever order they were added in.
    [item] = dialog.tree.findItems("330402", Qt.MatchFlag.MatchRecursive, 1)
    dialog.tree.setCurrentItem(item)
    QTest.mouseClick(dialog.up, Qt.MouseButton.LeftButton)
    branches = [u.code for u in units.all_units(demo_db) if u.code in ("330402", "330411")]
    assert branches == ["330402", "330411"]

    dialog.more_aliases.setText("南湖分局（盖章）")
    QTest.mouseClick(dialog.add_alias, Qt.MouseButton.LeftButton)
    assert "南湖分局（盖章）" in {a.alias for a in aliases.unit_aliases(demo_db)}
    dialog.more_aliases.setText("330411")  # another unit's code: refused, said why
    QTest.mouseClick(dialog.add_alias, Qt.MouseButton.LeftButton)
    assert "秀洲分局" in dialog.error.text()


def test_mapping_dialog_shows_every_row_under_a_two_row_header(
    demo_db: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    from desktop.ui.mapping_dialog import MappingDialog

    form = write(JIAXING, tmp_path)
    dialog = MappingDialog(demo_db, read_workbook(form.path), Period.parse("2022-YTD10"))
    qtbot.addWidget(dialog)
    shown = {
        dialog.rows_table.item(n, 1).text(): n  # type: ignore[union-attr]
        for n in range(dialog.rows_table.rowCount())
    }
    assert list(shown) == [row.label for row in JIAXING.rows], "every data row, the first too"
    first = dialog.rows_table.item(0, 0)
    assert first is not None and int(first.text()) == form.rows[JIAXING.rows[0].label] + 1

    def box(n: int) -> QComboBox:
        widget = dialog.rows_table.cellWidget(n, 2)
        assert isinstance(widget, QComboBox)
        return widget

    for row in JIAXING.rows[:-1]:
        assert box(shown[row.label]).currentData() == row.code, row.label
    catalogless = box(shown["新增城镇污水管网"])
    assert catalogless.currentData() is None, "a suggestion is never picked for the user"
    headers = [
        dialog.columns_table.item(n, 1).text()  # type: ignore[union-attr]
        for n in range(dialog.columns_table.rowCount())
    ]
    assert "本期" in headers and "去年同期" in headers
    assert "1.0" not in headers and "ZB001" not in headers, "headers come from header rows"
    assert "指标代码" not in headers, "the hidden code column is not offered"

    # A row mapped by hand is remembered as the office's word for that indicator.
    suggested = write(
        JIAXING.__class__(**{**JIAXING.__dict__, "key": "suggested", "rows": (
            *JIAXING.rows[:-1], JIAXING.rows[-1].__class__("VOCs深度治理企业数", None, "家"),
        )}),
        tmp_path,
    )  # fmt: skip
    dialog = MappingDialog(demo_db, read_workbook(suggested.path), Period.parse("2022-YTD10"))
    qtbot.addWidget(dialog)
    last = dialog.rows_table.rowCount() - 1
    choice = box_of(dialog, last)
    offered = [choice.itemText(i) for i in range(choice.count())]
    assert any(t.startswith("建议：VOCs治理企业（相似度") for t in offered), offered
    assert choice.currentData() is None
    choice.setCurrentIndex(choice.findData("vocs_rectified"))
    dialog.name_edit.setText("嘉兴月报")
    dialog.save()
    assert dialog.saved == "嘉兴月报"
    assert templates.load(demo_db, "嘉兴月报").layouts[0].rows
    office = {a.alias: a.code for a in aliases.indicator_aliases(demo_db) if a.origin == "office"}
    assert office == {"VOCs深度治理企业数": "vocs_rectified"}


def box_of(dialog: object, n: int) -> QComboBox:
    widget = dialog.rows_table.cellWidget(n, 2)  # type: ignore[attr-defined]
    assert isinstance(widget, QComboBox)
    return widget
