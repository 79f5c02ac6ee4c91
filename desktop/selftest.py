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
from typing import TYPE_CHECKING, Any, TextIO

from db.connection import Database
from desktop import paths

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType  # matplotlib >= 3.10; annotations only

UNIT_CODE = "330300-01"
PERIOD_CODE = "2022-YTD10"
TOTAL_CODE = "problems_found"
TOTAL_EXPECTED = 51.0
#: Rows put into the spreadsheet and the chart: Greek, superscripts and Roman numerals in the
#: names and units test glyph coverage beyond plain CJK.
SAMPLE_CODES = (
    "air_good_rate",
    "pm25",
    "water_section_good_rate",
    "problems_water",
    "problems_air",
    "problems_waste",
    "problems_other",
    TOTAL_CODE,
)
BUNDLED_FAMILY = "EcoDesk Sans"  # the same family desktop.fonts registers for Qt
MATPLOTLIB_FALLBACKS = [
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "SimHei",
    "WenQuanYi Micro Hei",
    "DejaVu Sans",
]


class SelfTestError(Exception):
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


def step_validation(db: Database) -> tuple[list[list[Any]], str]:
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
    rows: list[list[Any]] = []
    for code in SAMPLE_CODES:
        row = sheet.row(code)
        ind = row.indicator
        rows.append([ind.code, ind.name, ind.unit, row.current.value])
    return rows, (
        f"校验 {unit.display_name} {period.label}：{errors} 项错误，"
        f"{len(failures) - errors} 项警告；{total.indicator.name}合计 {total.current.value:g}"
    )


def step_excel(folder: Path, rows: list[list[Any]]) -> str:
    """Write with openpyxl and read back with python-calamine, the two Excel paths EcoDesk uses."""
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    header = ["代码", "指标", "单位", "数值"]
    path = folder / "自检.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.title = "自检"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)

    read = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("自检").to_python()
    expected: list[list[Any]] = [header, *rows]
    if len(read) != len(expected):
        raise SelfTestError(f"读回 {len(read)} 行，应为 {len(expected)} 行")
    for number, (got, want) in enumerate(zip(read, expected, strict=True), start=1):
        if not _same_row(list(got), want):
            raise SelfTestError(f"第 {number} 行读回为 {got!r}，应为 {want!r}")
    return f"Excel：写入并读回 {len(rows)} 行（openpyxl → python-calamine）"


def _same_row(got: list[Any], want: list[Any]) -> bool:
    """Cells equal after calamine's typing: numbers may come back as int or float."""
    if len(got) != len(want):
        return False
    for a, b in zip(got, want, strict=True):
        if isinstance(b, float | int) and not isinstance(b, bool):
            if not isinstance(a, float | int) or abs(float(a) - float(b)) > 1e-9:
                return False
        elif (a if a is not None else "") != (b if b is not None else ""):
            return False
    return True


def step_chart(folder: Path, rows: list[list[Any]]) -> str:
    """Draw Chinese with the bundled font through the Figure API, as the report pages will.

    pyplot is avoided on purpose: it would pick a GUI backend and keep global figure state.
    A "Glyph … missing from font(s)" warning means the bundled font was not found or lacks a
    character, which would print empty boxes in a report, so it fails the step.
    """
    from matplotlib import font_manager, rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from resources import locate

    fonts = sorted(locate("fonts").glob("*.ttf"))
    if not fonts:
        raise SelfTestError(f"没有找到随附字体（{locate('fonts')}）")
    for font in fonts:
        font_manager.fontManager.addfont(str(font))
    # Per-glyph fallback only walks concrete names in font.family (the generic "sans-serif"
    # resolves to one font), and names not installed log a findfont warning; so list the
    # installed ones. DejaVu Sans ships with matplotlib and has what the GBK subset lacks (−).
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    family = [BUNDLED_FAMILY, *(f for f in MATPLOTLIB_FALLBACKS if f in installed)]
    rc: dict[RcKeyType, Any] = {
        "font.family": family,
        "font.sans-serif": family,
        "axes.unicode_minus": False,
        "pdf.fonttype": 42,
    }
    with warnings.catch_warnings(record=True) as caught, rc_context(rc):
        warnings.simplefilter("always")
        found = Path(font_manager.findfont(BUNDLED_FAMILY, fallback_to_default=False))
        if found.resolve() not in {f.resolve() for f in fonts}:
            raise SelfTestError(f"matplotlib 没有使用随附字体，而是 {found.name}")
        figure = Figure(figsize=(7, 4), dpi=100, layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        labels = [f"{name}\n{unit}" for _, name, unit, _ in rows[:3]]
        axes.bar(labels, [float(v or 0) for *_, v in rows[:3]], color="#2e7d32")
        axes.axhline(-5, color="#999999", linewidth=0.8)
        axes.set_title(f"自检：海岛区分局 {PERIOD_CODE} 主要指标（℃、㎡、①）")
        axes.set_ylabel("数值（−5 为参考线）")
        png, pdf = folder / "自检.png", folder / "自检.pdf"
        figure.savefig(png)
        figure.savefig(pdf)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    if missing:
        raise SelfTestError(f"图表缺字：{missing[0]}")
    if png.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
        raise SelfTestError("PNG 文件无效")
    pdf_bytes = pdf.read_bytes()
    if not pdf_bytes.startswith(b"%PDF") or b"/FontFile2" not in pdf_bytes:
        raise SelfTestError("PDF 中没有嵌入 TrueType 字体（pdf.fonttype 42）")
    return (
        f"图表：PNG {png.stat().st_size // 1024} KB，PDF {len(pdf_bytes) // 1024} KB，"
        f"字体 {found.name}，无缺字"
    )


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
    return f"Qt：平台 {app.platformName()}，字体 {BUNDLED_FAMILY}，主窗口填报表 {rows} 行"


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
    rows: list[list[Any]] = []
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

            def validate() -> str:
                found, message = step_validation(opened)
                rows.extend(found)
                return message

            results.append(_run_step(report, "数据校验", validate))
            if not rows:
                report.line("✗ Excel 与图表需要校验步骤读出的数据，已跳过")
                results.append(False)
            else:
                results.append(_run_step(report, "Excel 读写", lambda: step_excel(folder, rows)))
                results.append(_run_step(report, "图表", lambda: step_chart(folder, rows)))
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
