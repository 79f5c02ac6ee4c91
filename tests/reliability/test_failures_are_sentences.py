"""Every failure of the disk or the file is a sentence, and leaves nothing half-done.

A full disk is simulated with ``PRAGMA max_page_count`` (the file may not grow), a migration
backup on a full disk through the seam its copy is written by; a read-only folder by running the
reader as another user (tests run as root, for whom permissions do not bind).
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from db import connection, units
from db.connection import Database, open_database
from db.errors import CorruptDatabase, DiskFull, KnownError, NotEcoDeskDatabase, as_known, explain
from db.indicators import indicator_by_code
from db.migrations import MIGRATIONS, apply_pending
from db.periods import Period
from db.schema_version import LATEST_VERSION
from db.values import ValueWrite, write_values
from desktop.services.common.workbook import WorkbookError
from desktop.services.exchange.export import Selection, export_workbook
from desktop.services.exchange.importing import dry_run_file
from desktop.services.exchange.judging import commit_dry_run

ROOT = Path(__file__).resolve().parents[2]
P = Period.parse("2022-YTD10")
ISLAND = "330300-01"


def _fill_the_disk(db: Database) -> None:
    pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    db.conn.execute(f"PRAGMA max_page_count = {pages}")


def _values(db: Database) -> list[tuple[object, ...]]:
    return db.conn.execute("SELECT * FROM value ORDER BY 1, 2, 3").fetchall()


def test_a_full_disk_during_an_import_is_a_sentence_and_writes_nothing(
    demo_db: Database, tmp_path: Path
) -> None:
    island = units.unit_by_code(demo_db, ISLAND)
    path = tmp_path / "返回.xlsx"
    export_workbook(demo_db, Selection([island.id], [P]), path)
    book = load_workbook(path)
    ws = book.worksheets[0]
    for row in range(5, ws.max_row + 1):
        figure = ws.cell(row=row, column=4)
        if isinstance(figure.value, float | int) and not figure.style.endswith("_grey"):
            ws.cell(row=row, column=8, value="现场巡查" * 2500)  # H: 备注
    book.save(path)
    dry_run = dry_run_file(demo_db, path)
    assert dry_run.accepted
    before = _values(demo_db)
    _fill_the_disk(demo_db)
    with pytest.raises(DiskFull) as refused:
        commit_dry_run(demo_db, dry_run, path.name)
    assert "磁盘空间不足" in refused.value.message and "没有保存" in refused.value.message
    assert refused.value.hint
    assert not demo_db.conn.in_transaction
    assert _values(demo_db) == before, "nothing of the import was written"
    demo_db.conn.execute("PRAGMA max_page_count = 1073741823")
    assert commit_dry_run(demo_db, dry_run, path.name) == len(dry_run.accepted)


def test_a_full_disk_inside_a_nested_change_is_not_no_such_savepoint(demo_db: Database) -> None:
    island = units.unit_by_code(demo_db, ISLAND)
    pm25 = indicator_by_code(demo_db, "pm25").id
    writes = [ValueWrite(island.id, f"2010-M{m}", pm25, 1.0, "巡" * 30_000) for m in range(1, 13)]
    before = _values(demo_db)
    _fill_the_disk(demo_db)
    with pytest.raises(DiskFull), demo_db.transaction():
        write_values(demo_db, writes)  # a savepoint inside the outer transaction
    assert _values(demo_db) == before and not demo_db.conn.in_transaction


def test_known_failures_of_the_environment_read_as_sentences() -> None:
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13  # type: ignore[attr-defined]
    assert "磁盘空间不足" in explain(full)
    assert "磁盘空间不足" in explain(OSError(errno.ENOSPC, "No space left on device"))
    assert "只读" in explain(OSError(errno.EROFS, "Read-only file system"))
    busy = sqlite3.OperationalError("database is locked")
    busy.sqlite_errorcode = 5  # type: ignore[attr-defined]
    assert "正被另一个程序占用" in explain(busy)
    assert as_known(ValueError("a bug")) is None and explain(ValueError("x")) == "x"


def _old_file(path: Path) -> Path:
    conn = sqlite3.connect(path, isolation_level=None)
    apply_pending(conn, MIGRATIONS[:1])
    conn.execute("INSERT INTO meta (key, value) VALUES ('own_unit', 'X')")
    conn.close()
    return path


def test_a_migration_backup_on_a_full_disk_leaves_no_copy_and_no_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _old_file(tmp_path / "old.ecodesk")
    # What earlier versions left on a full disk: a 0-byte copy, and a kill left a partial one.
    (tmp_path / "old.v1-升级前-20260101-080000.ecodesk").write_bytes(b"")
    (tmp_path / "old.v1-升级前-20260101-090000.ecodesk.part").write_bytes(b"SQLite")

    def no_space(target: Path) -> sqlite3.Connection:
        dest = sqlite3.connect(target)
        dest.execute("PRAGMA max_page_count = 2")
        return dest

    monkeypatch.setattr(connection, "_copy_target", no_space)
    with pytest.raises(KnownError) as refused:
        open_database(path)
    assert "升级数据结构前未能备份“old.ecodesk”" in refused.value.message
    assert "磁盘空间不足" in refused.value.message and refused.value.hint
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.ecodesk", "old.ecodesk.lock"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1, "not migrated"
    conn.close()
    monkeypatch.undo()
    db = open_database(path)
    try:
        assert db.schema_version == LATEST_VERSION and db.migration_backup is not None
    finally:
        db.close()


def test_a_corrupt_file_opened_read_only_is_a_sentence(demo_db: Database) -> None:
    path = demo_db.path
    demo_db.close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page is gone
    path.write_bytes(bytes(data))
    for read_only in (True, False):
        with pytest.raises(CorruptDatabase, match="已损坏"):
            open_database(path, read_only=read_only)


def test_a_zero_byte_file_is_refused_not_made_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "拷贝中断.ecodesk"
    path.write_bytes(b"")
    with pytest.raises(NotEcoDeskDatabase, match="空文件（0 字节）"):
        open_database(path)
    assert path.stat().st_size == 0, "left as it was"
    open_database(path, create=True).close()  # 新建 over an empty file is what the user asked


def test_a_damaged_ecodesk_sheet_names_itself(demo_db: Database, tmp_path: Path) -> None:
    island = units.unit_by_code(demo_db, ISLAND)
    for damage in ("{not json", '{"default": {}}', '{"sheet": "x", "rows": {"a": {}}}'):
        path = tmp_path / "坏.xlsx"
        export_workbook(demo_db, Selection([island.id], [P]), path)
        book = load_workbook(path)
        book["_ecodesk"]["B2"] = damage
        book.save(path)
        with pytest.raises(WorkbookError, match="隐藏工作表“_ecodesk”在 B2 处已损坏"):
            dry_run_file(demo_db, path)


# ------------------------------------------------------------------ read-only means current
_READ_PM10 = """
    import sys
    from db.connection import open_database
    from db.indicators import indicator_by_code
    db = open_database(sys.argv[1])
    pm10 = indicator_by_code(db, "pm10").id
    value = db.conn.execute(
        "SELECT value FROM value WHERE indicator_id = ? AND period = '2030-M1'", (pm10,)
    ).fetchone()
    print(db.read_only, value[0] if value else None, db.read_only_reason, sep="|")
    db.close()
"""
_WRITE_AND_DIE = """
    import os, sys
    from db.connection import open_database
    from db.indicators import indicator_by_code
    from db.values import ValueWrite, write_values
    db = open_database(sys.argv[1])
    db.conn.execute("PRAGMA wal_autocheckpoint = 0")
    pm10 = indicator_by_code(db, "pm10").id
    write_values(db, [ValueWrite(1, "2030-M1", pm10, 26.0)])
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    write_values(db, [ValueWrite(1, "2030-M1", pm10, 21.0)])
    os._exit(0)  # the last commit stays in the -wal, as after a crash or a copy mid-session
"""


@pytest.fixture
def read_only_folder(demo_db: Database) -> Iterator[Path]:
    """The demo in a folder other users may read but not write, its last commit in the -wal."""
    if sys.platform == "win32" or shutil.which("setpriv") is None or os.geteuid() != 0:
        pytest.skip("needs root and setpriv to read as another user")
    folder = Path(tempfile.mkdtemp(prefix="ecodesk-ro-"))
    path = folder / "demo.ecodesk"
    demo_db.close()
    shutil.copyfile(demo_db.path, path)
    subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_WRITE_AND_DIE), str(path)],
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    path.with_name(path.name + "-shm").unlink()
    assert path.with_name(path.name + "-wal").stat().st_size > 0
    for item in folder.iterdir():
        item.chmod(0o444)
    folder.chmod(0o555)
    try:
        yield path
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def test_a_read_only_folder_shows_the_last_commit_not_stale_figures(read_only_folder: Path) -> None:
    done = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c",
         textwrap.dedent(_READ_PM10), str(read_only_folder)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "HOME": tempfile.gettempdir()},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-1500:]
    read_only, value, reason = done.stdout.strip().split("|")
    assert read_only == "True" and "不可写" in reason
    assert float(value) == 21.0, "the figure of the last commit, not the one before it"
    assert "最近的修改" in reason
    assert not list(Path(tempfile.gettempdir()).glob("ecodesk-只读-*")), "snapshot removed"


def test_the_page_says_a_full_disk_and_not_preview_done(
    demo_db: Database, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import Qt

    from desktop.ui import exchange_page
    from desktop.ui.main_window import MainWindow

    island = units.unit_by_code(demo_db, ISLAND)
    path = tmp_path / "返回.xlsx"
    export_workbook(demo_db, Selection([island.id], [P]), path)
    book = load_workbook(path)
    ws = book.worksheets[0]
    for row in range(5, ws.max_row + 1):
        figure = ws.cell(row=row, column=4)
        if isinstance(figure.value, float | int) and not figure.style.endswith("_grey"):
            ws.cell(row=row, column=8, value="现场巡查" * 2500)
    book.save(path)
    boxes: list[str] = []
    monkeypatch.setattr(
        exchange_page.QMessageBox, "warning", lambda _parent, _title, text: boxes.append(text)
    )
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    window.context_bar.set_context(island.id, P)
    page = window.exchange_page()
    assert isinstance(page, exchange_page.ExchangePage)
    page.preview(path)
    qtbot.waitUntil(lambda: page.commit_button.isEnabled(), timeout=10_000)
    before = _values(demo_db)
    _fill_the_disk(demo_db)
    qtbot.mouseClick(page.commit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(boxes), timeout=10_000)
    assert "磁盘空间不足" in boxes[0]
    assert "预览完成" not in window.message.text()
    assert "导入未完成" in window.message.text() and "磁盘空间不足" in window.message.text()
    assert _values(demo_db) == before
    window.close()
