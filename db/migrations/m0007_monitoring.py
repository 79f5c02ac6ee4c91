"""Migration 7: monitoring data (监测数据): air stations' daily values and water sections' samples.

The headline air and water figures are computed from these rows under a chosen standard, so
the rows are kept as published rather than only the figures computed from them: a year can
then be recomputed "按新标准口径" long after the source files are gone.

A station (空气自动监测站点) or a section (地表水断面) belongs to a unit; a section also says
whether it is judged as a river or as a lake/reservoir (GB 3838-2002 has a lake limit for TP).
Values are kept as the decimal text the station published (``"35.5"``), not as REAL: HJ 633's
rounding (and 2026's rounding of concentrations before scoring) must see the exact figure, and
a binary float of 35.45 is not 35.45. The file refuses a negative or non-numeric value.
Append-only: a later change is a new migration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.migrations.runner import run_script

if TYPE_CHECKING:
    import sqlite_utils

NAME = "监测数据"

SCHEMA = """
CREATE TABLE station (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES unit (id),
    kind       TEXT NOT NULL CHECK (kind IN ('air', 'water')),
    name       TEXT NOT NULL CHECK (trim(name) <> ''),
    -- For a water section: judged as 河流 or 湖库; '' for an air station.
    water_body TEXT NOT NULL DEFAULT '' CHECK (water_body IN ('', '河流', '湖库')),
    CHECK ((kind = 'water') = (water_body <> '')),
    UNIQUE (unit_id, kind, name)
);

-- One daily value of an air station: 24 h means, O3 daily maximum 8 h (and 1 h) values.
-- μg/m³, CO in mg/m³.
CREATE TABLE air_daily (
    station_id INTEGER NOT NULL REFERENCES station (id) ON DELETE CASCADE,
    day        TEXT NOT NULL CHECK (date(day) IS day),
    measure    TEXT NOT NULL
               CHECK (measure IN ('SO2', 'NO2', 'CO', 'PM10', 'PM2.5', 'O3_8h', 'O3_1h')),
    value      TEXT NOT NULL CHECK (value GLOB '[0-9]*' AND value NOT GLOB '*[^0-9.]*'
                                   AND value NOT GLOB '*.*.*'),
    PRIMARY KEY (station_id, day, measure)
) WITHOUT ROWID;

-- One measured item of a water section on a sampling day (items as in GB 3838-2002: DO, CODMn,
-- COD, BOD5, NH3-N, TP, TN, …; mg/L except where the standard says otherwise).
CREATE TABLE water_sample (
    station_id INTEGER NOT NULL REFERENCES station (id) ON DELETE CASCADE,
    day        TEXT NOT NULL CHECK (date(day) IS day),
    item       TEXT NOT NULL CHECK (trim(item) <> ''),
    value      TEXT NOT NULL CHECK (value GLOB '[0-9]*' AND value NOT GLOB '*[^0-9.]*'
                                   AND value NOT GLOB '*.*.*'),
    PRIMARY KEY (station_id, day, item)
) WITHOUT ROWID;
"""


def apply(db: sqlite_utils.Database) -> None:
    run_script(db, SCHEMA)
