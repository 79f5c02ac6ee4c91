"""Migration 8: the audit log stored compactly.

On a 50-unit, ten-year database the audit log was 41% of the file: every row repeated the
user's name, the imported file's name (the source), the action, the period code and a
19-character timestamp. Now those repeated words are stored once in ``audit_name`` and referred
to by number, and the time is an integer (seconds of the local time written, as the text was);
a timestamp that does not parse stays as text.

``audit`` becomes a view with the old columns, so every reader is unchanged, and an INSTEAD OF
trigger lets the few low-volume writers keep inserting into it. The bulk writer
(``db.values.write_values``) inserts into ``audit_log`` directly with the session's name ids:
a per-row trigger would slow a 500,000-value import several times over. No foreign keys on the
ids for the same reason; nothing ever deletes an ``audit_name`` row.
Append-only: a later change is a new migration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.migrations.runner import run_script

if TYPE_CHECKING:
    import sqlite_utils

NAME = "审计记录紧凑存储"

SCHEMA = """
CREATE TABLE audit_name (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    -- Seconds since 1970-01-01 of the local time written ('2022-11-05T10:00:00' read as UTC);
    -- a time that did not parse is kept as its text.
    at           NOT NULL,
    user_id      INTEGER NOT NULL,
    action_id    INTEGER NOT NULL,
    unit_id      INTEGER,
    indicator_id INTEGER,
    period_id    INTEGER,
    old_value    TEXT,
    new_value    TEXT,
    source_id    INTEGER NOT NULL
);

INSERT OR IGNORE INTO audit_name (name)
SELECT user FROM audit UNION SELECT source FROM audit UNION SELECT action FROM audit
UNION SELECT period FROM audit WHERE period IS NOT NULL;
INSERT OR IGNORE INTO audit_name (name) VALUES (''), ('value'), ('note'), ('target');

INSERT INTO audit_log
SELECT a.id, coalesce(CAST(strftime('%s', a.at) AS INTEGER), a.at), u.id, w.id, a.unit_id,
       a.indicator_id, p.id, a.old_value, a.new_value, s.id
FROM audit AS a JOIN audit_name AS u ON u.name = a.user JOIN audit_name AS s ON s.name = a.source
JOIN audit_name AS w ON w.name = a.action LEFT JOIN audit_name AS p ON p.name = a.period;

DROP TABLE audit;

CREATE VIEW audit (id, at, user, action, unit_id, indicator_id, period, old_value, new_value,
                   source) AS
SELECT l.id,
       CASE WHEN typeof(l.at) = 'integer' THEN strftime('%Y-%m-%dT%H:%M:%S', l.at, 'unixepoch')
            ELSE l.at END,
       u.name, w.name, l.unit_id, l.indicator_id, p.name, l.old_value, l.new_value, s.name
FROM audit_log AS l
LEFT JOIN audit_name AS u ON u.id = l.user_id
LEFT JOIN audit_name AS w ON w.id = l.action_id
LEFT JOIN audit_name AS p ON p.id = l.period_id
LEFT JOIN audit_name AS s ON s.id = l.source_id;

CREATE TRIGGER audit_insert INSTEAD OF INSERT ON audit BEGIN
    INSERT OR IGNORE INTO audit_name (name)
    SELECT NEW.user UNION ALL SELECT coalesce(NEW.source, '') UNION ALL SELECT NEW.action
    UNION ALL SELECT CAST(NEW.period AS TEXT) WHERE NEW.period IS NOT NULL;
    INSERT INTO audit_log (id, at, user_id, action_id, unit_id, indicator_id, period_id,
                           old_value, new_value, source_id)
    VALUES (NEW.id, coalesce(CAST(strftime('%s', NEW.at) AS INTEGER), NEW.at),
            (SELECT id FROM audit_name WHERE name = NEW.user),
            (SELECT id FROM audit_name WHERE name = NEW.action), NEW.unit_id, NEW.indicator_id,
            (SELECT id FROM audit_name WHERE name = CAST(NEW.period AS TEXT)),
            NEW.old_value, NEW.new_value,
            (SELECT id FROM audit_name WHERE name = coalesce(NEW.source, '')));
END;
"""


def apply(db: sqlite_utils.Database) -> None:
    run_script(db, SCHEMA)
