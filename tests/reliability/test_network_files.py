"""Network files detected: the path classifier with the real statfs magic numbers, mount tables
and UNC forms, and what a database on a share runs with.

Not testable here: a real SMB/NFS mount (the container cannot mount one) and Windows'
GetDriveTypeW (this runs on Linux); the classifier's inputs are what those calls return.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

import pytest
from pytestqt.qtbot import QtBot

from db import filesystems
from db.connection import Database, open_database, sqlite_uri
from db.errors import KnownError
from db.filesystems import Location, classify, classify_magic, is_unc, mount_type

# Values of f_type as statfs(2) returns them (linux/magic.h, fs/smb/client/cifsglob.h).
REAL_MAGIC = {
    0x6969: "NFS",
    0xFF534D42: "CIFS",
    0xFE534D42: "SMB2",
    0x517B: "SMB",
    0x01021997: "9P",
}
LOCAL_MAGIC = {0xEF53: "ext4", 0x58465342: "xfs", 0x9123683E: "btrfs", 0x01021994: "tmpfs"}

MOUNTS = r"""/dev/sda2 / ext4 rw,relatime 0 0
//fileserver/生态环境局 /mnt/共享盘 cifs rw,vers=3.0 0 0
fileserver:/export /srv/nfs nfs4 rw 0 0
user@host:/data /home/kylin/远程\040数据 fuse.sshfs rw 0 0
gvfsd-fuse /run/user/1000/gvfs fuse.gvfsd-fuse rw 0 0
/dev/sdb1 /media/kylin/U盘 fuseblk rw 0 0
/dev/sdc1 /mnt/共享盘/本地子盘 ext4 rw 0 0
"""


@pytest.mark.parametrize("magic,kind", REAL_MAGIC.items())
def test_network_magic_numbers_are_network(magic: int, kind: str) -> None:
    assert classify_magic(magic) == Location(True, kind)


@pytest.mark.parametrize("magic", LOCAL_MAGIC)
def test_local_magic_numbers_are_local(magic: int) -> None:
    assert not classify_magic(magic).network


def test_fuse_is_told_apart_by_its_mount_type() -> None:
    assert classify_magic(filesystems.FUSE_MAGIC, "fuse.sshfs").network
    assert classify_magic(filesystems.FUSE_MAGIC, "fuse.gvfsd-fuse").kind == "GVFS"
    assert not classify_magic(filesystems.FUSE_MAGIC, "fuseblk").network  # NTFS on a U 盘


@pytest.mark.parametrize(
    "path,kind",
    [
        ("/mnt/共享盘/数据/eco.ecodesk", "cifs"),
        ("/mnt/共享盘/本地子盘/eco.ecodesk", "ext4"),  # the longest mount point wins
        ("/mnt/共享盘", "cifs"),
        ("/mnt/共享盘x/eco.ecodesk", "ext4"),  # a prefix of the name is not the folder
        ("/srv/nfs/a.ecodesk", "nfs4"),
        ("/home/kylin/远程 数据/a.ecodesk", "fuse.sshfs"),  # \040 is a space
        ("/run/user/1000/gvfs/smb-share:server=fs,share=eco/a.ecodesk", "fuse.gvfsd-fuse"),
        ("/media/kylin/U盘/a.ecodesk", "fuseblk"),
    ],
)
def test_the_mount_table_is_read_by_longest_prefix(path: str, kind: str) -> None:
    assert mount_type(MOUNTS, Path(path)) == kind


@pytest.mark.parametrize(
    "text,unc",
    [
        (r"\\fileserver\生态环境局\eco.ecodesk", True),
        ("//fileserver/share/eco.ecodesk", True),
        (r"\\?\UNC\fileserver\share\eco.ecodesk", True),
        (r"\\?\C:\数据\eco.ecodesk", False),
        (r"\\.\PhysicalDrive0", False),
        (r"C:\数据\eco.ecodesk", False),
        ("/home/kylin/eco.ecodesk", False),
    ],
)
def test_unc_forms(text: str, unc: bool) -> None:
    assert is_unc(text) is unc
    if unc:
        assert classify(Path(text)).network


def test_this_machines_temp_folder_is_local_and_statfs_answers(tmp_path: Path) -> None:
    magic = filesystems.statfs_type(tmp_path)
    assert magic is not None and magic not in filesystems.NETWORK_MAGIC
    assert not classify(tmp_path / "新建.ecodesk").network


@pytest.fixture
def on_a_share(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    """A database the classifier says is on an SMB share (as statfs would on a real mount)."""
    path = tmp_path / "共享.ecodesk"
    open_database(path, create=True).close()  # made locally first: its journal is WAL
    monkeypatch.setattr(filesystems, "classify", lambda _path: Location(True, "SMB2"))
    return open_database(path)


def test_a_database_on_a_share_uses_a_rollback_journal(on_a_share: Database) -> None:
    db = on_a_share
    try:
        assert db.location.network and db.location.label == "共享盘（SMB2）"
        assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        db.set_meta("own_unit", "x")
        assert not db.path.with_name(db.path.name + "-wal").exists()
    finally:
        db.close()


def test_the_status_bar_says_shared_drive(on_a_share: Database, qtbot: QtBot) -> None:
    from desktop.ui.main_window import MainWindow

    window = MainWindow(on_a_share)
    qtbot.addWidget(window)
    window.show()
    assert "共享盘（SMB2）" in window.state_label.text()
    assert "同一时间只有一人可以修改" in window.state_label.toolTip()
    window.close()
    on_a_share.close()


@pytest.mark.parametrize(
    "path,uri",
    [
        (
            PureWindowsPath(r"\\fileserver\共享\eco.ecodesk"),
            "file:////fileserver/%E5%85%B1%E4%BA%AB/eco.ecodesk",
        ),
        (PureWindowsPath(r"C:\数据\eco.ecodesk"), "file:///C:/%E6%95%B0%E6%8D%AE/eco.ecodesk"),
        (
            PurePosixPath("/srv/共享 盘/a#1.ecodesk"),
            "file:///srv/%E5%85%B1%E4%BA%AB%20%E7%9B%98/a%231.ecodesk",
        ),
    ],
)
def test_uris_sqlite_accepts_for_shares_and_local_files(path: PurePath, uri: str) -> None:
    # SQLite refuses a URI authority other than localhost: a UNC server goes into the path.
    assert sqlite_uri(path) == uri


def test_a_uri_opens_the_file_read_only(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "共享 盘#1.ecodesk"
    open_database(path, create=True).close()
    conn = sqlite3.connect(sqlite_uri(path) + "?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] != 0
    finally:
        conn.close()


_OTHER_PC = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")  # as an older EcoDesk opened every file
conn.execute("UPDATE meta SET value = '另一台电脑刚写的' WHERE key = 'own_unit'")
print("go", flush=True)
sys.stdin.readline()  # keeps the file open in WAL mode until told to close
conn.close()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="the other PC is a child process here")
def test_a_share_another_pc_holds_in_wal_mode_opens_read_only_with_current_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    from desktop.ui.main_window import MainWindow

    path = tmp_path / "共享.ecodesk"
    db = open_database(path, create=True)
    db.set_meta("own_unit", "本机写的")
    db.close()
    other = subprocess.Popen(
        [sys.executable, "-c", _OTHER_PC, str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert other.stdout is not None and other.stdin is not None
        assert other.stdout.readline().strip() == "go"
        assert path.with_name(path.name + "-wal").stat().st_size > 0, "its commit is in -wal"
        monkeypatch.setattr(filesystems, "classify", lambda _path: Location(True, "SMB2"))
        shared = open_database(path)
        try:
            assert shared.read_only
            assert "另一台电脑仍以旧方式（WAL）打开着此文件" in shared.read_only_reason
            assert "请对方关闭 EcoDesk" in shared.read_only_reason
            assert shared.meta("own_unit") == "另一台电脑刚写的", "current, not stale"
            with pytest.raises(KnownError, match="只读"):
                shared.set_meta("own_unit", "x")
            window = MainWindow(shared)
            qtbot.addWidget(window)
            assert "另一台电脑仍以旧方式" in window.state_label.toolTip()
            window.close()
        finally:
            shared.close()
        other.communicate("\n", timeout=30)  # the other PC closes EcoDesk
    finally:
        other.kill()
        other.communicate()
    reopened = open_database(path)  # the other PC closed it: writable, rollback journal
    try:
        assert not reopened.read_only
        assert reopened.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert reopened.meta("own_unit") == "另一台电脑刚写的"
    finally:
        reopened.close()
