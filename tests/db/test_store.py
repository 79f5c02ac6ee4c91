"""Values, totals, rates, 同比, targets, validation, locks and the audit log, without Qt."""

from __future__ import annotations

import pytest

from db import audit, locks, targets, units, values
from db.connection import Database
from db.errors import PeriodLocked, StorageError, ValueRejected
from db.indicators import indicator_by_code
from db.periods import Period
from db.records import Severity
from db.sheet import Figure, Source, read_sheet
from db.validation import accept_input, check_sheet, load_rules

P = Period.parse("2022-YTD10")


def _unit(db: Database) -> int:
    return units.add_unit(db, "T01", "测试分局", level="分局").id


def _set(db: Database, unit_id: int, code: str, value: float | None, period: Period = P) -> None:
    ind = indicator_by_code(db, code)
    values.write_values(db, [values.ValueWrite(unit_id, period.code, ind.id, value)])


def test_total_is_sum_of_parts_unless_typed(demo_db: Database) -> None:
    unit_id = _unit(demo_db)
    _set(demo_db, unit_id, "cases_to_police", 5)
    _set(demo_db, unit_id, "cases_penalty", 34)
    row = read_sheet(demo_db, unit_id, P).row("cases")
    assert (row.current.value, row.current.source) == (39, Source.PARTS)
    _set(demo_db, unit_id, "cases", 50)
    row = read_sheet(demo_db, unit_id, P).row("cases")
    assert (row.current.value, row.current.source) == (50, Source.TYPED)


def test_rate_is_computed_and_cannot_be_stored(demo_db: Database) -> None:
    unit_id = _unit(demo_db)
    _set(demo_db, unit_id, "complaints", 19)
    _set(demo_db, unit_id, "complaint_cases", 2)
    assert read_sheet(demo_db, unit_id, P).row("complaint_case_rate").current.value == (
        pytest.approx(200 / 19)
    )
    with pytest.raises(StorageError, match="计算指标"):
        _set(demo_db, unit_id, "complaint_case_rate", 10.5)


def test_year_on_year_in_percent_and_in_points(demo_db: Database) -> None:
    unit_id = _unit(demo_db)
    last = P.same_period_last_year()
    _set(demo_db, unit_id, "pm25", 26)
    _set(demo_db, unit_id, "pm25", 28, last)
    _set(demo_db, unit_id, "air_good_rate", 90.1)
    _set(demo_db, unit_id, "air_good_rate", 87.4, last)
    sheet = read_sheet(demo_db, unit_id, P)
    pm25, rate = sheet.row("pm25").change, sheet.row("air_good_rate").change
    assert pm25 is not None and pm25.text == "-7.1%" and pm25.verdict == 1  # a fall is good
    assert rate is not None and rate.text == "+2.7个百分点" and rate.verdict == 1


def test_progress_against_annual_target(demo_db: Database) -> None:
    unit_id = _unit(demo_db)
    invest = indicator_by_code(demo_db, "eco_invest")
    pm25 = indicator_by_code(demo_db, "pm25")
    _set(demo_db, unit_id, "eco_invest", 6525)
    _set(demo_db, unit_id, "pm25", 26)
    targets.set_targets(demo_db, [(unit_id, invest.id, 2022, 7331), (unit_id, pm25.id, 2022, 25)])
    sheet = read_sheet(demo_db, unit_id, P)
    assert sheet.row("eco_invest").progress.text == "89.0%"  # type: ignore[union-attr]
    assert sheet.row("pm25").progress.text == "未达标"  # type: ignore[union-attr]


def test_entry_refuses_impossible_values_with_reasons(demo_db: Database) -> None:
    rules = load_rules(demo_db)
    rate = indicator_by_code(demo_db, "air_good_rate")
    days = indicator_by_code(demo_db, "air_good_days")
    with pytest.raises(ValueRejected, match="百分比"):
        accept_input(rate, "105%", P, rules)
    with pytest.raises(ValueRejected, match="304 天"):
        accept_input(days, "305", P, rules)
    assert accept_input(days, "300", P, rules) == 300
    with pytest.raises(ValueRejected, match="不是数字"):
        accept_input(rate, "约20", P, rules)


def test_period_check_lists_cross_rules_and_jumps(demo_db: Database) -> None:
    unit_id = _unit(demo_db)
    _set(demo_db, unit_id, "pm25", 40)
    _set(demo_db, unit_id, "pm10", 30)
    _set(demo_db, unit_id, "problems_found", 10)
    _set(demo_db, unit_id, "problems_air", 12)
    _set(demo_db, unit_id, "enforce_staff", 5000)
    _set(demo_db, unit_id, "enforce_staff", 500, P.same_period_last_year())
    failures = check_sheet(read_sheet(demo_db, unit_id, P), load_rules(demo_db))
    by_code = {(f.indicator_code, f.severity) for f in failures}
    assert ("pm25", Severity.ERROR) in by_code
    assert ("problems_found", Severity.ERROR) in by_code
    assert ("enforce_staff", Severity.WARNING) in by_code
    assert failures[0].severity is Severity.ERROR
    assert len(failures) == 3


def test_locked_period_refuses_changes_and_both_actions_are_audited(demo_db: Database) -> None:
    unit_id = _unit(demo_db)
    _set(demo_db, unit_id, "pm25", 20)
    locks.lock_period(demo_db, unit_id, P.code)
    with pytest.raises(PeriodLocked, match="已报送"):
        _set(demo_db, unit_id, "pm25", 21)
    with pytest.raises(PeriodLocked):
        _set(demo_db, unit_id, "pm10", 30)
    assert read_sheet(demo_db, unit_id, P).row("pm25").current.value == 20
    locks.unlock_period(demo_db, unit_id, P.code)
    _set(demo_db, unit_id, "pm25", 21)
    actions = [e.action for e in audit.recent(demo_db, unit_id=unit_id)]
    assert actions[:3] == ["value", "unlock", "lock"]


def test_every_value_change_is_audited_with_user_and_source(demo_db: Database) -> None:
    unit_id = _unit(demo_db)
    _set(demo_db, unit_id, "pm25", 20)
    with demo_db.audit_source("导入 测试.xlsx"):
        _set(demo_db, unit_id, "pm25", 22)
    _set(demo_db, unit_id, "pm25", None)
    entries = audit.recent(demo_db, unit_id=unit_id)[:3]
    changes = [(e.old_value, e.new_value) for e in entries]
    assert changes == [("22.0", None), ("20.0", "22.0"), (None, "20.0")]
    assert entries[1].source == "导入 测试.xlsx" and entries[0].source == "手工录入"
    assert all(e.user == demo_db.user for e in entries)
    assert values.values_for(demo_db, unit_id, P.code) == {}


def test_bulk_write_is_all_or_nothing(demo_db: Database) -> None:
    unit_id = _unit(demo_db)
    ind = indicator_by_code(demo_db, "pm25")
    before = values.value_count(demo_db)
    writes = [values.ValueWrite(unit_id, f"{2000 + n}-Y", ind.id, float(n)) for n in range(50)]
    writes.append(values.ValueWrite(unit_id, "2001-Y", 99_999, 1.0))  # no such indicator
    with pytest.raises(StorageError, match="不存在"):
        values.write_values(demo_db, writes)
    assert values.value_count(demo_db) == before


def test_longer_periods_aggregate_from_complete_months(demo_db: Database) -> None:
    unit_id = _unit(demo_db)
    q3 = Period.parse("2022-Q3")
    for month, (staff, pm25) in zip((7, 8, 9), ((100, 20), (200, 30), (300, 40)), strict=True):
        _set(demo_db, unit_id, "enforce_staff", staff, Period.month(2022, month))
        _set(demo_db, unit_id, "pm25", pm25, Period.month(2022, month))
        _set(demo_db, unit_id, "air_good_rate", 90, Period.month(2022, month))
    sheet = read_sheet(demo_db, unit_id, q3)
    assert sheet.row("enforce_staff").current == Figure(600, Source.MONTHS)
    # day-weighted: (20*31 + 30*31 + 40*30) / 92
    assert sheet.row("pm25").current.value == pytest.approx((620 + 930 + 1200) / 92)
    assert sheet.row("air_good_rate").current.value is None, "a rate is not additive"
    ytd = read_sheet(demo_db, unit_id, Period.parse("2022-YTD9"))
    assert ytd.row("enforce_staff").current.value is None, "January-June are missing"
    _set(demo_db, unit_id, "enforce_staff", 650, q3)
    assert read_sheet(demo_db, unit_id, q3).row("enforce_staff").current == Figure(
        650, Source.TYPED
    )


def test_change_against_a_vanishing_last_year_is_not_shown(demo_db: Database) -> None:
    """Found by the import property test: 1 against 5e-324 last year overflowed the 同比."""
    from db.sheet import year_on_year

    pm25 = indicator_by_code(demo_db, "pm25")
    assert year_on_year(pm25, 1.0, 5e-324) is None
    assert year_on_year(pm25, 26.0, 28.0) is not None
