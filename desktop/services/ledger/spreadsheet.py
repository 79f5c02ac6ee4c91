"""The ledger as a workbook: export in the printed layout, and import with a dry run.

The line under each sheet's title names the source and the batch (来源：… 批次：…), so a returned
workbook's rows are matched to their problems by batch and 序号; every cell is judged into a
``LedgerChange`` (新增 / 修改 / 不变 / 错误 at sheet!cell), shown, and committed in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from db import ledger, units
from db.connection import Database
from db.errors import StorageError
from db.ledger import NewProblem, Problem
from db.text_limits import imported_problem
from desktop.services.common.bureau_table import sheet_name, write_table_workbook
from desktop.services.common.dates import leading_date
from desktop.services.common.dry_run import Status
from desktop.services.common.text import compact
from desktop.services.common.wording import bracketed
from desktop.services.common.workbook import cell_address
from desktop.services.ledger.tracking import (
    LEDGER_HEADER,
    is_overdue,
    ledger_rows,
    summarise,
)


def export_ledger(
    db: Database, unit_id: int, path: Path, today: date, *, overdue_only: bool = False
) -> int:
    """One sheet per batch in the printed layout; return the number of problems written.

    The line under the title names the source and the batch (来源：… 批次：…), which is how
    ``dry_run_ledger`` knows where rows of a returned workbook belong.
    """
    unit = units.unit_by_id(db, unit_id)
    problems = ledger.problems_for(db, unit_id)
    if overdue_only:
        problems = [p for p in problems if is_overdue(p, today)]
    if not problems:
        raise StorageError(f"{unit.name}的整改台账中没有{'逾期的' if overdue_only else ''}问题")
    summaries = summarise(problems, today)
    sheets = []
    for summary in summaries:
        group = [p for p in problems if p.batch == summary.batch]
        sheets.append(
            (
                sheet_name(summary.batch),
                f"{unit.name}整改台账",
                f"来源：{summary.source}　批次：{summary.batch}　填报单位：{unit.name}　"
                f"日期：{today.isoformat()}　完成率："
                + ("—" if summary.rate is None else f"{summary.rate:.1f}%"),
                ledger_rows(group, today),
            )
        )
    head, *rest = sheets
    write_table_workbook(
        path,
        name=head[0],
        title=head[1],
        subtitle=head[2],
        header=LEDGER_HEADER,
        rows=head[3],
        widths=(6, 48, 16, 12, 36, 36, 12, 24),
        wrap_columns=(1, 2, 4, 5, 7),
        sheets=rest,
    )
    return len(problems)


# ------------------------------------------------------------------ Excel import
@dataclass(frozen=True)
class LedgerChange:
    """One row of a ledger workbook and what importing it would do."""

    file: str
    sheet: str
    cell: str
    status: Status
    batch: str = ""
    seq: int = 0
    reason: str = ""
    changes: tuple[tuple[str, str, str], ...] = ()  # (field label, old, new)
    problem_id: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.cell}"

    def describe(self) -> str:
        what = f"{self.batch} 第{self.seq}号" if self.seq else self.batch
        if self.status is Status.ERROR:
            return f"{self.file} {self.where}{bracketed(what)}：{self.reason}"
        if self.status is Status.CHANGED:
            change = "；".join(
                f"{label}：{old or '空'} → {new or '空'}" for label, old, new in self.changes
            )
            return f"{self.file} {self.where}{bracketed(what)}：修改 {change}"
        return f"{self.file} {self.where}{bracketed(what)}：{self.status.value}"


@dataclass
class LedgerImport:
    unit_id: int
    items: list[LedgerChange]

    def count(self, status: Status) -> int:
        return sum(1 for item in self.items if item.status is status)

    @property
    def accepted(self) -> list[LedgerChange]:
        return [i for i in self.items if i.status in (Status.NEW, Status.CHANGED)]

    def summary(self) -> str:
        return (
            f"新增 {self.count(Status.NEW)} 项，修改 {self.count(Status.CHANGED)} 项，"
            f"不变 {self.count(Status.UNCHANGED)} 项，错误 {self.count(Status.ERROR)} 项"
        )


_BATCH_LINE = re.compile(r"来源：\s*(\S+)\s+批次：\s*(\S+)")
_OWNER_LINE = re.compile(r"填报单位：\s*(\S+)")
#: Header words → field; bureaus' own ledgers name the same columns several ways.
_COLUMNS = {
    "序号": "seq", "编号": "seq",
    "问题描述": "description", "问题": "description", "存在问题": "description",
    "反馈问题": "description", "问题内容": "description",
    "责任单位": "responsible", "责任部门": "responsible", "责任主体": "responsible",
    "整改时限": "deadline", "完成时限": "deadline", "整改期限": "deadline",
    "整改措施": "measures",
    "整改进展": "progress", "整改情况": "progress", "进展情况": "progress",
    "状态": "status", "整改状态": "status",
    "销号情况": "closing", "销号": "closing",
}  # fmt: skip


MISSING_BATCH = "表头上方没有“来源：… 批次：…”一行：请指定这些问题的来源和批次"


def needs_batch(dry_run: LedgerImport) -> bool:
    """Did a sheet lack its source and batch (a bureau's own ledger)? Then ask and judge again."""
    return any(item.reason == MISSING_BATCH for item in dry_run.items)


def _header(text: str) -> str:
    """A header cell without line breaks or a trailing note: "整改\n时限（日期）" → 整改时限."""
    return re.sub(r"\(.*$", "", compact(text))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def dry_run_ledger(
    db: Database,
    unit_id: int,
    path: Path,
    *,
    source: str = "",
    batch: str = "",
) -> LedgerImport:
    """The dry run: judge every row of every ledger sheet; nothing is written.

    A sheet exported by EcoDesk names its source and batch above the header; a bureau's own
    ledger does not, and then ``source`` and ``batch`` (asked of the user) apply to it.
    """
    from desktop.services.common.workbook import read_workbook

    grid = read_workbook(path)
    unit = units.unit_by_id(db, unit_id)
    existing = {(p.batch, p.seq): p for p in ledger.problems_for(db, unit_id)}
    result = LedgerImport(unit_id, [])
    for sheet in grid.sheets:
        if sheet.hidden:
            continue
        header_row, columns, owner = -1, {}, ""
        sheet_source, sheet_batch = source, batch
        for r in range(min(sheet.height, 10)):
            line = " ".join(sheet.text(r, c) for c in range(sheet.width))
            found = _BATCH_LINE.search(line)
            if found:
                sheet_source, sheet_batch = found[1], found[2]
            named = _OWNER_LINE.search(line)
            if named:
                owner = named[1]
            names = {_header(sheet.text(r, c)): c for c in range(sheet.width)}
            fields = {_COLUMNS[n]: c for n, c in names.items() if n in _COLUMNS}
            if "seq" in fields and "description" in fields:
                header_row, columns = r, fields
                break
        if header_row < 0:
            continue
        if owner and owner != unit.name:
            result.items.append(
                LedgerChange(
                    path.name, sheet.name, cell_address(max(0, header_row - 1), 0), Status.ERROR,
                    batch=sheet_batch,
                    reason=f"本表是“{owner}”的台账，当前单位是“{unit.name}”，未导入",
                )
            )  # fmt: skip
            continue
        if not sheet_batch or sheet_source not in ledger.SOURCES:
            result.items.append(
                LedgerChange(
                    path.name, sheet.name, cell_address(header_row, 0), Status.ERROR,
                    reason=MISSING_BATCH,
                )
            )  # fmt: skip
            continue
        for r in range(header_row + 1, sheet.height):
            cells = {name: _text(sheet.value(r, c)) for name, c in columns.items()}
            if not any(cells.values()):
                continue
            result.items.append(
                _judge(
                    path.name, sheet.name, r, columns, cells, sheet_batch, sheet_source, existing
                )
            )
    return result


def _judge(
    file: str,
    sheet: str,
    row: int,
    columns: dict[str, int],
    cells: dict[str, str],
    batch: str,
    source: str,
    existing: dict[tuple[str, int], Problem],
) -> LedgerChange:
    def error(name: str, reason: str, seq: int = 0) -> LedgerChange:
        where = cell_address(row, columns.get(name, 0))
        return LedgerChange(file, sheet, where, Status.ERROR, batch, seq, reason)

    try:
        seq = int(cells.get("seq", ""))
    except ValueError:
        return error("seq", f"序号“{cells.get('seq', '')}”不是整数")
    status = cells.get("status", "").removesuffix("·逾期") or "整改中"
    fields: dict[str, Any] = {
        "description": cells.get("description", ""),
        "responsible": cells.get("responsible", ""),
        "deadline": "" if cells.get("deadline") == "—" else cells.get("deadline", ""),
        "measures": cells.get("measures", ""),
        "progress": cells.get("progress", ""),
        "status": status,
        "closed_on": None,
        "verification": "",
    }
    closing = cells.get("closing", "")
    if closing:
        # "2022年11月5日 经现场核查…": the day it was closed, then the check. The date goes to the
        # store as written, so an impossible day is refused there, not hidden in the note.
        written = leading_date(closing)
        if written:
            fields["closed_on"] = written.iso
            fields["verification"] = written.rest
        else:
            fields["verification"] = closing
    for name, value in fields.items():
        problem = imported_problem(value, ledger.FIELD_LABELS[name]) if value else ""
        if problem:
            return error(name, problem, seq)
    try:
        checked = ledger.check_values(fields)
        if checked["status"] == "已销号" and (
            not checked["closed_on"] or not checked["verification"]
        ):
            raise StorageError("销号需要填写销号日期和核查情况（如“2022-10-15 现场核查到位”）")
    except StorageError as exc:
        name = "closing" if exc.message.startswith("销号") else _field_of(exc.message)
        return error(name, exc.message, seq)
    where = cell_address(row, 0)
    old = existing.get((batch, seq))
    if old is None:
        return LedgerChange(
            file, sheet, where, Status.NEW, batch, seq, fields=checked, source=source
        )
    changes = tuple(
        (ledger.FIELD_LABELS[name], _text(getattr(old, name)), _text(value))
        for name, value in checked.items()
        if getattr(old, name) != value
    )
    status_of = Status.CHANGED if changes else Status.UNCHANGED
    return LedgerChange(
        file, sheet, where, status_of, batch, seq, changes=changes, problem_id=old.id,
        fields=checked, source=source,
    )  # fmt: skip


def _field_of(message: str) -> str:
    for name, label in ledger.FIELD_LABELS.items():
        if message.startswith(label) or f"{label}“" in message:
            return name
    return "seq"


def commit_import(db: Database, dry_run: LedgerImport, year: int, file: str) -> int:
    """Write every accepted row in one transaction (errors are left out); return the count.

    Each row is judged again inside the transaction by the store's own checks, so a refusal
    there rolls the whole import back.
    """
    accepted = dry_run.accepted
    with db.transaction(), db.audit_source(f"导入整改台账：{file}"):
        for item in accepted:
            if item.problem_id is None:
                ledger.add_problems(
                    db,
                    dry_run.unit_id,
                    [NewProblem(source=item.source, batch=item.batch, seq=item.seq, year=year,
                                **item.fields)],
                )  # fmt: skip
            else:
                ledger.update_problem(db, item.problem_id, **item.fields)
    return len(accepted)
