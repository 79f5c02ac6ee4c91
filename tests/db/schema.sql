-- index form_template_signature
CREATE INDEX form_template_signature ON form_template (signature);

-- index indicator_alias_indicator
CREATE INDEX indicator_alias_indicator ON indicator_alias (indicator_id);

-- index indicator_parent
CREATE INDEX indicator_parent ON indicator (parent_id);

-- index plan_item_plan
CREATE INDEX plan_item_plan ON plan_item (plan_id, parent_id, position);

-- index plan_note_item
CREATE INDEX plan_note_item ON plan_note (item_id, day);

-- index report_node_tree
CREATE INDEX report_node_tree ON report_node (report_id, parent_id, position);

-- index report_unit_year
CREATE INDEX report_unit_year ON report (unit_id, year);

-- index unit_alias_unit
CREATE INDEX unit_alias_unit ON unit_alias (unit_id);

-- index unit_parent
CREATE INDEX unit_parent ON unit (parent_id);

-- index value_indicator
CREATE INDEX value_indicator ON value (indicator_id);

-- table air_daily
CREATE TABLE air_daily (
    station_id INTEGER NOT NULL REFERENCES station (id) ON DELETE CASCADE,
    day        TEXT NOT NULL CHECK (date(day) IS day),
    measure    TEXT NOT NULL
               CHECK (measure IN ('SO2', 'NO2', 'CO', 'PM10', 'PM2.5', 'O3_8h', 'O3_1h')),
    value      TEXT NOT NULL CHECK (value GLOB '[0-9]*' AND value NOT GLOB '*[^0-9.]*'
                                   AND value NOT GLOB '*.*.*'),
    PRIMARY KEY (station_id, day, measure)
) WITHOUT ROWID;

-- table audit_log
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

-- table audit_name
CREATE TABLE audit_name (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- table chart_set
CREATE TABLE chart_set (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE CHECK (trim(name) <> ''),
    title      TEXT NOT NULL DEFAULT '',
    specs      TEXT NOT NULL CHECK (json_valid(specs) AND json_type(specs) = 'array'),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- table check_rule
CREATE TABLE check_rule (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('le', 'le_days')),
    left_code  TEXT NOT NULL,
    right_code TEXT,
    message    TEXT NOT NULL
);

-- table duty
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

-- table form_template
CREATE TABLE form_template (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (trim(name) <> ''),
    signature   TEXT NOT NULL,
    layouts     TEXT NOT NULL CHECK (json_valid(layouts) AND json_type(layouts) = 'array'),
    file_name   TEXT NOT NULL,
    file        BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- table indicator
CREATE TABLE indicator (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    category    TEXT NOT NULL
                CHECK (category IN ('大气', '水', '土壤固废', '执法', '信访', '审批',
                                    '督察整改', '投资', '双碳', '其他')),
    unit        TEXT NOT NULL DEFAULT '',
    decimals    INTEGER NOT NULL DEFAULT 0 CHECK (decimals BETWEEN 0 AND 6),
    better      TEXT NOT NULL DEFAULT 'none' CHECK (better IN ('higher', 'lower', 'none')),
    min_value   REAL,
    max_value   REAL,
    period_agg  TEXT NOT NULL DEFAULT 'none'
                CHECK (period_agg IN ('sum', 'mean', 'last', 'none')),
    unit_agg    TEXT NOT NULL DEFAULT 'none'
                CHECK (unit_agg IN ('sum', 'mean', 'last', 'none')),
    yoy         TEXT NOT NULL DEFAULT 'percent'
                CHECK (yoy IN ('percent', 'points', 'difference', 'none')),
    parent_id   INTEGER REFERENCES indicator (id) ON DELETE RESTRICT,
    formula     TEXT,
    kind        TEXT NOT NULL DEFAULT 'number' CHECK (kind IN ('number', 'water_class')),
    description TEXT NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0,
    builtin     INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    CHECK (min_value IS NULL OR max_value IS NULL OR min_value <= max_value),
    CHECK (formula IS NULL OR parent_id IS NULL)
);

-- table indicator_alias
CREATE TABLE indicator_alias (
    id           INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES indicator (id) ON DELETE CASCADE,
    alias        TEXT NOT NULL UNIQUE CHECK (trim(alias) <> ''),
    origin       TEXT NOT NULL CHECK (origin IN ('catalog', 'office')),
    created_at   TEXT NOT NULL
);

-- table meta
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- table migration
CREATE TABLE migration (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

-- table period_lock
CREATE TABLE period_lock (
    unit_id   INTEGER NOT NULL REFERENCES unit (id) ON DELETE CASCADE,
    period    TEXT NOT NULL,
    locked_at TEXT NOT NULL,
    locked_by TEXT NOT NULL,
    PRIMARY KEY (unit_id, period)
) WITHOUT ROWID;

-- table plan
CREATE TABLE plan (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES unit (id),
    year       INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    title      TEXT NOT NULL CHECK (trim(title) <> ''),
    created_at TEXT NOT NULL,
    UNIQUE (unit_id, year, title)
);

-- table plan_item
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

-- table plan_note
CREATE TABLE plan_note (
    id      INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES plan_item (id) ON DELETE CASCADE,
    day     TEXT NOT NULL,
    text    TEXT NOT NULL CHECK (trim(text) <> '')
);

-- table problem
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

-- table report
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

-- table report_fts
CREATE VIRTUAL TABLE report_fts USING fts5 (
    heading, body, content = 'report_node', content_rowid = 'id', tokenize = 'trigram'
);

-- table report_fts_config
CREATE TABLE 'report_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table report_fts_data
CREATE TABLE 'report_fts_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table report_fts_docsize
CREATE TABLE 'report_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table report_fts_idx
CREATE TABLE 'report_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table report_node
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

-- table station
CREATE TABLE station (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES unit (id),
    kind       TEXT NOT NULL CHECK (kind IN ('air', 'water')),
    name       TEXT NOT NULL CHECK (trim(name) <> ''),
    -- For a water section: judged as 河流 or 湖库; '' for an air station.
    water_body TEXT NOT NULL DEFAULT '' CHECK (water_body IN ('', '河流', '湖库')), control_level TEXT NOT NULL DEFAULT ''
    CHECK (control_level IN ('', '国控', '省控', '市控', '县控')), target_class INTEGER
    CHECK (target_class IS NULL OR target_class BETWEEN 1 AND 5),
    CHECK ((kind = 'water') = (water_body <> '')),
    UNIQUE (unit_id, kind, name)
);

-- table target
CREATE TABLE target (
    unit_id      INTEGER NOT NULL REFERENCES unit (id) ON DELETE RESTRICT,
    indicator_id INTEGER NOT NULL REFERENCES indicator (id) ON DELETE RESTRICT,
    year         INTEGER NOT NULL,
    value        REAL NOT NULL,
    PRIMARY KEY (unit_id, indicator_id, year)
) WITHOUT ROWID;

-- table unit
CREATE TABLE unit (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    short_name TEXT NOT NULL DEFAULT '',
    level      TEXT NOT NULL DEFAULT '其他'
               CHECK (level IN ('省厅', '市局', '分局', '县局', '其他')),
    parent_id  INTEGER REFERENCES unit (id) ON DELETE RESTRICT,
    sort_order INTEGER NOT NULL DEFAULT 0,
    CHECK (parent_id IS NULL OR parent_id <> id)
);

-- table unit_alias
CREATE TABLE unit_alias (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES unit (id) ON DELETE CASCADE,
    alias      TEXT NOT NULL UNIQUE CHECK (trim(alias) <> ''),
    created_at TEXT NOT NULL
);

-- table value
CREATE TABLE value (
    unit_id      INTEGER NOT NULL REFERENCES unit (id) ON DELETE RESTRICT,
    period       TEXT NOT NULL,
    indicator_id INTEGER NOT NULL REFERENCES indicator (id) ON DELETE RESTRICT,
    value        REAL,
    note         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (unit_id, period, indicator_id)
) WITHOUT ROWID;

-- table water_sample
CREATE TABLE water_sample (
    station_id INTEGER NOT NULL REFERENCES station (id) ON DELETE CASCADE,
    day        TEXT NOT NULL CHECK (date(day) IS day),
    item       TEXT NOT NULL CHECK (trim(item) <> ''),
    value      TEXT NOT NULL CHECK (value GLOB '[0-9]*' AND value NOT GLOB '*[^0-9.]*'
                                   AND value NOT GLOB '*.*.*'),
    PRIMARY KEY (station_id, day, item)
) WITHOUT ROWID;

-- trigger audit_insert
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

-- trigger report_node_fts_delete
CREATE TRIGGER report_node_fts_delete AFTER DELETE ON report_node BEGIN
    INSERT INTO report_fts (report_fts, rowid, heading, body)
    VALUES ('delete', OLD.id, OLD.heading, OLD.body);
END;

-- trigger report_node_fts_insert
CREATE TRIGGER report_node_fts_insert AFTER INSERT ON report_node BEGIN
    INSERT INTO report_fts (rowid, heading, body) VALUES (NEW.id, NEW.heading, NEW.body);
END;

-- trigger report_node_fts_update
CREATE TRIGGER report_node_fts_update AFTER UPDATE OF heading, body ON report_node BEGIN
    INSERT INTO report_fts (report_fts, rowid, heading, body)
    VALUES ('delete', OLD.id, OLD.heading, OLD.body);
    INSERT INTO report_fts (rowid, heading, body) VALUES (NEW.id, NEW.heading, NEW.body);
END;

-- trigger target_locked_delete
CREATE TRIGGER target_locked_delete BEFORE DELETE ON target
WHEN EXISTS (SELECT 1 FROM period_lock WHERE unit_id = OLD.unit_id AND substr(period, 1, 4) = CAST(OLD.year AS TEXT))
BEGIN
    SELECT RAISE(ABORT, 'ecodesk:target-locked');
END;

-- trigger target_locked_insert
CREATE TRIGGER target_locked_insert BEFORE INSERT ON target
WHEN EXISTS (SELECT 1 FROM period_lock WHERE unit_id = NEW.unit_id AND substr(period, 1, 4) = CAST(NEW.year AS TEXT))
BEGIN
    SELECT RAISE(ABORT, 'ecodesk:target-locked');
END;

-- trigger target_locked_update
CREATE TRIGGER target_locked_update BEFORE UPDATE ON target
WHEN EXISTS (SELECT 1 FROM period_lock WHERE unit_id = OLD.unit_id AND substr(period, 1, 4) = CAST(OLD.year AS TEXT)) OR EXISTS (SELECT 1 FROM period_lock WHERE unit_id = NEW.unit_id AND substr(period, 1, 4) = CAST(NEW.year AS TEXT))
BEGIN
    SELECT RAISE(ABORT, 'ecodesk:target-locked');
END;

-- trigger value_last_year_locked_delete
CREATE TRIGGER value_last_year_locked_delete BEFORE DELETE ON value
WHEN EXISTS (SELECT 1 FROM period_lock WHERE unit_id = OLD.unit_id AND period = (CAST(substr(OLD.period, 1, 4) AS INTEGER) + 1) || substr(OLD.period, 5))
BEGIN
    SELECT RAISE(ABORT, 'ecodesk:last-year-locked');
END;

-- trigger value_last_year_locked_insert
CREATE TRIGGER value_last_year_locked_insert BEFORE INSERT ON value
WHEN EXISTS (SELECT 1 FROM period_lock WHERE unit_id = NEW.unit_id AND period = (CAST(substr(NEW.period, 1, 4) AS INTEGER) + 1) || substr(NEW.period, 5))
BEGIN
    SELECT RAISE(ABORT, 'ecodesk:last-year-locked');
END;

-- trigger value_last_year_locked_update
CREATE TRIGGER value_last_year_locked_update BEFORE UPDATE ON value
WHEN EXISTS (SELECT 1 FROM period_lock WHERE unit_id = OLD.unit_id AND period = (CAST(substr(OLD.period, 1, 4) AS INTEGER) + 1) || substr(OLD.period, 5)) OR EXISTS (SELECT 1 FROM period_lock WHERE unit_id = NEW.unit_id AND period = (CAST(substr(NEW.period, 1, 4) AS INTEGER) + 1) || substr(NEW.period, 5))
BEGIN
    SELECT RAISE(ABORT, 'ecodesk:last-year-locked');
END;

-- trigger value_locked_delete
CREATE TRIGGER value_locked_delete BEFORE DELETE ON value
WHEN EXISTS (SELECT 1 FROM period_lock WHERE unit_id = OLD.unit_id AND period = OLD.period)
BEGIN
    SELECT RAISE(ABORT, 'ecodesk:period-locked');
END;

-- trigger value_locked_insert
CREATE TRIGGER value_locked_insert BEFORE INSERT ON value
WHEN EXISTS (SELECT 1 FROM period_lock WHERE unit_id = NEW.unit_id AND period = NEW.period)
BEGIN
    SELECT RAISE(ABORT, 'ecodesk:period-locked');
END;

-- trigger value_locked_update
CREATE TRIGGER value_locked_update BEFORE UPDATE ON value
WHEN EXISTS (SELECT 1 FROM period_lock
             WHERE (unit_id = OLD.unit_id AND period = OLD.period)
                OR (unit_id = NEW.unit_id AND period = NEW.period))
BEGIN
    SELECT RAISE(ABORT, 'ecodesk:period-locked');
END;

-- trigger value_not_computed
CREATE TRIGGER value_not_computed BEFORE INSERT ON value
WHEN (SELECT formula FROM indicator WHERE id = NEW.indicator_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'ecodesk:computed-indicator');
END;

-- view audit
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
