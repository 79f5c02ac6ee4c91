"""Debian roots for building and testing where this machine's own system does not fit.

Two targets need another system than the build machine's:

* the Windows build is smoke-tested with Debian trixie's wine 10 (bookworm's wine 8 lacks
  ``bcryptprimitives.dll``, which python-calamine's Rust code imports, and cannot open a Qt
  window), so wine runs inside a trixie root;
* the Linux bundle for 信创 desktops must run on glibc 2.31, so it is built inside a Debian
  bullseye root and proven inside a second, bare bullseye root (no Python, no Qt).

A root is made once with ``debootstrap`` into the build cache (never into the repository) and
reused. Commands run in it through ``chroot`` inside a private mount namespace (``unshare -m``),
so the bind mounts of /proc, /dev, /tmp and the given host folders vanish with the command and
never show up on the host. Needs root, ``debootstrap`` and util-linux's ``unshare``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

MIRROR = os.environ.get("ECODESK_DEBIAN_MIRROR", "http://deb.debian.org/debian")
CACHE = Path(os.environ.get("ECODESK_BUILD_CACHE", Path.home() / ".cache" / "ecodesk-build"))


def ensure_root(
    path: Path, suite: str, packages: Sequence[str] = (), arch: str | None = None
) -> Path:
    """Make a minimal Debian root of ``suite`` at ``path`` unless it is already there."""
    stamp = path / ".ecodesk-root"
    wanted = f"{suite} {arch or ''} {' '.join(sorted(packages))}\n"
    if stamp.exists() and stamp.read_text() == wanted:
        return path
    if shutil.which("debootstrap") is None:
        raise SystemExit("debootstrap is missing: apt-get install debootstrap")
    if path.exists():
        shutil.rmtree(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    command = ["debootstrap", "--variant=minbase"]
    if packages:
        command.append("--include=" + ",".join(packages))
    if arch:
        command.append(f"--arch={arch}")
    command += [suite, str(path), MIRROR]
    started = time.perf_counter()
    print(f"$ {' '.join(command)}", flush=True)
    log = path.parent / f"{path.name}.debootstrap.log"
    with log.open("w") as out:
        if subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=False).returncode:
            raise SystemExit(f"debootstrap failed, see {log}")
    stamp.write_text(wanted)
    print(f"  {suite} root ready in {time.perf_counter() - started:.0f} s: {path}")
    return path


_IN_ROOT = """
root=$0
for d in proc dev tmp; do mkdir -p "$root/$d"; done
mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" && mount --bind /tmp "$root/tmp"
while [ "$1" != "--" ]; do mkdir -p "$root$1" && mount --bind "$1" "$root$1"; shift; done
shift
exec chroot "$root" "$@"
"""


def in_root(
    root: Path,
    command: Sequence[str],
    binds: Sequence[Path] = (),
    env: Mapping[str, str] | None = None,
) -> list[str]:
    """The command line that runs ``command`` inside ``root``, host ``binds`` at the same paths.

    ``env`` is passed with ``env -i`` so nothing of the host's environment leaks in.
    """
    environment = ["env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG=C.UTF-8"]
    environment += [f"{key}={value}" for key, value in (env or {}).items()]
    folders = [str(Path(b).resolve()) for b in binds]
    return ["unshare", "-m", "sh", "-c", _IN_ROOT, str(root), *folders, "--", *environment,
            *command]  # fmt: skip
