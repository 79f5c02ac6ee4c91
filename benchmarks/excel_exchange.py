"""Excel exchange speed: import throughput vs a raw python-calamine read of the same workbook,
and export vs openpyxl's write-only mode writing the same number of cells.

The workbook is EcoDesk's own export of N units × 12 months of every indicator (about 200,000
figure cells by default). Import = read + judge every cell (the dry run: each cell compared with
the store and given its status); commit is timed too. Unchanged cells are counted and kept
compactly, their records made only when asked for (as the preview does when scrolled or filtered
on 不变); the last line makes every record, outside the timing, to show every cell was judged.
The same workbook is then imported into a file holding the units but no figures (every cell
新增, each record made): an office's first import, and the commit of all those new figures.
The import parses a many-sheet workbook on several threads (one per core, at most four), as
users get it; the raw read it is compared with is calamine on one thread.
Goals: import ≥ 0.5 of the raw read's speed; export shown as a ratio to write-only openpyxl.

Run: ``python benchmarks/excel_exchange.py [--units N]``
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db import indicators, units, values
from db.connection import open_database
from db.periods import Period
from desktop.services.exchange.export import Selection, export_workbook
from desktop.services.exchange.importing import dry_run_file
from desktop.services.exchange.judging import commit_dry_run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=320)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_database(folder / "bench.ecodesk", create=True)
        catalog = [
            i for i in indicators.all_indicators(db)
            if not i.is_computed and i.kind == "number" and i.parent_id is None
        ]  # fmt: skip
        months = [Period.month(2022, m) for m in range(1, 13)]
        unit_ids = [units.add_unit(db, f"U{n:03d}", f"单位{n}").id for n in range(args.units)]
        writes = [
            values.ValueWrite(u, p.code, i.id, float(rng.randint(1, 90)))
            for u in unit_ids for p in months for i in catalog
        ]  # fmt: skip
        values.write_values(db, writes)
        book = folder / "bench.xlsx"
        start = time.perf_counter()
        cells = export_workbook(db, Selection(unit_ids, months, only_with_data=True), book)
        export_s = time.perf_counter() - start

        from openpyxl import Workbook

        start = time.perf_counter()
        wb = Workbook(write_only=True)
        per_sheet = cells // len(unit_ids)
        width = 36
        for n in range(len(unit_ids)):
            ws = wb.create_sheet(f"S{n}")
            row: list[float] = []
            for k in range(per_sheet):
                row.append(float(k))
                if len(row) == width:
                    ws.append(row)
                    row = []
            ws.append(row)
        wb.save(folder / "raw.xlsx")
        raw_write_s = time.perf_counter() - start

        from python_calamine import CalamineWorkbook

        start = time.perf_counter()
        cal = CalamineWorkbook.from_path(str(book))
        read_cells = sum(
            sum(1 for row in cal.get_sheet_by_name(n).to_python() for v in row if v != "")
            for n in cal.sheet_names
        )
        raw_read_s = time.perf_counter() - start

        start = time.perf_counter()
        dry_run = dry_run_file(db, book)
        dry_run_s = time.perf_counter() - start
        start = time.perf_counter()
        commit_dry_run(db, dry_run, "benchmark")
        commit_s = time.perf_counter() - start
        db.close()

        # The first import into an office's file: the same units, no figures yet (all 新增).
        fresh = open_database(folder / "fresh.ecodesk", create=True)
        for n in range(args.units):
            units.add_unit(fresh, f"U{n:03d}", f"单位{n}")
        start = time.perf_counter()
        fresh_dry_run = dry_run_file(fresh, book)
        fresh_s = time.perf_counter() - start
        start = time.perf_counter()
        fresh_written = commit_dry_run(fresh, fresh_dry_run, "benchmark")
        fresh_commit_s = time.perf_counter() - start
        fresh.close()
    print(f"figure cells exported: {cells:,}; non-empty cells read by calamine: {read_cells:,}")
    export_ratio = raw_write_s / export_s
    import_ratio = raw_read_s / dry_run_s
    print(f"export (styled bureau layout) {export_s:6.2f} s", end="   ")
    print(f"write-only openpyxl {raw_write_s:6.2f} s   speed ratio {export_ratio:.2f}")
    print(f"import dry run                {dry_run_s:6.2f} s", end="   ")
    print(f"raw calamine read   {raw_read_s:6.2f} s   speed ratio {import_ratio:.2f} (goal ≥ 0.5)")
    print(f"commit (all unchanged)        {commit_s:6.2f} s;  items judged: {len(dry_run.items):,}")
    print(f"dry run: {dry_run.summary()}")
    print(
        f"into an empty file: dry run {fresh_s:6.2f} s, speed ratio {raw_read_s / fresh_s:.2f}; ",
        end="",
    )
    print(f"commit {fresh_commit_s:6.2f} s for {fresh_written:,} new figures")
    print(f"  dry run: {fresh_dry_run.summary()}")


if __name__ == "__main__":
    main()
