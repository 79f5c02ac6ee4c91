"""Where the figures sit in a sheet: the mapping from cells to (unit, indicator, period, field).

A cell's meaning is the sheet's defaults, overridden by what its row says, overridden by what
its column says. The same structure describes our own export (stored in the workbook's hidden
``_ecodesk`` sheet, so a returned file imports exactly), a form detected from its headers, and a
bureau's form mapped once by a user and saved as a template for next month's copy.

Fields: ``current`` (本期), ``last_year`` (去年同期), ``target`` (年度目标), ``note`` (备注).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any

FIELDS = ("current", "last_year", "target", "note")


@dataclass(frozen=True)
class Key:
    """A partial address; ``None`` means "given elsewhere"."""

    unit: str | None = None
    indicator: str | None = None
    period: str | None = None
    field: str | None = None

    def over(self, base: Key) -> Key:
        """This key's parts where set, else ``base``'s."""
        return Key(
            self.unit or base.unit,
            self.indicator or base.indicator,
            self.period or base.period,
            self.field or base.field,
        )

    @property
    def complete(self) -> bool:
        return None not in (self.unit, self.indicator, self.period, self.field)


@dataclass
class SheetLayout:
    """How one sheet maps to the store. Rows and columns are 0-based."""

    sheet: str
    default: Key = field(default_factory=Key)
    rows: dict[int, Key] = field(default_factory=dict)
    columns: dict[int, Key] = field(default_factory=dict)
    #: A column holding each row's unit of measure (a form may count money in 亿元).
    measure_column: int | None = None
    #: Where the form names the reporting unit (填报单位), for the report.
    unit_cell: tuple[int, int] | None = None
    #: Rows a person marked "不导入" when mapping the form (no catalog figure): named in every
    #: import's report, never judged.
    ignored: set[int] = field(default_factory=set)

    def key(self, row: int, col: int) -> Key:
        return self.columns.get(col, Key()).over(self.rows.get(row, Key()).over(self.default))

    def cells(self) -> list[tuple[int, int, Key]]:
        """Every mapped cell with its full key, in reading order."""
        found = []
        for row in sorted(self.rows):
            for col in sorted(self.columns):
                key = self.key(row, col)
                if key.indicator and key.field:
                    found.append((row, col, key))
        return found

    def with_default(self, **parts: str | None) -> SheetLayout:
        return replace(self, default=replace(self.default, **parts))

    def told(self, unit_code: str | None, period_code: str | None) -> SheetLayout:
        """The layout with the unit and period the user named (when the form does not say):
        a named period overrides every column's own, since the user chose it for the file."""
        layout = self
        if unit_code:
            layout = layout.with_default(unit=unit_code)
        if period_code is not None:
            layout = layout.with_default(period=period_code)
            layout.columns = {c: replace(k, period=None) for c, k in layout.columns.items()}
        return layout

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "sheet": self.sheet,
            "default": asdict(self.default),
            "rows": {str(k): _plain(v) for k, v in self.rows.items()},
            "columns": {str(k): _plain(v) for k, v in self.columns.items()},
            "measure_column": self.measure_column,
            "unit_cell": list(self.unit_cell) if self.unit_cell else None,
        }
        if self.ignored:
            data["ignored"] = sorted(self.ignored)
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> SheetLayout:
        data = json.loads(text)
        unit_cell = data.get("unit_cell")
        return cls(
            sheet=str(data["sheet"]),
            default=_key(data.get("default", {})),
            rows={int(k): _key(v) for k, v in data.get("rows", {}).items()},
            columns={int(k): _key(v) for k, v in data.get("columns", {}).items()},
            measure_column=data.get("measure_column"),
            unit_cell=(int(unit_cell[0]), int(unit_cell[1])) if unit_cell else None,
            ignored={int(r) for r in data.get("ignored", [])},
        )


@lru_cache(maxsize=4096)
def _plain(key: Key) -> dict[str, str | None]:
    """``asdict(key)``, once per distinct key: an export's sheets repeat the same row and column
    keys, and ``asdict`` was a tenth of writing the ``_ecodesk`` sheet. Only read (by json)."""
    return asdict(key)


def _key(parts: dict[str, Any]) -> Key:
    """``Key(**parts)``, shared: an export's 130 sheets repeat the same row and column keys."""
    try:
        return _interned(tuple(parts.items()))
    except TypeError:  # a value that cannot be hashed (a hand-edited layout): no sharing
        return Key(**parts)


@lru_cache(maxsize=4096)
def _interned(parts: tuple[tuple[str, Any], ...]) -> Key:
    return Key(**dict(parts))
