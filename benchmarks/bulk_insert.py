"""Bulk store of 500,000 values vs raw sqlite3 executemany.

Both write the same rows into a freshly migrated EcoDesk file in one transaction; the baseline
uses a bare ``sqlite3`` connection (no audit, no lock checks) and the rows as plain tuples; the
store path is what an import does, counting the record objects: one ``values.ValueWrite`` made
per value, then ``values.write_values`` (upsert, lock trigger, an audit row per value). Each
round writes into new files, the two sides alternately; min and median are printed.
Goal (issue #17): the store ≥ 0.7× raw speed, record objects counted.

Run: ``python benchmarks/bulk_insert.py [--rows N] [--rounds R]``
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import ratio_line

from db import indicators, units, values
from db.connection import open_database


def make_rows(
    n: int, unit_ids: list[int], indicator_ids: list[int]
) -> list[tuple[int, str, int, float]]:
    rows = []
    per_unit = n // len(unit_ids)
    for u in unit_ids:
        for k in range(per_unit):
            month = k // len(indicator_ids)
            period = f"{1900 + month // 12}-M{month % 12 + 1}"
            rows.append((u, period, indicator_ids[k % len(indicator_ids)], float(k)))
    return rows


def prepared(path: Path) -> tuple[list[int], list[int]]:
    db = open_database(path, create=True)
    unit_ids = [units.add_unit(db, f"U{i:02d}", f"单位{i}").id for i in range(50)]
    indicator_ids = [i.id for i in indicators.all_indicators(db) if not i.is_computed]
    db.close()
    return unit_ids, indicator_ids


def raw_side(path: Path, rows: list[tuple[int, str, int, float]]) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO value (unit_id, period, indicator_id, value) VALUES (?, ?, ?, ?)", rows
    )
    conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


def store_side(path: Path, rows: list[tuple[int, str, int, float]]) -> float:
    db = open_database(path)
    start = time.perf_counter()
    writes = [values.ValueWrite(u, p, i, v) for u, p, i, v in rows]  # the records, counted
    values.write_values(db, writes)
    seconds = time.perf_counter() - start
    assert values.value_count(db) == len(rows)
    db.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    raw: list[float] = []
    store: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in range(args.rounds):
            paths = folder / f"raw{n}.ecodesk", folder / f"store{n}.ecodesk"
            unit_ids, indicator_ids = prepared(paths[0])
            prepared(paths[1])
            rows = make_rows(args.rows, unit_ids, indicator_ids)
            raw.append(raw_side(paths[0], rows))
            store.append(store_side(paths[1], rows))
            paths[0].unlink()
            paths[1].unlink()
    print(f"rows: {args.rows:,}; {args.rounds} rounds; store median "
          f"{args.rows / statistics.median(store):,.0f} rows/s")  # fmt: skip
    print(ratio_line("bulk store (records counted) vs executemany", store, raw, "speed ≥ 0.7×",
                     speed=True, met=lambda r: r >= 0.7))  # fmt: skip


if __name__ == "__main__":
    main()
