"""Composition root: the QApplication, fonts and translations, the database, the window.

Nothing heavy is imported here: matplotlib and openpyxl load when a page first needs them, and
on a current schema the database opens through the standard ``sqlite3`` module alone, so the
entry grid shows about as fast as a bare window.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from db import units
from db.connection import Database, open_database
from db.errors import KnownError
from desktop import __version__, failures, paths
from desktop.fonts import register_fonts
from desktop.ui.main_window import MainWindow
from resources import locate

_STARTED = time.perf_counter()


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ecodesk", description="EcoDesk 生态环境工作台")
    parser.add_argument("--db", help="打开指定的数据库文件")
    parser.add_argument("--demo", action="store_true", help="打开演示数据库（五个样例单位）")
    parser.add_argument("--version", action="version", version=f"EcoDesk {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="自检：演示数据、校验、Excel、图表，全部成功时退出码为 0",
    )
    parser.add_argument(
        "--startup-probe",
        action="store_true",
        help="显示填报表后打印启动耗时并退出（用于基准测试）",
    )
    return parser.parse_args(argv)


def install_translations(app: QApplication) -> None:
    """Qt's own dialogs (file chooser, message box buttons) in Chinese."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase",):
        translator = QTranslator(app)
        if translator.load(
            QLocale(QLocale.Language.Chinese, QLocale.Country.China), name, "_", folder
        ):
            app.installTranslator(translator)
    from desktop.ui import qt_chinese

    qt_chinese.install(app)  # the few words Qt's catalogue lacks


class Controller:
    """Opens databases and keeps exactly one main window."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.window: MainWindow | None = None

    def open_path(self, path: Path, *, create_unit: tuple[str, str, str] | None = None) -> bool:
        try:
            if path == paths.demo_database():
                from desktop.services import demo  # the demo's data loads only when asked for

                db = demo.open_or_build_demo(path)
            else:
                db = open_database(path, create=create_unit is not None)
                if create_unit is not None:
                    name, code, level = create_unit
                    units.add_unit(db, code, name, level=level)
                    db.set_meta("own_unit", code)
        except KnownError as exc:
            QMessageBox.critical(self.window, "无法打开数据库", exc.with_hint())
            return False
        self.show(db)
        return True

    def show(self, db: Database) -> None:
        old = self.window
        self.window = MainWindow(db)
        self.window.open_requested.connect(self._open_requested)
        self.window.show()
        if old is not None:
            old.close()

    def _open_requested(self, target: str) -> None:
        if target.startswith("new:"):
            self.first_run(Path(target.removeprefix("new:")))
        else:
            self.open_path(Path(target))

    def first_run(self, default_path: Path) -> bool:
        from desktop.ui.first_run import FirstRunDialog

        while True:
            dialog = FirstRunDialog(default_path, self.window)
            if not dialog.exec():
                return self.window is not None
            if dialog.choice == "demo":
                ok = self.open_path(paths.demo_database())
            elif dialog.choice == "open":
                ok = self.open_path(dialog.path)
            else:
                unit = (
                    dialog.unit_name.text().strip(),
                    dialog.unit_code.text().strip(),
                    dialog.level.currentText(),
                )
                ok = self.open_path(dialog.path, create_unit=unit)
            if ok:
                return True


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    paths.configure_matplotlib_cache()  # before anything can import matplotlib
    if args.self_test:
        from desktop.selftest import run

        return run()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setOrganizationName(paths.ORGANIZATION)
    app.setApplicationName(paths.APPLICATION)
    app.setApplicationVersion(__version__)
    failures.install(app)  # from here on no error passes unseen (the bundle has no console)
    register_fonts(app)
    app.setWindowIcon(QIcon(str(locate("icons", "ecodesk.png"))))
    install_translations(app)
    controller = Controller(app)

    if args.demo:
        opened = controller.open_path(paths.demo_database())
    elif args.db:
        opened = controller.open_path(Path(args.db))
    else:
        settings = QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)
        last = settings.value("last_database", "")
        candidate = Path(str(last)) if last else paths.default_database()
        if candidate.exists():
            opened = controller.open_path(candidate)
        else:
            opened = controller.first_run(paths.default_database())
    if not opened or controller.window is None:
        return 1
    if args.startup_probe:
        # The probe measures start-up: quitting it must not add the backup made on closing.
        controller.window.backup_on_close = False
        QTimer.singleShot(0, lambda: _probe_done(app))
    return app.exec()


def _probe_done(app: QApplication) -> None:
    app.processEvents()
    print(f"startup_seconds={time.perf_counter() - _STARTED:.4f}", flush=True)
    app.quit()
