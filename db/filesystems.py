"""Is the database on a network share? Offices keep it on a 共享盘 (SMB) or a mapped drive.

SQLite's WAL mode keeps its index in shared memory (the ``-shm`` file mapped by every reader),
which does not work between PCs: on a share, two PCs could each believe they see the newest
data. So a database on a network file system runs with ``journal_mode=DELETE`` (a rollback
journal, locking through the file system) and the one-writer lock of ``db.instance_lock``; if
that file system cannot lock at all, the database opens read-only and says so.

How a share is recognised:

- Windows: a UNC path (``\\\\server\\share\\…``, ``\\\\?\\UNC\\server\\share\\…``) or a drive
  letter that ``GetDriveTypeW`` reports as ``DRIVE_REMOTE`` (a mapped network drive).
- Linux: the ``f_type`` magic number ``statfs(2)`` reports (NFS, SMB, CIFS, SMB2, Ceph, AFS,
  9P, …); for FUSE file systems, which share one magic number, the type in
  ``/proc/self/mounts`` of the longest mount point above the file (``fuse.sshfs``,
  ``fuse.gvfsd-fuse`` — how the 信创 desktops mount SMB shares — are remote; ``fuse.ntfs-3g``
  is not).
- macOS and anything where the call fails: treated as local (the lock still guards writers).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

#: statfs ``f_type`` magic numbers of network file systems (linux/magic.h and the file systems'
#: own headers).
NETWORK_MAGIC: dict[int, str] = {
    0x6969: "NFS",
    0x517B: "SMB",
    0xFF534D42: "CIFS",
    0xFE534D42: "SMB2",
    0x00C36400: "Ceph",
    0x5346414F: "AFS",
    0x6B414653: "AFS",  # kAFS
    0x01021997: "9P",
    0x73757245: "Coda",
    0x0BD00BD0: "Lustre",
    0x01161970: "GFS2",
    0x7461636F: "OCFS2",
    0x47504653: "GPFS",
}
FUSE_MAGIC = 0x65735546
#: Mount types (``/proc/self/mounts``) of network file systems, FUSE ones included.
NETWORK_MOUNT_TYPES = {
    "nfs": "NFS",
    "nfs4": "NFS",
    "cifs": "CIFS",
    "smb3": "SMB",
    "smbfs": "SMB",
    "ceph": "Ceph",
    "9p": "9P",
    "afs": "AFS",
    "glusterfs": "GlusterFS",
    "fuse.sshfs": "SSHFS",
    "fuse.gvfsd-fuse": "GVFS",
    "fuse.smbnetfs": "SMB",
    "fuse.glusterfs": "GlusterFS",
    "fuse.rclone": "rclone",
    "fuse.davfs": "WebDAV",
    "davfs": "WebDAV",
    "fuse.s3fs": "S3",
    "fuse.cephfs": "Ceph",
}
DRIVE_REMOTE = 4


@dataclass(frozen=True)
class Location:
    """Where a file lives: ``network`` True on a share, ``kind`` naming it (for the status bar)."""

    network: bool
    kind: str = ""

    @property
    def label(self) -> str:
        return f"共享盘（{self.kind}）" if self.network else ""


LOCAL = Location(False)


def is_unc(text: str) -> bool:
    """True for ``\\\\server\\share``, ``//server/share`` and ``\\\\?\\UNC\\server\\share``;
    False for device and long local paths (``\\\\?\\C:\\…``, ``\\\\.\\…``)."""
    normal = text.replace("/", "\\")
    if normal.upper().startswith("\\\\?\\UNC\\"):
        return True
    if normal.startswith(("\\\\?\\", "\\\\.\\")):
        return False
    return normal.startswith("\\\\") and len(normal) > 2 and normal[2] != "\\"


def classify(path: Path) -> Location:
    """Where ``path`` (a file that may not exist yet: its folder counts) lives."""
    text = str(path)
    if is_unc(text):
        return Location(True, "UNC")
    if sys.platform == "win32":
        return _windows_drive(text)
    if sys.platform.startswith("linux"):
        return _linux(path)
    return LOCAL


def _windows_drive(text: str) -> Location:
    drive = PureWindowsPath(Path(text).absolute()).drive
    if not drive:
        return LOCAL
    import ctypes

    try:
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        kind = int(kernel32.GetDriveTypeW(ctypes.c_wchar_p(drive + "\\")))
    except (AttributeError, OSError):
        return LOCAL
    return Location(True, f"映射网络驱动器 {drive}") if kind == DRIVE_REMOTE else LOCAL


def _existing(path: Path) -> Path:
    """``path`` or the nearest folder above it that exists."""
    path = path.absolute()
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def _linux(path: Path) -> Location:
    target = _existing(path)
    magic = statfs_type(target)
    if magic is not None and magic in NETWORK_MAGIC:
        return Location(True, NETWORK_MAGIC[magic])
    if magic is None or magic == FUSE_MAGIC:
        try:
            mounts = Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return LOCAL
        return classify_mount(mount_type(mounts, target))
    return LOCAL


def classify_magic(magic: int, mount: str = "") -> Location:
    """A statfs magic number (and the mount type, for FUSE) → where the file lives."""
    if magic in NETWORK_MAGIC:
        return Location(True, NETWORK_MAGIC[magic])
    if magic == FUSE_MAGIC:
        return classify_mount(mount)
    return LOCAL


def classify_mount(mount: str) -> Location:
    kind = NETWORK_MOUNT_TYPES.get(mount)
    return Location(True, kind) if kind else LOCAL


def mount_type(mounts: str, path: Path) -> str:
    """The type of the mount in ``/proc/self/mounts`` text with the longest point above ``path``."""
    best, kind = -1, ""
    text = str(path)
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")
        inside = text == point or text.startswith(point.rstrip("/") + "/")
        if inside and len(point) > best:
            best, kind = len(point), fields[2]
    return kind


def statfs_type(path: Path) -> int | None:
    """``f_type`` of ``statfs(2)`` for ``path``, or None where the call is not available.

    libc is reached through the process's own symbols (``CDLL(None)``): Python has it loaded
    already, and ``ctypes.util.find_library`` would start ``ldconfig`` on every open.
    """
    import ctypes  # here, not at the top: nothing else on the way to the first window needs it

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        statfs = libc.statfs
    except (OSError, AttributeError, TypeError):
        return None
    buffer = ctypes.create_string_buffer(256)  # struct statfs is 120 bytes on 64-bit Linux
    if statfs(os.fsencode(path), buffer) != 0:
        return None
    # f_type is the first member, a native long (__fsword_t); magic numbers are unsigned 32-bit.
    return ctypes.c_long.from_buffer(buffer).value & 0xFFFFFFFF
