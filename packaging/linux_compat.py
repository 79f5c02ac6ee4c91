"""The Linux bundle for 信创 desktops: ``python packaging/build.py --target linux-compat``.

统信 UOS 20 and 银河麒麟 Kylin V10 have glibc 2.28-2.31. A bundle built on this machine needs
glibc 2.35+ (libpython, libstdc++ and libexpat come from the build system), so it is built
inside a Debian bullseye root (glibc 2.31), with everything that links the C library made there:

1. **Interpreter.** SQLite 3.40.1 and CPython 3.11.2 built from source in the bullseye root,
   once, into ``/opt/ecodesk-python`` of that root (cached). The sources are the upstream
   tarballs as Debian bookworm's archive carries them (``apt-get source``, whose signed index
   checks them; their SHA-256 is pinned here too).
2. **Wheels** for the bullseye Python: pip picks wheels its glibc accepts, and PySide6-Essentials
   is pinned to 6.9.3, the newest with manylinux_2_28 wheels (6.10+ need glibc 2.34).
3. **PyInstaller** in the root, with the same spec, into ``dist/linux-compat-<arch>/ecodesk``.
4. ``--smoke``: a second, bare bullseye root (no Python, no Qt): ``ldd`` lists what the bundle
   needs from the system, those Debian packages are installed there, the ``.deb`` is installed
   with ``dpkg -i``, and the self-test and the CLI run from ``/opt/ecodesk``.

``--arch arm64`` does the same in arm64 roots under qemu-user (``qemu-user-static``,
binfmt-support); it is slow (a full build took 33 minutes here), so it is not part of CI.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path

import roots

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "ecodesk.spec"
CACHE = roots.CACHE / "linux-compat"
SUITE = "bullseye"
MB = 1024 * 1024

CPYTHON_SOURCE = "python3.11_3.11.2.orig.tar.gz"
CPYTHON_SHA256 = "2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849"
PYTHON_PREFIX = "/opt/ecodesk-python"
SQLITE_SOURCE = "sqlite3_3.40.1.orig.tar.xz"
SQLITE_SHA256 = "aaa776260ab4dc976db34aa7891819484c8676b5b2783123ebc6301e2ca5d655"
#: Compile-time options as Debian builds its libsqlite3 (FTS5 for report search among them).
SQLITE_FLAGS = ["ENABLE_FTS3", "ENABLE_FTS3_PARENTHESIS", "ENABLE_FTS5", "ENABLE_RTREE",
                "ENABLE_COLUMN_METADATA", "ENABLE_DBSTAT_VTAB", "ENABLE_UNLOCK_NOTIFY",
                "SECURE_DELETE", "MAX_VARIABLE_NUMBER=250000", "ENABLE_MATH_FUNCTIONS"]  # fmt: skip

BUILD_PACKAGES = [
    # CPython's build and its optional modules (ssl, sqlite3, ctypes, bz2, lzma, uuid, dbm).
    "build-essential", "libssl-dev", "zlib1g-dev", "libbz2-dev", "libffi-dev", "libsqlite3-dev",
    "liblzma-dev", "uuid-dev", "libgdbm-dev", "binutils", "ca-certificates", "xz-utils",
    # What PyInstaller copies from the build system into the bundle (Qt's X11/GL dependencies).
    "libfontconfig1", "libfreetype6", "libegl1", "libgl1", "libglib2.0-0", "libdbus-1-3",
    "libxkbcommon0", "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1",
    "libxcb-image0", "libxcb-randr0", "libxcb-render-util0", "libxcb-shape0", "libxcb-xinerama0",
    "libxcb-xkb1", "libx11-xcb1", "libsm6", "libice6", "libcups2",
]  # fmt: skip

#: What the bundle takes from the system, measured: ``ldd`` over every file of the bundle, with
#: ``_internal`` on the library path as the bootloader sets it, in a bare bullseye root
#: (debootstrap minbase) found exactly these missing. PyInstaller leaves the GL/EGL
#: and libxcb drivers to the system on purpose (they must match the machine's graphics stack),
#: and the spec leaves libcups (see ecodesk.spec). Library → Debian package (the same names on
#: UOS 20 and Kylin V10, both Debian-based); the .deb depends on these packages.
SYSTEM_PACKAGES = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libxcb.so.1": "libxcb1",
    "libcups.so.2": "libcups2",
}
#: Not linked, but read at run time: fontconfig's configuration in /etc/fonts.
DEB_DEPENDS = [*SYSTEM_PACKAGES.values(), "fontconfig-config"]


def log(message: str) -> None:
    print(message, flush=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(command: Sequence[str], what: str, log_file: Path | None = None) -> str:
    """Run, fail loudly with the tail of the output; return the output."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False, stdin=subprocess.DEVNULL)
    output = (done.stdout + done.stderr).decode("utf-8", "replace")
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        log_file.write_text(output, encoding="utf-8")
    if done.returncode != 0:
        tail = "\n".join(output.splitlines()[-30:])
        raise SystemExit(f"✗ {what} failed (exit {done.returncode}):\n{tail}")
    log(f"✓ {what} ({time.perf_counter() - started:.0f} s)")
    return output


def fetch_source(package: str, filename: str, digest: str) -> Path:
    """An upstream tarball as Debian's archive carries it (``apt-get source``, checked by apt
    against the signed index), checked again against the pinned SHA-256."""
    folder = CACHE / "src"
    target = folder / filename
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        sources = folder / "sources.list"
        sources.write_text(
            f"deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
            f"{roots.MIRROR} bookworm main\n"
        )
        apt = ["apt-get", "-o", f"Dir::Etc::SourceList={sources}",
               "-o", "Dir::Etc::SourceParts=/dev/null",
               "-o", f"Dir::State::Lists={folder / 'lists'}"]  # fmt: skip
        (folder / "lists" / "partial").mkdir(parents=True, exist_ok=True)
        run([*apt, "update", "-qq"], "apt-get update (bookworm sources)")
        # The .dsc may name a Debian revision the mirror no longer keeps; the orig tarball is
        # all we need, and its hash is checked below.
        subprocess.run([*apt, "source", "--download-only", package], cwd=folder,
                       capture_output=True, check=False)  # fmt: skip
    if not target.exists() or sha256(target) != digest:
        raise SystemExit(f"✗ {target}: missing or not the pinned source")
    return target


def build_python(root: Path) -> None:
    """SQLite 3.40 and CPython 3.11 built in the bullseye root (glibc 2.31); cached.

    SQLite too, because bullseye's 3.34 is older than what EcoDesk's SQL needs (upsert without
    a conflict target needs 3.35): the bundle carries the SQLite it was built with, as the
    Windows and host builds do (3.45 and 3.40).
    """
    prefix = root / PYTHON_PREFIX.lstrip("/")
    if (prefix / "bin" / "python3.11").exists():
        return
    sqlite = fetch_source("sqlite3", SQLITE_SOURCE, SQLITE_SHA256)
    python = fetch_source("python3.11", CPYTHON_SOURCE, CPYTHON_SHA256)
    flags = " ".join(f"-DSQLITE_{flag}" for flag in SQLITE_FLAGS)
    script = f"""set -e
export DEBIAN_FRONTEND=noninteractive
command -v tclsh >/dev/null || (apt-get update -qq && apt-get install -y -qq tcl >/dev/null)
rm -rf /tmp/ecodesk-sqlite && mkdir -p /tmp/ecodesk-sqlite && cd /tmp/ecodesk-sqlite
tar xJf {sqlite} --strip-components=1
./configure --prefix={PYTHON_PREFIX} --enable-shared --disable-static --disable-tcl \
    --enable-fts5 CFLAGS="-O2 {flags}" >/dev/null
make -j{os.cpu_count() or 2} >/dev/null 2>&1
make install >/dev/null 2>&1
cd / && rm -rf /tmp/ecodesk-sqlite
rm -rf /tmp/ecodesk-cpython && mkdir -p /tmp/ecodesk-cpython && cd /tmp/ecodesk-cpython
tar xzf {python} --strip-components=1
./configure --prefix={PYTHON_PREFIX} --enable-shared --with-ensurepip=install \
    LIBSQLITE3_CFLAGS="-I{PYTHON_PREFIX}/include" \
    LIBSQLITE3_LIBS="-L{PYTHON_PREFIX}/lib -lsqlite3" \
    LDFLAGS="-L{PYTHON_PREFIX}/lib -Wl,-rpath,{PYTHON_PREFIX}/lib" >/dev/null
make -j{os.cpu_count() or 2} >/dev/null 2>&1
make install >/dev/null 2>&1
cd / && rm -rf /tmp/ecodesk-cpython
{PYTHON_PREFIX}/bin/python3.11 -c "
import ssl, sqlite3, ctypes, lzma, bz2, zlib, uuid
assert sqlite3.sqlite_version == '3.40.1', sqlite3.sqlite_version
sqlite3.connect(':memory:').execute('CREATE VIRTUAL TABLE t USING fts5(x)')
print('ok', sqlite3.sqlite_version)"
"""
    run(roots.in_root(root, ["sh", "-c", script], [sqlite.parent]),
        "SQLite 3.40.1 and CPython 3.11.2 built in the bullseye root",
        CACHE / "cpython-build.log")  # fmt: skip


#: The newest PySide6-Essentials whose wheels accept glibc 2.31: on x86_64 6.9.3
#: (manylinux_2_28; 6.10+ need 2.34), on aarch64 6.8.0.2 (manylinux_2_31; later ones need 2.39).
PYSIDE6 = {"amd64": "6.9.3", "arm64": "6.8.0.2"}


def requirements(arch: str = "amd64") -> list[str]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        deps = list(tomllib.load(handle)["project"]["dependencies"])
    deps = [d for d in deps if not d.lower().startswith("pyside6-essentials")]
    return [*deps, f"pyside6-essentials=={PYSIDE6[arch]}", "pyinstaller==6.22.3"]


def _platform_tags(arch: str) -> list[str]:
    """pip's --platform tags for wheels that run on glibc 2.31 (manylinux_2_31 and older)."""
    machine = {"amd64": "x86_64", "arm64": "aarch64"}[arch]
    tags = [f"manylinux_2_{minor}_{machine}" for minor in range(31, 16, -1)]
    tags += [f"manylinux2014_{machine}"]
    if machine == "x86_64":
        tags += ["manylinux2010_x86_64", "manylinux1_x86_64"]
    return [flag for tag in tags for flag in ("--platform", tag)]


def install_wheels(root: Path, arch: str) -> None:
    """The project's dependencies, in the bullseye Python.

    The wheels are downloaded here (this machine's pip and its certificates), only those whose
    manylinux tag accepts glibc 2.31, then installed in the root from that folder, offline.
    """
    python = root / PYTHON_PREFIX.lstrip("/") / "bin" / "python3.11"
    stamp = python.parent.parent / ".ecodesk-requirements"
    wanted = "\n".join(requirements(arch))
    if stamp.exists() and stamp.read_text() == wanted:
        return
    wheels = CACHE / f"wheels-{arch}"
    run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check",
         "--only-binary=:all:", "--python-version", "3.11", "--implementation", "cp",
         "--abi", "cp311", *_platform_tags(arch), "-d", str(wheels), *requirements(arch)],
        f"wheels for glibc 2.31 ({arch}) downloaded")  # fmt: skip
    command = [f"{PYTHON_PREFIX}/bin/python3.11", "-m", "pip", "install", "-q",
               "--disable-pip-version-check", "--no-index", "--find-links", str(wheels),
               *requirements(arch)]  # fmt: skip
    run(roots.in_root(root, command, [wheels]), "wheels installed in the bullseye Python")
    stamp.write_text(wanted)


def build_bundle(root: Path, dist: Path, work: Path) -> None:
    command = [f"{PYTHON_PREFIX}/bin/python3.11", "-m", "PyInstaller", str(SPEC), "--clean",
               "--noconfirm", "--log-level", "WARN", "--workpath", str(work),
               "--distpath", str(dist)]  # fmt: skip
    run(roots.in_root(root, ["sh", "-c", f"cd {ROOT} && " + " ".join(command)], [ROOT]),
        "PyInstaller in the bullseye root", work / "pyinstaller.log")  # fmt: skip


def glibc_needed(folder: Path) -> str:
    """The highest GLIBC_x.y version any ELF file of the bundle asks for."""
    highest = (0, 0)
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.read_bytes()[:4] == b"\x7fELF":
            for major, minor in re.findall(rb"GLIBC_(\d+)\.(\d+)", path.read_bytes()):
                highest = max(highest, (int(major), int(minor)))
    return f"{highest[0]}.{highest[1]}"


# ---------------------------------------------------------------- .deb and desktop entry
DESKTOP_ENTRY = """[Desktop Entry]
Type=Application
Name=EcoDesk 生态环境工作台
Name[zh_CN]=EcoDesk 生态环境工作台
GenericName=生态环境工作台
Comment=指标、报告、计划清单和整改台账，一个本地数据库
Exec=/opt/ecodesk/ecodesk --db %f
Icon=ecodesk
Terminal=false
Categories=Office;
MimeType=application/x-ecodesk;
StartupWMClass=ecodesk
"""

MIME_XML = """<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="application/x-ecodesk">
    <comment>EcoDesk database</comment>
    <comment xml:lang="zh_CN">EcoDesk 数据库</comment>
    <glob pattern="*.ecodesk"/>
  </mime-type>
</mime-info>
"""


def make_deb(bundle: Path, version: str, arch: str, depends: Sequence[str], target: Path) -> Path:
    """A .deb installing the bundle into /opt/ecodesk, with menu entry, icon and MIME type."""
    with tempfile.TemporaryDirectory(prefix="ecodesk-deb-") as tmp:
        tree = Path(tmp) / "tree"
        shutil.copytree(bundle, tree / "opt" / "ecodesk", symlinks=True)
        apps = tree / "usr" / "share" / "applications"
        apps.mkdir(parents=True)
        (apps / "ecodesk.desktop").write_text(DESKTOP_ENTRY, encoding="utf-8")
        icon = tree / "usr" / "share" / "icons" / "hicolor" / "256x256" / "apps"
        icon.mkdir(parents=True)
        shutil.copy2(ROOT / "resources" / "icons" / "ecodesk.png", icon / "ecodesk.png")
        mime = tree / "usr" / "share" / "mime" / "packages"
        mime.mkdir(parents=True)
        (mime / "ecodesk.xml").write_text(MIME_XML, encoding="utf-8")
        bin_dir = tree / "usr" / "bin"
        bin_dir.mkdir(parents=True)
        (bin_dir / "ecodesk").symlink_to("/opt/ecodesk/ecodesk")
        (bin_dir / "ecodesk-cli").symlink_to("/opt/ecodesk/ecodesk-cli")
        size_kb = sum(p.stat().st_size for p in tree.rglob("*") if p.is_file()) // 1024
        control = tree / "DEBIAN"
        control.mkdir()
        (control / "control").write_text(
            f"Package: ecodesk\nVersion: {version}\nArchitecture: {arch}\n"
            f"Maintainer: EcoDesk team <ecodesk@localhost>\nInstalled-Size: {size_kb}\n"
            f"Depends: {', '.join(sorted(set(depends)))}\nSection: misc\nPriority: optional\n"
            "Description: EcoDesk 生态环境工作台\n"
            " Indicators, reports, plan checklists and a rectification ledger for county\n"
            " Ecology and Environment bureaus, in one local SQLite file.\n",
            encoding="utf-8",
        )
        # Refresh the menu and MIME caches where the tools exist (UOS and Kylin have them).
        (control / "postinst").write_text(
            "#!/bin/sh\nset -e\n"
            "command -v update-desktop-database >/dev/null && update-desktop-database -q || true\n"
            "command -v update-mime-database >/dev/null && "
            "update-mime-database /usr/share/mime || true\n"
        )
        (control / "postinst").chmod(0o755)
        target.parent.mkdir(parents=True, exist_ok=True)
        run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(tree), str(target)],
            f"dpkg-deb → {target.name}")  # fmt: skip
    return target


# ---------------------------------------------------------------- smoke in a bare root
def missing_libraries(root: Path, bundle_in_root: str) -> list[str]:
    """Shared libraries the bundle needs and the root lacks (ldd "not found"), deduplicated."""
    # The bootloader puts _internal on the library path, so ldd must look there too.
    script = (
        f"export LD_LIBRARY_PATH={bundle_in_root}/_internal; "
        f"find {bundle_in_root} -type f \\( -name '*.so*' -o -perm -u+x \\) | "
        "while read f; do ldd \"$f\" 2>/dev/null; done | grep 'not found' | sort -u"
    )
    output = subprocess.run(
        roots.in_root(root, ["sh", "-c", script]), capture_output=True, text=True, check=False
    ).stdout
    return sorted({line.split()[0] for line in output.splitlines() if line.strip()})


def smoke(run_root: Path, deb: Path) -> bool:
    """Bare bullseye root: list missing libraries, install the .deb with its dependencies,
    then self-test and CLI from /opt/ecodesk with no Python and no Qt on the system."""
    sys.path.insert(0, str(Path(__file__).parent))
    import build

    staging = run_root / "opt" / "ecodesk-staging"
    if staging.exists():
        shutil.rmtree(staging)
    run(["dpkg-deb", "-x", str(deb), str(staging)], "unpacked the .deb for ldd")
    missing = missing_libraries(run_root, "/opt/ecodesk-staging/opt/ecodesk")
    shutil.rmtree(staging)
    log(f"  bare bullseye root lacks {len(missing)} libraries: {' '.join(missing)}")
    unknown = [lib for lib in missing if lib not in SYSTEM_PACKAGES]
    if unknown:  # the .deb would install but the program would not start
        log(f"  ✗ not in the .deb's Depends: {' '.join(unknown)} (add to SYSTEM_PACKAGES)")
    has_python = subprocess.run(roots.in_root(run_root, ["sh", "-c", "command -v python3"]),
                                capture_output=True, check=False).returncode == 0  # fmt: skip
    log(f"  python3 in the root before install: {'yes' if has_python else 'no'}")
    script = (
        "export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && "
        f"apt-get install -y -qq --no-install-recommends {deb} >/dev/null && "
        "(command -v python3 || echo 'no python3') && "
        "(ls /usr/lib/*/libQt6Core* 2>/dev/null || echo 'no system Qt')"
    )
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy2(deb, Path(tmp) / deb.name)
        out = run(roots.in_root(run_root, ["sh", "-c", script.replace(str(deb), str(
            Path(tmp) / deb.name))]), "apt-get install ./ecodesk.deb in the bare root")  # fmt: skip
    log("  " + " / ".join(out.strip().splitlines()[-2:]))

    def wrap(command: list[str], env: dict[str, str]) -> list[str]:
        keep = {k: v for k, v in env.items() if k.startswith(("QT_", "ECODESK_"))}
        return roots.in_root(run_root, command, [Path(tempfile.gettempdir())], keep)

    passed = build.smoke(run_root / "opt" / "ecodesk", wrap=wrap, inside=Path("/opt/ecodesk"))
    return passed and not unknown


# ---------------------------------------------------------------- entry point
def main(args: object) -> int:
    sys.path.insert(0, str(Path(__file__).parent))
    from build import print_breakdown

    arch = str(getattr(args, "arch", "amd64"))
    with (ROOT / "pyproject.toml").open("rb") as handle:
        version = str(tomllib.load(handle)["project"]["version"])
    dist = ROOT / "dist" / f"linux-compat-{arch}"
    work = ROOT / "build" / f"linux-compat-{arch}"
    timings: dict[str, float] = {}
    started = time.perf_counter()
    roots_dir = roots.CACHE / "roots"
    build_root = roots.ensure_root(
        roots_dir / f"{SUITE}-build-{arch}", SUITE, BUILD_PACKAGES,
        None if arch == "amd64" else arch,
    )  # fmt: skip
    build_python(build_root)
    install_wheels(build_root, arch)
    timings["root + python + wheels"] = time.perf_counter() - started
    step = time.perf_counter()
    build_bundle(build_root, dist, work)
    timings["pyinstaller"] = time.perf_counter() - step
    bundle = dist / "ecodesk"
    print_breakdown(bundle)
    log(f"Highest glibc symbol version the bundle asks for: GLIBC_{glibc_needed(bundle)}")
    deb = make_deb(
        bundle, version, arch, DEB_DEPENDS,
        ROOT / "dist" / f"ecodesk_{version}_{arch}.deb",
    )  # fmt: skip
    log(f".deb: {deb.stat().st_size / MB:.1f} MB ({deb.relative_to(ROOT)})")
    passed = True
    if getattr(args, "smoke", False):
        step = time.perf_counter()
        run_root = roots.ensure_root(
            roots_dir / f"{SUITE}-run-{arch}", SUITE, (), None if arch == "amd64" else arch
        )
        fresh = roots_dir / f"{SUITE}-run-{arch}-test"
        if fresh.exists():
            shutil.rmtree(fresh)
        # The bare root stays bare. cp -a, not shutil.copytree: the root's /dev holds device
        # nodes, and copytree would read /dev/zero until the disk is full.
        subprocess.run(["cp", "-a", "--one-file-system", str(run_root), str(fresh)], check=True)
        passed = smoke(fresh, deb)
        shutil.rmtree(fresh)
        timings["smoke"] = time.perf_counter() - step
        log(f"Linux-compat smoke: {'passed' if passed else 'FAILED'}")
    timings["total"] = time.perf_counter() - started
    log("Times: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()))
    return 0 if passed else 1
