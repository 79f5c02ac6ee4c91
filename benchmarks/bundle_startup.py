"""Start-up of the standalone bundle against the source tree and a bare PySide6 window.

    python packaging/build.py            # first, once
    python benchmarks/bundle_startup.py  # [--runs 5] [--no-zip]

Absolute seconds depend on the machine, so the result is given as ratios measured in the same
run: the frozen ``ecodesk --demo --startup-probe`` (to the entry grid shown), the same from
source (``python -m desktop``), and a bare QMainWindow shown by the same Python, which is the
floor any PySide6 application starts from. Goal: the bundle within 2x the bare window. The
wall time of each process counts (an office user waits for all of it), the median of several
runs; ``startup_seconds`` as printed by the app itself is shown beside it.

Also prints the bundle's size by component (``packaging/build.py``'s breakdown) against the
goals: onedir folder < 200 MB, zip < 90 MB.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024
GOAL_RATIO = 2.0
GOAL_ONEDIR_MB = 200
GOAL_ZIP_MB = 90

BARE_WINDOW = """
import sys, time
started = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1280, 800)
window.show()
app.processEvents()
print(f"startup_seconds={time.perf_counter() - started:.4f}", flush=True)
"""


def load_build_module() -> ModuleType:
    """packaging/build.py is a script, not a package: load it from its path."""
    spec = importlib.util.spec_from_file_location("ecodesk_build", ROOT / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float | None]:
    """Wall seconds of the whole process, and the ``startup_seconds`` it printed."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, timeout=120, check=False)
    wall = time.perf_counter() - started
    output = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0:
        detail = (output + done.stderr.decode("utf-8", "replace")).strip()
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {detail[-800:]}")
    reported = None
    for line in output.splitlines():
        if line.startswith("startup_seconds="):
            reported = float(line.split("=", 1)[1])
    return wall, reported


def measure(
    label: str, command: list[str], cwd: Path, env: dict[str, str], runs: int
) -> tuple[float, float | None]:
    walls: list[float] = []
    reports: list[float] = []
    for _ in range(runs):
        wall, reported = timed(command, cwd, env)
        walls.append(wall)
        if reported is not None:
            reports.append(reported)
    wall_median = statistics.median(walls)
    report_median = statistics.median(reports) if reports else None
    shown = f"{report_median:.3f} s" if report_median is not None else "—"
    print(
        f"  {label:<28} wall {wall_median:6.3f} s  (min {min(walls):.3f}, max {max(walls):.3f})"
        f"   startup_seconds {shown}"
    )
    return wall_median, report_median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-zip", action="store_true", help="skip zipping the bundle")
    args = parser.parse_args()
    build = load_build_module()
    folder: Path = build.ONEDIR
    exe = folder / f"ecodesk{build.EXE_SUFFIX}"
    if not exe.exists():
        print(f"No bundle at {folder}; run: python packaging/build.py", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="ecodesk-bench-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env["QT_QPA_PLATFORM"] = "offscreen"
        env["ECODESK_HOME"] = str(work / "home")
        source_env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ECODESK_HOME=env["ECODESK_HOME"])
        bare = work / "bare_window.py"
        bare.write_text(BARE_WINDOW, encoding="utf-8")

        bundle_cmd = [str(exe), "--demo", "--startup-probe"]
        source_cmd = [sys.executable, "-m", "desktop", "--demo", "--startup-probe"]
        # First runs: build the demo database and matplotlib's cache, warm the disk cache.
        timed(bundle_cmd, work, env)
        timed(source_cmd, ROOT, source_env)
        timed([sys.executable, str(bare)], work, env)

        print(f"Start-up to the entry grid, median of {args.runs} (QT_QPA_PLATFORM=offscreen):")
        bundle, _ = measure("bundle (dist/ecodesk)", bundle_cmd, work, env, args.runs)
        source, _ = measure("source (python -m desktop)", source_cmd, ROOT, source_env, args.runs)
        floor, _ = measure("bare PySide6 QMainWindow", [sys.executable, str(bare)], work, env,
                           args.runs)  # fmt: skip

    ratio = bundle / floor
    print(f"  bundle / bare   = {ratio:.2f}x   goal ≤ {GOAL_RATIO:.1f}x   "
          f"{'✓' if ratio <= GOAL_RATIO else '✗'}")  # fmt: skip
    print(f"  source / bare   = {source / floor:.2f}x")
    print(f"  bundle / source = {bundle / source:.2f}x")

    total = build.print_breakdown(folder)
    ok = ratio <= GOAL_RATIO
    print(f"  onedir {total / MB:.1f} MB   goal < {GOAL_ONEDIR_MB} MB   "
          f"{'✓' if total / MB < GOAL_ONEDIR_MB else '✗'}")  # fmt: skip
    if not args.no_zip:
        with tempfile.TemporaryDirectory(prefix="ecodesk-zip-") as tmp:
            size = build.zip_bundle(folder, Path(tmp) / "ecodesk.zip")
        print(f"  zip    {size / MB:.1f} MB   goal < {GOAL_ZIP_MB} MB   "
              f"{'✓' if size / MB < GOAL_ZIP_MB else '✗'}")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
