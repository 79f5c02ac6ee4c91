"""Migration 6: reports (工作总结 / 工作计划 …) as outline trees, with full-text search.

A report belongs to a unit and a year; its body is a tree of nodes, one per numbered heading
(一、 → （一） → 1. → （1）), each holding its heading and its paragraphs. ``period`` is the
period the report's figures speak of (2022-YTD10 for a summary written in November): figure
fields in the text that name no period are read from the store for it.

Figure fields are written inside the text itself (``{{air_good_rate}}``, see
``desktop.services.reports.blanks``) rather than in a table of (node, offset) bindings, because an
edit anywhere in a paragraph would silently shift such offsets; a token moves with its words.

Search uses an external-content FTS5 table with the trigram tokenizer: Chinese has no spaces
to split words at, and trigrams find any substring of three characters or more without a
dictionary. Triggers keep the index in step with every write path. Append-only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.migrations.runner import run_script

if TYPE_CHECKING:
    import sqlite_utils

NAME = "工作报告"

SCHEMA = """
CREATE TABLE report (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES unit (id),
    year       INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    kind       TEXT NOT NULL DEFAULT '其他'
               CHECK (kind IN ('工作总结', '工作计划', '工作要点', '工作思路', '其他')),
    title      TEXT NOT NULL CHECK (trim(title) <> ''),
    -- The period figure fields default to, as a code (2022-YTD10); '' means the whole year.
    period     TEXT NOT NULL DEFAULT '',
    -- Where the text came from (a file name), for the audit log and the user.
    source     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX report_unit_year ON report (unit_id, year);

-- level 0 is an unnumbered part heading (003's "2022年工作要点"), 1 is 一、, 2 （一）, 3 1.,
-- 4 （1）; the preamble before the first heading is a node with an empty heading.
-- run_in: the heading runs into its first paragraph ("1.推进蓝天保卫。开展…"), as printed.
CREATE TABLE report_node (
    id        INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES report (id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES report_node (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    level     INTEGER NOT NULL CHECK (level BETWEEN 0 AND 6),
    marker    TEXT NOT NULL DEFAULT '',
    heading   TEXT NOT NULL DEFAULT '',
    body      TEXT NOT NULL DEFAULT '',
    run_in    INTEGER NOT NULL DEFAULT 0 CHECK (run_in IN (0, 1))
);
CREATE INDEX report_node_tree ON report_node (report_id, parent_id, position);

CREATE VIRTUAL TABLE report_fts USING fts5 (
    heading, body, content = 'report_node', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER report_node_fts_insert AFTER INSERT ON report_node BEGIN
    INSERT INTO report_fts (rowid, heading, body) VALUES (NEW.id, NEW.heading, NEW.body);
END;
CREATE TRIGGER report_node_fts_delete AFTER DELETE ON report_node BEGIN
    INSERT INTO report_fts (report_fts, rowid, heading, body)
    VALUES ('delete', OLD.id, OLD.heading, OLD.body);
END;
CREATE TRIGGER report_node_fts_update AFTER UPDATE OF heading, body ON report_node BEGIN
    INSERT INTO report_fts (report_fts, rowid, heading, body)
    VALUES ('delete', OLD.id, OLD.heading, OLD.body);
    INSERT INTO report_fts (rowid, heading, body) VALUES (NEW.id, NEW.heading, NEW.body);
END;
"""


def apply(db: sqlite_utils.Database) -> None:
    run_script(db, SCHEMA)
