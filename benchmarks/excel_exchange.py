"""Excel exchange speed: import vs a raw python-calamine read of the same workbook, and export
vs openpyxl's write-only mode writing the same number of cells.

The workbook is EcoDesk's own export of N units × 12 months of every indicator (about 200,000
figure cells by default). Import = ``dry_run_file``: read + find the layouts + judge every cell
(each compared with the store and given its status). Two cases, as issue #17 names them:

* the export returned unchanged into the file it came from (every cell 不变; unchanged cells
  are counted and kept compactly, their records made only when the preview asks for them);
* an office's first import: the same workbook into a file holding the units but no figures
  (every cell 新增, kept compactly the same way: records made when the preview or the commit
  asks).

The raw read is calamine reading every sheet into Python lists on one thread (the import parses
a many-sheet workbook on up to four threads, as users get it). Each case runs interleaved with
its baseline for several rounds; min and median are printed, with the goal; the export also
by the process's CPU time (steadier on a shared machine: waiting for a core is not in it).
Goals (issue #17): import ≥ 0.5× the raw read's speed in both cases; export ≥ 0.5× write-only.

Run: ``python benchmarks/excel_exchange.py [--units N] [--rounds R] [--only import|export]
[--last-year]`` (``--last-year``: 2021 filled too, so the export also writes every 去年同期 and
同比, twice the figures, as an office's export has them; write-only writes as many).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import interleaved, ratio_line

from db import indicators, units, values
from db.connection import Database, open_database
from db.periods import Period
from db.records import Indicator
from desktop.services.exchange.export import Selection, export_workbook
from desktop.services.exchange.importing import dry_run_file


def filled(
    path: Path, count: int, last_year: bool = False
) -> tuple[Database, list[int], list[Period]]:
    """A file of ``count`` units with 2022's months (and 2021's, ``last_year``: the 去年同期 and
    同比 columns filled, as in an office's real export)."""
    rng = random.Random(7)
    db = open_database(path, create=True)
    catalog = [
        i for i in indicators.all_indicators(db)
        if not i.is_computed and i.kind == "number" and i.parent_id is None
    ]  # fmt: skip
    months = [Period.month(2022, m) for m in range(1, 13)]
    years = (2021, 2022) if last_year else (2022,)
    stored = [Period.month(y, m) for y in years for m in range(1, 13)]
    unit_ids = [units.add_unit(db, f"U{n:03d}", f"单位{n}").id for n in range(count)]
    shares = rate_parts(indicators.all_indicators(db))
    writes = []
    for u in unit_ids:
        for p in stored:
            figures = {i.code: plausible(rng, i, p) for i in catalog}
            for parts, whole in shares:  # a whole at least its parts: rates within 0-100 %
                if whole in figures and all(part in figures for part in parts):
                    figures[whole] = sum(figures[part] for part in parts) + rng.randint(0, 20)
            writes += [values.ValueWrite(u, p.code, i.id, figures[i.code]) for i in catalog]
    values.write_values(db, writes)
    return db, unit_ids, months


def rate_parts(catalog: list[Indicator]) -> list[tuple[list[str], str]]:
    """(parts, whole) of each rate "100 * (a + b) / c" in the catalog: an office's own figures
    never have more cases filed than complaints received, so an export returned unchanged is all
    不变 (with independent random figures a third of the rates came out above 100 % and were
    judged errors again on the way back)."""
    found = []
    for indicator in catalog:
        match = re.fullmatch(r"100 \* \(?([\w +]+?)\)? / (\w+)", indicator.formula or "")
        if match:
            found.append(([part.strip() for part in match.group(1).split("+")], match.group(2)))
    return found


def plausible(rng: random.Random, indicator: Indicator, period: Period) -> float:
    """A value the indicator accepts (an office's own figures pass their own checks)."""
    high = 90.0 if indicator.max_value is None else min(90.0, indicator.max_value)
    if indicator.is_percent:
        high = min(high, 100.0)
    if indicator.code.endswith("_days") or "天数" in indicator.name:
        high = min(high, float(period.days()))
    low = 1.0 if indicator.min_value is None else max(1.0, indicator.min_value)
    return float(rng.randint(int(low), max(int(low), int(high))))


def raw_read(book: Path) -> int:
    from python_calamine import CalamineWorkbook

    cal = CalamineWorkbook.from_path(str(book))
    return sum(
        sum(1 for row in cal.get_sheet_by_name(n).to_python() for v in row if v != "")
        for n in cal.sheet_names
    )


def raw_write(path: Path, sheets: int, cells: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    per_sheet = cells // sheets
    width = 36
    for n in range(sheets):
        ws = wb.create_sheet(f"S{n}")
        row: list[float] = []
        for k in range(per_sheet):
            row.append(float(k))
            if len(row) == width:
                ws.append(row)
                row = []
        ws.append(row)
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=320)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=("import", "export"))
    parser.add_argument(
        "--last-year", action="store_true", help="also fill 2021: 去年同期 and 同比 written too"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, unit_ids, months = filled(folder / "bench.ecodesk", args.units, args.last_year)
        book = folder / "bench.xlsx"
        selection = Selection(unit_ids, months, only_with_data=True)
        cells = export_workbook(db, selection, book)
        print(f"{args.units} units × 12 months: {cells:,} figure cells; {args.rounds} rounds")
        if args.only != "export":
            fresh = open_database(folder / "fresh.ecodesk", create=True)
            for n in range(args.units):
                units.add_unit(fresh, f"U{n:03d}", f"单位{n}")
            times = interleaved(
                {
                    "raw": lambda: raw_read(book),
                    "unchanged": lambda: dry_run_file(db, book),
                    "first": lambda: dry_run_file(fresh, book),
                },
                args.rounds,
            )
            goal = "speed ≥ 0.5×"
            met = lambda r: r >= 0.5  # noqa: E731
            print(ratio_line("import, export returned unchanged", times["unchanged"], times["raw"],
                             goal, speed=True, met=met))  # fmt: skip
            print(ratio_line("import into an empty file (all 新增)", times["first"], times["raw"],
                             goal, speed=True, met=met))  # fmt: skip
            print(f"  returned unchanged: {dry_run_file(db, book).summary()}")
            print(f"  into an empty file: {dry_run_file(fresh, book).summary()}")
            fresh.close()
        if args.only != "import":
            out = folder / "out.xlsx"
            raw = folder / "raw.xlsx"
            times = interleaved(
                {
                    "raw": lambda: raw_write(raw, len(unit_ids), cells),
                    "export": lambda: export_workbook(db, selection, out),
                },
                args.rounds,
            )
            print(ratio_line("export (styled bureau layout) vs write-only openpyxl",
                             times["export"], times["raw"], "speed ≥ 0.5×", speed=True,
                             met=lambda r: r >= 0.5))  # fmt: skip
            cpu = interleaved(
                {
                    "raw": lambda: raw_write(raw, len(unit_ids), cells),
                    "export": lambda: export_workbook(db, selection, out),
                },
                args.rounds,
                clock=time.process_time,
            )
            print(ratio_line("the same, CPU time of this process", cpu["export"], cpu["raw"],
                             "speed ≥ 0.5×", speed=True, met=lambda r: r >= 0.5))  # fmt: skip
        db.close()


if __name__ == "__main__":
    main()
