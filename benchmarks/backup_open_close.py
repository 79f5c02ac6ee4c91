"""Open, close and backup of a 50-unit × 10-year database against the demo database.

The big database is generated here (never committed): 50 units, ten years of monthly and
cumulative (1-N月) figures for every typed indicator, imported once, then a tenth of them
corrected by a second import, as offices do (an audit row per import of a figure); notes on a
tenth of them. For each database it prints: the file size, the open time
(``open_database``), the close time of a session that only read (the close backup is skipped:
nothing changed) and of a session that changed one figure (a copy with the backup API),
the backup's size, and the share of the file the audit log takes. Ratios are big / demo.

Run: ``python benchmarks/backup_open_close.py [--units 50] [--years 10] [--keep]``
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db import backup, indicators, units, values
from db.connection import open_database
from desktop.services.demo import build_demo


def generate(path: Path, unit_count: int, years: int) -> None:
    db = build_demo(path)
    try:
        typed = [i.id for i in indicators.all_indicators(db) if not i.is_computed]
        unit_ids = [
            units.add_unit(db, f"9{n:05d}", f"测试县生态环境分局{n}", level="分局").id
            for n in range(unit_count)
        ]
        first = 2026 - years
        for round_no in (0, 1):
            with db.audit_source(
                f"{first}-{first + years - 1}年数据{'（更正）' if round_no else ''}.xlsx"
            ):
                for unit_id in unit_ids:
                    writes = []
                    for year in range(first, first + years):
                        for month in range(1, 13):
                            for kind in ("M", "YTD"):
                                for n, ind in enumerate(typed):
                                    if round_no and (n + month + year) % 10:
                                        continue  # the correction touches a tenth
                                    value = float((unit_id * 7 + year + month * 3 + n) % 97)
                                    note = "按月报数据填报" if (n + month) % 10 == 0 else None
                                    writes.append(
                                        values.ValueWrite(
                                            unit_id, f"{year}-{kind}{month}", ind,
                                            value + round_no * 0.5, note,
                                        )
                                    )  # fmt: skip
                    values.write_values(db, writes)
    finally:
        db.close()


def audit_share(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        pages = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
    except sqlite3.Error:
        return "（dbstat 不可用）"
    finally:
        conn.close()
    total = sum(pages.values())
    audit = sum(v for k, v in pages.items() if k == "audit" or k.startswith("audit_"))
    value = sum(v for k, v in pages.items() if k == "value" or "value" in k)
    return f"审计 {audit / total:.0%}，数据 {value / total:.0%}"


def measure(path: Path) -> dict[str, float]:
    shutil.rmtree(backup.backup_dir(path), ignore_errors=True)
    db = open_database(path)
    backup.make_backup(db, "close", only_if_changed=True)  # the state a normal close leaves
    db.close()
    start = time.perf_counter()
    db = open_database(path)
    opened = time.perf_counter() - start
    start = time.perf_counter()
    skipped = backup.make_backup(db, "close", only_if_changed=True)
    db.close()
    close_unchanged = time.perf_counter() - start
    db = open_database(path)
    pm25 = indicators.indicator_by_code(db, "pm25").id
    values.write_values(db, [values.ValueWrite(1, "2030-Y", pm25, 1.0)])
    start = time.perf_counter()
    made = backup.make_backup(db, "close", only_if_changed=True)
    db.close()
    close_changed = time.perf_counter() - start
    assert skipped is None and made is not None
    # What every open and every close cost before: a quick_check, a whole copy.
    conn = sqlite3.connect(path)
    start = time.perf_counter()
    conn.execute("PRAGMA quick_check").fetchall()
    old_open = time.perf_counter() - start
    conn.close()
    return {
        "old_open": old_open,
        "size": path.stat().st_size,
        "open": opened,
        "close_unchanged": close_unchanged,
        "close_changed": close_changed,
        "backup": made.path.stat().st_size,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ecodesk-bench-"))
    try:
        demo = folder / "demo.ecodesk"
        build_demo(demo).close()
        big = folder / "big.ecodesk"
        start = time.perf_counter()
        generate(big, args.units, args.years)
        print(f"生成 {args.units} 个单位 × {args.years} 年：{time.perf_counter() - start:.1f} s")
        results = {name: measure(path) for name, path in (("demo", demo), ("big", big))}
        for name, path in (("demo", demo), ("big", big)):
            r = results[name]
            print(
                f"{name:5s} 文件 {r['size'] / 1e6:8.1f} MB  打开 {r['open'] * 1000:7.1f} ms  "
                f"关闭(未修改) {r['close_unchanged'] * 1000:7.1f} ms  "
                f"关闭(有修改，含备份) {r['close_changed'] * 1000:8.1f} ms  "
                f"备份 {r['backup'] / 1e6:8.1f} MB  {audit_share(path)}"
            )
            print(
                f"{'':5s} 旧做法：每次打开 quick_check {r['old_open'] * 1000:7.1f} ms，"
                f"每次关闭整份复制 {r['close_changed'] * 1000:7.1f} ms（现在只在有修改时）"
            )
        d, b = results["demo"], results["big"]
        print(
            f"ratio big/demo: 文件 {b['size'] / d['size']:.0f}×  "
            f"打开 {b['open'] / d['open']:.1f}×  "
            f"关闭(未修改) {b['close_unchanged'] / d['close_unchanged']:.1f}×  "
            f"关闭(有修改) {b['close_changed'] / d['close_changed']:.1f}×"
        )
    finally:
        if args.keep:
            print(f"文件保留在 {folder}")
        else:
            with contextlib.suppress(OSError):
                shutil.rmtree(folder)


if __name__ == "__main__":
    main()
