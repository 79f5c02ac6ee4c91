"""Plan checklists: overdue and progress rules, the summary line, outline paste, Excel export.

The rules live here, without Qt, so the checklist page, the printout, the command line and the
tests agree on what "overdue" and "done" mean. ``today`` is always a parameter: a test fixes it,
the page passes the real date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from db import plans, units, values
from db.connection import Database
from db.errors import StorageError
from db.indicators import all_indicators
from db.numbers import format_number
from db.periods import Period
from db.plans import Plan, PlanItem
from db.records import Indicator
from db.sheet import read_sheet
from desktop.services.common.deadlines import deadline_date, deadline_text
from desktop.services.plans.outline import parse_outline

DONE = "已完成"
CLOSED_STATUSES = plans.CLOSED_STATUSES


@dataclass(frozen=True)
class TargetProgress:
    """An item's quantitative target measured against the indicator store."""

    indicator_name: str
    op: str
    target: float
    value: float | None
    period_label: str
    percent: float | None
    unit: str
    decimals: int

    @property
    def met(self) -> bool:
        if self.value is None:
            return False
        return self.value >= self.target if self.op == ">=" else self.value <= self.target

    @property
    def text(self) -> str:
        sign = "≥" if self.op == ">=" else "≤"
        goal = (
            f"{self.indicator_name} {sign} {format_number(self.target, self.decimals)}{self.unit}"
        )
        if self.value is None:
            return f"{goal}（暂无数据）"
        now = format_number(self.value, self.decimals)
        return f"{goal}（{self.period_label} {now}{self.unit}）"


@dataclass(frozen=True)
class Row:
    """One line of the checklist: the item, its depth and everything derived for display."""

    item: PlanItem
    depth: int
    is_group: bool
    overdue: bool
    progress: float | None
    target: TargetProgress | None
    done_leaves: int
    leaves: int

    @property
    def status_word(self) -> str:
        """The status as shown: a group shows its count; an overdue item says so."""
        if self.is_group:
            return f"{self.done_leaves}/{self.leaves} 完成"
        if self.overdue and self.item.status != "滞后":
            return f"{self.item.status}·逾期"
        return self.item.status

    @property
    def tone(self) -> str:
        """done / progress / late / idle / cancelled: the page maps these to colours."""
        if self.is_group:
            return "done" if self.leaves and self.done_leaves == self.leaves else "group"
        status = self.item.status
        if status == DONE:
            return "done"
        if status == "取消":
            return "cancelled"
        if self.overdue or status == "滞后":
            return "late"
        return "progress" if status == "推进中" else "idle"


def target_period(db: Database, unit_id: int, year: int) -> Period | None:
    """The plan year's latest period with figures (the year itself, else the longest 1-N月)."""
    found = [Period.parse(code) for code in values.periods_with_data(db, unit_id)]
    found = [p for p in found if p.year == year]
    if not found:
        return None
    return max(found, key=lambda p: (max(p.months()), p.kind in ("Y", "YTD"), p.kind == "Y"))


def _target_progress(
    item: PlanItem, figures: dict[int, float | None], names: dict[int, Any], label: str
) -> TargetProgress | None:
    if item.indicator_id is None or item.target_value is None:
        return None
    indicator = names[item.indicator_id]
    value = figures.get(item.indicator_id)
    op = item.target_op or ">="
    percent: float | None = None
    if value is not None:
        if op == ">=":
            percent = (
                100.0 if item.target_value <= 0 else min(100.0, 100 * value / item.target_value)
            )
        else:
            percent = 100.0 if value <= item.target_value else 100 * item.target_value / value
    return TargetProgress(
        indicator.name, op, item.target_value, value, label, percent, indicator.unit,
        indicator.decimals,
    )  # fmt: skip


def checklist(db: Database, plan: Plan, today: date) -> list[Row]:
    """The plan's rows in tree order with overdue flags and computed progress."""
    items = plans.items_of(db, plan.id)
    figures: dict[int, float | None] = {}
    label = ""
    has_targets = any(i.indicator_id is not None for i in items)
    if has_targets:
        period = target_period(db, plan.unit_id, plan.year)
        if period is not None:
            sheet = read_sheet(db, plan.unit_id, period)
            figures = {row.indicator.id: row.current.value for row in sheet.rows}
            label = period.label
    names = {i.id: i for i in all_indicators(db)} if has_targets else {}
    children: dict[int | None, list[PlanItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    rows: list[Row] = []

    def walk(parent: int | None, depth: int) -> tuple[int, int]:
        done = total = 0
        for item in children.get(parent, []):
            index = len(rows)
            rows.append(_leaf(item, depth, plan.year, today, figures, names, label))
            if item.id in children:
                sub_done, sub_total = walk(item.id, depth + 1)
                rows[index] = Row(item, depth, True, False, None, None, sub_done, sub_total)
                done, total = done + sub_done, total + sub_total
            elif item.status != "取消":
                total += 1
                done += item.status == DONE
        return done, total

    walk(None, 0)
    return rows


def _leaf(
    item: PlanItem,
    depth: int,
    year: int,
    today: date,
    figures: dict[int, float | None],
    names: dict[int, Any],
    label: str,
) -> Row:
    due = deadline_date(item.deadline, year)
    overdue = item.status not in CLOSED_STATUSES and due is not None and due < today
    target = _target_progress(item, figures, names, label) if names else None
    progress = item.progress
    if target is not None:
        progress = target.percent
    elif progress is None and item.status == DONE:
        progress = 100.0
    done = int(item.status == DONE)
    return Row(item, depth, False, overdue, progress, target, done, 1)


@dataclass(frozen=True)
class Summary:
    done: int
    total: int
    overdue: int
    late: int

    @property
    def text(self) -> str:
        return f"已完成 {self.done}/{self.total} 项，逾期 {self.overdue} 项，滞后 {self.late} 项"


def summarise(rows: Sequence[Row]) -> Summary:
    leaves = [r for r in rows if not r.is_group and r.item.status != "取消"]
    return Summary(
        done=sum(r.item.status == DONE for r in leaves),
        total=len(leaves),
        overdue=sum(r.overdue for r in leaves),
        late=sum(r.item.status == "滞后" for r in leaves),
    )


@dataclass(frozen=True)
class Filter:
    """What the checklist shows: all by default; a group stays while any descendant matches."""

    overdue_only: bool = False
    department: str = ""
    status: str = ""
    text: str = ""  # 查找: in the task, 科室 or 责任人

    @property
    def active(self) -> bool:
        return self.overdue_only or bool(self.department or self.status or self.text)

    def matches(self, row: Row) -> bool:
        if row.is_group:
            return False
        if self.overdue_only and not row.overdue:
            return False
        if self.department and row.item.department != self.department:
            return False
        item = row.item
        if self.text and self.text not in f"{item.label} {item.department} {item.lead}":
            return False
        return not (self.status and row.item.status != self.status)


def visible_ids(rows: Sequence[Row], wanted: Filter) -> set[int]:
    """Item ids to show under ``wanted``: matching items and every group above them."""
    if not wanted.active:
        return {r.item.id for r in rows}
    parents = {r.item.id: r.item.parent_id for r in rows}
    shown: set[int] = set()
    for row in rows:
        if wanted.matches(row):
            current: int | None = row.item.id
            while current is not None and current not in shown:
                shown.add(current)
                current = parents.get(current)
    return shown


def departments(rows: Sequence[Row]) -> list[str]:
    return sorted({r.item.department for r in rows if r.item.department})


def parse_outline_or_refuse(text: str | None) -> None:
    """Refuse, with the sentence the user needs, text in which no entry can be found."""
    if not text or not parse_outline(text).roots:
        raise StorageError("粘贴的文字中没有找到条目（每行以 一、（一）1.（1）等编号开头）")


def paste_outline(
    db: Database, plan_id: int, text: str, parent_id: int | None = None
) -> tuple[int, list[int]]:
    """Add a pasted outline under ``parent_id`` (or at the top) in one transaction.

    Returns how many items were added and the ids of the top-level ones (what undo removes).
    """
    outline = parse_outline(text)
    if not outline.roots:
        raise StorageError("粘贴的文字中没有找到条目（每行以 一、（一）1.（1）等编号开头）")
    ids = plans.add_items(db, plan_id, outline.items(), parent_id)
    return outline.count(), ids


_QUANTITY = re.compile(r"(\d+(?:\.\d+)?)\s*(家|个|亩|%|件|辆|台|公里|吨|万元|亿元)\s*(以上|以下)?")


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def suggest_target(
    text: str, indicators: Sequence[Indicator]
) -> tuple[Indicator, str, float] | None:
    """A quantitative target read from an item's text, for the user to confirm.

    "完成16家以上VOCs企业整改" → (VOCs治理企业, ">=", 16): the number and its measure come from
    the text, the indicator is the one of that measure whose name shares most with the text.
    Only typed indicators are offered when their measure fits; None when nothing fits.
    """
    compact = text.replace(" ", "")
    words = _bigrams(compact)
    best: tuple[int, Indicator, str, float] | None = None
    for match in _QUANTITY.finditer(compact):
        value, measure = float(match[1]), match[2]
        op = "<=" if match[3] == "以下" or "控制在" in compact[: match.start()] else ">="
        for indicator in indicators:
            if indicator.unit != measure:
                continue
            score = len(words & _bigrams(indicator.name))
            if score and (best is None or score > best[0]):
                best = (score, indicator, op, value)
    return None if best is None else best[1:]


# ------------------------------------------------------------------ Excel
PLAN_HEADER = ("序号", "工作任务", "责任科室", "责任人", "完成时限", "状态", "进度", "进展情况")


def plan_table(rows: Sequence[Row]) -> list[tuple[str, ...]]:
    """The checklist as printed and exported: one line per item, indented by depth."""
    table: list[tuple[str, ...]] = []
    for row in rows:
        item = row.item
        notes = "；".join(f"{n.day} {n.text}" for n in item.notes[-2:])
        if row.target is not None:
            notes = f"{row.target.text}；{notes}" if notes else row.target.text
        progress = "" if row.progress is None else f"{row.progress:.0f}%"
        table.append(
            (
                item.marker,
                "　" * row.depth + item.text,
                item.department,
                item.lead,
                "" if row.is_group else deadline_text(item.deadline),
                row.status_word,
                progress,
                notes,
            )
        )
    return table


def export_plan(db: Database, plan: Plan, path: Path, today: date) -> int:
    """Write the checklist as a printable .xlsx; return the number of item rows."""
    # Here, not at the top: the 工作台 shown at start-up reads this module for its statuses,
    # and the workbook writer's imports (zip, threads, openpyxl helpers) are not needed there.
    from desktop.services.common.bureau_table import write_table_workbook

    unit = units.unit_by_id(db, plan.unit_id)
    rows = checklist(db, plan, today)
    summary = summarise(rows)
    write_table_workbook(
        path,
        name=f"{plan.year}年{plan.title}",
        title=f"{unit.name}{plan.year}年{plan.title}",
        subtitle=f"填报单位：{unit.name}　　{summary.text}　　日期：{today.isoformat()}",
        header=PLAN_HEADER,
        rows=plan_table(rows),
        widths=(8, 60, 14, 10, 12, 12, 8, 40),
        wrap_columns=(1, 7),
    )
    return len(rows)
