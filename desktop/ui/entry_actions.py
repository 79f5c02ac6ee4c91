"""The 数据填报 actions that also sit in the 数据 menu: 校验本期, 标记已报送, 新增指标.

They live apart from the page so that the main window can put them in its menu without
building the grid (or importing it) at start-up: the page is built on first use, and takes
these same actions for its toolbar, so each shortcut belongs to one action only.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

TEXT = {
    "check": "校验本期",
    "lock": "标记已报送",
    "unlock": "解除锁定",
    "add_indicator": "新增指标…",
    "no_failures": "校验通过：没有错误或警告",
    "locked": "本期已报送（已锁定），只能查看",
}


@dataclass(frozen=True)
class EntryActions:
    check: QAction
    lock: QAction
    add: QAction

    def show_lock(self, locked: bool, read_only: bool) -> None:
        """标记已报送 or 解除锁定 for the current period; neither on a read-only file."""
        self.lock.setChecked(locked)
        self.lock.setText(TEXT["unlock"] if locked else TEXT["lock"])
        self.lock.setEnabled(not read_only)
        self.add.setEnabled(not read_only)


def entry_actions(parent: QObject) -> EntryActions:
    check = QAction(TEXT["check"], parent)
    check.setShortcut(QKeySequence("F9"))
    check.setToolTip("校验本期全部数据（F9）")
    lock = QAction(TEXT["lock"], parent)
    lock.setCheckable(True)
    add = QAction(TEXT["add_indicator"], parent)
    return EntryActions(check, lock, add)
