"""全部单位一览: one period, units as rows in tree order, an indicator group as columns.

Each unit's figures are the grid's own (``db.sheet.read_sheet``: typed, from months, totals
from parts, formulas). Below each unit that has children comes its 下属合计 row, computed by
each indicator's aggregation rule over the unit tree: ``sum`` adds the children, ``mean``
averages those that have the figure, a formula (a rate) is recomputed from the totals of its
inputs (信访立案率 = 立案 total / 信访 total, never a mean of rates), and ``none`` (ranks,
classes, rates kept as typed) is not totalled. A child without its own figure contributes its
own 下属合计 when it has one (a 分局 whose 街道 report), and how many children lack the figure is
kept, so a total that is not complete says so.

Sorting and filtering are SQL (``db.overview``): the figures are loaded once per period, every
sort re-queries the tree with siblings ordered by the column; 下属合计 rows stay under their unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from db import overview, units
from db.connection import Database
from db.indicators import all_indicators
from db.overview import EVERY_UNIT, TREE_ORDER, OverviewFilter, OverviewSort
from db.periods import Period
from db.records import Indicator, Unit
from db.sheet import derive, display, read_sheet
from desktop.services.common.bureau_table import write_table_workbook
from desktop.services.common.wording import source_line

MISSING = "未填"
NOT_TOTALLED = "—"


@dataclass(frozen=True)
class OverviewRow:
    """A unit's own figures, or (``total``) the 下属合计 of its children."""

    unit: Unit
    depth: int
    total: bool
    values: dict[int, float | None]
    #: indicator id → how many children lacked the figure (total rows only)
    gaps: dict[int, int] = field(default_factory=dict)
    children: int = 0

    @property
    def label(self) -> str:
        name = self.unit.display_name
        return f"{name} 下属合计（{self.children} 个单位）" if self.total else name


@dataclass(frozen=True)
class Totals:
    """A parent's 下属合计: figures and the number of children lacking each."""

    values: dict[int, float | None]
    gaps: dict[int, int]
    children: int


def group_indicators(db: Database, category: str) -> list[Indicator]:
    """The indicators of one group (the catalog's category), in catalog order."""
    return [i for i in all_indicators(db) if i.category == category]


def unit_figures(db: Database, period: Period) -> dict[int, dict[int, float | None]]:
    """Every unit's figures for ``period`` as the grid derives them: unit → indicator → value."""
    catalog = all_indicators(db)
    return {
        u.id: {r.indicator.id: r.current.value for r in read_sheet(db, u.id, period, catalog).rows}
        for u in units.all_units(db)
    }


def tree_totals(
    all_units: Sequence[Unit],
    figures: dict[int, dict[int, float | None]],
    catalog: Sequence[Indicator],
) -> dict[int, Totals]:
    """The 下属合计 of every unit with children, by each indicator's aggregation rule."""
    children: dict[int, list[Unit]] = {}
    for unit in all_units:
        if unit.parent_id is not None:
            children.setdefault(unit.parent_id, []).append(unit)
    result: dict[int, Totals] = {}

    def total_of(parent: int) -> Totals:
        if parent in result:
            return result[parent]
        kids = children[parent]
        contributions: list[dict[int, float | None]] = []
        for kid in kids:
            own = dict(figures.get(kid.id, {}))
            if kid.id in children:  # a child without its own figure gives its own total
                below = total_of(kid.id).values
                for key, value in below.items():
                    if own.get(key) is None:
                        own[key] = value
            contributions.append(own)
        aggregated: dict[int, float | None] = {}
        gaps: dict[int, int] = {}
        for ind in catalog:
            present = [c[ind.id] for c in contributions if c.get(ind.id) is not None]
            gaps[ind.id] = len(contributions) - len(present)
            if ind.is_computed or not present:
                continue
            numbers = [float(v) for v in present if v is not None]
            if ind.unit_agg == "sum":
                aggregated[ind.id] = sum(numbers)
            elif ind.unit_agg == "mean":
                aggregated[ind.id] = sum(numbers) / len(numbers)
        derived = derive(list(catalog), aggregated)
        values: dict[int, float | None] = {}
        for ind in catalog:
            if ind.is_computed or ind.unit_agg in ("sum", "mean"):
                values[ind.id] = derived[ind.id].value
            else:
                values[ind.id] = None
        result[parent] = Totals(values, gaps, len(kids))
        return result[parent]

    for parent in children:
        total_of(parent)
    return result


def totalled(indicator: Indicator) -> bool:
    """Whether a 下属合计 is computed for the indicator (else it shows "—")."""
    return indicator.is_computed or indicator.unit_agg in ("sum", "mean")


class OverviewSource:
    """The figures of one period loaded for sorting and filtering in SQL.

    ``load`` derives every unit's figures and the tree totals once; ``rows`` re-queries the
    tree in the order and with the filters asked for, as often as the user clicks a header.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.period: Period | None = None
        self.units: dict[int, Unit] = {}
        self.totals: dict[int, Totals] = {}
        self.catalog: list[Indicator] = []

    def load(self, period: Period) -> None:
        self.period = period
        self.catalog = all_indicators(self.db)
        all_units = units.all_units(self.db)
        self.units = {u.id: u for u in all_units}
        figures = unit_figures(self.db, period)
        self.totals = tree_totals(all_units, figures, self.catalog)
        overview.load_cells(
            self.db,
            ((u, i, v) for u, row in figures.items() for i, v in row.items()),
        )

    def rows(
        self,
        indicators: Sequence[Indicator],
        sort: OverviewSort = TREE_ORDER,
        wanted: OverviewFilter = EVERY_UNIT,
        with_totals: bool = True,
    ) -> list[OverviewRow]:
        """Units in tree order (siblings by ``sort``), each followed by its 下属合计 row."""
        ids = [i.id for i in indicators]
        held = overview.held_values(self.db, ids)
        result = []
        for unit_id, depth in overview.ordered_units(self.db, sort, wanted):
            unit = self.units[unit_id]
            own = held.get(unit_id, {})
            result.append(OverviewRow(unit, depth, False, {i: own.get(i) for i in ids}))
            total = self.totals.get(unit_id)
            if with_totals and total is not None:
                result.append(
                    OverviewRow(
                        unit,
                        depth,
                        True,
                        {i: total.values.get(i) for i in ids},
                        {i: total.gaps.get(i, 0) for i in ids},
                        total.children,
                    )
                )
        return result


def cell_text(indicator: Indicator, row: OverviewRow) -> str:
    """A cell as shown and exported: the figure, 未填, — (not totalled), or "12（缺1）"."""
    value = row.values.get(indicator.id)
    if row.total and not totalled(indicator):
        return NOT_TOTALLED
    if value is None:
        return MISSING
    text = display(indicator, value)
    gap = row.gaps.get(indicator.id, 0)
    return f"{text}（缺{gap}）" if row.total and gap else text


def header_text(indicator: Indicator) -> str:
    return f"{indicator.name}（{indicator.unit}）" if indicator.unit else indicator.name


def table_rows(indicators: Sequence[Indicator], rows: Sequence[OverviewRow]) -> list[list[str]]:
    """Rows as printed and exported: the unit (indented by depth) then each cell."""
    return [["　" * r.depth + r.label, *(cell_text(i, r) for i in indicators)] for r in rows]


def export_overview(
    path: Path,
    period: Period,
    group: str,
    indicators: Sequence[Indicator],
    rows: Sequence[OverviewRow],
    today: date,
) -> int:
    """The table in the bureau layout (A4 landscape, ruled, header on every page); row count."""
    header = ["单位", *(header_text(i) for i in indicators)]
    write_table_workbook(
        path,
        name=f"全部单位一览_{group}",
        title=f"{period.label}各单位{group}指标一览",
        subtitle=f"“未填”为未填报；“—”为不汇总的指标；合计后“（缺n）”为有 n 个下属单位未填。"
        f"　{source_line(today)}",
        header=header,
        rows=table_rows(indicators, rows),
        widths=[30, *(14 for _ in indicators)],
        wrap_columns=list(range(len(header))),
    )
    return len(rows)
