"""Importing a filled workbook: a dry run that judges every cell, then one all-or-nothing commit.

The dry run lists each mapped cell as 新增 (new), 修改 (changed, old → new), 不变 (unchanged) or
错误 (error, with the sheet, the cell address and the reason in Chinese). Nothing is written
until the user commits; the commit writes every accepted cell in one transaction (errors are
left out and listed), re-checking each against the database inside that transaction, so a
period locked in the meantime rolls the whole import back. Blank cells, "—" and "/" mean "no
value" and are never taken as an order to delete a figure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import compress, repeat
from operator import is_not, itemgetter, le, ne
from typing import Any, NamedTuple, cast

from db import locks, targets, units, values
from db.connection import Database
from db.errors import Cancelled, PeriodLocked, StorageError, ValueRejected
from db.formulas import dependencies
from db.indicators import all_indicators
from db.numbers import EMPTY_MARKS
from db.periods import Period, PeriodKind
from db.records import Indicator, Unit
from db.sheet import Derivation, Figure, Sheet, Source, display, from_months, read_sheet
from db.text_limits import clean_entry, imported_problem
from db.validation import (
    Rules,
    accept_input,
    accept_number,
    load_rules,
    number_problem,
    range_problem,
)
from desktop.services.common.dry_run import (
    CellColumn,
    CellRow,
    DryRun,
    DryRunItem,
    Entry,
    KeptCells,
    KeptRun,
    Status,
    Subject,
    mark_conflicts,
    same_value,
)
from desktop.services.common.text import compact
from desktop.services.common.workbook import (
    CellValue,
    SheetGrid,
    WorkbookGrid,
    cell_address,
    clean_cell,
)
from desktop.services.exchange.layout import Key, SheetLayout

Progress = Callable[[int, int], bool]


class _Context:
    """Catalog, units and figures read once per dry run (sheets cached per unit and period)."""

    def __init__(self, db: Database, *, fast: bool = True) -> None:
        self.db = db
        #: False: every cell takes the one full route (``_judge_cell``); tests compare both.
        self.fast = fast
        self.indicators = {i.code: i for i in all_indicators(db)}
        self.by_id = {i.id: i for i in self.indicators.values()}
        self.units = {u.code: u for u in units.all_units(db)}
        self.rules: Rules = load_rules(db)
        self._sheets: dict[tuple[int, str], Sheet] = {}
        self._rows: dict[tuple[int, str], dict[int, int]] = {}
        self._periods: dict[str, Period | None] = {}
        self._typed: dict[tuple[int, str], dict[int, float | None]] = {}
        self._figures: dict[tuple[int, str, int], Figure] = {}
        self._closures: dict[int, list[Indicator]] = {}
        #: each closure's derivation rules, worked out once per run (a 320-unit return judges
        #: 11,520 computed cells, each by deriving its closure)
        self._rules: dict[int, Derivation] = {}
        self._cell_rows: dict[tuple[int, int], CellRow] = {}
        self._targets: dict[tuple[str, str], Period | None] = {}
        self.locked = locks.locked_periods(db)
        self._frozen: dict[tuple[int, str], Period | None] = {}
        self._month_codes: dict[str, list[str]] = {}
        self._bounds: dict[tuple[int, str], tuple[float, float]] = {}
        #: By indicator id and period code: whether its figure can only be typed, and the
        #: range a number passes in (``opening``); read by ``judge_sheet`` for every 新增 cell.
        self.openings: dict[tuple[int, str], tuple[bool, tuple[float, float] | None]] = {}
        #: By indicator id and a sheet's column periods: each column's bounds for a whole row
        #: of 新增 numbers (``_FreshRows``), or None where a column needs the cell by cell way.
        self.row_limits: dict[
            tuple[int, tuple[str, ...]], tuple[tuple[float, ...], tuple[float, ...]] | None
        ] = {}
        self._plain: dict[int, bool] = {}  # by indicator: nothing computed in its closure
        self._blank: dict[tuple[int, str], bool] = {}  # by unit and period: nothing typed
        self._parts: dict[int, list[Indicator]] = {}
        for i in self.indicators.values():
            if i.parent_id is not None:
                self._parts.setdefault(i.parent_id, []).append(i)
        self._totals = set(self._parts)
        #: Cells of computed figures that disagree with the store as it is: settled against the
        #: store as the import would leave it, once every cell has been judged (``_settle``).
        self.deferred: list[_Deferred] = []

    def frozen(self, unit_id: int, period: Period) -> Period | None:
        """The submitted period that freezes values under ``period``: itself, or the period a
        year later that shows it as 去年同期 (the store's own rule, ``db.locks``). Found once
        per unit and period: every column of every sheet asks."""
        key = (unit_id, period.code)
        if key in self._frozen:
            return self._frozen[key]
        found = None
        for candidate in (period, Period(period.year + 1, period.kind, period.num)):
            if (unit_id, candidate.code) in self.locked:
                found = candidate
                break
        self._frozen[key] = found
        return found

    def year_frozen(self, unit_id: int, year: int) -> Period | None:
        """A submitted period of ``year``, which freezes that year's 年度目标."""
        found = sorted(code for u, code in self.locked if u == unit_id and code[:4] == str(year))
        return Period.parse(found[0]) if found else None

    def simple(self, indicator: Indicator, period: Period) -> bool:
        """The stored figure an import compares with is the typed value alone: no formula, no
        parts. Such cells (nearly all of a form) are judged without deriving the sheet.

        Months do not matter here: a typed figure wins over its months, and a figure added up
        from months is not a typed one, so the full route finds "no old value" for it as well
        (``_judge_value``: old is the figure only when its source is TYPED). ``fast=False``
        turns every such shortcut off, for the tests that compare both routes.
        """
        return self.fast and not indicator.is_computed and indicator.id not in self._totals

    def figure(self, unit_id: int, period: Period, indicator: Indicator) -> Figure:
        """One figure as the store derives it (totals, rates, months). Derived from only the
        indicators it rests on (``derive`` over a closed subset gives the same figure), since
        a form's rate rows need a few inputs, not a whole sheet, per unit and period."""
        key = (unit_id, period.code, indicator.id)
        if key not in self._figures:
            catalog = self.closure(indicator)
            codes = self.codes_with_months(period)
            if len(codes) > 1:
                self.preload(unit_id, codes)  # the months in one query
            typed = {code: self.typed(unit_id, code) for code in codes}
            monthly = from_months(catalog, period, typed)
            figures = self.derivation(indicator).figures(typed.get(period.code, {}), monthly)
            self._figures[key] = figures[indicator.id]
        return self._figures[key]

    def figure_after(
        self,
        unit_id: int,
        period: Period,
        indicator: Indicator,
        incoming: dict[tuple[int, str], dict[int, float]],
    ) -> Figure:
        """The figure as the store would derive it once the import's typed figures are in."""
        catalog = self.closure(indicator)
        codes = self.codes_with_months(period)
        typed = {
            code: {**self.typed(unit_id, code), **incoming.get((unit_id, code), {})}
            for code in codes
        }
        monthly = from_months(catalog, period, typed)
        return self.derivation(indicator).figures(typed.get(period.code, {}), monthly)[indicator.id]

    def empty_total(
        self,
        unit_id: int,
        indicator: Indicator,
        period: Period,
        typed: Mapping[int, float | None],
    ) -> bool:
        """A total (a figure with parts) that the store cannot derive: none of the figures it
        is made from is computed, and none is typed, in the period or (for a longer period) in
        any of its months. The full route then finds no figure (``derive`` over nothing typed,
        ``from_months`` over nothing), so there is no old value — as for a figure that can
        only be typed. ``typed``: the unit's typed values of ``period``. Answered at once where
        the unit has nothing typed there at all (a first import into an empty file asks for
        every total's every cell)."""
        if not self.fast or indicator.is_computed:
            return False
        closure = self.closure(indicator)
        plain = self._plain.get(indicator.id)
        if plain is None:
            plain = self._plain[indicator.id] = not any(i.is_computed for i in closure)
        if not plain:
            return False
        codes = [period.code] if period.kind is PeriodKind.MONTH else self.codes_with_months(period)
        blank = self._blank.get((unit_id, period.code))
        if blank is None:  # nothing typed at all for the unit there: every total is empty
            if len(codes) > 1:
                self.preload(unit_id, codes)  # what ``figure`` would read, in one go
            blank = not any(
                v is not None
                for c in codes
                for v in (typed if c == period.code else self.typed(unit_id, c)).values()
            )
            self._blank[(unit_id, period.code)] = blank
        if blank:
            return True
        return all(
            (typed if c == period.code else self.typed(unit_id, c)).get(i.id) is None
            for c in codes
            for i in closure
        )

    def within(self, indicator: Indicator, period: Period, value: float) -> bool:
        """Whether ``range_problem`` finds nothing, from two comparisons: the bounds it checks
        (the indicator's min and max, 0–100 for a percentage, the days of the period where a
        rule says so) are gathered once per indicator and period. A water class, and any
        value outside, ask ``range_problem`` itself."""
        low, high = self.bounds(indicator, period)
        if low <= value <= high:
            return True
        return range_problem(indicator, value, period, self.rules) is None

    def opening(self, indicator_id: int, period: Period) -> tuple[bool, tuple[float, float] | None]:
        """Whether the indicator's figure of ``period`` can only be typed (``simple``), and the
        interval a number passes ``range_problem`` in (None: no number passes without a word,
        a water class). Found once per indicator and period: a number for a figure the store
        does not hold, in such a row, unlocked and in range, is 新增 with nothing to say (what
        ``quick`` decides for it); a total's row is that too when the store derives nothing
        there (``empty_total``). Anything else takes the full path and gets its reason."""
        key = (indicator_id, period.code)
        found = self.openings.get(key)
        if found is None:
            indicator = self.by_id[indicator_id]
            low, high = self.bounds(indicator, period)
            bounds = (low, high) if low <= high else None
            found = self.openings[key] = (self.simple(indicator, period), bounds)
        return found

    def bounds(self, indicator: Indicator, period: Period) -> tuple[float, float]:
        """The interval a number passes ``range_problem`` in (empty for a water class)."""
        key = (indicator.id, period.code)
        bounds = self._bounds.get(key)
        if bounds is None:
            bounds = self._bounds[key] = _bounds(indicator, period, self.rules)
        return bounds

    def codes_with_months(self, period: Period) -> list[str]:
        """The period's code, then its months' codes when it is longer than a month."""
        found = self._month_codes.get(period.code)
        if found is None:
            found = [period.code]
            if period.kind is not PeriodKind.MONTH:
                found += [Period.month(period.year, m).code for m in period.months()]
            self._month_codes[period.code] = found
        return found

    def cell_row(self, number: int, indicator: Indicator) -> CellRow:
        """A sheet row of one indicator's figures (made once per dry run, shared by sheets)."""
        found = self._cell_rows.get((number, indicator.id))
        if found is None:
            found = CellRow(number, indicator.id, indicator.name, indicator.decimals)
            self._cell_rows[(number, indicator.id)] = found
        return found

    def closure(self, indicator: Indicator) -> list[Indicator]:
        """The indicator and every one its figure is made from (parts, formula inputs), in
        catalog order."""
        found = self._closures.get(indicator.id)
        if found is None:
            wanted: set[int] = set()
            todo = [indicator]
            while todo:
                current = todo.pop()
                if current.id in wanted:
                    continue
                wanted.add(current.id)
                todo.extend(self._parts.get(current.id, ()))
                if current.formula:
                    codes = dependencies(current.formula)
                    todo.extend(self.indicators[c] for c in codes if c in self.indicators)
            found = [i for i in self.indicators.values() if i.id in wanted]
            self._closures[indicator.id] = found
        return found

    def derivation(self, indicator: Indicator) -> Derivation:
        """How the figures of ``indicator``'s closure are derived, worked out once per run."""
        found = self._rules.get(indicator.id)
        if found is None:
            found = self._rules[indicator.id] = Derivation(self.closure(indicator))
        return found

    def quick(
        self, key: Key, raw: CellValue, measure: str, file: str, sheet: str, address: str
    ) -> DryRunItem | None:
        """The common cell judged in a few dictionary look-ups: a number for a figure that can
        only be typed, in the indicator's own unit. Anything else (text, a computed figure, a
        unit to convert, a problem to explain) returns None and takes the full path."""
        if not self.fast:
            return None
        if key.field not in ("current", "last_year") or type(raw) not in (float, int):
            return None
        unit = self.units.get(key.unit or "")
        indicator = self.indicators.get(key.indicator or "")
        if unit is None or indicator is None or indicator.kind != "number":
            return None
        if indicator.is_computed or (measure and not _same_unit(measure, indicator.unit)):
            return None
        target = self.target(key.period or "", key.field)
        if target is None:
            return None
        old = self.typed(unit.id, target.code).get(indicator.id)
        if old is None and not self.simple(indicator, target):
            return None
        value = float(raw)  # type: ignore[arg-type]  # an int or float, checked above
        status = _status(old, value)
        if status is not Status.UNCHANGED and (
            self.frozen(unit.id, target) is not None or not self.within(indicator, target, value)
        ):
            return None
        subject = Subject(
            unit.id, unit.display_name, indicator.id, indicator.name, key.field, target.code,
            indicator.decimals,
        )  # fmt: skip
        return DryRunItem(file, sheet, address, status, "", subject, old, value)

    def target(self, code: str, which: str) -> Period | None:
        """The period a column writes to: its own, or the same period last year."""
        found = self._targets.get((code, which))
        if found is None and (code, which) not in self._targets:
            period = self.period(code)
            found = None if period is None else (
                period if which == "current" else period.same_period_last_year()
            )  # fmt: skip
            self._targets[(code, which)] = found
        return found

    def preload(self, unit_id: int, codes: Iterable[str]) -> None:
        """Read the typed values of several of a unit's periods in one query, not one each."""
        missing = sorted({c for c in codes if (unit_id, c) not in self._typed})
        for begin in range(0, len(missing), 400):  # 801 parameters: under SQLite's 999
            chunk = missing[begin : begin + 400]
            for code, found in values.numbers_for_periods(self.db, unit_id, chunk).items():
                self._typed[(unit_id, code)] = found

    def typed(self, unit_id: int, code: str) -> dict[int, float | None]:
        """The typed values of one unit's period, by indicator id (read once)."""
        if (unit_id, code) not in self._typed:
            self.preload(unit_id, [code])
        return self._typed[(unit_id, code)]

    def period(self, code: str) -> Period | None:
        if code not in self._periods:
            try:
                self._periods[code] = Period.parse(code)
            except ValueError:
                self._periods[code] = None
        return self._periods[code]

    def sheet(self, unit_id: int, period: Period) -> Sheet:
        key = (unit_id, period.code)
        if key not in self._sheets:
            sheet = read_sheet(self.db, unit_id, period, list(self.indicators.values()))
            self._sheets[key] = sheet
            self._rows[key] = {r.indicator.id: n for n, r in enumerate(sheet.rows)}
        return self._sheets[key]

    def row(self, unit_id: int, period: Period, indicator: Indicator) -> int:
        self.sheet(unit_id, period)
        return self._rows[(unit_id, period.code)][indicator.id]


def _bounds(indicator: Indicator, period: Period, rules: Rules) -> tuple[float, float]:
    """The interval ``range_problem`` accepts for a number (empty for a water class: those
    are checked by ``range_problem`` itself)."""
    if indicator.kind == "water_class":
        return math.inf, -math.inf
    low, high = -math.inf, math.inf
    if indicator.is_percent:
        low = 0.0 if indicator.min_value is None else indicator.min_value
        high = 100.0 if indicator.max_value is None else indicator.max_value
    if indicator.min_value is not None:
        low = max(low, indicator.min_value)
    if indicator.max_value is not None:
        high = min(high, indicator.max_value)
    for rule in rules.cross:
        if rule.kind == "le_days" and rule.left == indicator.code:
            high = min(high, float(period.days()))
    return low, high


def _text_of(value: CellValue) -> str | None:
    """The cell as text to parse; None for an empty cell or a no-value mark."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, (datetime, date, time, timedelta)):
        raise ValueRejected(f"“{value}”是日期或时间，不是数字")
    text = str(value).strip()
    return None if text in EMPTY_MARKS else text


@dataclass(frozen=True)
class _Cell:
    """Where a cell is and what it is about; makes its ``DryRunItem``."""

    file: str
    sheet: str
    address: str
    subject: Subject = field(default_factory=Subject)

    def about(self, **parts: object) -> _Cell:
        return replace(self, subject=replace(self.subject, **parts))  # type: ignore[arg-type]

    def item(
        self,
        status: Status,
        reason: str = "",
        old: float | str | None = None,
        new: float | str | None = None,
    ) -> DryRunItem:
        return DryRunItem(
            self.file, self.sheet, self.address, status, reason, self.subject, old, new
        )

    def error(self, reason: str) -> DryRunItem:
        return self.item(Status.ERROR, reason)


class _Deferred(NamedTuple):
    """A computed figure's cell refused for now: it may agree once the import's inputs are in."""

    item: DryRunItem
    unit_id: int
    period: Period
    indicator: Indicator
    value: float
    how: str  # "由公式计算" or "由分项合计"


class _Lane(NamedTuple):
    """A column whose unit, field and period are its own: the figures its cells are held to."""

    column: CellColumn
    typed: dict[int, float | None]
    unit: Unit
    target: Period


class _Computed(NamedTuple):
    """A row of a computed figure (a rate): its cells are accepted only if they agree."""

    row: CellRow
    indicator: Indicator


_NO_ROW = CellRow(-1, -1, "", 0)  # no indicator has id -1: such a row's cells go the full way
_NO_COLUMN = CellColumn("", -1, "", "", "")
Kept = tuple[CellRow, CellColumn, float, float]


def _lanes(
    ctx: _Context, grid: SheetGrid, layout: SheetLayout
) -> tuple[dict[int, CellRow], dict[int, _Computed], dict[int, _Lane]]:
    """Rows and columns where a cell's meaning is its row's indicator and its column's unit,
    field and period (every EcoDesk export): the rows of figures that can only be typed, the
    rows of computed figures, and the columns of 本期 / 去年同期 of a known unit and period,
    with their stored figures. Other layouts (a unit per row, an indicator per column) give
    none, and each of their cells is judged in full."""
    if any(k.unit or k.period or k.field for k in layout.rows.values()) or any(
        k.indicator for k in layout.columns.values()
    ):
        return {}, {}, {}
    typed_rows: dict[int, CellRow] = {}
    computed_rows: dict[int, _Computed] = {}
    default = layout.default
    measure_column = layout.measure_column
    for number, row_key in layout.rows.items():
        indicator = ctx.indicators.get(row_key.indicator or default.indicator or "")
        if indicator is None or indicator.kind != "number":
            continue
        measure = grid.text(number, measure_column) if measure_column is not None else ""
        if measure and not _same_unit(measure, indicator.unit):
            continue
        row = ctx.cell_row(number, indicator)  # the same rows recur in every unit's sheet
        if indicator.is_computed:
            computed_rows[number] = _Computed(row, indicator)
        else:
            typed_rows[number] = row
    wanted: list[tuple[int, Unit, str, Period]] = []
    for number, column_key in layout.columns.items():
        which = column_key.field or default.field
        unit = ctx.units.get(column_key.unit or default.unit or "")
        if unit is None or which not in ("current", "last_year"):
            continue
        target = ctx.target(column_key.period or default.period or "", which)
        if target is not None:
            wanted.append((number, unit, which, target))
    for unit_id in {unit.id for _, unit, _, _ in wanted}:
        ctx.preload(unit_id, [t.code for _, u, _, t in wanted if u.id == unit_id])
    lanes = {
        number: _Lane(
            CellColumn(_letters(number), unit.id, unit.display_name, which, target.code),
            ctx.typed(unit.id, target.code),
            unit,
            target,
        )
        for number, unit, which, target in wanted
    }
    return typed_rows, computed_rows, lanes


@lru_cache(maxsize=1024)
def _letters(column: int) -> str:
    """A 0-based column's letters: 4 → "E"."""
    return cell_address(0, column)[:-1]


class _SheetJudge:
    """One sheet being judged: its lanes, and each row's key and unit of measure, found once."""

    def __init__(self, ctx: _Context, grid: SheetGrid, layout: SheetLayout, file: str) -> None:
        self.ctx, self.grid, self.layout, self.file = ctx, grid, layout, file
        self.typed_rows, self.computed_rows, self.lanes = _lanes(ctx, grid, layout)
        self._bases: dict[int, tuple[Key, str]] = {}

    def judge(self, row: int, col: int, value: object) -> DryRunItem | Kept | None:
        """A cell the one look-up did not settle, judged in full; None for nothing to do."""
        raw = clean_cell(value)
        if raw is None:
            return None
        lane = self.lanes.get(col)
        computed = self.computed_rows.get(row)
        fast = self.ctx.fast
        if fast and lane is not None and computed is not None and raw.__class__ in (float, int):
            return self.computed(computed, lane, float(raw))  # an int or float: checked
        if row not in self._bases:
            measure_column = self.layout.measure_column
            self._bases[row] = (
                self.layout.rows[row].over(self.layout.default),
                self.grid.text(row, measure_column) if measure_column is not None else "",
            )
        base, measure = self._bases[row]
        key = self.layout.columns[col].over(base)
        if not (key.indicator and key.field):
            return None
        address = cell_address(row, col)
        item = self.ctx.quick(key, raw, measure, self.file, self.grid.name, address)
        if item is None:
            item = _judge_cell(
                self.ctx, key, raw, measure, _Cell(self.file, self.grid.name, address)
            )
        return item

    def empty_total(self, row: CellRow, lane: _Lane) -> bool:
        """A total row's figure in ``lane`` that the store cannot derive (``_Context``)."""
        ctx = self.ctx
        indicator = ctx.by_id[row.indicator_id]
        return ctx.empty_total(lane.unit.id, indicator, lane.target, lane.typed)

    def computed(self, computed: _Computed, lane: _Lane, value: float) -> DryRunItem | Kept:
        """A number in a computed figure's row (what ``_plan_value`` does for one): refused
        unless the store's figure shows the same."""
        indicator, target = computed.indicator, lane.target
        low, high = self.ctx.bounds(indicator, target)
        problem = (
            None  # within what ``range_problem`` accepts: nothing to say (NaN fails both)
            if low <= value <= high and math.isfinite(value)
            else number_problem(indicator, value, target, self.ctx.rules, target=True)
        )
        if problem:
            return self._error(computed.row, lane.column, problem)
        figure = self.ctx.figure(lane.unit.id, target, indicator)
        shown = display(indicator, figure.value)
        if figure.value is not None and display(indicator, value) == shown:
            return (computed.row, lane.column, figure.value, figure.value)
        expected = f"（应为 {shown}）" if shown else ""
        item = self._error(
            computed.row, lane.column, f"“{indicator.name}”由公式计算{expected}，不能导入"
        )
        self.ctx.deferred.append(
            _Deferred(item, lane.unit.id, target, indicator, value, "由公式计算")
        )
        return item

    def _error(self, row: CellRow, column: CellColumn, reason: str) -> DryRunItem:
        subject = Subject(
            column.unit_id, column.unit_name, row.indicator_id, row.indicator_name, column.field,
            column.period, row.decimals,
        )  # fmt: skip
        where = f"{column.letters}{row.number + 1}"
        return DryRunItem(self.file, self.grid.name, where, Status.ERROR, reason, subject)


class _WholeRows:
    """A typed row whose figure cells all equal the store and whose other mapped cells are all
    blank (nearly every row of a returned export) is kept whole, its cells picked and compared
    in C, rather than cell by cell. Any other row returns False and goes cell by cell, so the
    outcome and the order of the cells are the same either way."""

    def __init__(self, lanes: dict[int, _Lane], mapped: Iterable[int]) -> None:
        mapped = sorted(mapped)
        live = [c for c in mapped if c in lanes and lanes[c].typed]  # columns with figures
        others = [c for c in mapped if c not in live]
        self._usable = len(live) >= 2  # itemgetter of one column gives a value, not a tuple
        self._width = (mapped[-1] + 1) if mapped else 0
        self._live = itemgetter(*live) if self._usable else None
        self._typed = [lanes[c].typed for c in live]
        self._columns = [lanes[c].column for c in live]
        self._others = itemgetter(*others, *others) if others else None  # twice: a tuple

    def fits(self, cells: list[Any], row: CellRow) -> tuple[tuple[float, ...], ...] | None:
        """The row's (old, new) figures when it can be kept whole, else None."""
        if self._live is None or len(cells) < self._width:
            return None
        new = self._live(cells)
        old = tuple(map(dict.get, self._typed, repeat(row.indicator_id)))
        if old != new or set(map(type, new)) != _FLOAT:
            return None  # equal floats (so no None), exactly: else judged cell by cell
        if self._others is not None and any(map(ne, self._others(cells), repeat(""))):
            return None  # something in another mapped column ("" is blank; None goes the long way)
        return cast(tuple[float, ...], old), new  # no None in old: checked above

    def keep(self, figures: tuple[tuple[float, ...], ...], row: CellRow, kept: KeptCells) -> None:
        """Add a row's figures that ``fits`` found to the unchanged cells."""
        old, new = figures
        kept.rows.extend(repeat(row, len(new)))
        kept.columns.extend(self._columns)
        kept.old.extend(old)
        kept.new.extend(new)


_FLOAT = {float}


class _FreshRows:
    """A typed row whose figure cells are all numbers the store does not hold, each 新增 with
    nothing to say, and whose other mapped cells are all blank (nearly every row of a first
    import) is kept whole: its numbers picked, their bounds checked and added in C, not cell by
    cell. What each column allows for an indicator (``_Context.opening``) is gathered once per
    indicator and set of column periods, shared by every sheet of the same columns. Any other
    row returns False and goes cell by cell, so the outcome and the order are the same."""

    def __init__(
        self, ctx: _Context, lanes: dict[int, _Lane], mapped: list[int], *, unlocked: bool
    ) -> None:
        """``unlocked``: no column's period is locked (else every row goes cell by cell)."""
        self.ctx = ctx
        live = sorted(c for c in mapped if c in lanes)
        others = [c for c in sorted(mapped) if c not in lanes]
        self._usable = len(live) >= 2 and unlocked  # one column: a value, not a tuple
        self._width = (max(mapped) + 1) if mapped else 0
        self._live = itemgetter(*live) if self._usable else None
        self._typed = [lanes[c].typed for c in live]
        self._columns = [lanes[c].column for c in live]
        self._targets = [lanes[c].target for c in live]
        self._periods = tuple(lanes[c].column.period for c in live)
        self._others = itemgetter(*others, *others) if others else None  # twice: a tuple

    def fits(
        self, cells: list[Any], row: CellRow
    ) -> tuple[tuple[bool, ...], tuple[float, ...]] | None:
        """Which columns hold a number and the numbers, when the row can be kept whole."""
        if self._live is None or len(cells) < self._width:
            return None
        if any(map(is_not, map(dict.get, self._typed, repeat(row.indicator_id)), repeat(None))):
            return None  # the store holds one of them: cell by cell
        values = self._live(cells)
        present = tuple(map(ne, values, repeat("")))
        numbers = tuple(compress(values, present))
        if not numbers or set(map(type, numbers)) != _FLOAT:
            return None
        if self._others is not None and any(map(ne, self._others(cells), repeat(""))):
            return None
        limits = self._limits(row.indicator_id)
        if limits is None:
            return None
        lows, highs = limits
        if not (
            all(map(le, compress(lows, present), numbers))
            and all(map(le, numbers, compress(highs, present)))
        ):
            return None
        return present, numbers

    def keep(
        self, found: tuple[tuple[bool, ...], tuple[float, ...]], row: CellRow, fresh: KeptCells
    ) -> None:
        """Add a row's numbers that ``fits`` found to the kept 新增 cells."""
        present, numbers = found
        fresh.rows.extend(repeat(row, len(numbers)))
        fresh.columns.extend(compress(self._columns, present))
        fresh.old.extend(repeat(None, len(numbers)))
        fresh.new.extend(numbers)

    def _limits(self, indicator_id: int) -> tuple[tuple[float, ...], tuple[float, ...]] | None:
        """Each column's bounds for the indicator, or None if a column's figure is not one
        that can only be typed (or allows no number without a word)."""
        ctx = self.ctx
        key = (indicator_id, self._periods)
        if key in ctx.row_limits:
            return ctx.row_limits[key]
        found: tuple[tuple[float, ...], tuple[float, ...]] | None = None
        opened = [ctx.opening(indicator_id, target) for target in self._targets]
        if all(simple and bounds is not None for simple, bounds in opened):
            bounds = [b for _, b in opened if b is not None]
            found = tuple(b[0] for b in bounds), tuple(b[1] for b in bounds)
        ctx.row_limits[key] = found
        return found


def judge_sheet(ctx: _Context, grid: SheetGrid, layout: SheetLayout, file: str) -> list[Entry]:
    """Judge every mapped cell of one sheet, in reading order.

    Most cells of a returned export are a number equal to the stored figure of an indicator
    that can only be typed: such a cell is known 不变 from one look-up and kept compactly in
    ``KeptCells`` (no record built), and so is a number that is 新增 with nothing to say (a
    first import into an empty file). Every other cell is judged in full into a DryRunItem (an
    unchanged rate is kept compactly too).
    """
    sheet = _SheetJudge(ctx, grid, layout, file)
    runs = _Runs(file, grid.name)
    unchanged, fresh = runs.unchanged, runs.fresh
    add_row, add_column = unchanged.rows.append, unchanged.columns.append
    add_old, add_new = unchanged.old.append, unchanged.new.append
    add_fresh_row, add_fresh_column = fresh.rows.append, fresh.columns.append
    add_fresh_old, add_fresh_new = fresh.old.append, fresh.new.append
    current: KeptCells | None = None  # the kept cells whose run is open
    empty: dict[int, float | None] = {}
    # Indexed by column number, None where nothing is mapped; the loop below looks only at
    # non-empty cells (compress and map run in C: most mapped cells of an export are blank).
    columns: list[tuple[int, CellColumn, dict[int, float | None], _Lane | None] | None] = [None] * (
        max(layout.columns, default=-1) + 1
    )
    mapped = [c for c in layout.columns if c >= 0]  # a hand-edited layout's -1 names no cell
    for c in mapped:
        found = sheet.lanes.get(c)
        columns[c] = (
            (c, found.column, found.typed, found) if found else (c, _NO_COLUMN, empty, None)
        )
    typed_rows = sheet.typed_rows if ctx.fast else {}  # no typed row: every cell judged in full
    whole = _WholeRows(sheet.lanes, mapped)
    cells_by_row = grid.cells
    isclose = math.isclose
    blanks = repeat("")
    openings = ctx.openings  # by indicator and period: (can only be typed, its range)
    frozen = [False] * len(columns)  # by column number: its unit's period is locked
    for c, found in sheet.lanes.items():
        if 0 <= c < len(frozen):
            frozen[c] = ctx.frozen(found.unit.id, found.target) is not None
    whole_new = _FreshRows(ctx, sheet.lanes, mapped, unlocked=not any(frozen))
    for row in sorted(layout.rows):
        if row >= len(cells_by_row):
            break
        cells = cells_by_row[row]
        lane = typed_rows.get(row, _NO_ROW)
        figures = whole.fits(cells, lane) if lane is not _NO_ROW else None
        if figures is not None:
            if current is not unchanged:
                current = runs.open(unchanged)
            whole.keep(figures, lane, unchanged)
            continue
        numbers = whole_new.fits(cells, lane) if lane is not _NO_ROW else None
        if numbers is not None:
            if current is not fresh:
                current = runs.open(fresh)
            whole_new.keep(numbers, lane, fresh)
            continue
        indicator_id = lane.indicator_id
        computed = sheet.computed_rows.get(row)
        for spec, raw in compress(zip(columns, cells, strict=False), map(ne, cells, blanks)):
            if spec is None:
                continue
            col, column, typed, column_lane = spec
            kind = raw.__class__
            judged: DryRunItem | Kept | None
            if not ctx.fast:
                judged = sheet.judge(row, col, raw)
            elif (
                computed is not None and column_lane is not None and (kind is float or kind is int)
            ):
                judged = sheet.computed(computed, column_lane, float(raw))  # a rate, say
            elif kind is float or kind is int:
                old = typed.get(indicator_id)
                if old is not None:
                    new = raw if kind is float else float(raw)
                    if old == new or (
                        old.__class__ is float and isclose(old, new, rel_tol=1e-9, abs_tol=1e-12)
                    ):  # same_value and KeptCells.add inlined: this runs for most cells
                        if current is not unchanged:
                            current = runs.open(unchanged)
                        add_row(lane)
                        add_column(column)
                        add_old(old)
                        add_new(new)
                        continue
                    judged = sheet.judge(row, col, raw)
                elif column_lane is not None and lane is not _NO_ROW:
                    new = raw if kind is float else float(raw)
                    opened = openings.get((indicator_id, column.period))
                    if opened is None:
                        opened = ctx.opening(indicator_id, column_lane.target)
                    simple, bounds = opened
                    if (
                        bounds is not None
                        and bounds[0] <= new <= bounds[1]
                        and not frozen[col]
                        and (simple or sheet.empty_total(lane, column_lane))
                    ):
                        if current is not fresh:  # 新增 with nothing to say: kept compactly
                            current = runs.open(fresh)
                        add_fresh_row(lane)
                        add_fresh_column(column)
                        add_fresh_old(None)
                        add_fresh_new(new)
                        continue
                    judged = sheet.judge(row, col, raw)
                else:
                    judged = sheet.judge(row, col, raw)
            else:
                judged = sheet.judge(row, col, raw)
            if judged is None:
                continue
            if isinstance(judged, tuple):
                if current is not unchanged:
                    current = runs.open(unchanged)
                unchanged.add(*judged)
                continue
            runs.add(judged)
            current = None
    runs.close()
    return runs.entries


class _Runs:
    """A sheet's entries in reading order: records, and runs of kept cells (不变 or 新增), a
    run closed whenever the next cell is of another kind."""

    def __init__(self, file: str, sheet: str) -> None:
        self.entries: list[Entry] = []
        self.unchanged = KeptCells(file, sheet)
        self.fresh = KeptCells(file, sheet, Status.NEW)
        self._open: KeptCells | None = None
        self._start = 0

    def open(self, cells: KeptCells) -> KeptCells:
        """Close the open run; the cells added to ``cells`` from now on make the next."""
        self.close()
        self._open, self._start = cells, len(cells)
        return cells

    def close(self) -> None:
        cells = self._open
        if cells is not None and len(cells) > self._start:
            self.entries.append(KeptRun(cells, self._start, len(cells)))
        self._open = None

    def add(self, item: DryRunItem) -> None:
        self.close()
        self.entries.append(item)


def _judge_cell(
    ctx: _Context, key: Key, raw: CellValue, measure: str, cell: _Cell
) -> DryRunItem | None:
    unit = ctx.units.get(key.unit or "")
    indicator = ctx.indicators.get(key.indicator or "")
    if unit is None:
        return cell.error("无法确定填报单位" if not key.unit else f"没有代码为“{key.unit}”的单位")
    if indicator is None:
        cell = cell.about(unit_id=unit.id, unit_name=unit.display_name, field=key.field or "")
        return cell.error(f"没有代码为“{key.indicator}”的指标")
    period = ctx.period(key.period or "")
    subject = Subject(
        unit.id, unit.display_name, indicator.id, indicator.name, key.field or "",
        period.code if period else "", indicator.decimals,
    )  # fmt: skip
    cell = _Cell(cell.file, cell.sheet, cell.address, subject)
    if period is None:
        return cell.error("无法确定期间（表头或标题中应写明，如“2022年1-10月”）")
    try:
        text = _text_of(raw)
    except ValueRejected as exc:
        return cell.error(exc.message)
    if text is None:
        return None
    if key.field == "note":
        return _judge_note(ctx, unit, indicator, period, text, cell.about(period=period.code))
    converted = bool(measure) and not _same_unit(measure, indicator.unit)
    if converted:
        text = f"{text}{measure}"  # "1.08" in a 亿元 row becomes 10800 万元, or is refused
    if key.field == "target":
        return _judge_target(
            ctx, unit, indicator, period, text, cell.about(period=str(period.year))
        )
    if key.field not in ("current", "last_year"):
        return cell.error(f"未知的栏目“{key.field}”")
    number = (
        float(raw)
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and not converted
        and indicator.kind == "number"
        else None
    )  # fmt: skip
    return _judge_value(ctx, unit, indicator, period, key.field, text, cell, number)


@lru_cache(maxsize=256)
def _same_unit(written: str, unit: str) -> bool:
    """A form's unit column agrees with the indicator's unit (cached: one pair per row)."""
    return compact(written) == compact(unit)


def _status(old: float | str | None, new: float | str | None) -> Status:
    if old is None:
        return Status.NEW
    return Status.UNCHANGED if same_value(old, new) else Status.CHANGED


def _judge_value(
    ctx: _Context,
    unit: Unit,
    indicator: Indicator,
    period: Period,
    which: str,
    text: str,
    cell: _Cell,
    number: float | None = None,
) -> DryRunItem:
    target_period = period if which == "current" else period.same_period_last_year()
    if which != "current":
        cell = cell.about(period=target_period.code)
    try:
        new = (
            accept_number(indicator, number, target_period, ctx.rules, target=indicator.is_computed)
            if number is not None
            else accept_input(
                indicator, text, target_period, ctx.rules, target=indicator.is_computed
            )
        )
    except ValueRejected as exc:
        return cell.error(exc.message)
    if new is None:
        return cell.item(Status.UNCHANGED)
    typed = ctx.typed(unit.id, target_period.code)
    if ctx.simple(indicator, target_period) or (
        not indicator.is_computed and typed.get(indicator.id) is not None
    ):  # a typed figure wins over parts and months: no need to derive the sheet
        old = typed.get(indicator.id)
        status = _status(old, new)
        frozen = ctx.frozen(unit.id, target_period)
        if frozen is not None and status is not Status.UNCHANGED:
            return cell.error(_locked_value(frozen, target_period))
        return cell.item(status, old=old, new=new)
    figure = ctx.figure(unit.id, target_period, indicator)
    if figure.source in (Source.FORMULA, Source.PARTS) or indicator.is_computed:
        # A computed figure is never typed: accept the cell only if it agrees with the store.
        shown = display(indicator, figure.value)
        if figure.value is not None and display(indicator, new) == shown:
            return cell.item(Status.UNCHANGED, old=figure.value, new=figure.value)
        how = "由公式计算" if indicator.is_computed else "由分项合计"
        expected = f"（应为 {shown}）" if shown else ""
        item = cell.error(f"“{indicator.name}”{how}{expected}，不能导入")
        if isinstance(new, float):
            ctx.deferred.append(_Deferred(item, unit.id, target_period, indicator, new, how))
        return item
    old = figure.value if figure.source is Source.TYPED else None
    status = _status(old, new)
    frozen = ctx.frozen(unit.id, target_period)
    if frozen is not None and status is not Status.UNCHANGED:
        return cell.error(_locked_value(frozen, target_period))
    return cell.item(status, old=old, new=new)


def _judge_target(
    ctx: _Context, unit: Unit, indicator: Indicator, period: Period, text: str, cell: _Cell
) -> DryRunItem:
    try:
        new = accept_input(indicator, text, Period.whole_year(period.year), ctx.rules, target=True)
    except ValueRejected as exc:
        return cell.error(exc.message)
    if new is None:
        return cell.item(Status.UNCHANGED)
    old = ctx.sheet(unit.id, period).rows[ctx.row(unit.id, period, indicator)].target
    status = _status(old, new)
    frozen = ctx.year_frozen(unit.id, period.year)
    if frozen is not None and status is not Status.UNCHANGED:
        return cell.error(f"{locks.target_refusal(frozen)}，请先在数据填报页解锁")
    return cell.item(status, old=old, new=new)


def _locked_value(frozen: Period, period: Period) -> str:
    """The preview's reason for a value a submitted period froze (its own or its 去年同期)."""
    return f"{locks.value_refusal(frozen, period.code)}，请先在数据填报页解锁"


def _judge_note(
    ctx: _Context, unit: Unit, indicator: Indicator, period: Period, text: str, cell: _Cell
) -> DryRunItem:
    if indicator.is_computed:  # the store keeps no row for it, so no note either (a trigger)
        return cell.error(
            f"“{indicator.name}”由公式计算，不能填写备注；请删去此备注，或写在它的分项指标的备注中"
        )
    problem = imported_problem(text, "备注")
    if problem:
        return cell.error(problem)
    text = clean_entry(text, "备注")
    sheet = ctx.sheet(unit.id, period)
    old = sheet.rows[ctx.row(unit.id, period, indicator)].note or None
    frozen = ctx.frozen(unit.id, period)
    if frozen is not None and text != old:
        return cell.error(_locked_value(frozen, period))
    return cell.item(_status(old, text), old=old, new=text)


def new_context(db: Database) -> _Context:
    """The catalog, units, rules and locks read once, for judging several workbooks in a row
    (a folder of returns): nothing is written meanwhile, so what was read stays true."""
    return _Context(db)


def dry_run_workbook(
    db: Database,
    grid: WorkbookGrid,
    layouts: Iterable[SheetLayout],
    *,
    progress: Progress | None = None,
    context: _Context | None = None,
    fast: bool = True,
) -> DryRun:
    """The dry run for one workbook with the given sheet layouts (``context``: read already,
    for a folder of returns; ``fast=False``: every cell by the one full route, which the
    shortcuts must agree with)."""
    ctx = context if context is not None else _Context(db, fast=fast)
    ctx.deferred = []
    entries: list[Entry] = []
    layouts = list(layouts)
    for number, layout in enumerate(layouts, start=1):
        entries.extend(judge_sheet(ctx, grid.sheet(layout.sheet), layout, grid.path.name))
        if progress is not None and not progress(number, len(layouts)):
            raise Cancelled("已取消")
    if ctx.deferred:
        entries = _settle(ctx, entries)
    dry_run = DryRun.compact(entries, [grid.path.name])
    mark_conflicts(dry_run)
    return dry_run


def _settle(ctx: _Context, entries: list[Entry]) -> list[Entry]:
    """Computed figures' cells judged against the store as the import would leave it.

    A branch's return carries its rates and totals beside their inputs; in an office's file
    that does not hold those inputs yet (or holds older ones), the rate in the file cannot
    agree with the store before the import, only after it. Such a cell is 不变 (a computed
    figure is never written) when it agrees with the figure the imported inputs give, and
    stays an error, with the figure it should show, when it does not.
    """
    incoming: dict[tuple[int, str], dict[int, float]] = {}
    writing = (Status.NEW, Status.CHANGED)
    # Only the figures the deferred cells are made from matter (``figure_after`` derives over
    # their closures): of a first import's kept 新增 cells, the others are passed over in C.
    wanted = {i.id for d in ctx.deferred for i in ctx.closure(d.indicator)}
    written = False  # any figure written at all: the deferred cells are then settled
    for entry in entries:
        if entry.status not in writing:
            continue
        if not isinstance(entry, DryRunItem):
            written = True  # kept 新增 cells: figures of typed rows' lanes
            cells, start, stop = entry.cells, entry.start, entry.stop
            rows = cells.rows[start:stop]
            for row, column, number in compress(
                zip(rows, cells.columns[start:stop], cells.new[start:stop], strict=True),
                map(wanted.__contains__, map(itemgetter(1), rows)),
            ):
                incoming.setdefault((column.unit_id, column.period), {})[row.indicator_id] = number
            continue
        subject, new = entry.subject, entry.new
        if (
            subject.field in ("current", "last_year")
            and isinstance(new, float)
            and subject.unit_id is not None
            and subject.indicator_id is not None
        ):
            incoming.setdefault((subject.unit_id, subject.period), {})[subject.indicator_id] = new
            written = True
    if not written:
        return entries
    settled: dict[int, DryRunItem] = {}
    for deferred in ctx.deferred:
        indicator, item = deferred.indicator, deferred.item
        figure = ctx.figure_after(deferred.unit_id, deferred.period, indicator, incoming)
        shown = display(indicator, figure.value)
        if figure.value is not None and display(indicator, deferred.value) == shown:
            reason = f"{deferred.how}，与导入后的计算结果一致（不单独写入）"
            settled[id(item)] = replace(
                item, status=Status.UNCHANGED, reason=reason, old=figure.value, new=figure.value
            )
        elif shown:
            reason = f"“{indicator.name}”{deferred.how}（导入后应为 {shown}），不能导入"
            settled[id(item)] = replace(item, reason=reason)
    return [settled.get(id(e), e) if isinstance(e, DryRunItem) else e for e in entries]


def commit_dry_run(db: Database, dry_run: DryRun, source: str) -> int:
    """Write every accepted item in one transaction; return how many were written.

    Each item's old value is checked again inside the transaction: if the database changed
    since the dry run (someone typed a figure, a period was locked), nothing is written and a
    ``StorageError`` says which cell to look at.
    """
    return _apply(db, dry_run.accepted, source, undo=False)


def revert_dry_run(db: Database, dry_run: DryRun, source: str) -> int:
    """Undo a committed import: put back each replaced figure, in one transaction.

    Refused whole (``StorageError``) if any of those figures was changed after the import.
    """
    return _apply(db, dry_run.accepted, source, undo=True)


def _apply(db: Database, accepted: list[DryRunItem], source: str, *, undo: bool) -> int:
    if not accepted:
        return 0
    numbers: dict[tuple[int, str, int], float | None] = {}
    notes: dict[tuple[int, str, int], str] = {}
    goals: list[tuple[int, int, int, float | None]] = []
    with db.transaction(), db.audit_source(source):
        ctx = _Context(db)
        periods: dict[int, set[str]] = {}
        for item in accepted:
            if item.unit_id is not None and item.field in ("current", "last_year"):
                periods.setdefault(item.unit_id, set()).add(item.period)
        for unit_id, codes in periods.items():
            ctx.preload(unit_id, codes)  # each unit's figures in one query, not one per period
        for item in accepted:
            expected, wanted = (item.new, item.old) if undo else (item.old, item.new)
            _recheck(ctx, item, expected, undo=undo)
            assert item.unit_id is not None and item.indicator_id is not None
            key = (item.unit_id, item.period, item.indicator_id)
            if item.field == "target":
                goal = wanted if isinstance(wanted, float) else None
                goals.append((item.unit_id, item.indicator_id, int(item.period), goal))
            elif item.field == "note":
                notes[key] = str(wanted or "")
            else:
                numbers[key] = wanted if isinstance(wanted, float) else None
        values.write_values(db, _value_writes(db, numbers, notes))
        targets.set_targets(db, goals)
    return len(accepted)


def _value_writes(
    db: Database,
    numbers: dict[tuple[int, str, int], float | None],
    notes: dict[tuple[int, str, int], str],
) -> list[values.ValueWrite]:
    """One write per figure: a figure and its 备注 imported together are one row, so the note's
    write cannot put back the value the figure had before the import."""
    writes = [values.ValueWrite(*key, number, notes.get(key)) for key, number in numbers.items()]
    for key, note in notes.items():
        if key not in numbers:
            stored = values.values_for(db, key[0], key[1]).get(key[2])
            writes.append(values.ValueWrite(*key, stored.value if stored else None, note))
    return writes


def _recheck(ctx: _Context, item: DryRunItem, expected: float | str | None, *, undo: bool) -> None:
    assert item.unit_id is not None and item.indicator_id is not None
    indicator = ctx.by_id[item.indicator_id]
    if item.field == "target":
        period = Period.whole_year(int(item.period))
        frozen = ctx.year_frozen(item.unit_id, period.year)
        if frozen is not None:
            raise PeriodLocked(
                f"{item.where}：{frozen.label}已被锁定，{period.year}年的年度目标"
                f"全部未{'撤销' if undo else '导入'}"
            )
        current: float | str | None = (
            ctx.sheet(item.unit_id, period).rows[ctx.row(item.unit_id, period, indicator)].target
        )
    else:
        found = ctx.period(item.period)
        assert found is not None
        period = found
        frozen = ctx.frozen(item.unit_id, period)
        if frozen is not None:
            raise PeriodLocked(
                f"{item.where}：{frozen.label}已被锁定，全部未{'撤销' if undo else '导入'}"
            )
        if item.field == "note":
            sheet = ctx.sheet(item.unit_id, period)
            current = sheet.rows[ctx.row(item.unit_id, period, indicator)].note or None
        else:  # the typed figure, as the store holds it (none when the figure is derived)
            current = ctx.typed(item.unit_id, period.code).get(item.indicator_id)
    if not same_value(current, expected):
        shown = item.shown(current) or "空"
        if undo:
            raise StorageError(
                f"{item.where} 对应的数据在导入后已被修改（现为 {shown}），无法撤销导入"
            )
        raise StorageError(
            f"{item.where}：数据库中的值在预览后已改变（现为 {shown}），全部未导入，请重新预览"
        )
