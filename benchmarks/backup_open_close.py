"""Open, close and backup of a 50-unit × 10-year database against the demo database.

The big database is generated here (never committed): 50 units, ten years of monthly and
cumulative (1-N月) figures for every typed indicator, imported once, then a tenth of them
corrected by a second import, as offices do (an audit row per import of a figure); notes on a
tenth of them. For each database it prints: the file size, the open time (``open_database``),
the close time of a session that only read (the close backup is skipped: nothing changed) and
of a session that changed one figure (a copy with the backup API, then compressed; also timed
uncompressed), the backup's size compressed and not, the 完整性检查 of the compressed backup,
and the share of the file the audit log takes. Ratios are big / demo.

Run: ``python benchmarks/backup_open_close.py [--units 50] [--years 10] [--revisions 1]
[--target-mb 650] [--keep]`` (``--target-mb`` adds units of the same shape until the file is
that large: 50 × 10 years is about 67 MB since the audit log is stored compactly).
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


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def generate(
    path: Path, unit_count: int, years: int, revisions: int = 1, target_bytes: int = 0
) -> int:
    """Build the large database; returns how many units it holds.

    Each unit gets ``years`` of monthly and cumulative figures, then ``revisions`` correction
    imports that each change a different tenth of them. With ``target_bytes`` units are added
    beyond ``unit_count`` until the file reaches that size (the same data shape, scaled).
    """
    db = build_demo(path)
    try:
        typed = [i.id for i in indicators.all_indicators(db) if not i.is_computed]
        first = 2026 - years
        made = 0
        while made < unit_count or _size(path) < target_bytes:
            unit_id = units.add_unit(
                db, f"9{made:05d}", f"测试县生态环境分局{made}", level="分局"
            ).id
            made += 1
            for round_no in range(revisions + 1):
                writes = []
                for year in range(first, first + years):
                    for month in range(1, 13):
                        for kind in ("M", "YTD"):
                            for n, ind in enumerate(typed):
                                if round_no and (n + month + year + round_no) % 10:
                                    continue  # each correction touches a tenth
                                value = float((unit_id * 7 + year + month * 3 + n) % 97)
                                note = "按月报数据填报" if (n + month) % 10 == 0 else None
                                writes.append(
                                    values.ValueWrite(
                                        unit_id, f"{year}-{kind}{month}", ind,
                                        value + round_no * 0.5, note,
                                    )
                                )  # fmt: skip
                name = (
                    f"{first}-{first + years - 1}年数据{f'（更正{round_no}）' if round_no else ''}"
                )
                with db.audit_source(f"{name}.xlsx"):
                    values.write_values(db, writes)
    finally:
        db.close()
    return made


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


def _close_after_a_change(path: Path, value: float, *, compress: bool) -> tuple[float, int]:
    """Open, change one figure, close with its backup: the seconds the close took and the
    backup's size on disk."""
    db = open_database(path)
    pm25 = indicators.indicator_by_code(db, "pm25").id
    values.write_values(db, [values.ValueWrite(1, "2030-Y", pm25, value)])
    start = time.perf_counter()
    made = backup.make_backup(db, "close", only_if_changed=True, compress=compress)
    db.close()
    took = time.perf_counter() - start
    assert made is not None and made.compressed == compress
    return took, made.size


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
    assert skipped is None
    close_plain, plain = _close_after_a_change(path, 1.0, compress=False)
    close_changed, packed = _close_after_a_change(path, 2.0, compress=True)
    start = time.perf_counter()
    [newest, *_] = backup.list_backups(path)
    problems = backup.check_backup(newest.path)  # 完整性检查 of the packed backup
    check = time.perf_counter() - start
    assert problems == []
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
        "close_plain": close_plain,
        "close_changed": close_changed,
        "plain": plain,
        "backup": packed,
        "check": check,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument(
        "--revisions", type=int, default=1, help="更正导入次数（每次改动十分之一的数据）"
    )
    parser.add_argument(
        "--target-mb", type=float, default=0, help="继续增加单位，直到文件达到此大小（MB）"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ecodesk-bench-"))
    try:
        demo = folder / "demo.ecodesk"
        build_demo(demo).close()
        big = folder / "big.ecodesk"
        start = time.perf_counter()
        made = generate(big, args.units, args.years, args.revisions, int(args.target_mb * 1e6))
        print(
            f"生成 {made} 个单位 × {args.years} 年（更正 {args.revisions} 次）："
            f"{time.perf_counter() - start:.1f} s"
        )
        results = {name: measure(path) for name, path in (("demo", demo), ("big", big))}
        for name, path in (("demo", demo), ("big", big)):
            r = results[name]
            print(
                f"{name:5s} 文件 {r['size'] / 1e6:8.1f} MB  打开 {r['open'] * 1000:7.1f} ms  "
                f"关闭(未修改) {r['close_unchanged'] * 1000:7.1f} ms  "
                f"关闭(有修改，压缩备份) {r['close_changed'] * 1000:8.1f} ms  "
                f"(不压缩 {r['close_plain'] * 1000:8.1f} ms)  "
                f"备份 {r['backup'] / 1e6:8.1f} MB (不压缩 {r['plain'] / 1e6:8.1f} MB)  "
                f"{audit_share(path)}"
            )
            print(
                f"{'':5s} 完整性检查所选备份（解压后）{r['check'] * 1000:8.1f} ms；"
                f"旧做法：每次打开 quick_check {r['old_open'] * 1000:7.1f} ms，"
                f"每次关闭整份复制 {r['close_plain'] * 1000:7.1f} ms（现在只在有修改时）"
            )
        d, b = results["demo"], results["big"]
        print(
            f"ratio big/demo: 文件 {b['size'] / d['size']:.0f}×  "
            f"打开 {b['open'] / d['open']:.1f}×  "
            f"关闭(未修改) {b['close_unchanged'] / d['close_unchanged']:.1f}×  "
            f"关闭(有修改) {b['close_changed'] / d['close_changed']:.1f}×  "
            f"big 压缩比 {b['backup'] / b['plain']:.0%}"
        )
    finally:
        if args.keep:
            print(f"文件保留在 {folder}")
        else:
            with contextlib.suppress(OSError):
                shutil.rmtree(folder)


if __name__ == "__main__":
    main()
