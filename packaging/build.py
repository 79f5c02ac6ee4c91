"""Build the standalone EcoDesk executables in one command, and prove they work.

    python packaging/build.py            # onedir bundle: dist/ecodesk/
    python packaging/build.py --smoke    # ... then run the bundle's self-test and the CLI
    python packaging/build.py --onefile  # two single-file executables in dist/onefile/
    python packaging/build.py --target windows --smoke   # Windows build under wine (windows.py)
    python packaging/build.py --target linux-compat --smoke  # 信创 Linux bundle (linux_compat.py)

Why a script and not just ``pyinstaller packaging/ecodesk.spec``: the size of the bundle is a
requirement (offices download it over slow links and keep it on shared drives), so every build
prints where the megabytes go, and a bundle is only worth shipping if it runs on a machine
without the source tree, so ``--smoke`` runs it from an empty folder with ``PYTHONPATH`` unset.

``bundle_breakdown`` and ``zip_bundle`` are also used by ``benchmarks/bundle_startup.py``.
"""

from __future__ import annotations

import argparse
import os
import platform
import stat
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "ecodesk.spec"
WORK = ROOT / "build"
DIST = ROOT / "dist"
ONEDIR = DIST / "ecodesk"
ONEFILE_DIST = DIST / "onefile"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
MB = 1024 * 1024

#: (label, test on the path inside the bundle, lower-case, "/"-separated); first match wins.
CATEGORIES: list[tuple[str, tuple[str, ...]]] = [
    ("ICU (Qt's Unicode tables, Linux only)", ("libicu", "icudt", "icuuc", "icuin")),
    ("Qt libraries", ("qt/lib/", "/qt6", "qt6")),
    ("Qt plugins", ("/plugins/",)),
    ("Qt translations", ("/translations/",)),
    ("PySide6 bindings", ("pyside6/", "shiboken6", "libpyside6", "libshiboken6")),
    ("OpenBLAS (numpy)", ("openblas",)),
    ("numpy", ("numpy", "gfortran", "quadmath")),
    ("Python interpreter", ("libpython", "python3", "lib-dynload", "base_library.zip")),
    ("matplotlib data (mpl-data)", ("mpl-data/",)),
    ("matplotlib + contourpy + kiwisolver", ("matplotlib", "contourpy", "kiwisolver")),
    ("fontTools (PDF font subsetting)", ("fonttools",)),
    ("Pillow", ("pil/", "pillow")),
    ("EcoDesk fonts", ("resources/fonts/",)),
    ("EcoDesk resources", ("resources/",)),
    ("python-calamine", ("python_calamine",)),
    ("rapidfuzz (one backend per CPU level)", ("rapidfuzz",)),
    ("executables (incl. the Python code archive)", ("ecodesk",)),
]
SYSTEM_LIBS = "system libraries (Linux: X11/xcb, glib, fontconfig; Windows: OpenSSL, SQLite)"


def categorize(relative: str) -> str:
    path = relative.replace("\\", "/").lower()
    for label, needles in CATEGORIES:
        if any(n in path for n in needles):
            return label
    name = path.rsplit("/", 1)[-1]
    if "/" not in path.removeprefix("_internal/") and (".so" in name or name.endswith(".dll")):
        return SYSTEM_LIBS
    return "other"


def _files(folder: Path) -> list[tuple[str, int]]:
    """Regular files under ``folder`` with sizes; symlinks are not counted twice."""
    found = []
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        found.append((path.relative_to(folder).as_posix(), path.stat().st_size))
    return found


def bundle_breakdown(folder: Path) -> tuple[int, list[tuple[str, int]], list[tuple[str, int]]]:
    """Total bytes, bytes per component (largest first) and the ten largest files."""
    files = _files(folder)
    groups: dict[str, int] = {}
    for relative, size in files:
        label = categorize(relative)
        groups[label] = groups.get(label, 0) + size
    total = sum(size for _, size in files)
    ranked = sorted(groups.items(), key=lambda item: -item[1])
    largest = sorted(files, key=lambda item: -item[1])[:10]
    return total, ranked, largest


def print_breakdown(folder: Path) -> int:
    total, ranked, largest = bundle_breakdown(folder)
    print(
        f"\nBundle {folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder}: "
        f"{total / MB:.1f} MB"
    )
    for label, size in ranked:
        print(f"  {size / MB:7.1f} MB  {100 * size / total:4.1f}%  {label}")
    print("  largest files:")
    for relative, size in largest:
        print(f"  {size / MB:7.1f} MB  {relative}")
    return total


def zip_bundle(folder: Path, target: Path) -> int:
    """Zip the bundle the way it would be shipped; return the zip's size in bytes.

    Symlinks (PyInstaller makes some on Linux and macOS) are stored as links, as Info-ZIP and
    macOS do, so they neither inflate the archive nor break when unpacked.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in sorted(folder.rglob("*")):
            name = (Path(folder.name) / path.relative_to(folder)).as_posix()
            if path.is_symlink():
                info = zipfile.ZipInfo(name)
                info.create_system = 3  # Unix, so the mode below is honoured
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(info, str(path.readlink()))
            elif path.is_file():
                archive.write(path, name)
    return target.stat().st_size


def run_pyinstaller(onefile: bool) -> bool:
    env = dict(os.environ)
    env.pop("ECODESK_ONEFILE", None)
    if onefile:
        env["ECODESK_ONEFILE"] = "1"
    command = [
        sys.executable, "-m", "PyInstaller", str(SPEC),
        "--clean", "--noconfirm", "--log-level", "WARN",
        "--workpath", str(WORK / ("onefile" if onefile else "onedir")),
        "--distpath", str(ONEFILE_DIST if onefile else DIST),
    ]  # fmt: skip
    print("$ " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode == 0


def _clean_env(home: Path) -> dict[str, str]:
    """The environment of a user's machine: nothing from this checkout or this Python."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["ECODESK_HOME"] = str(home)
    return env


Wrap = Callable[[list[str], dict[str, str]], list[str]]


def smoke(folder: Path, wrap: Wrap | None = None, inside: Path | None = None) -> bool:
    """Run the bundle from an empty folder: self-test, then the CLI on a fresh demo database.

    ``wrap`` turns a command line into one that runs elsewhere (``linux_compat`` runs it in a
    bare Debian root, where the bundle sits at ``inside``); temporary files are under /tmp,
    which that root shares.
    """
    gui = (inside or folder) / f"ecodesk{EXE_SUFFIX}"
    cli = (inside or folder) / f"ecodesk-cli{EXE_SUFFIX}"
    ok = True
    with tempfile.TemporaryDirectory(prefix="ecodesk-smoke-") as tmp:
        work = Path(tmp)
        home = work / "home"
        home.mkdir()
        database = str(work / "d.ecodesk")
        daily = work / "日均值.csv"  # a station's April, as monitoring centres export it
        daily.write_text(
            "日期,监测点位,SO2,NO2,CO(mg/m3),O3_8h,PM10,PM2.5\n"
            + "".join(f"2026-04-{d:02d},市监测站,8,25,0.7,95,55,{20 + d}\n" for d in range(1, 31)),
            encoding="utf-8",
        )
        checks: list[tuple[list[str], str]] = [
            ([str(gui), "--self-test"], "自检通过"),
            ([str(cli), "demo", "--db", database], "已建立演示数据库"),
            (
                [
                    str(cli),
                    "show",
                    "--db",
                    database,
                    "--unit",
                    "330300-01",
                    "--period",
                    "2022-YTD10",
                ],
                "发现环境问题",
            ),
            # Each file format the office sends out, written by the bundle itself.
            (
                [str(cli), "export", "--db", database, "--unit", "330300-01",
                 "--period", "2022-YTD10", "--out", str(work / "报表.xlsx")],
                "已导出",
            ),
            (
                [str(cli), "chart", "--db", database, "--type", "ranking",
                 "--indicator", "air_good_rate", "--period", "2022-YTD10",
                 "--out", str(work / "排名.pdf")],
                "已生成图表",
            ),
            (
                [str(cli), "report", "export", "1", "--db", database,
                 "--docx", str(work / "报告.docx")],
                "已导出",
            ),
            # Monitoring data through the dry run into the store, then figures from the store.
            (
                [str(cli), "air-import", str(daily), "--db", database, "--unit", "330300-01"],
                "已导入 180 项监测数据",
            ),
            (
                [str(cli), "aqi", "--db", database, "--unit", "330300-01", "--period",
                 "2026-M4", "--compare", "--summary"],
                "有效天数 30",
            ),
        ]  # fmt: skip
        for command, expected in checks:
            started = time.perf_counter()
            try:
                env = _clean_env(home)
                done = subprocess.run(
                    wrap(command, env) if wrap else command, cwd=work, env=env,
                    capture_output=True, timeout=180, check=False,
                )  # fmt: skip
                output = (done.stdout + done.stderr).decode("utf-8", "replace")
                code = done.returncode
            except (OSError, subprocess.TimeoutExpired) as exc:
                output, code = str(exc), -1
            log = home / "selftest.txt"  # the windowed Windows executable has no stdout
            if expected not in output and log.exists():
                output += log.read_text(encoding="utf-8")
            passed = code == 0 and expected in output
            ok = ok and passed
            shown = " ".join(Path(c).name if i == 0 else c for i, c in enumerate(command))
            mark = "✓" if passed else "✗"
            print(f"{mark} {shown}  (exit {code}, {time.perf_counter() - started:.2f} s)")
            lines = output.strip().splitlines()
            for line in lines if not passed else lines[:14]:
                print(f"    {line}")
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    parser = argparse.ArgumentParser(description="Build the EcoDesk executables with PyInstaller")
    parser.add_argument("--onefile", action="store_true", help="single-file executables")
    parser.add_argument("--smoke", action="store_true", help="run the built bundle afterwards")
    parser.add_argument("--no-zip", action="store_true", help="skip the zipped-size measurement")
    parser.add_argument(
        "--target",
        choices=["host", "windows", "linux-compat"],
        default="host",
        help="host: this machine's Python; windows: under wine (packaging/windows.py); "
        "linux-compat: for glibc 2.31 in a Debian bullseye root (packaging/linux_compat.py)",
    )
    parser.add_argument(
        "--wine",
        choices=["trixie", "system"],
        default="trixie",
        help="windows: wine 10 in a Debian trixie root (default) or this machine's wine",
    )
    parser.add_argument("--relock", action="store_true", help="windows: re-pin the wheels")
    parser.add_argument("--arch", default="amd64", help="linux-compat: amd64 or arm64 (qemu)")
    args = parser.parse_args(argv)
    if args.target != "host":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        target = __import__("windows" if args.target == "windows" else "linux_compat")
        return int(target.main(args))

    started = time.perf_counter()
    if not run_pyinstaller(args.onefile):
        print("✗ PyInstaller failed", file=sys.stderr)
        return 1
    build_seconds = time.perf_counter() - started
    print(f"\nBuild: {build_seconds:.1f} s")

    if args.onefile:
        folder = ONEFILE_DIST
        for exe in sorted(folder.iterdir()):
            print(f"  {exe.stat().st_size / MB:7.1f} MB  {exe.relative_to(ROOT)}")
    else:
        folder = ONEDIR
        print_breakdown(folder)
        if not args.no_zip:
            zip_started = time.perf_counter()
            target = DIST / f"ecodesk-{_version()}-{_platform_tag()}.zip"
            size = zip_bundle(folder, target)
            print(
                f"Zipped: {size / MB:.1f} MB  {target.relative_to(ROOT)}  "
                f"({time.perf_counter() - zip_started:.1f} s)"
            )

    if args.smoke:
        print("\nSmoke test (empty folder, PYTHONPATH unset, QT_QPA_PLATFORM=offscreen):")
        smoke_started = time.perf_counter()
        passed = smoke(folder)
        verdict = "passed" if passed else "FAILED"
        print(f"Smoke: {verdict} in {time.perf_counter() - smoke_started:.1f} s")
        print(f"Total: {time.perf_counter() - started:.1f} s")
        if not passed:
            return 1
    return 0


def _version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def _platform_tag() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    return f"{system}-{platform.machine().lower()}"


if __name__ == "__main__":
    sys.exit(main())
