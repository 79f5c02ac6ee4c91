"""What a dry run found, cell by cell: the records of a ``DryRun``, shared by every import.

The Excel exchange, the ledger import and the monitoring imports all show the user the same
preview (新增 / 修改 / 不变 / 错误 with sheet and cell) and commit only what it accepted, so their
records live here, outside any one capability.

A returned export is nearly all 不变: of 80,000 cells a handful changed; a first import into an
empty file is nearly all 新增. Building a frozen ``DryRunItem`` for each such cell cost more than
reading the workbook, so the judging keeps runs of them in a compact table (``KeptCells``: the
row and the column are described once, each cell is four references) and a ``DryRunItem`` is
made only when something asks for that cell: the preview scrolling to it, a filter, the commit,
or code reading ``dry_run.items``, which then holds every cell as a plain list, exactly as
before. Counting, the errors and the conflicts never need the kept cells' records.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from itertools import accumulate
from operator import itemgetter
from typing import NamedTuple, overload

from db.numbers import format_number
from desktop.services.common.wording import FIELD_LABELS, bracketed


class Status(StrEnum):
    NEW = "新增"
    CHANGED = "修改"
    UNCHANGED = "不变"
    ERROR = "错误"


@dataclass(frozen=True, slots=True)
class Subject:
    """What a cell is about, as far as it could be determined."""

    unit_id: int | None = None
    unit_name: str = ""
    indicator_id: int | None = None
    indicator_name: str = ""
    field: str = ""
    period: str = ""  # the period written to (last year's for 去年同期; the year for targets)
    decimals: int = 0


@dataclass(frozen=True, slots=True)
class DryRunItem:
    """One cell of the workbook and what importing it would do."""

    file: str
    sheet: str
    cell: str
    status: Status
    reason: str = ""
    subject: Subject = field(default_factory=Subject)
    old: float | str | None = None
    new: float | str | None = None

    @property
    def unit_id(self) -> int | None:
        return self.subject.unit_id

    @property
    def indicator_id(self) -> int | None:
        return self.subject.indicator_id

    @property
    def field(self) -> str:
        return self.subject.field

    @property
    def period(self) -> str:
        return self.subject.period

    @property
    def unit_name(self) -> str:
        return self.subject.unit_name

    @property
    def indicator_name(self) -> str:
        return self.subject.indicator_name

    @property
    def where(self) -> str:
        """sheet!cell; empty for a whole file refused (no "!" on its own)."""
        return f"{self.sheet}!{self.cell}" if self.sheet or self.cell else ""

    def shown(self, value: float | str | None) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            return format_number(value, self.subject.decimals)
        return value

    def describe(self) -> str:
        """One line for a report: where, what, and what happens."""
        what = f"{self.unit_name} {self.indicator_name} {FIELD_LABELS.get(self.field, '')}"
        if self.status is Status.ERROR:
            return (
                f"{' '.join(filter(None, (self.file, self.where)))}{bracketed(what)}：{self.reason}"
            )
        if self.status is Status.CHANGED:
            change = f"{self.shown(self.old)} → {self.shown(self.new)}"
        else:
            change = self.shown(self.new)
        return f"{self.file} {self.where}{bracketed(what)}：{self.status.value} {change}"


class CellRow(NamedTuple):
    """A sheet row whose cells are one indicator's (0-based ``number``). A named tuple: one is
    made per row and column of every sheet, and tuples are the cheapest record to make."""

    number: int
    indicator_id: int
    indicator_name: str
    decimals: int


class CellColumn(NamedTuple):
    """A sheet column whose cells are one unit's field of one period (the period written to)."""

    letters: str
    unit_id: int
    unit_name: str
    field: str
    period: str


class KeptCells:
    """One sheet's cells of one status (不变, or 新增 into a file without them) in reading
    order, as four parallel lists: each cell's row, column, old and new value. Parallel lists,
    not a tuple per cell: appending existing objects allocates nothing, so judging 200,000
    cells does not set off garbage collection passes over the whole heap."""

    __slots__ = ("columns", "file", "new", "old", "rows", "sheet", "status")

    def __init__(self, file: str, sheet: str, status: Status = Status.UNCHANGED) -> None:
        self.file = file
        self.sheet = sheet
        self.status = status
        self.rows: list[CellRow] = []
        self.columns: list[CellColumn] = []
        self.old: list[float | None] = []
        self.new: list[float] = []

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, row: CellRow, column: CellColumn, old: float | None, new: float) -> None:
        self.rows.append(row)
        self.columns.append(column)
        self.old.append(old)
        self.new.append(new)

    def item(self, number: int) -> DryRunItem:
        row, column = self.rows[number], self.columns[number]
        subject = Subject(
            column.unit_id, column.unit_name, row.indicator_id, row.indicator_name,
            column.field, column.period, row.decimals,
        )  # fmt: skip
        where = f"{column.letters}{row.number + 1}"
        return DryRunItem(
            self.file, self.sheet, where, self.status, "", subject,
            self.old[number], self.new[number],
        )  # fmt: skip


_SECOND, _FOURTH, _FIFTH = itemgetter(1), itemgetter(3), itemgetter(4)


@dataclass(frozen=True, slots=True)
class KeptRun:
    """Consecutive kept cells of one sheet: numbers ``start`` to ``stop - 1`` of ``cells``."""

    cells: KeptCells
    start: int
    stop: int

    @property
    def status(self) -> Status:
        return self.cells.status

    @property
    def file(self) -> str:
        return self.cells.file

    def __len__(self) -> int:
        return self.stop - self.start

    def item(self, offset: int) -> DryRunItem:
        return self.cells.item(self.start + offset)

    def __iter__(self) -> Iterator[DryRunItem]:
        return (self.cells.item(n) for n in range(self.start, self.stop))

    def keys(self) -> Iterator[tuple[object, ...]]:
        """What each cell would write: (unit, indicator, field, period), as ``mark_conflicts``
        keys a ``DryRunItem``; made in C (a zip of the columns' and rows' fields)."""
        cells, start, stop = self.cells, self.start, self.stop
        columns, rows = cells.columns[start:stop], cells.rows[start:stop]
        return zip(
            map(_SECOND, columns),
            map(_SECOND, rows),
            map(_FOURTH, columns),
            map(_FIFTH, columns),
            strict=True,
        )

    def unit_names(self) -> set[str]:
        return {c.unit_name for c in set(self.cells.columns[self.start : self.stop])}


Entry = DryRunItem | KeptRun


@dataclass(frozen=True)
class SkippedRow:
    """A row of a form that holds figures but was not imported, and why (no catalog indicator
    matched its label; the template leaves it out). Named, never dropped in silence."""

    file: str
    sheet: str
    cell: str  # the label's cell
    label: str
    reason: str

    def describe(self) -> str:
        return f"{self.file} {self.sheet}!{self.cell}“{self.label}”：{self.reason}"


class DryRunRows(Sequence[DryRunItem]):
    """Items in order, unchanged runs made into ``DryRunItem`` only when indexed (the preview)."""

    def __init__(self, parts: Iterable[Entry]) -> None:
        self._parts = list(parts)
        self._ends = list(
            accumulate(1 if isinstance(p, DryRunItem) else len(p) for p in self._parts)
        )

    @classmethod
    def joined(cls, *rows: DryRunRows) -> DryRunRows:
        return cls(part for r in rows for part in r._parts)

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    @overload
    def __getitem__(self, index: int) -> DryRunItem: ...

    @overload
    def __getitem__(self, index: slice) -> list[DryRunItem]: ...

    def __getitem__(self, index: int | slice) -> DryRunItem | list[DryRunItem]:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        number = bisect_right(self._ends, index)
        part = self._parts[number]
        if isinstance(part, DryRunItem):
            return part
        return part.item(index - (self._ends[number] - len(part)))

    def __iter__(self) -> Iterator[DryRunItem]:
        for part in self._parts:
            if isinstance(part, DryRunItem):
                yield part
            else:
                yield from part


class DryRun:
    """Every judged cell of one or more files, in workbook order, and the files' names.

    ``DryRun(items=[...])`` holds a plain list (the ledger and monitoring imports build
    theirs item by item); the Excel judging builds ``DryRun.compact(...)``, holding
    unchanged cells in runs until ``items`` is read.
    """

    def __init__(
        self, items: list[DryRunItem] | None = None, files: list[str] | None = None
    ) -> None:
        self._items: list[DryRunItem] = [] if items is None else items
        self._entries: list[Entry] | None = None  # when set, the truth; _items is then unused
        self.files: list[str] = [] if files is None else files
        #: Rows with figures that were not imported (not cells: nothing in them was judged).
        self.skipped: list[SkippedRow] = []
        #: (file, what was read from the form and where: "调度表!A1：期间读作…"), said first.
        self.readings: list[tuple[str, str]] = []

    @classmethod
    def compact(cls, entries: list[Entry], files: list[str] | None = None) -> DryRun:
        dry_run = cls(files=files)
        dry_run._entries = entries
        return dry_run

    def __repr__(self) -> str:
        return f"DryRun({self.summary()}, files={self.files!r})"

    @property
    def items(self) -> list[DryRunItem]:
        """Every cell as a ``DryRunItem`` (made once, on first use); the list may be changed."""
        if self._entries is not None:
            self._items = list(DryRunRows(self._entries))
            self._entries = None
        return self._items

    @items.setter
    def items(self, items: list[DryRunItem]) -> None:
        self._items, self._entries = items, None

    def _parts(self) -> list[Entry] | list[DryRunItem]:
        return self._items if self._entries is None else self._entries

    def select(self, statuses: Collection[Status]) -> DryRunRows:
        """The cells with these statuses, in order; unchanged ones are made when indexed."""
        return DryRunRows(p for p in self._parts() if p.status in statuses)

    def count(self, status: Status) -> int:
        return sum(
            1 if isinstance(p, DryRunItem) else len(p) for p in self._parts() if p.status is status
        )

    @property
    def accepted(self) -> list[DryRunItem]:
        return list(self.select((Status.NEW, Status.CHANGED)))

    @property
    def errors(self) -> list[DryRunItem]:
        return list(self.select((Status.ERROR,)))

    def summary(self) -> str:
        return (
            f"新增 {self.count(Status.NEW)} 项，修改 {self.count(Status.CHANGED)} 项，"
            f"不变 {self.count(Status.UNCHANGED)} 项，错误 {self.count(Status.ERROR)} 项"
        )

    def extend(self, other: DryRun) -> None:
        """Append another dry run's cells and files (keeping unchanged cells compact)."""
        if self._entries is None and other._entries is None:
            self._items.extend(other._items)
        elif self._entries is not None:
            self._entries.extend(other._parts())
        else:
            self._entries = [*self._items, *other._parts()]
        self.files.extend(other.files)
        self.skipped.extend(other.skipped)
        self.readings.extend(other.readings)

    def file_counts(self, file: str) -> dict[Status, int]:
        """How many cells of ``file`` have each status."""
        return self.counts_by_file().get(file, dict.fromkeys(Status, 0))

    def counts_by_file(self) -> dict[str, dict[Status, int]]:
        """How many cells of each file have each status, in one pass over the cells."""
        found: dict[str, dict[Status, int]] = {}
        for part in self._parts():
            counts = found.get(part.file)
            if counts is None:
                counts = found[part.file] = dict.fromkeys(Status, 0)
            counts[part.status] += 1 if isinstance(part, DryRunItem) else len(part)
        return found

    def unit_names(self) -> set[str]:
        """The names of the units the cells are about."""
        names: set[str] = set()
        for part in self._parts():
            if isinstance(part, DryRunItem):
                names.add(part.unit_name)
            else:
                names |= part.unit_names()
        names.discard("")
        return names

    def file_line(self, file: str) -> str:
        """The closing line of a file's report: every row accounted for."""
        counts = self.file_counts(file)
        imported = counts[Status.NEW] + counts[Status.CHANGED]
        skipped = sum(1 for row in self.skipped if row.file == file)
        return (
            f"{file}：导入 {imported} 项（新增 {counts[Status.NEW]}，修改 "
            f"{counts[Status.CHANGED]}），不变 {counts[Status.UNCHANGED]} 项，"
            f"拒绝 {counts[Status.ERROR]} 项，未识别的行 {skipped} 行"
        )

    def closing_lines(self) -> list[str]:
        """Per file: what was read from it (its period, from which cell), the rows not
        recognised, by sheet!cell, then the file's line."""
        lines: list[str] = []
        for file in self.files:
            lines.extend(f"{file} {text}" for name, text in self.readings if name == file)
            lines.extend(row.describe() for row in self.skipped if row.file == file)
            lines.append(self.file_line(file))
        return lines

    def add(self, items: Iterable[DryRunItem], *, first: bool = False) -> None:
        """Append items (or put them before every other, ``first``), keeping the rest compact."""
        new = list(items)
        parts = self._parts()
        if first:
            parts[:0] = new
        else:
            parts.extend(new)


def mark_conflicts(dry_run: DryRun) -> None:
    """Two cells that would write the same figure: equal values are one write, different
    values are both refused (the user must say which is right), so no import depends on the
    order in which cells happen to be written. Unchanged cells write nothing and are left be.

    Kept runs of 新增 cells stay compact unless a cell of theirs is written twice: the keys
    are gathered first, and only then are such runs made into records."""
    parts = dry_run._parts()
    if not _written_twice(parts):
        return
    expanded: list[Entry] = []
    for part in parts:
        if isinstance(part, DryRunItem) or part.status not in _WRITES:
            expanded.append(part)
        else:
            expanded.extend(part)
    parts[:] = expanded  # type: ignore[assignment]  # a list of items stays one
    seen: dict[tuple[object, ...], int] = {}
    for number, item in enumerate(parts):
        if not isinstance(item, DryRunItem) or item.status not in (Status.NEW, Status.CHANGED):
            continue
        subject = item.subject
        key = (subject.unit_id, subject.indicator_id, subject.field, subject.period)
        first = seen.setdefault(key, number)
        if first == number:
            continue
        earlier = parts[first]
        assert isinstance(earlier, DryRunItem)
        where = f"{earlier.file} {earlier.where}"
        if same_value(earlier.new, item.new) and earlier.status is not Status.ERROR:
            parts[number] = replace(item, status=Status.UNCHANGED, reason=f"与{where}重复")
        else:
            reason = f"与{where}是同一数据但取值不同，请保留一处"
            parts[number] = replace(item, status=Status.ERROR, reason=reason)
            parts[first] = replace(
                earlier,
                status=Status.ERROR,
                reason=f"与{item.file} {item.where}是同一数据但取值不同",
            )


_WRITES = (Status.NEW, Status.CHANGED)


def _written_twice(parts: Sequence[Entry]) -> bool:
    """Whether two cells (records or kept) would write the same figure."""
    keys: set[tuple[object, ...]] = set()
    total = 0
    for part in parts:
        if part.status not in _WRITES:
            continue
        if isinstance(part, DryRunItem):
            subject = part.subject
            keys.add((subject.unit_id, subject.indicator_id, subject.field, subject.period))
            total += 1
        else:
            keys.update(part.keys())
            total += len(part)
    return len(keys) < total


def same_value(a: float | str | None, b: float | str | None) -> bool:
    """Equal, numbers within rounding noise (a figure read back from Excel is the same)."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b
