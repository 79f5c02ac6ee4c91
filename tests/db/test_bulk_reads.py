"""The store's shortcuts for an import's dry run give the answers of the ordinary calls."""

from __future__ import annotations

import math

import pytest

from db import units, values
from db.connection import Database
from db.errors import ValueRejected
from db.indicators import all_indicators
from db.periods import Period
from db.validation import accept_number, load_rules, number_problem


def test_numbers_and_notes_for_periods_are_the_typed_values(demo_db: Database) -> None:
    for unit in units.all_units(demo_db):
        codes = [*values.periods_with_data(demo_db, unit.id), "2030-M1"]  # one with nothing
        codes.append(codes[0])  # a period named twice is read once
        numbers = values.numbers_for_periods(demo_db, unit.id, codes)
        notes = values.notes_for_periods(demo_db, unit.id, codes)
        assert set(numbers) == set(codes) and numbers["2030-M1"] == {}
        for code in codes:
            stored = values.values_for(demo_db, unit.id, code)
            assert numbers[code] == {k: v.value for k, v in stored.items()}
            assert notes.get(code, {}) == {k: v.note for k, v in stored.items() if v.note}


@pytest.mark.parametrize("value", [-5.0, 0.0, 55.5, 105.0, 400.0, math.inf, math.nan])
def test_number_problem_is_why_accept_number_refuses(demo_db: Database, value: float) -> None:
    rules = load_rules(demo_db)
    period = Period.parse("2022-M2")
    for indicator in all_indicators(demo_db):
        for target in (False, True):
            problem = number_problem(indicator, value, period, rules, target=target)
            try:
                accept_number(indicator, value, period, rules, target=target)
            except ValueRejected as exc:
                assert problem == exc.message
            else:
                assert problem is None
