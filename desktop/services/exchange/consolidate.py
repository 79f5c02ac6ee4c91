"""Consolidating branch returns: many files, one dry run, one commit (the summary table they
make is ``summary_table.py``).

Each file is identified by the 填报单位 written in it (our export stores the unit code) or,
failing that, by its sheet's name, its file name or a title naming a branch. A file for another
period than the one being consolidated is refused as a whole. The catalog, units, rules, locks
and templates are read once per folder, so the work grows with the number of files.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from db.connection import Database
from db.errors import Cancelled
from db.periods import Period
from desktop.services.common.dry_run import DryRun, DryRunItem, Status, mark_conflicts
from desktop.services.common.workbook import SUPPORTED, UNREADABLE, WorkbookError, read_workbook
from desktop.services.exchange.detect import Matcher
from desktop.services.exchange.importing import apply_defaults, find_layouts
from desktop.services.exchange.judging import Progress, dry_run_workbook, new_context
from desktop.services.exchange.percent_check import flag_fractions


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Workbooks named directly or found in the given folders (Office lock files skipped).

    A return saved in a spreadsheet format EcoDesk cannot read (.et …) is collected too, so
    the report names it as not imported instead of passing over a branch's return.
    """
    found: list[Path] = []
    wanted = (*SUPPORTED, *UNREADABLE)
    for path in paths:
        candidates = sorted(path.iterdir()) if path.is_dir() else [path]
        for candidate in candidates:
            if candidate.suffix.lower() in wanted and not candidate.name.startswith("~$"):
                found.append(candidate)
    return found


@dataclass
class FileResult:
    path: Path
    units: list[str] = field(default_factory=list)
    counts: dict[Status, int] = field(default_factory=dict)
    problem: str = ""
    skipped: int = 0  # rows with figures that were not recognised

    def line(self) -> str:
        """The file's closing line: imported / unchanged / refused / rows not recognised."""
        who = "、".join(self.units) or "未识别"
        if self.problem:
            return f"{self.path.name}（{who}）：{self.problem}"
        count = self.counts.get
        imported = count(Status.NEW, 0) + count(Status.CHANGED, 0)
        return (
            f"{self.path.name}（{who}）：导入 {imported} 项，不变 {count(Status.UNCHANGED, 0)} 项，"
            f"拒绝 {count(Status.ERROR, 0)} 项，未识别的行 {self.skipped} 行"
        )


@dataclass
class Consolidation:
    dry_run: DryRun
    files: list[FileResult]

    def unit_ids(self) -> list[int]:
        ids: list[int] = []
        for item in self.dry_run.items:
            if item.unit_id is not None and item.unit_id not in ids:
                ids.append(item.unit_id)
        return ids

    def report_lines(self) -> list[str]:
        """The refused cells, then per file its rows not recognised (sheet!cell) and its line,
        then the total: every row of every file accounted for."""
        lines = [item.describe() for item in self.dry_run.errors]
        for result in self.files:
            name = result.path.name
            lines.extend(f"{name} {text}" for file, text in self.dry_run.readings if file == name)
            lines.extend(row.describe() for row in self.dry_run.skipped if row.file == name)
            lines.append(result.line())
        skipped = len(self.dry_run.skipped)
        lines.append(
            f"共 {len(self.files)} 个文件：{self.dry_run.summary()}，未识别的行 {skipped} 行"
        )
        return lines


def dry_run_returns(
    db: Database, files: Sequence[Path], period: Period, *, progress: Progress | None = None
) -> Consolidation:
    """The dry run of every file for ``period``; a file that cannot be used is reported whole.

    The catalog, units, rules, locks and templates are read once for the whole folder, not
    once per file: the work grows with the number of files, not with its square.
    """
    matcher = Matcher.from_db(db)
    context = new_context(db)
    dry_run = DryRun.compact([])
    results: list[FileResult] = []
    for number, path in enumerate(files, start=1):
        result = FileResult(path)
        results.append(result)
        dry_run.files.append(path.name)
        try:
            grid = read_workbook(path)
        except WorkbookError as exc:
            result.problem = exc.message
            dry_run.add([DryRunItem(path.name, "", "", Status.ERROR, exc.message)])
            continue
        found = find_layouts(db, grid, matcher)
        layouts, problems = found.layouts, found.problems
        dry_run.readings.extend((path.name, text) for text in found.readings)
        wrong = [
            layout for layout in layouts
            if layout.default.period and layout.default.period != period.code
        ]  # fmt: skip
        if wrong:
            label = Period.parse(wrong[0].default.period or "").label
            result.problem = f"表中期间为{label}，与汇总期间{period.label}不符，整个文件未导入"
            dry_run.add([DryRunItem(path.name, wrong[0].sheet, "A1", Status.ERROR, result.problem)])
            continue
        by_name = matcher.unit_within(path.stem)
        unit_code = None
        if by_name is not None and all(layout.default.unit is None for layout in layouts):
            unit_code = by_name.code  # no 填报单位 in the file: the file name says who sent it
        usable, more = apply_defaults(grid, layouts, unit_code=unit_code, period=period)
        file_dry_run = dry_run_workbook(db, grid, usable, context=context)
        file_dry_run.add(problems + more, first=True)
        file_dry_run.files = []  # named above, even when nothing of it could be judged
        dry_run.extend(file_dry_run)  # kept cells stay compact
        dry_run.skipped.extend(found.skipped)
        result.skipped = len(found.skipped)
        result.units = sorted(file_dry_run.unit_names())
        if progress is not None and not progress(number, len(files)):
            raise Cancelled("已取消")
    mark_conflicts(dry_run)  # two files for one unit must agree
    flag_fractions(db, dry_run)  # an .xls's percent cells, beside the other returns' rates
    by_file = dry_run.counts_by_file()
    for result in results:
        counts = by_file.get(result.path.name, {})
        result.counts = {status: n for status, n in counts.items() if n}
    return Consolidation(dry_run, results)
