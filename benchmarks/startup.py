"""Start-up to the entry grid showing the demo data vs a bare PySide6 QMainWindow shown.

Both are whole processes started the same way (same Python, offscreen platform, median of
several runs), so the ratio shows what EcoDesk adds: its imports, opening the database and
building the grid. Goal: ≤ 1.5.

Run: ``python benchmarks/startup.py [--runs N]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.show()
app.processEvents()
"""


def wall(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


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
        bare_times, app_times = [], []
        for _ in range(args.runs):
            bare_times.append(wall(bare, env))
            app_times.append(wall(app, env))
    bare_s, app_s = statistics.median(bare_times), statistics.median(app_times)
    print(f"bare QMainWindow shown:          {bare_s:.3f} s (median of {args.runs})")
    print(f"EcoDesk entry grid with demo:    {app_s:.3f} s")
    print(f"ratio: {app_s / bare_s:.2f}  (goal ≤ 1.5)")


if __name__ == "__main__":
    main()
