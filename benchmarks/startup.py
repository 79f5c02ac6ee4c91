"""Start-up to the entry grid showing the demo data vs a bare PySide6 QMainWindow shown.

Both are whole processes started the same way (same Python, offscreen platform, median of
several runs), so the ratio shows what EcoDesk adds: its imports, opening the database and
building the grid. The two run alternately (bare, EcoDesk, bare, …); min and median printed.
Goal (issue #17): ≤ 1.3.

Run: ``python benchmarks/startup.py [--runs N]``
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import ratio_line  # noqa: E402

BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.show()
app.processEvents()
"""

#: What any Chinese Qt window pays before it shows a word: Qt's namespace of enums (every Qt
#: application uses ``Qt.AlignmentFlag`` and friends; PySide builds its ~90 Python enums on the
#: first use), the bundled CJK font registered, and one painted line of Chinese. Not a goal,
#: a reference: the ratio against it is what EcoDesk's own code adds.
CHINESE_WINDOW = """
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
from desktop.fonts import register_fonts
app = QApplication([])
register_fonts(app)
window = QMainWindow()
label = QLabel("生态环境工作台：本月待填报 3 项", alignment=Qt.AlignmentFlag.AlignLeft)
window.setCentralWidget(label)
window.show()
app.processEvents()
"""


def wall(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock seconds of a whole process, and the CPU seconds it used (user + system).

    The CPU time is the steadier figure on a shared machine: waiting for a core is not in it.
    """
    start = time.perf_counter()
    child = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{command} failed with {child.returncode}")
    return seconds, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ECODESK_HOME": home}
        # An installed EcoDesk (pip or the bundle) starts from compiled bytecode. A shell with
        # PYTHONDONTWRITEBYTECODE=1 would make every run recompile our ~60 modules (~0.1 s)
        # while the bare window's PySide6 has its bytecode: the first run below writes it to
        # the (git-ignored) __pycache__ folders, outside the measurement.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.pop("PYTHONPYCACHEPREFIX", None)
        app = [sys.executable, "-m", "desktop", "--demo", "--startup-probe"]
        wall(app, env)  # builds the demo database once, outside the measurement
        bare = [sys.executable, "-c", BARE]
        wall(bare, env)  # warm the OS file cache for both
        chinese = [sys.executable, "-c", CHINESE_WINDOW]
        bare_times, app_times, bare_cpu, app_cpu, chinese_cpu = [], [], [], [], []
        for _ in range(args.runs):
            seconds, cpu = wall(bare, env)
            bare_times.append(seconds)
            bare_cpu.append(cpu)
            seconds, cpu = wall(app, env)
            app_times.append(seconds)
            app_cpu.append(cpu)
            chinese_cpu.append(wall(chinese, env)[1])
    print(f"{args.runs} runs each, alternating")
    print(ratio_line("start-up to the entry grid vs a bare QMainWindow (wall)", app_times,
                     bare_times, "≤ 1.3×", met=lambda r: r <= 1.3))  # fmt: skip
    print(ratio_line("the same, CPU time of the process (user + system)", app_cpu, bare_cpu,
                     "≤ 1.3×", met=lambda r: r <= 1.3))  # fmt: skip
    print(ratio_line("reference: a window with one line of Chinese vs the bare one (CPU)",
                     chinese_cpu, bare_cpu, "none, what any Chinese Qt window costs"))  # fmt: skip
    print(ratio_line("EcoDesk vs that Chinese window (CPU): what our code adds", app_cpu,
                     chinese_cpu, "none"))  # fmt: skip


if __name__ == "__main__":
    main()
