"""Consolidating 12 / 50 / 200 branch returns vs reading the same files raw.

A city with N branches, each having two years of monthly returns locked (已报送), as an office
that has used EcoDesk for a while. Each branch sent its 1-10月 return (EcoDesk's export of every
indicator, one file per branch). EcoDesk's side is ``dry_run_returns`` over the N files (read,
find layouts, judge every cell against the store, the unit and period checks); the baseline is
python-calamine reading every sheet of the same files. Both sides are interleaved, several
rounds, min and median printed.
Goals (issue #17): linear in files (time per file flat from 12 to 200); 200 returns in under
2× the raw read.

Run: ``python benchmarks/consolidate.py [--sizes 12,50,200] [--rounds 3]``
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import interleaved, ratio_line

from db import indicators, units, values
from db.connection import Database, open_database
from db.periods import Period
from desktop.services.exchange.consolidate import dry_run_returns
from desktop.services.exchange.export import Selection, export_workbook

PERIOD = Period.parse("2022-YTD10")
LOCKED = [Period.month(year, m).code for year in (2020, 2021) for m in range(1, 13)]


def branch_db(path: Path, count: int, *, with_figures: bool) -> tuple[Database, list[int]]:
    db = open_database(path, create=True)
    ids = [
        units.add_unit(db, f"3304{n:03d}", f"第{n}分局", level="分局").id
        for n in range(1, count + 1)
    ]
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO period_lock (unit_id, period, locked_at, locked_by) "
            "VALUES (?, ?, '2022-01-05T09:00:00', 'bench')",
            [(u, code) for u in ids for code in LOCKED],
        )
    if with_figures:
        rng = random.Random(17)
        catalog = [
            i for i in indicators.all_indicators(db)
            if not i.is_computed and i.kind == "number" and i.parent_id is None
        ]  # fmt: skip
        values.write_values(
            db,
            [
                values.ValueWrite(u, PERIOD.code, i.id, float(rng.randint(1, 90)))
                for u in ids
                for i in catalog
            ],
        )
    return db, ids


def raw_read(files: list[Path]) -> int:
    from python_calamine import CalamineWorkbook

    cells = 0
    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            cells += sum(
                1 for row in book.get_sheet_by_name(name).to_python() for v in row if v != ""
            )
    return cells


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="12,50,200")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source, ids = branch_db(folder / "branches.ecodesk", max(sizes), with_figures=True)
        returns = folder / "returns"
        returns.mkdir()
        files = []
        for n, unit_id in enumerate(ids, start=1):
            path = returns / f"第{n}分局.xlsx"
            export_workbook(source, Selection([unit_id], [PERIOD], only_with_data=True), path)
            files.append(path)
        source.close()
        per_file: dict[int, float] = {}
        for size in sizes:
            city, _ = branch_db(folder / f"city{size}.ecodesk", size, with_figures=False)
            chosen = files[:size]
            times = interleaved(
                {
                    "raw": lambda chosen=chosen: raw_read(chosen),  # type: ignore[misc]
                    "ecodesk": lambda city=city, chosen=chosen: dry_run_returns(  # type: ignore[misc]
                        city, chosen, PERIOD
                    ),
                },
                args.rounds,
            )
            city.close()
            per_file[size] = statistics.median(times["ecodesk"]) / size
            print(
                ratio_line(
                    f"consolidate {size} returns vs raw read",
                    times["ecodesk"],
                    times["raw"],
                    "< 2× at 200",
                    met=(lambda r: r < 2.0) if size == 200 else None,
                )
            )
        first, last = per_file[sizes[0]], per_file[sizes[-1]]
        print(
            "per file: "
            + ", ".join(f"{s}: {t * 1000:.1f} ms" for s, t in per_file.items())
            + f"; growth {last / first:.2f}× from {sizes[0]} to {sizes[-1]} files"
            + f"  (goal: linear, ≈1×){'  ✔ met' if last / first < 1.5 else '  ✘ NOT met'}"
        )


if __name__ == "__main__":
    main()
