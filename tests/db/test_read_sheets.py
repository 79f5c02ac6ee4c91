"""A unit's sheets read together (``read_sheets``, as the export reads them) are the sheets
``read_sheet`` gives one at a time: same figures and sources, 同比, targets, notes and locks,
whatever mix of months, quarters, 1-N月 and years, and when one period is another's 去年同期."""

from __future__ import annotations

import random

from db import units, values
from db.connection import Database
from db.indicators import all_indicators
from db.periods import Period
from db.sheet import Source, read_sheet, read_sheets


def _fill_months(db: Database, seed: int) -> None:
    """Two years of monthly figures for every unit, a few missing, some with a note."""
    rng = random.Random(seed)
    typed = [i for i in all_indicators(db) if not i.is_computed and i.kind == "number"]
    writes = []
    for unit in units.all_units(db):
        for period in (Period.month(y, m) for y in (2021, 2022) for m in range(1, 13)):
            for ind in typed:
                if rng.random() < 0.1:  # a gap: the quarter and 1-N月 of it are not derived
                    continue
                low = max(1, int(ind.min_value or 1))
                high = min(28, int(ind.max_value or 28))
                note = "含补报" if rng.random() < 0.03 else None
                writes.append(
                    values.ValueWrite(unit.id, period.code, ind.id, rng.randint(low, high), note)
                )
    values.write_values(db, writes)


PERIODS = [
    *(Period.parse(c) for c in ("2020-Y", "2021-Y", "2021-YTD10", "2021-M3", "2021-Q3")),
    *(Period.month(2022, m) for m in range(1, 13)),
    *(Period.parse(c) for c in ("2022-Q1", "2022-Q3", "2022-YTD10", "2022-Y", "2023-M1")),
]


def test_sheets_read_together_are_the_sheets_read_alone(demo_db: Database) -> None:
    _fill_months(demo_db, seed=17)
    catalog = all_indicators(demo_db)
    some = [i for i in catalog if i.category == catalog[0].category or i.formula]
    seen: set[str] = set()
    for unit in units.all_units(demo_db):
        for indicators in (None, some):
            together = read_sheets(demo_db, unit.id, PERIODS, indicators)
            alone = [read_sheet(demo_db, unit.id, p, indicators) for p in PERIODS]
            assert together == alone, unit.name
            for sheet in together:
                rows = sheet.rows
                seen.update(r.current.source.value for r in rows if r.current.value is not None)
                seen.update({"note"} if any(r.note for r in rows) else set())
                seen.update({"change"} if any(r.change for r in rows) else set())
                seen.update({"target"} if any(r.target is not None for r in rows) else set())
                seen.update({"locked"} if sheet.locked or sheet.next_year_locked else set())
                seen.update({"targets_locked"} if sheet.targets_locked else set())
    # the comparison covered every kind of figure and every field a batch could mix up
    sources = {s.value for s in (Source.TYPED, Source.MONTHS, Source.PARTS, Source.FORMULA)}
    assert seen >= sources | {"note", "change", "target", "locked", "targets_locked"}
