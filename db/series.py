"""Figures of several units and periods at once, for charts and rankings.

``db.sheet.read_sheet`` reads one unit and one period; a ten-year trend of fifty units would take
hundreds of those. Here the typed values of every (unit, period) asked for, plus the months a
longer period is aggregated from, come in one query, and the same rules as the sheet
(``from_months``, ``derive``) turn them into figures, so a chart never disagrees with the grid.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from db.connection import Database
from db.formulas import dependencies
from db.periods import Period, PeriodKind
from db.records import Indicator
from db.sheet import Derivation, from_months

#: (unit id, period code) → indicator id → figure (None when neither typed nor derivable).
Figures = dict[tuple[int, str], dict[int, float | None]]


def needed_indicators(catalog: Sequence[Indicator], wanted: Iterable[Indicator]) -> list[Indicator]:
    """The wanted indicators with everything their figures are derived from.

    A total needs its parts, a rate the figures its formula names (and their parts in turn);
    the result keeps the catalog's order so that ``derive`` sees totals and parts as usual.
    """
    by_id = {i.id: i for i in catalog}
    by_code = {i.code: i for i in catalog}
    parts: dict[int, list[Indicator]] = {}
    for ind in catalog:
        if ind.parent_id is not None:
            parts.setdefault(ind.parent_id, []).append(ind)
    keep: set[int] = set()
    todo = [by_id[w.id] for w in wanted if w.id in by_id]
    while todo:
        ind = todo.pop()
        if ind.id in keep:
            continue
        keep.add(ind.id)
        todo.extend(parts.get(ind.id, []))
        if ind.formula:
            todo.extend(by_code[c] for c in dependencies(ind.formula) if c in by_code)
    return [i for i in catalog if i.id in keep]


def typed_values(
    db: Database, unit_ids: Sequence[int], periods: Sequence[str], indicator_ids: Sequence[int]
) -> dict[tuple[int, str], dict[int, float | None]]:
    """Stored values by (unit, period) then indicator, in one query.

    The id and code lists go in as JSON arrays (``json_each``), so the statement stays the same
    whatever their length and never meets SQLite's limit on parameters.
    """
    rows = db.conn.execute(
        "SELECT unit_id, period, indicator_id, value FROM value "
        "WHERE unit_id IN (SELECT value FROM json_each(?1)) "
        "AND period IN (SELECT value FROM json_each(?2)) "
        "AND indicator_id IN (SELECT value FROM json_each(?3))",
        (json.dumps(list(unit_ids)), json.dumps(list(periods)), json.dumps(list(indicator_ids))),
    ).fetchall()
    found: dict[tuple[int, str], dict[int, float | None]] = {}
    for unit_id, period, indicator_id, value in rows:
        found.setdefault((unit_id, period), {})[indicator_id] = value
    return found


def figures(
    db: Database,
    catalog: Sequence[Indicator],
    wanted: Sequence[Indicator],
    unit_ids: Sequence[int],
    periods: Sequence[Period],
) -> Figures:
    """Each unit's figures of the wanted indicators for each period, as the sheet derives them.

    Typed figures win; a longer period is aggregated from complete months; totals are summed
    from parts; rates come from their formulas. Every (unit, period) asked for has an entry.
    """
    subset = needed_indicators(catalog, wanted)
    codes = {p.code for p in periods}
    for period in periods:
        if period.kind is not PeriodKind.MONTH:
            codes.update(Period.month(period.year, m).code for m in period.months())
    typed = typed_values(db, unit_ids, sorted(codes), [i.id for i in subset])
    wanted_ids = {w.id for w in wanted}
    rules = Derivation(subset)  # worked out once for every unit and period of the chart
    result: Figures = {}
    for unit_id in unit_ids:
        by_period = {code: typed.get((unit_id, code), {}) for code in codes}
        for period in periods:
            monthly = from_months(subset, period, by_period)
            derived = rules.figures(by_period[period.code], monthly)
            result[(unit_id, period.code)] = {
                i: f.value for i, f in derived.items() if i in wanted_ids
            }
    return result


def targets_of(
    db: Database, unit_ids: Sequence[int], indicator_ids: Sequence[int], years: Sequence[int]
) -> dict[tuple[int, int, int], float]:
    """Annual targets keyed (unit, indicator, year), in one query."""
    rows = db.conn.execute(
        "SELECT unit_id, indicator_id, year, value FROM target "
        "WHERE unit_id IN (SELECT value FROM json_each(?1)) "
        "AND indicator_id IN (SELECT value FROM json_each(?2)) "
        "AND year IN (SELECT value FROM json_each(?3))",
        (json.dumps(list(unit_ids)), json.dumps(list(indicator_ids)), json.dumps(list(years))),
    ).fetchall()
    return {(u, i, y): v for u, i, y, v in rows}
