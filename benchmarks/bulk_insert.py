"""Bulk insert of 500,000 values through the store vs raw sqlite3 executemany.

Both write the same rows into a freshly migrated EcoDesk file in one transaction; the baseline
uses a bare ``sqlite3`` connection (no audit triggers, no lock checks), the store path is what an
import does: ``values.write_values`` (upsert, lock trigger, an audit row per value).
Goal: the store reaches ≥ 0.7 of raw speed.

Run: ``python benchmarks/bulk_insert.py [--rows N]``
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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


def prepared(folder: Path, name: str) -> tuple[Path, list[int], list[int]]:
    path = folder / f"{name}.ecodesk"
    db = open_database(path, create=True)
    unit_ids = [units.add_unit(db, f"U{i:02d}", f"单位{i}").id for i in range(50)]
    indicator_ids = [i.id for i in indicators.all_indicators(db) if not i.is_computed]
    db.close()
    return path, unit_ids, indicator_ids


def timed(run: Callable[[], None]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results: dict[str, float] = {}
        for name in ("raw", "write_values"):
            path, unit_ids, indicator_ids = prepared(folder, name)
            rows = make_rows(args.rows, unit_ids, indicator_ids)
            if name == "raw":
                conn = sqlite3.connect(path, isolation_level=None)
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")

                def raw(conn: sqlite3.Connection = conn, rows: list = rows) -> None:  # type: ignore[type-arg]
                    conn.execute("BEGIN")
                    conn.executemany(
                        "INSERT INTO value (unit_id, period, indicator_id, value) "
                        "VALUES (?, ?, ?, ?)",
                        rows,
                    )
                    conn.execute("COMMIT")

                results[name] = timed(raw)
                conn.close()
                continue
            db = open_database(path)
            writes = [values.ValueWrite(u, p, i, v) for u, p, i, v in rows]
            results[name] = timed(lambda db=db, writes=writes: values.write_values(db, writes))
            assert values.value_count(db) == len(rows)
            db.close()
    raw_time = results["raw"]
    print(f"rows: {args.rows:,}")
    for name, seconds in results.items():
        speed = raw_time / seconds
        rate = args.rows / seconds
        print(f"{name:14s} {seconds:7.3f} s  {rate:>10,.0f} rows/s  speed vs raw: {speed:.2f}")
    print("goal: store path ≥ 0.70 of raw executemany speed")


if __name__ == "__main__":
    main()
