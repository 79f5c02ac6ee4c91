"""The machinery of the click-everything walk: find every button and action of the real main
window, click each through its real button (or trigger its action), answer the dialogs it opens,
and wait for the effect a user would see.

The walk itself, one row per button or action, is in ``tests/desktop/ui/test_click_everything``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop import tasks
from desktop.ui.main_window import MainWindow

MENUS = "菜单"  # the "page" of the window's own menu actions


def label(text: str) -> str:
    """A button's or action's words as a user reads them (no ``&`` mnemonic)."""
    return re.sub(r"\(&\w\)", "", text).replace("&", "").strip()


@dataclass
class Seen:
    """What a step made appear: modal dialogs (class, title, text) and file dialogs asked."""

    dialogs: list[tuple[str, str, str]] = field(default_factory=list)
    files_asked: list[str] = field(default_factory=list)
    names_offered: list[str] = field(default_factory=list)  # a file dialog's suggested name
    stuck: list[str] = field(default_factory=list)  # dialogs that stayed open when answered

    def opened(self, words: str) -> bool:
        return any(words in f"{c} {t} {x}" for c, t, x in self.dialogs)


Answer = Callable[[QWidget], None]


@dataclass
class Walker:
    """Clicks buttons of ``window`` and answers what appears; ``files`` answer file dialogs."""

    window: MainWindow
    qtbot: QtBot
    folder: Path
    seen: Seen = field(default_factory=Seen)
    history: list[Seen] = field(default_factory=list)  # what every step made appear, in order
    opened: list[str] = field(default_factory=list)  # what the window asked the app to open
    answer: Answer | None = None
    file: Path | None = None

    # ---------------------------------------------------------------- what there is to click
    def on(self, page: str, name: str) -> Any:
        """A widget or attribute of a page, by its attribute name."""
        return getattr(self.page_of(page), name)

    def page_of(self, title: str) -> QWidget:
        row = next(
            r for r in range(self.window.nav.count()) if self.window.nav.item(r).text() == title
        )
        self.window.nav.setCurrentRow(row)
        return self.window.page(row)

    def clickables(self) -> set[tuple[str, str]]:
        """(page, words) of every button and action a user can reach, all pages built."""
        found: set[tuple[str, str]] = set()
        pages = [self.window.nav.item(r).text() for r in range(self.window.nav.count())]
        for title in pages:
            page = self.page_of(title)
            for button in page.findChildren(QAbstractButton):
                if _internal(button):
                    continue
                if isinstance(button, QToolButton) and button.defaultAction() is not None:
                    continue  # a toolbar's button for an action: the action is listed
                found.add((title, label(button.text())))
            for action in _page_actions(page):
                if label(action.text()) and action.menu() is None:
                    found.add((title, label(action.text())))
        for action in self.window.findChildren(QAction):
            if (
                label(action.text())
                and action.menu() is None
                and not _on_a_page(action, self.window)
            ):
                found.add((MENUS, label(action.text())))
        return found

    # ---------------------------------------------------------------- clicking
    def find(self, page: str, words: str) -> QAbstractButton | QAction:
        """The button with ``words`` on ``page`` (else its action; menus: the window's action)."""
        if page == MENUS:
            holder: QWidget = self.window
        else:
            holder = self.page_of(page)
            buttons = [
                b for b in holder.findChildren(QAbstractButton)
                if not _internal(b)
                and not (isinstance(b, QToolButton) and b.defaultAction() is not None)
            ]  # fmt: skip
            # "导入" says "导入 128 项" once a preview is shown: the same button.
            for exact in (True, False):
                for button in buttons:
                    if _same(label(button.text()), words, exact):
                        return button
        actions = [
            a for a in (holder.findChildren(QAction) if page == MENUS else _page_actions(holder))
            if page != MENUS or not _on_a_page(a, self.window)
        ]  # fmt: skip
        # "撤销" says "撤销 删除小节" when there is something to undo: the same action.
        for exact in (True, False):
            for action in actions:
                if _same(label(action.text()), words, exact):
                    return action
        raise AssertionError(f"{page}：找不到“{words}”")

    def click(self, page: str, words: str) -> None:
        """Click it as a user would: its button with the mouse, else its action (menu, key)."""
        target = self.find(page, words)
        self.seen = Seen()
        self.history.append(self.seen)
        if isinstance(target, QAbstractButton):
            _bring_into_view(target)
            assert target.isEnabled(), f"{page}：“{words}”不可用"
            # A check box is hit on its box and words, not at the middle of a stretched widget.
            at = QPoint(8, target.height() // 2) if isinstance(target, QCheckBox) else QPoint()
            self.qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=at)  # type: ignore[no-untyped-call]
        else:
            assert target.isEnabled(), f"{page}：“{words}”不可用"
            target.trigger()
        self.settle()

    def settle(self) -> None:
        """Let tasks on the worker end and their results reach the page."""
        self.qtbot.waitUntil(lambda: not tasks.busy(), timeout=10_000)
        QApplication.processEvents()

    # ---------------------------------------------------------------- dialogs
    def _answer_modal(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            return
        waited = getattr(dialog, "_walk_waited", None)
        if waited is not None:  # answered, and still open: it refused the answer
            dialog._walk_waited = waited + 1  # type: ignore[attr-defined]
            if waited > 100:  # ~1.5 s: close it, so the walk fails on the effect, not hangs
                self.seen.stuck.append(dialog.windowTitle())
                dialog.close()
                if isinstance(dialog, QDialog):
                    dialog.reject()
            return
        dialog._walk_waited = 0  # type: ignore[attr-defined]
        text = dialog.text() if isinstance(dialog, QMessageBox) else ""
        if isinstance(dialog, QInputDialog):
            text = dialog.labelText()
        self.seen.dialogs.append((type(dialog).__name__, dialog.windowTitle(), text))
        if self.answer is not None:
            self.answer(dialog)
        else:
            default_answer(dialog)

    @contextmanager
    def answering(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        """Answer modal dialogs while the walk runs; file dialogs get ``self.file``."""

        def open_name(*args: object, **kwargs: object) -> tuple[str, str]:
            self.seen.files_asked.append(str(args[1] if len(args) > 1 else ""))
            offered = args[2] if len(args) > 2 else kwargs.get("dir", "")
            name = Path(str(offered)).name if offered else ""
            # A file name the program made up (a folder offered is the user's own).
            self.seen.names_offered.append(name if Path(name).suffix else "")
            return (str(self.file) if self.file else "", "")

        def folder(*args: object, **kwargs: object) -> str:
            self.seen.files_asked.append(str(args[1] if len(args) > 1 else ""))
            return str(self.file) if self.file else ""

        monkeypatch.setattr(QFileDialog, "getOpenFileName", open_name)
        monkeypatch.setattr(QFileDialog, "getSaveFileName", open_name)
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", folder)
        timer = QTimer()
        timer.timeout.connect(self._answer_modal)
        timer.start(15)
        try:
            yield
        finally:
            timer.stop()


def _same(text: str, words: str, exact: bool) -> bool:
    return text == words if exact else text.startswith(words + " ")


def default_answer(dialog: QWidget) -> None:
    """Yes to a question, OK to a message, a name to an input box; close anything else."""
    if isinstance(dialog, QMessageBox):
        yes = dialog.button(QMessageBox.StandardButton.Yes)
        ok = dialog.button(QMessageBox.StandardButton.Ok)
        (yes or ok or dialog.buttons()[0]).click()
    elif isinstance(dialog, QInputDialog):
        if not dialog.textValue():
            dialog.setTextValue("巡检")
        dialog.accept()
    elif isinstance(dialog, QPrintPreviewDialog):
        QTimer.singleShot(300, dialog.reject)  # let it paint the pages once
    elif isinstance(dialog, QDialog):
        dialog.reject()


def accept(dialog: QWidget) -> None:
    assert isinstance(dialog, QDialog)
    dialog.accept()


def _internal(button: QAbstractButton) -> bool:
    """Qt's own helper buttons: a table's corner, a tab bar's scroll arrows, a clear button."""
    name = button.objectName()
    return (
        name.startswith("qt_")
        or name.startswith("Scroll")
        or isinstance(button.parentWidget(), QLineEdit)
        or (not button.text() and not isinstance(button, QToolButton))
    )


def _page_actions(page: QWidget) -> list[QAction]:
    """The page's own actions and those on its toolbars (the window's, shared with a menu)."""
    found = page.findChildren(QAction)
    for bar in page.findChildren(QToolBar):
        found += [a for a in bar.actions() if a not in found and not a.isSeparator()]
    return found


def _on_a_page(action: QAction, window: MainWindow) -> bool:
    if any(action in _page_actions(page) for page in window._built.values()):
        return True
    parent = action.parent()
    while isinstance(parent, QWidget) and parent is not window:
        if parent.parentWidget() is window.pages or parent in window._built.values():
            return True
        parent = parent.parentWidget()
    return False


def _bring_into_view(widget: QWidget) -> None:
    """Select the tabs and stacked pages that hold ``widget``, so a user could see it."""
    child: QWidget = widget
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QStackedWidget):
            parent.setCurrentWidget(child)
            tabs = parent.parentWidget()
            if isinstance(tabs, QTabWidget):
                tabs.setCurrentWidget(child)
        child, parent = parent, parent.parentWidget()
