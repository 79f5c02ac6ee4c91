"""``ecodesk --self-test``: prove that an installed EcoDesk can do its real work on this machine.

A frozen bundle fails in ways the source tree never does: a data file left out of the spec, a Qt
plugin or font that was not collected, a hidden import PyInstaller did not see, a DLL that only
one Windows version lacks. Opening a window tells an office's IT staff little, so this command
runs each layer once, end to end, and exits 0 only when all of them worked:

1. the demo database is built from the shipped catalog and demo data (SQLite, resources);
2. a sheet is read and validated, and a stored total (发现环境问题 = 51) is derived from its parts;
3. an ``.xlsx`` with Chinese text is written with openpyxl and read back with python-calamine;
4. a chart with a Chinese title is drawn with matplotlib in the bundled font, as PNG and PDF,
   with no "missing glyph" warning;
5. Qt starts (off-screen where there is no display), the bundled font registers, and the main
   window builds with a filled entry grid.

Every step prints one Chinese line with ✓ or ✗. Everything is written into a temporary folder
that is removed afterwards; the user's own database, settings and backups are not touched.

It runs before ``desktop.app`` creates its QApplication, so it can also start Qt itself.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from db.connection import Database
from db.errors import KnownError
from desktop import paths

if TYPE_CHECKING:
    pass  # matplotlib >= 3.10; annotations only

UNIT_CODE = "330300-01"
PERIOD_CODE = "2022-YTD10"
TOTAL_CODE = "problems_found"
TOTAL_EXPECTED = 51.0
#: Rows put into the spreadsheet and the chart: Greek, superscripts and Roman numerals in the
#: names and units test glyph coverage beyond plain CJK.
BUNDLED_FAMILY = "EcoDesk Sans"  # the same family desktop.fonts registers for Qt


class SelfTestError(KnownError):
    """A check inside a step did not hold; the message is the Chinese reason shown after ✗."""


class _Report:
    """Prints step lines, or keeps them for a log file where there is no console.

    The windowed Windows executable has ``sys.stdout = None``, so there the lines are also
    written to ``selftest.txt`` in the user data folder, or the result would be invisible.
    """

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.stream: TextIO | None = sys.stdout
        reconfigure = getattr(self.stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
                reconfigure(encoding="utf-8", errors="replace")

    def line(self, text: str) -> None:
        self.lines.append(text)
        if self.stream is not None:
            print(text, file=self.stream, flush=True)

    def save_if_no_console(self) -> None:
        if self.stream is not None:
            return
        from desktop import paths

        with contextlib.suppress(OSError):
            log = paths.user_data_dir() / "selftest.txt"
            log.write_text("\n".join(self.lines) + "\n", encoding="utf-8")


def step_database(folder: Path) -> tuple[Database, str]:
    """Build the demo database: catalog CSVs, demo.json, migrations and the store together."""
    from db import units, values
    from desktop.services.demo import build_demo

    db = build_demo(folder / "selftest.ecodesk")
    unit_count = len(units.all_units(db))
    count = values.value_count(db)
    if unit_count == 0 or count == 0:
        db.close()
        raise SelfTestError(f"演示数据库是空的（{unit_count} 个单位，{count} 项数据）")
    return db, f"建立演示数据库：{unit_count} 个单位，{count} 项数据"


def step_validation(db: Database) -> str:
    """Read one sheet, run every rule, and check a total derived from its parts."""
    from db import units
    from db.periods import Period
    from db.records import Severity
    from db.sheet import read_sheet
    from db.validation import check_sheet, load_rules

    unit = units.unit_by_code(db, UNIT_CODE)
    period = Period.parse(PERIOD_CODE)
    sheet = read_sheet(db, unit.id, period)
    failures = check_sheet(sheet, load_rules(db))
    errors = sum(1 for f in failures if f.severity is Severity.ERROR)
    total = sheet.row(TOTAL_CODE)
    if total.current.value != TOTAL_EXPECTED:
        raise SelfTestError(
            f"{total.indicator.name}合计应为 {TOTAL_EXPECTED:g}，算得 {total.current.value}"
        )
    return (
        f"校验 {unit.display_name} {period.label}：{errors} 项错误，"
        f"{len(failures) - errors} 项警告；{total.indicator.name}合计 {total.current.value:g}"
    )


def step_excel(folder: Path, db: Database) -> str:
    """Export the demo unit in the bureau layout (openpyxl) and import it back (python-calamine):
    the round trip must find every cell unchanged, exactly as a returned form would be judged."""
    from db import units
    from db.periods import Period
    from desktop.services.common.dry_run import Status
    from desktop.services.exchange.export import Selection, export_workbook
    from desktop.services.exchange.importing import dry_run_file

    path = folder / "自检.xlsx"
    unit = units.unit_by_code(db, UNIT_CODE)
    written = export_workbook(db, Selection([unit.id], [Period.parse(PERIOD_CODE)]), path)
    dry_run = dry_run_file(db, path)
    different = [i for i in dry_run.items if i.status is not Status.UNCHANGED]
    if different:
        raise SelfTestError(f"读回后不一致：{different[0].describe()}")
    if len(dry_run.items) < written:
        raise SelfTestError(f"写入 {written} 项，只读回 {len(dry_run.items)} 项")
    return f"Excel：导出 {written} 项并读回，逐格一致（openpyxl → python-calamine）"


def step_chart(folder: Path, db: Database) -> str:
    """Draw a real chart with Chinese text through the shipped chart code, to PNG and PDF.

    A "Glyph … missing from font(s)" warning means the bundled font was not found or lacks a
    character, which would print empty boxes in a report, so it fails the step.
    """
    from desktop.services.charts.building import ChartSpec, build_chart
    from desktop.services.charts.meeting_pack import export_chart

    spec = ChartSpec("composition", ("problems_found",), (UNIT_CODE,), PERIOD_CODE)
    data = build_chart(db, spec)
    png, pdf = folder / "自检.png", folder / "自检.pdf"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        export_chart(data, png)
        export_chart(data, pdf)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    if missing:
        raise SelfTestError(f"图表缺字：{missing[0]}")
    if png.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
        raise SelfTestError("PNG 文件无效")
    pdf_bytes = pdf.read_bytes()
    if not pdf_bytes.startswith(b"%PDF") or b"/FontFile2" not in pdf_bytes:
        raise SelfTestError("PDF 中没有嵌入 TrueType 字体（pdf.fonttype 42）")
    sizes = f"PNG {png.stat().st_size // 1024} KB，PDF {len(pdf_bytes) // 1024} KB"
    return f"图表：发现环境问题构成，{sizes}，中文无缺字，PDF 内嵌 TrueType 字体"


def _ensure_platform() -> None:
    """On a Linux box without a display, use Qt's off-screen platform instead of aborting."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def step_qt(db: Database) -> str:
    """Start Qt, register the bundled font and build the real main window off-screen.

    This catches missing platform plugins, Qt libraries and the font file in a bundle. Closing
    the window writes ``last_database`` into the user's settings; the previous value is put
    back so a self-test never changes which database EcoDesk opens next time.
    """
    _ensure_platform()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop import paths
    from desktop.fonts import register_fonts

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "ecodesk"])
    if not isinstance(app, QApplication):
        raise SelfTestError("已有的 Qt 应用不是 QApplication，无法建立窗口")
    families = register_fonts(app)
    if BUNDLED_FAMILY not in families:
        raise SelfTestError(f"Qt 未能注册随附字体（已注册：{families or '无'}）")

    from desktop.ui.main_window import MainWindow

    # The same file MainWindow.closeEvent writes (see desktop.paths.settings_file).
    settings_path = paths.settings_file()
    existed = settings_path.exists()
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    previous = settings.value("last_database")
    window = MainWindow(db)
    try:
        window.show()
        app.processEvents()
        rows = window.entry_page.model.rowCount()
        if rows <= 0:
            raise SelfTestError("主窗口的填报表没有行")
        pages = []
        for row in range(window.nav.count()):  # each page, built as a user would open it
            window.nav.setCurrentRow(row)
            app.processEvents()
            pages.append(window.nav.item(row).text())
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
        if previous is None:
            settings.remove("last_database")
        else:
            settings.setValue("last_database", previous)
        settings.sync()
        if not existed and not settings.allKeys():
            settings_path.unlink(missing_ok=True)
    return (
        f"Qt：平台 {app.platformName()}，字体 {BUNDLED_FAMILY}，填报表 {rows} 行，"
        f"页面 {'、'.join(pages)}"
    )


def _run_step(report: _Report, title: str, action: Callable[[], str]) -> bool:
    started = time.perf_counter()
    try:
        message = action()
    except SelfTestError as exc:
        report.line(f"✗ {title}：{exc}")
        return False
    except Exception as exc:  # any crash is a failed step, reported and not propagated
        report.line(f"✗ {title}：{type(exc).__name__}: {exc}")
        for text in traceback.format_exc().rstrip().splitlines():
            report.line(f"    {text}")
        return False
    report.line(f"✓ {message}（{time.perf_counter() - started:.2f} 秒）")
    return True


def run() -> int:
    """Run every step in order; 0 when all succeeded, 1 otherwise.

    Later steps need the database of the first, so a failure there skips them (reported as
    skipped, still exit 1); the Excel and chart steps run even if validation disagrees.
    """
    paths.configure_matplotlib_cache()
    report = _Report()
    from desktop import __version__

    frozen = "（独立可执行程序）" if getattr(sys, "frozen", False) else "（源代码）"
    report.line(f"EcoDesk {__version__} 自检{frozen}")
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="ecodesk-selftest-"))
    results: list[bool] = []
    db: Database | None = None
    try:
        holder: dict[str, Database] = {}

        def build() -> str:
            built, message = step_database(folder)
            holder["db"] = built
            return message

        results.append(_run_step(report, "建立演示数据库", build))
        db = holder.get("db")
        if db is None:
            report.line("✗ 其余步骤需要演示数据库，已跳过")
            results.append(False)
        else:
            opened = db

            results.append(_run_step(report, "数据校验", lambda: step_validation(opened)))
            results.append(_run_step(report, "Excel 读写", lambda: step_excel(folder, opened)))
            results.append(_run_step(report, "图表", lambda: step_chart(folder, opened)))
            results.append(_run_step(report, "Qt 主窗口", lambda: step_qt(opened)))
    finally:
        if db is not None:
            db.close()
        shutil.rmtree(folder, ignore_errors=True)
    ok = all(results)
    elapsed = time.perf_counter() - started
    if ok:
        report.line(f"自检通过：{len(results)} 项全部成功（共 {elapsed:.2f} 秒）")
    else:
        failed = results.count(False)
        report.line(f"自检失败：{failed} 项未通过（共 {elapsed:.2f} 秒）")
    report.save_if_no_console()
    return 0 if ok else 1
