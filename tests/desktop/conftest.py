"""Chart fixtures: the demo database with a few more units and periods (the demo has one or two
periods per unit, too few for a trend or a ranking)."""

from __future__ import annotations

import pytest

from db import indicators, locks, targets, units
from db.connection import Database
from db.values import ValueWrite, write_values

OWN = "330300-01"
#: Extra county bureaus under 温州市局, with PM2.5 for 2022年1-10月.
EXTRA_PM25 = {
    "330302": ("鹿城分局", 24.0),
    "330303": ("龙湾分局", 21.0),
    "330304": ("瓯海分局", 28.0),
}
#: The own unit's PM2.5 for 1-10月 of 2018..2021 (2022 is the demo's 17).
YEARS_PM25 = {2018: 28.0, 2019: 25.0, 2020: 22.0, 2021: 19.0}
#: The own unit's monthly PM10 for 2022 and 2021.
MONTHS_PM10 = [31, 35, 27, 24, 22, 18, 15, 16, 19, 23]
MONTHS_PM10_2021 = [36, 39, 33, 30, 26, 21, 19, 20, 24, 30]


@pytest.fixture
def chart_db(demo_db: Database) -> Database:
    db = demo_db
    pm25 = indicators.indicator_by_code(db, "pm25").id
    pm10 = indicators.indicator_by_code(db, "pm10").id
    own = units.unit_by_code(db, OWN).id
    writes = []
    for code, (name, value) in EXTRA_PM25.items():
        unit = units.add_unit(
            db, code, f"温州市生态环境局{name}", short_name=name, level="分局", parent_code="330300"
        )
        writes.append(ValueWrite(unit.id, "2022-YTD10", pm25, value))
    for year, value in YEARS_PM25.items():
        writes.append(ValueWrite(own, f"{year}-YTD10", pm25, value))
    for month, (now, before) in enumerate(zip(MONTHS_PM10, MONTHS_PM10_2021, strict=True), 1):
        writes.append(ValueWrite(own, f"2022-M{month}", pm10, float(now)))
        writes.append(ValueWrite(own, f"2021-M{month}", pm10, float(before)))
    # 2021年1-10月 and 2022年第三季度 are 已报送 in the demo: unlock them to add the figures and
    # the years' targets (a lock freezes its year's 年度目标 too), then lock again.
    sent = ["2021-YTD10", "2022-Q3"]
    for period in sent:
        locks.unlock_period(db, own, period)
    write_values(db, writes)
    targets.set_targets(db, [(own, pm25, 2022, 20.0), (own, pm25, 2021, 22.0)])
    for period in sent:
        locks.lock_period(db, own, period)
    return db
