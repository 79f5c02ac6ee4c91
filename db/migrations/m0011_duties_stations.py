"""Migration 11: reporting duties (报送任务) for the 工作台, and stations as bureaus classify them.

A duty is something the office must send upward on a rule: the city's monthly form "每月5日前",
the quarterly one "季后10日内". It names the period kind it reports (a monthly duty often
reports 1-N月 figures), optionally the saved bureau form (表样) it is filled through, and the
indicators it needs (catalog codes, comma-separated; empty: the form's, or every typed one).
Its state is not stored: 未填/已填/已报送/逾期 follow from the values, the period lock and today.

Stations and sections gain the classification bureaus report by: 控制级别 (国控/省控/市控/县控;
'' when not told), so that "市控以上" shares count 市控 and above only, and a section's water
quality target class (水质目标, 1-5 = Ⅰ-Ⅴ), so that 断面达标率 is judged per section. River vs
lake was already kept (``water_body``). Append-only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.migrations.runner import run_script

if TYPE_CHECKING:
    import sqlite_utils

NAME = "报送任务与点位分级"

SCHEMA = """
CREATE TABLE duty (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES unit (id) ON DELETE CASCADE,
    name        TEXT NOT NULL CHECK (trim(name) <> ''),
    -- The period kind reported: M (月), YTD (1-N月), Q (季), Y (年).
    period_kind TEXT NOT NULL CHECK (period_kind IN ('M', 'YTD', 'Q', 'Y')),
    -- The due rule as the office words it: 每月5日前, 季后10日内, 次年1月20日前.
    due_rule    TEXT NOT NULL CHECK (trim(due_rule) <> ''),
    template_id INTEGER REFERENCES form_template (id) ON DELETE SET NULL,
    indicators  TEXT NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (unit_id, name)
);

ALTER TABLE station ADD COLUMN control_level TEXT NOT NULL DEFAULT ''
    CHECK (control_level IN ('', '国控', '省控', '市控', '县控'));

ALTER TABLE station ADD COLUMN target_class INTEGER
    CHECK (target_class IS NULL OR target_class BETWEEN 1 AND 5);
"""


def apply(db: sqlite_utils.Database) -> None:
    run_script(db, SCHEMA)
