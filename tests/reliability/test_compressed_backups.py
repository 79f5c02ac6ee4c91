"""Backups compressed where it pays: a .zip holding the .ecodesk copy that restores every
figure, that retention counts by its size on disk, that 完整性检查 checks unpacked, that the
备份与恢复 dialog lists with its real size; and the plain backups of older versions still work."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from db import audit, backup, indicators, locks, values
from db.connection import Database
from db.errors import KnownError

#: Every table that holds what the office typed or imported (the audit log is checked apart).
_DATA = ("value", "target", "unit", "indicator", "problem", "plan_item", "report", "meta")


def _snapshot(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type='table'")}
    return {
        name: sorted(conn.execute(f"SELECT * FROM {name}").fetchall(), key=repr)
        for name in _DATA
        if name in tables
    }


def _plain_size(db: Database) -> int:
    """The size of a plain copy: the database's pages (most of the demo sits in its -wal)."""
    pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    return int(pages) * int(db.conn.execute("PRAGMA page_size").fetchone()[0])


def _scramble(db: Database) -> None:
    """Change a figure of every typed indicator of every unit and period the demo holds."""
    typed = {i.id for i in indicators.all_indicators(db) if not i.is_computed}
    locked = locks.locked_periods(db)
    rows = db.conn.execute(
        "SELECT unit_id, period, indicator_id, value FROM value WHERE value IS NOT NULL"
    ).fetchall()
    writes = [
        values.ValueWrite(unit, period, ind, float(value) + 1.0)
        for unit, period, ind, value in rows
        if ind in typed and (unit, period) not in locked
    ]
    assert len(writes) > 50
    values.write_values(db, writes)


def test_a_compressed_backup_restores_every_figure(demo_db: Database) -> None:
    before = _snapshot(demo_db.conn)
    made = backup.make_backup(demo_db, "manual")
    assert made is not None and made.compressed
    plain = _plain_size(demo_db)
    assert made.size < 0.5 * plain, "a database of figures packs to well under half"
    with zipfile.ZipFile(made.path) as archive:  # what a user unpacking it by hand gets
        [member] = archive.namelist()
        assert member == made.path.name.removesuffix(".zip") and archive.testzip() is None
    _scramble(demo_db)
    assert _snapshot(demo_db.conn)["value"] != before["value"]
    changes = len(audit.recent(demo_db, 10_000))

    backup.restore(demo_db, made.path)
    after = _snapshot(demo_db.conn)
    before["meta"] = [r for r in before["meta"] if r[0] != "change_stamp"]
    after["meta"] = [r for r in after["meta"] if r[0] != "change_stamp"]
    assert after == before, "every figure, target, unit and note as it was backed up"
    newest = audit.recent(demo_db, 1)[0]
    assert newest.action == "restore" and made.path.name in str(newest.new_value)
    assert len(audit.recent(demo_db, 10_000)) == changes + 1, "the later audit rows kept"


def test_an_unchanged_file_is_not_backed_up_again_whether_packed_or_not(
    demo_db: Database,
) -> None:
    old = backup.make_backup(demo_db, "manual", compress=False)  # as an older EcoDesk left it
    assert old is not None and not old.compressed
    assert backup.make_backup(demo_db, "close", only_if_changed=True) is None
    pm25 = indicators.indicator_by_code(demo_db, "pm25").id
    values.write_values(demo_db, [values.ValueWrite(1, "2030-Y", pm25, 9.0)])
    packed = backup.make_backup(demo_db, "close", only_if_changed=True)
    assert packed is not None and packed.compressed
    assert backup.make_backup(demo_db, "close", only_if_changed=True) is None, "read from the zip"
    listed = backup.list_backups(demo_db.path)
    assert [b.compressed for b in listed] == [True, False], "old plain backups still listed"
    assert backup.check_backup(old.path) == [] and backup.check_backup(packed.path) == []
    on_disk = sorted(p.name for p in packed.path.parent.iterdir())
    assert on_disk == sorted(b.path.name for b in listed), "no -wal/-shm or .part left beside"
    backup.restore(demo_db, old.path)  # an old plain backup restores as before
    assert audit.recent(demo_db, 1)[0].action == "restore"


def test_retention_by_size_counts_the_compressed_sizes(demo_db: Database) -> None:
    made = backup.make_backup(demo_db, "manual")
    assert made is not None and made.compressed
    now = datetime(2026, 11, 29, 18, 0, 0)
    for days in range(6):
        taken = now - timedelta(days=days)
        name = f"{demo_db.path.stem}-{taken:%Y%m%d-%H%M%S}-close.ecodesk.zip"
        shutil.copyfile(made.path, made.path.with_name(name))
    plain = _plain_size(demo_db)
    assert 4 * made.size < plain, "four packed copies fit where one plain copy would not"
    backup.prune(demo_db.path, keep=10, max_bytes=4 * made.size, now=now)
    kept = [b for b in backup.list_backups(demo_db.path) if b.reason == "close"]
    assert [b.taken_at for b in kept] == [now - timedelta(days=d) for d in range(4)]


def test_a_damaged_zip_is_named_and_refused_before_anything_changes(
    demo_db: Database, tmp_path: Path
) -> None:
    made = backup.make_backup(demo_db, "manual")
    assert made is not None
    data = bytearray(made.path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 2000] = b"\x00" * 2000
    damaged = tmp_path / "坏备份.ecodesk.zip"
    damaged.write_bytes(bytes(data))
    assert backup.check_backup(damaged), "完整性检查 reports it"
    before = values.value_count(demo_db)
    with pytest.raises(KnownError, match=r"“坏备份\.ecodesk\.zip”已损坏"):
        backup.restore(demo_db, damaged)
    assert values.value_count(demo_db) == before
    assert len(backup.list_backups(demo_db.path)) == 1, "no safety copy taken"
    stranger = tmp_path / "照片.zip"
    with zipfile.ZipFile(stranger, "w") as archive:
        archive.writestr("a.jpg", b"x")
    with pytest.raises(KnownError, match="不是 EcoDesk 的备份"):
        backup.restore(demo_db, stranger)


def test_the_dialog_shows_each_backups_real_size_and_checks_the_selected_one(
    demo_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui import backup_dialog

    plain = backup.make_backup(demo_db, "manual", compress=False)
    packed = backup.make_backup(demo_db, "manual")
    assert plain is not None and packed is not None
    shown: list[str] = []
    monkeypatch.setattr(
        backup_dialog.QMessageBox, "information", lambda _p, _t, text: shown.append(text)
    )
    dialog = backup_dialog.BackupDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = [dialog.list.item(n).text() for n in range(dialog.list.count())]
    assert len(texts) == 2
    for text, made in zip(texts, (packed, plain), strict=True):
        real = made.path.stat().st_size
        assert backup_dialog.size_text(real) in text, (text, real)
    assert "已压缩" in texts[0] and "已压缩" not in texts[1]
    assert backup_dialog.size_text(packed.size) != backup_dialog.size_text(plain.size)
    assert backup_dialog.size_text(446_464) == "436 KB"
    assert backup_dialog.size_text(67_000_000) == "63.9 MB"

    dialog.list.setCurrentRow(0)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "完整性检查通过" in shown[0] and f"所选备份“{packed.path.name}”也完好" in shown[0]


def test_a_compressed_backup_from_before_an_upgrade_is_migrated_and_restored(
    tmp_path: Path,
) -> None:
    from db.connection import open_database
    from db.migrations import MIGRATIONS, apply_pending
    from db.schema_version import LATEST_VERSION

    path = tmp_path / "old.ecodesk"
    conn = sqlite3.connect(path, isolation_level=None)
    apply_pending(conn, MIGRATIONS[:1])
    conn.execute("INSERT INTO meta (key, value) VALUES ('own_unit', '旧单位')")
    conn.close()
    db = open_database(path)  # migrates, leaving the plain *升级前* copy
    try:
        assert db.migration_backup is not None
        packed = tmp_path / "旧版本备份.ecodesk.zip"  # as a user zipped it by hand
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(db.migration_backup, "old.ecodesk")
        db.set_meta("own_unit", "新单位")
        backup.restore(db, packed)
        assert db.schema_version == LATEST_VERSION and db.meta("own_unit") == "旧单位"
        assert audit.recent(db, 1)[0].action == "restore"
    finally:
        db.close()
