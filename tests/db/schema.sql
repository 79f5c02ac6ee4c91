-- index form_template_signature
CREATE INDEX form_template_signature ON form_template (signature);

-- index indicator_parent
CREATE INDEX indicator_parent ON indicator (parent_id);

-- index unit_parent
CREATE INDEX unit_parent ON unit (parent_id);

-- index value_indicator
CREATE INDEX value_indicator ON value (indicator_id);

-- table audit
CREATE TABLE audit (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    user         TEXT NOT NULL,
    action       TEXT NOT NULL,
    unit_id      INTEGER,
    indicator_id INTEGER,
    period       TEXT,
    old_value    TEXT,
    new_value    TEXT,
    source       TEXT NOT NULL DEFAULT ''
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

-- table value
CREATE TABLE value (
    unit_id      INTEGER NOT NULL REFERENCES unit (id) ON DELETE RESTRICT,
    period       TEXT NOT NULL,
    indicator_id INTEGER NOT NULL REFERENCES indicator (id) ON DELETE RESTRICT,
    value        REAL,
    note         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (unit_id, period, indicator_id)
) WITHOUT ROWID;

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
