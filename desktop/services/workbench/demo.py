"""The demo's reporting duties, so the 工作台 has something to say on first start.

Three duties of the own unit, worded as offices word them: the city's monthly form of 1-N月
figures "每月5日前", a monthly 信访 return "每月10日前" and a quarterly enforcement return
"季后10日内". The quarterly one's 2022年第三季度 is filled (figures marked 示例数据) and
marked 已报送, so on 2022-11-08 the page shows one duty overdue, one due and one done.
"""

from __future__ import annotations

from db import duties, indicators, locks, values
from db.connection import Database
from db.values import ValueWrite

#: name, period kind, due rule, indicator codes
DEMO_DUTIES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "市局主要指标月报（1-N月累计）",
        "YTD",
        "每月5日前",
        ("air_good_rate", "pm25", "pm10", "water_section_good_rate", "enforce_staff",
         "inspected_firms", "problems_found", "cases", "fines", "complaints",
         "complaint_cases", "eia_approvals"),
    ),
    ("环境信访月报", "M", "每月10日前", ("complaints", "complaint_cases", "insp_petitions")),
    (
        "执法检查季报",
        "Q",
        "季后10日内",
        ("enforce_staff", "inspected_firms", "problems_water", "problems_air", "problems_waste",
         "problems_other", "cases"),
    ),
)  # fmt: skip
#: The quarterly return of 2022 Q3 as sent (示例数据).
SENT_QUARTER = "2022-Q3"
SENT_FIGURES = {
    "enforce_staff": 214,
    "inspected_firms": 96,
    "problems_water": 4,
    "problems_air": 7,
    "problems_waste": 9,
    "problems_other": 3,
    "cases": 12,
}


def load_demo_duties(db: Database, unit_id: int) -> None:
    """Add the demo duties and the sent quarter; called inside the demo's transaction."""
    for name, kind, rule, codes in DEMO_DUTIES:
        duties.add_duty(db, unit_id, name, kind, rule, None, codes)
    ids = {i.code: i.id for i in indicators.all_indicators(db)}
    values.write_values(
        db,
        [
            ValueWrite(unit_id, SENT_QUARTER, ids[code], float(v), "示例数据")
            for code, v in SENT_FIGURES.items()
        ],
    )
    locks.lock_period(db, unit_id, SENT_QUARTER)
