"""Figures of several units and periods in one read agree with the sheet."""

from __future__ import annotations

from db import indicators, series, units
from db.connection import Database
from db.periods import Period
from db.sheet import read_sheet
from db.values import ValueWrite, write_values


def test_figures_match_the_sheet_for_totals_rates_and_months(demo_db: Database) -> None:
    catalog = indicators.all_indicators(demo_db)
    by_code = {i.code: i for i in catalog}
    own = units.unit_by_code(demo_db, "330300-01").id
    other = units.unit_by_code(demo_db, "330703").id
    so2 = by_code["so2"]
    write_values(demo_db, [ValueWrite(own, f"2022-M{m}", so2.id, float(m)) for m in (1, 2, 3)])
    wanted = [by_code[c] for c in ("problems_found", "complaint_case_rate", "pm25", "so2")]
    periods = [Period.parse("2022-YTD10"), Period.parse("2022-Q1")]
    found = series.figures(demo_db, catalog, wanted, [own, other], periods)
    sheet = read_sheet(demo_db, own, periods[0])
    for ind in wanted[:3]:
        assert found[(own, "2022-YTD10")][ind.id] == sheet.row(ind.code).current.value
    assert found[(own, "2022-YTD10")][by_code["problems_found"].id] == 51
    assert found[(other, "2022-YTD10")][by_code["pm25"].id] == 26
    q1 = read_sheet(demo_db, own, periods[1]).row("so2").current.value
    assert found[(own, "2022-Q1")][so2.id] == q1 and q1 is not None and 1 < q1 < 3
    assert set(found[(own, "2022-YTD10")]) == {i.id for i in wanted}


def test_needed_indicators_follow_parts_and_formulas(demo_db: Database) -> None:
    catalog = indicators.all_indicators(demo_db)
    rate = next(i for i in catalog if i.code == "complaint_case_rate")
    codes = {i.code for i in series.needed_indicators(catalog, [rate])}
    assert {"complaint_case_rate", "complaints", "complaint_cases"} <= codes
    total = next(i for i in catalog if i.code == "problems_found")
    assert len(series.needed_indicators(catalog, [total])) == 5
