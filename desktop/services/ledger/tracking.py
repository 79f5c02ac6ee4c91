"""The rectification ledger's rules: overdue, status words, batch completion rates, feeding the
indicator store, and the rows of the printed table (``spreadsheet`` exports and imports them).

The completion rate is (已完成整改 + 立行立改, 已销号 included) / all problems of the batch, the
figure bureaus quote (000: 央督 "1+3+6" = 3 + 6 of 10 = 90%). ``feed_store`` writes the batch's
counts into the catalog's inputs (cent_insp_* or ref_insp_*) so the store's own formula gives
the same rate and the entry grid, charts and reports agree with the ledger.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from db import ledger, values
from db.connection import Database
from db.errors import StorageError
from db.indicators import indicator_by_code
from db.ledger import COMPLETED, Problem
from db.periods import Period
from desktop.services.common.deadlines import deadline_date

LEDGER_HEADER = (
    "序号",
    "问题描述",
    "责任单位",
    "整改时限",
    "整改措施",
    "整改进展",
    "状态",
    "销号情况",
)
#: Which catalog inputs a batch of a source feeds; other sources have no indicator.
STORE_PREFIX = {
    "中央生态环境保护督察（第一轮）": "cent_insp",
    "中央生态环境保护督察（第二轮）": "cent_insp",
    "举一反三": "ref_insp",
}


#: The statuses from which a problem may be 销号: the path is 整改中 → 已完成整改 / 立行立改 →
#: 已销号, so a problem still being worked on (or 长期坚持) is never closed in one step.
CLOSABLE = ("已完成整改", "立行立改")


def closing_refusal(problem: Problem) -> str:
    """Why ``problem`` cannot be 销号 now (empty when it can)."""
    if problem.status == "已销号":
        return f"{problem.batch} 第{problem.seq}号已经销号"
    if problem.status not in CLOSABLE:
        return (
            f"{problem.batch} 第{problem.seq}号的状态是“{problem.status}”：先把状态改为"
            f"“{'”或“'.join(CLOSABLE)}”，核查后再销号"
        )
    return ""


def is_overdue(problem: Problem, today: date) -> bool:
    """Still 整改中 after its deadline (长期坚持 and rectified problems are never overdue)."""
    due = deadline_date(problem.deadline, problem.year)
    return problem.status == "整改中" and due is not None and due < today


def status_tone(problem: Problem, today: date) -> str:
    """done / progress / late / longterm: the page maps these to colours."""
    if problem.status in COMPLETED:
        return "done"
    if problem.status == "长期坚持":
        return "longterm"
    return "late" if is_overdue(problem, today) else "progress"


def status_word(problem: Problem, today: date) -> str:
    return f"{problem.status}·逾期" if is_overdue(problem, today) else problem.status


def closing_text(problem: Problem) -> str:
    """销号情况 as printed: "2022-10-15 现场核查到位", or empty."""
    if problem.closed_on is None and not problem.verification:
        return ""
    return f"{problem.closed_on or ''} {problem.verification}".strip()


@dataclass(frozen=True)
class BatchSummary:
    batch: str
    source: str
    total: int
    done: int
    immediate: int
    closed: int
    longterm: int
    ongoing: int
    overdue: int

    @property
    def completed(self) -> int:
        return self.done + self.immediate + self.closed

    @property
    def rate(self) -> float | None:
        """Completion rate in %, None for an empty batch."""
        return 100 * self.completed / self.total if self.total else None

    @property
    def text(self) -> str:
        rate = "—" if self.rate is None else f"{self.rate:.1f}%"
        parts = [f"已完成整改 {self.done}", f"立行立改 {self.immediate}"]
        if self.closed:
            parts.append(f"已销号 {self.closed}")
        if self.longterm:
            parts.append(f"长期坚持 {self.longterm}")
        parts.append(f"整改中 {self.ongoing}")
        overdue = f"，逾期 {self.overdue}" if self.overdue else ""
        return f"{self.batch}：共 {self.total} 个，{'、'.join(parts)}{overdue}，完成率 {rate}"


def summarise(problems: Sequence[Problem], today: date) -> list[BatchSummary]:
    """One summary per batch, in the order the batches appear."""
    batches: dict[str, list[Problem]] = {}
    for problem in problems:
        batches.setdefault(problem.batch, []).append(problem)

    def count(group: list[Problem], status: str) -> int:
        return sum(p.status == status for p in group)

    return [
        BatchSummary(
            batch=name,
            source=group[0].source,
            total=len(group),
            done=count(group, "已完成整改"),
            immediate=count(group, "立行立改"),
            closed=count(group, "已销号"),
            longterm=count(group, "长期坚持"),
            ongoing=count(group, "整改中"),
            overdue=sum(is_overdue(p, today) for p in group),
        )
        for name, group in batches.items()
    ]


def feed_store(db: Database, unit_id: int, batch: str, period: Period) -> BatchSummary:
    """Write the batch's counts into the indicator store for the unit and period, in one
    transaction; the store's formula then computes the completion rate."""
    problems = ledger.problems_for(db, unit_id, batch=batch)
    if not problems:
        raise StorageError(f"没有批次“{batch}”的问题")
    summary = summarise(problems, date.today())[0]
    prefix = STORE_PREFIX.get(summary.source)
    if prefix is None:
        raise StorageError(f"来源“{summary.source}”的问题没有对应的指标，无法写入指标库")
    counts = {
        "total": summary.total,
        # 已销号 problems were rectified first: they count as done.
        "done": summary.done + summary.closed,
        "immediate": summary.immediate,
    }
    if prefix == "cent_insp":
        counts |= {"longterm": summary.longterm, "ongoing": summary.ongoing}
    writes = [
        values.ValueWrite(
            unit_id, period.code, indicator_by_code(db, f"{prefix}_{name}").id, float(number)
        )
        for name, number in counts.items()
    ]
    with db.transaction(), db.audit_source(f"整改台账：{batch}"):
        values.write_values(db, writes)
    return summary


def ledger_rows(problems: Sequence[Problem], today: date) -> list[tuple[str, ...]]:
    return [
        (
            str(p.seq),
            p.description,
            p.responsible,
            p.deadline or "—",
            p.measures,
            p.progress,
            status_word(p, today),
            closing_text(p),
        )
        for p in problems
    ]
