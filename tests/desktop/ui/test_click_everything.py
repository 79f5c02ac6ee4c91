"""Every button and action of the real main window, clicked as a user would, on a temporary
copy of the demo database, each with the effect a user would look for.

The walk is a table (``WALK``): one row per button or action, in the order a user would click
them, with the file its file dialog is answered with, how its dialog is answered, and the
effect to wait for (a dialog opened, rows added, a file written, a status message). A button or
action of the window that has no row fails ``test_every_button_has_a_row``; a page added later
(工作台, 全部单位一览) only needs its rows added. A slot that raises fails the walk: pytest-qt
fails a test in which a slot raised, and the effect is not seen
(``test_a_broken_slot_fails_the_walk`` proves it).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.exceptions import TimeoutError
from pytestqt.qtbot import QtBot

from db import locks
from db.connection import Database
from db.periods import Period
from desktop.ui.main_window import MainWindow
from tests.conftest import SEEDS
from tests.desktop.services.monitoring.air.test_figures import write_daily_csv
from tests.desktop.services.monitoring.water.test_reader import write_station_workbook
from tests.support.forms import bureau_form
from tests.support.walk import MENUS, Walker
from tests.support.words import problems

Effect = Callable[[Walker], object]


@dataclass(frozen=True)
class Row:
    """One button or action: where, what it says, what answers it, what a user then sees."""

    page: str
    words: str
    effect: Effect
    file: str | None = None  # the name under the walk's folder that a file dialog answers
    answer: Callable[[QWidget], None] | None = None
    before: Callable[[Walker], None] | None = None
    again: bool = False  # the same control clicked again (its words changed): not a new row


# ------------------------------------------------------------------------------ effects
def status(*words: str) -> Effect:
    return lambda w: all(x in w.window.message.text() for x in words)


def dialog(words: str) -> Effect:
    return lambda w: w.seen.opened(words)


def written(name: str) -> Effect:
    return lambda w: (w.folder / name).is_file() and (w.folder / name).stat().st_size > 0


def focused(page: str, name: str) -> Effect:
    return lambda w: w.window.focusWidget() is w.on(page, name)


def both(*effects: Effect) -> Effect:
    return lambda w: all(e(w) for e in effects)


# ------------------------------------------------------------------------------ answers
def fill_problem(d: Any) -> None:
    d.description.setPlainText("巡检发现：某企业危废贮存场所标识不全")
    d.deadline.setText("年底前")
    assert isinstance(d, QDialog)
    d.accept()


def give_reason(d: Any) -> None:
    d.setTextValue("市局退回，更正PM2.5")
    d.accept()


def accept(d: QWidget) -> None:
    assert isinstance(d, QDialog)
    d.accept()


def commit_preview(d: Any) -> None:
    d.commit_button.click()


def paste_outline(d: Any) -> None:
    d.edit.setPlainText("一、大气污染防治\n（一）完成16家以上VOCs企业整改\n二、水污染防治")
    accept(d)


def close_with_note(d: QWidget) -> None:
    from desktop.ui.ledger_page import CloseDialog

    if isinstance(d, CloseDialog):
        d.note.setText("现场核查到位，同意销号")
        d.day.setDate(QDate(2022, 11, 5))
        d.accept()
    else:
        d.close()


def fill_duty(d: Any) -> None:
    d.name.setText("环评审批月报")
    d.kind.setCurrentIndex(d.kind.findData("M"))
    d.rule.setText("每月10日前")
    d.groups.item(0).setCheckState(Qt.CheckState.Checked)
    d.save()


def save_stations(d: Any) -> None:
    d.table.cellWidget(0, 2).setCurrentText("国控")
    d.save()


# ------------------------------------------------------------------------------ preparations
def select_first_item(page_title: str) -> Callable[[Walker], None]:
    def select(w: Walker) -> None:
        view = w.on(page_title, "view")
        model = view.model()
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if model.rowCount(index) == 0:
                view.setCurrentIndex(index)
                return
            child = model.index(0, 0, index)
            if child.isValid():
                view.setCurrentIndex(child)
                return

    return select


def select_problem(w: Walker) -> None:
    w.on("整改台账", "view").setCurrentIndex(w.on("整改台账", "model").index(0, 0))


def select_closable(w: Walker) -> None:
    """A problem 已完成整改 or 立行立改: the ones that may be 销号."""
    model = w.on("整改台账", "model")
    row = next(n for n, p in enumerate(model.problems) if p.status in ("已完成整改", "立行立改"))
    w.on("整改台账", "view").selectRow(row)


def context(unit_id: int, period: Period) -> Callable[[Walker], None]:
    return lambda w: w.window.context_bar.set_context(unit_id, period)


def choose_template(w: Walker) -> None:
    w.on("数据交换", "templates_list").setCurrentRow(0)


def select_duty(w: Walker) -> None:
    w.on("工作台", "duty_table").selectRow(0)


def sorted_by_a_column(w: Walker) -> None:
    w.on("全部单位一览", "view").sortByColumn(1, Qt.SortOrder.DescendingOrder)


def chart_drawn(w: Walker) -> None:
    """The chart draws a moment after the page opens (as the user watches it appear)."""
    w.qtbot.waitUntil(lambda: w.on("图表", "_data") is not None, timeout=5000)


def figure_changed(w: Walker) -> None:
    """The exported workbook comes back with one figure changed, as a branch returns it."""
    from openpyxl import load_workbook

    path = w.folder / "报表.xlsx"
    book = load_workbook(path)
    sheet = book.worksheets[0]
    cell = next(
        c for row in sheet.iter_rows(min_row=5) for c in row
        if isinstance(c.value, (int, float)) and not isinstance(c.value, bool) and c.value > 1
    )  # fmt: skip
    cell.value = cell.value + 1
    book.save(path)


UNIT = 2  # the demo's own unit, 海岛区分局
OCT = Period.parse("2022-YTD10")
APRIL = Period.month(2026, 4)
MARCH = Period.month(2026, 3)

PAGES = (
    "工作台",
    "数据填报",
    "全部单位一览",
    "图表",
    "计划清单",
    "整改台账",
    "数据交换",
    "监测数据",
    "工作报告",
)


def on_page(title: str) -> Effect:
    return lambda w: w.window.nav.currentItem().text() == title and w.window.message.text() == ""


WALK: tuple[Row, ...] = (
    # 数据填报
    Row("数据填报", "校验本期", status("校验")),
    Row(
        "数据填报",
        "标记已报送",
        both(
            dialog("将温州市生态环境局海岛区分局2022年1-10月标记为已报送"),
            lambda w: locks.lock_info(w.window.db, UNIT, OCT.code) is not None,
        ),
    ),
    Row(
        "数据填报",
        "解除锁定",
        both(
            status("已解除锁定", "原因：市局退回"),
            lambda w: locks.lock_info(w.window.db, UNIT, OCT.code) is None,
        ),
        answer=give_reason,
        again=True,
    ),
    Row("数据填报", "新增指标…", dialog("新增指标")),
    Row("数据填报", "打印…", dialog("打印预览")),
    # 图表
    Row("图表", "导出 PNG", written("图.png"), file="图.png", before=chart_drawn),
    Row("图表", "导出 SVG", written("图.svg"), file="图.svg"),
    Row("图表", "导出 PDF", written("图.pdf"), file="图.pdf"),
    Row("图表", "打印预览…", dialog("打印预览")),
    Row("图表", "加入会议材料", lambda w: w.on("图表", "pack_list").count() == 1),
    Row("图表", "保存为图表组…", status("已保存图表组")),
    Row("图表", "载入图表组", status("已载入图表组")),
    Row("图表", "生成会议材料 PDF…", written("会议材料.pdf"), file="会议材料.pdf"),
    Row(
        "图表",
        "移除",
        lambda w: w.on("图表", "pack_list").count() == 0,
        before=lambda w: w.on("图表", "pack_list").setCurrentRow(0),
    ),
    # 计划清单
    Row("计划清单", "新建计划…", status("已新建计划")),
    Row("计划清单", "粘贴提纲…", status("已从提纲添加 3 个条目"), answer=paste_outline),
    Row("计划清单", "新增条目", status("已新增条目")),
    Row("计划清单", "进展记录…", status("已添加进展记录"), before=select_first_item("计划清单")),
    Row("计划清单", "量化目标…", dialog("量化目标"), before=select_first_item("计划清单")),
    Row("计划清单", "删除条目", status("已删除"), before=select_first_item("计划清单")),
    Row("计划清单", "导出Excel…", written("计划.xlsx"), file="计划.xlsx"),
    Row("计划清单", "打印…", dialog("打印预览")),
    Row("计划清单", "查找", focused("计划清单", "find_edit")),
    Row("计划清单", "只看逾期", lambda w: w.on("计划清单", "overdue_box").isChecked()),
    # 整改台账
    Row("整改台账", "新增问题…", status("已新增问题"), answer=fill_problem),
    Row(
        "整改台账",
        "销号…",
        status("已保存", "销号"),
        answer=close_with_note,
        before=select_closable,
    ),
    Row("整改台账", "删除问题", status("已删除"), before=select_problem),
    Row("整改台账", "写入指标库", status("已写入")),
    Row("整改台账", "导出Excel…", written("整改台账.xlsx"), file="整改台账.xlsx"),
    Row(
        "整改台账",
        "导入Excel…",
        both(dialog("导入整改台账"), status("已导入")),
        file="整改台账.xlsx",
        answer=accept,
    ),
    Row("整改台账", "打印…", dialog("打印预览")),
    Row("整改台账", "查找", focused("整改台账", "find_edit")),
    Row("整改台账", "只看逾期", lambda w: w.on("整改台账", "overdue_box").isChecked()),
    # 数据交换
    Row(
        "数据交换",
        "只导出有数据的指标",
        lambda w: not w.on("数据交换", "only_with_data").isChecked(),
    ),
    Row(
        "数据交换",
        "导出为 Excel…",
        written("报表.xlsx"),
        file="报表.xlsx",
        before=context(UNIT, OCT),
    ),
    Row("数据交换", "选择要导入的文件…", status("预览"), file="报表.xlsx", before=figure_changed),
    Row("数据交换", "导入", status("已导入")),
    Row(
        "数据交换",
        "放弃",
        status("放弃"),
        file="报表.xlsx",
        before=lambda w: w.click("数据交换", "选择要导入的文件…"),
    ),
    Row(
        "数据交换",
        "选择报回文件所在文件夹…",
        lambda w: w.on("数据交换", "files_list").count() > 0,
        file="报回",
    ),
    Row("数据交换", "生成汇总表…", written("汇总表.xlsx"), file="汇总表.xlsx"),
    Row("数据交换", "从上级表格建立表样…", dialog("表样"), file="上级表格.xlsx"),
    Row("数据交换", "按表样填报…", status("表样"), before=choose_template),
    Row("数据交换", "删除表样", status("表样"), before=choose_template),
    # 监测数据
    Row(
        "监测数据",
        "导入日均值数据…",
        status("已导入"),
        file="日均值.csv",
        answer=commit_preview,
        before=context(UNIT, APRIL),
    ),
    Row("监测数据", "写入指标库（按 HJ 633—2026 标准）", status("已按 HJ 633—2026 写入")),
    Row("监测数据", "逐月写入", status("个期间的指标"), before=context(UNIT, Period.ytd(2026, 4))),
    Row(
        "监测数据",
        "导入断面监测数据…",
        status("已导入"),
        file="断面.xlsx",
        answer=commit_preview,
        before=context(UNIT, MARCH),
    ),
    Row("监测数据", "写入指标库（市控断面Ⅲ类及以上比例）", status("已写入")),
    Row("监测数据", "点位与断面…", status("已保存", "点位与断面"), answer=save_stations),
    # 工作报告
    Row(
        "工作报告",
        "导入报告…",
        status("已导入报告"),
        file="工作总结.txt",
        answer=accept,
        before=context(UNIT, OCT),
    ),
    Row("工作报告", "报告信息…", dialog("报告信息")),
    Row("工作报告", "提取数字…", dialog("数字")),
    Row("工作报告", "导出公文…", written("公文.docx"), file="公文.docx"),
    Row("工作报告", "插入数字字段…", dialog("字段")),
    Row("工作报告", "新增小节", status("已新增小节")),
    Row("工作报告", "删除小节", status("已删除小节")),
    Row(MENUS, "撤销", status("撤销")),
    Row(MENUS, "重做", status("重做")),
    Row("工作报告", "删除报告", status("已删除报告")),
    # 工作台 (after the pages whose rows rely on the context: 去填报 moves it to today's period)
    Row("工作台", "新增报送任务…", status("已新增报送任务：环评审批月报"), answer=fill_duty),
    Row("工作台", "删除所选任务", status("已删除报送任务"), before=select_duty),
    Row("工作台", "去填报", lambda w: w.window.nav.currentItem().text() == "数据填报"),
    # 全部单位一览
    Row(
        "全部单位一览",
        "只看有未填项的单位",
        lambda w: w.on("全部单位一览", "missing_check").isChecked(),
    ),
    Row(
        "全部单位一览",
        "显示下属合计",
        lambda w: not any(r.total for r in w.on("全部单位一览", "model").rows),
    ),
    Row(
        "全部单位一览",
        "按单位树排序",
        lambda w: w.on("全部单位一览", "model").order.indicator_id is None,
        before=sorted_by_a_column,
    ),
    Row("全部单位一览", "打印…", dialog("打印预览")),
    Row("全部单位一览", "导出 Excel…", written("一览.xlsx"), file="一览.xlsx"),
    # the window's menus
    Row(MENUS, "保存", status("无需另存")),
    Row(MENUS, "刷新", status("已刷新")),
    Row(MENUS, "立即备份", status("已备份")),
    Row(MENUS, "备份与恢复…", dialog("备份")),
    Row(MENUS, "单位管理…", dialog("单位")),
    Row(MENUS, "本单位审计日志…", dialog("审计日志")),
    Row(MENUS, "关于 EcoDesk", dialog("EcoDesk")),
    Row(MENUS, "使用说明", dialog("使用说明")),
    # 转到: Ctrl+1… to each page, whatever pages there are (one row per page)
    *(Row(MENUS, title, on_page(title)) for title in PAGES),
    Row(
        MENUS,
        "打开数据库…",
        lambda w: w.opened == [str(w.folder / "另一个.ecodesk")],
        file="另一个.ecodesk",
    ),
    Row(
        MENUS,
        "新建数据库…",
        lambda w: w.opened[-1] == "new:" + str(w.folder / "新库.ecodesk"),
        file="新库.ecodesk",
    ),
    Row(MENUS, "退出", lambda w: not w.window.isVisible()),
)


def _walker(db: Database, qtbot: QtBot, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Walker:
    """The real main window on ``db``, and the files a user would pick in ``folder``.

    The day's automatic backup is not due: its status message would cover a step's.
    """
    monkeypatch.setattr("db.backup.daily_backup_due", lambda _path: False)
    folder.mkdir()
    shutil.copy(sorted(SEEDS.glob("000_*.txt"))[0], folder / "工作总结.txt")
    bureau_form(folder / "上级表格.xlsx", [("空气质量优良率", "%", 95.5, 93.2)])
    write_daily_csv(folder / "日均值.csv")
    write_station_workbook(folder / "断面.xlsx")
    (folder / "报回").mkdir()
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    walker = Walker(window, qtbot, folder)
    window.open_requested.connect(walker.opened.append)
    return walker


@pytest.fixture
def walk(
    demo_db: Database, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Walker:
    return _walker(demo_db, qtbot, tmp_path / "walk", monkeypatch)


def run(
    walker: Walker, rows: tuple[Row, ...], monkeypatch: pytest.MonkeyPatch, timeout: int = 5000
) -> None:
    folder: Path = walker.folder
    with walker.answering(monkeypatch):
        for row in rows:
            if row.page == "数据交换" and row.words == "选择报回文件所在文件夹…":
                shutil.copy(folder / "报表.xlsx", folder / "报回" / "海岛区分局.xlsx")
            walker.file = folder / row.file if row.file else None
            walker.answer = row.answer
            if row.before is not None:
                row.before(walker)
            walker.click(row.page, row.words)
            seen = row.effect
            try:
                walker.qtbot.waitUntil(lambda: bool(seen(walker)), timeout=timeout)  # noqa: B023
            except TimeoutError:
                pytest.fail(
                    f"{row.page} →“{row.words}”：没有看到效果。"
                    f"状态栏：{walker.window.message.text()!r}；"
                    f"对话框：{walker.seen.dialogs}；文件对话框：{walker.seen.files_asked}；"
                    f"答后未关闭：{walker.seen.stuck}"
                )


def test_every_button_has_a_row(walk: Walker) -> None:
    listed = {(r.page, r.words) for r in WALK if not r.again}
    found = walk.clickables()
    assert found - listed == set(), "buttons or actions without a row in WALK"
    assert listed - found == set(), "rows in WALK for buttons or actions that are gone"


def test_click_everything(walk: Walker, monkeypatch: pytest.MonkeyPatch) -> None:
    said: list[str] = []
    label = walk.window.message
    set_text = label.setText
    monkeypatch.setattr(label, "setText", lambda text: (said.append(text), set_text(text)))
    run(walk, WALK, monkeypatch)
    # What every click said — status messages and the dialogs it opened — is words a user
    # reads: no code, no {{field}}, no empty brackets (test_visible_words holds the rules).
    told = [("状态栏", text) for text in said]
    for seen in walk.history:
        told += [(f"{kind}“{title}”", text) for kind, title, text in seen.dialogs]
        told += [("建议的文件名", name) for name in seen.names_offered]
    assert sum(len(s.dialogs) for s in walk.history) > 5, "the dialogs' words were read"
    assert any(s.names_offered for s in walk.history), "save dialogs' suggested names were read"
    assert len(said) > 20, "the status bar's words were read"
    faults = sorted({p for where, text in told for p in problems(where, text)})
    assert not faults, "\n".join(faults)


@pytest.mark.parametrize(
    ("slot", "page", "words"),
    [
        ("desktop.ui.report_page.ReportPage.import_file", "工作报告", "导入报告…"),
        ("desktop.ui.ledger_page.LedgerPage.import_workbook", "整改台账", "导入Excel…"),
    ],
)
def test_a_broken_slot_fails_the_walk(
    demo_db: Database, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    slot: str, page: str, words: str,
) -> None:  # fmt: skip
    """The bug this walk was written for: a button whose slot raises, so nothing happens."""

    def broken(*_args: object) -> None:
        raise TypeError("expected str, bytes or os.PathLike object, not bool")

    monkeypatch.setattr(slot, broken)
    walker = _walker(demo_db, qtbot, tmp_path / "walk", monkeypatch)
    shutil.copy(walker.folder / "工作总结.txt", walker.folder / "整改台账.xlsx")
    rows = tuple(r for r in WALK if (r.page, r.words) == (page, words))
    with qtbot.capture_exceptions() as raised, pytest.raises(pytest.fail.Exception, match=words):
        run(walker, rows, monkeypatch, timeout=800)
    assert raised, "the slot's exception reached Qt's event loop"
