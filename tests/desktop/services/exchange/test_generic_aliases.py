"""Generic words are not aliases: "已完成整改" is any inspection's, "完成投资" any project's,
"罚款" a part of 罚没款. Such a row is only suggested, never matched silently — also in a
database made before those words left the shipped list (migration 10 copied the list into it).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from db import aliases
from db.connection import Database
from desktop.services.exchange.vocabulary import Vocabulary

GENERIC = [
    ("已完成整改", "cent_insp_done"),  # 举一反三, 省级督察 … are 已完成整改 too
    ("立行立改", "cent_insp_immediate"),
    ("整改中", "cent_insp_ongoing"),
    ("完成投资", "eco_invest"),  # any project's investment
    ("罚款", "fines"),  # 罚没款 is 罚款 and 没收
    ("办理案件", "cases"),  # 信访 cases are 办理 too
    ("出动人员", "enforce_staff"),
    ("其他类", "problems_other"),
    ("发现问题", "problems_found"),
    ("水功能区水质达标率", "water_section_compliance"),  # 水功能区 are not 断面
]


def _as_before(db: Database) -> None:
    """The rows migration 10 wrote into a database made with the old shipped list."""
    ids = dict(db.conn.execute("SELECT code, id FROM indicator").fetchall())
    with db.transaction() as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO indicator_alias (indicator_id, alias, origin, created_at) "
            "VALUES (?, ?, 'catalog', ?)",
            [(ids[code], word, datetime.now().isoformat()) for word, code in GENERIC],
        )


@pytest.mark.parametrize(("word", "code"), GENERIC)
def test_a_generic_word_is_only_suggested_even_in_an_older_database(
    empty_db: Database, word: str, code: str
) -> None:
    _as_before(empty_db)
    vocabulary = Vocabulary.from_db(empty_db)
    assert vocabulary.match(word) is None, "a generic word never matches silently"
    assert vocabulary.match(f"中央生态环境保护督察反馈问题{word}") is None or code.startswith(
        "cent_insp"
    )


def test_generic_words_are_suggested_with_their_likely_figure(empty_db: Database) -> None:
    vocabulary = Vocabulary.from_db(empty_db)
    for word, code in [("已完成整改", "cent_insp_done"), ("罚款金额", "fines")]:
        assert code in [s.indicator.code for s in vocabulary.suggest(word)], word


def test_an_older_database_reads_the_shipped_list_of_today(empty_db: Database) -> None:
    """Every catalog copy gone from the database: the shipped words still match (they are read
    from the list the program ships), and the office's own words are kept and win."""
    with empty_db.transaction() as conn:
        conn.execute("DELETE FROM indicator_alias WHERE origin = 'catalog'")
    vocabulary = Vocabulary.from_db(empty_db)
    found = vocabulary.match("罚没款金额")
    assert found is not None and found.code == "fines"

    _as_before(empty_db)
    assert aliases.remember_indicator_alias(empty_db, "ref_insp_done", "已完成整改")
    office = [a for a in aliases.indicator_aliases(empty_db) if a.alias == "已完成整改"]
    assert [(a.code, a.origin) for a in office] == [("ref_insp_done", "office")]
    found = Vocabulary.from_db(empty_db).match("已完成整改")
    assert found is not None and found.code == "ref_insp_done", "this office's word, confirmed"


def test_an_existing_database_file_made_before(tmp_path: Path) -> None:
    """The same through a database file closed and opened again, as an office's would be."""
    from db.connection import open_database

    path = tmp_path / "old.ecodesk"
    db = open_database(path, create=True)
    _as_before(db)
    db.close()
    db = open_database(path)
    try:
        assert Vocabulary.from_db(db).match("完成投资") is None
        assert Vocabulary.from_db(db).match("生态环境项目完成投资额") is not None
    finally:
        db.close()
