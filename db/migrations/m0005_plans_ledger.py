"""Migration 5: plan checklists (计划清单) and the rectification ledger (整改台账).

A plan is a unit's year plan: a tree of groups and items of any depth, because the seeds' plans
nest two, three or four levels (一、 → （一） → 1. → （1）). Progress notes are their own rows so
that each keeps its date. A problem belongs to a unit and a batch (央督 "1+3+6", 举一反三 …);
the file itself refuses 已销号 without a closing date and a verification note, so no path into
the file can close a problem silently. Append-only: a later change is a new migration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.migrations.runner import run_script

if TYPE_CHECKING:
    import sqlite_utils

NAME = "计划清单与整改台账"

SCHEMA = """
CREATE TABLE plan (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES unit (id),
    year       INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    title      TEXT NOT NULL CHECK (trim(title) <> ''),
    created_at TEXT NOT NULL,
    UNIQUE (unit_id, year, title)
);

-- A group is an item with children; ``marker`` keeps the numbering as written (一、 （一） 1.).
CREATE TABLE plan_item (
    id           INTEGER PRIMARY KEY,
    plan_id      INTEGER NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    parent_id    INTEGER REFERENCES plan_item (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    marker       TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL CHECK (trim(text) <> ''),
    department   TEXT NOT NULL DEFAULT '',
    lead         TEXT NOT NULL DEFAULT '',
    -- An ISO date (2022-06-30) or one of 年底前 / 上半年 / 按序时.
    deadline     TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT '未开始'
                 CHECK (status IN ('未开始', '推进中', '已完成', '滞后', '取消')),
    progress     REAL CHECK (progress BETWEEN 0 AND 100),
    -- A quantitative target: the item's progress is then computed from the indicator store.
    indicator_id INTEGER REFERENCES indicator (id),
    target_op    TEXT CHECK (target_op IN ('>=', '<=')),
    target_value REAL,
    CHECK ((indicator_id IS NULL) = (target_value IS NULL))
);
CREATE INDEX plan_item_plan ON plan_item (plan_id, parent_id, position);

CREATE TABLE plan_note (
    id      INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES plan_item (id) ON DELETE CASCADE,
    day     TEXT NOT NULL,
    text    TEXT NOT NULL CHECK (trim(text) <> '')
);
CREATE INDEX plan_note_item ON plan_note (item_id, day);

CREATE TABLE problem (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES unit (id),
    source       TEXT NOT NULL CHECK (source IN (
                     '中央生态环境保护督察（第一轮）', '中央生态环境保护督察（第二轮）',
                     '省级生态环境保护督察', '举一反三', '信访交办', '警示片', '七张问题清单',
                     '其他')),
    batch        TEXT NOT NULL CHECK (trim(batch) <> ''),
    seq          INTEGER NOT NULL CHECK (seq > 0),
    -- The year the problem was assigned: 年底前 in its deadline means that year's 31 December.
    year         INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    description  TEXT NOT NULL CHECK (trim(description) <> ''),
    category     TEXT NOT NULL DEFAULT '其他' CHECK (category IN ('涉水', '涉气', '涉废', '其他')),
    responsible  TEXT NOT NULL DEFAULT '',
    deadline     TEXT NOT NULL DEFAULT '',
    measures     TEXT NOT NULL DEFAULT '',
    progress     TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT '整改中'
                 CHECK (status IN ('整改中', '已完成整改', '立行立改', '长期坚持', '已销号')),
    closed_on    TEXT,
    verification TEXT NOT NULL DEFAULT '',
    CHECK (status <> '已销号' OR (closed_on IS NOT NULL AND trim(verification) <> '')),
    UNIQUE (unit_id, batch, seq)
);
"""


def apply(db: sqlite_utils.Database) -> None:
    run_script(db, SCHEMA)
