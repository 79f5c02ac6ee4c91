"""Subcommands for the store itself: demo, show, check, backup, restore."""

from __future__ import annotations

import argparse
from pathlib import Path

from db import backup, units, values
from db.periods import Period
from db.records import Severity
from db.sheet import display, read_sheet
from db.validation import check_sheet, load_rules
from desktop import paths
from desktop.cli.common import (
    CliError,
    database_path,
    format_table,
    open_db,
    period_arg,
    unit_arg,
)
from desktop.cli.registry import Register
from desktop.services import demo


def cmd_demo(args: argparse.Namespace) -> int:
    path = Path(args.db) if args.db else paths.demo_database()
    db = demo.build_demo(path, replace=args.force)
    try:
        count = values.value_count(db)
        unit_count = len(units.all_units(db))
    finally:
        db.close()
    print(f"已建立演示数据库：{path}（{unit_count} 个单位，{count} 项数据）")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    db = open_db(args, read_only=True)
    try:
        unit = unit_arg(db, args.unit)
        if args.period:
            periods = [period_arg(p) for p in args.period]
        else:
            codes = values.periods_with_data(db, unit.id)
            periods = sorted(Period.parse(c) for c in codes)
        if not periods:
            print(f"{unit.name}：没有数据")
            return 0
        sheets = [read_sheet(db, unit.id, p) for p in periods]
    finally:
        db.close()
    header = ["指标", "单位", *(p.label for p in periods)]
    rows = []
    for index, row in enumerate(sheets[0].rows):
        ind = row.indicator
        cells = [display(ind, s.rows[index].current.value) for s in sheets]
        if not args.all and not any(cells):
            continue
        name = ("  " if row.is_part else "") + ind.name
        rows.append([name, ind.unit, *(c or "—" for c in cells)])
    print(f"{unit.name}（{unit.code}）")
    print(format_table(header, rows))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    db = open_db(args, read_only=True)
    try:
        unit = unit_arg(db, args.unit)
        period = period_arg(args.period)
        failures = check_sheet(read_sheet(db, unit.id, period), load_rules(db))
    finally:
        db.close()
    errors = [f for f in failures if f.severity is Severity.ERROR]
    for failure in failures:
        print(f"{failure.severity.value}：{failure.message}")
    print(f"{unit.name} {period.label}：{len(errors)} 项错误，{len(failures) - len(errors)} 项警告")
    return 1 if errors else 0


def cmd_backup(args: argparse.Namespace) -> int:
    if args.list:
        path = database_path(args)
        found = backup.list_backups(path)
        if not found:
            print(f"“{path.name}”还没有备份")
        for item in found:
            packed = "，已压缩" if item.compressed else ""
            print(f"{item.label}  {item.size / 1e6:.1f} MB{packed}  {item.path}")
        return 0
    db = open_db(args)
    try:
        made = backup.make_backup(db, "manual", keep=args.keep)
    finally:
        db.close()
    assert made is not None  # a manual backup is always written
    print(f"已备份到：{made.path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    path = database_path(args)
    if args.source:
        source = Path(args.source)
    else:
        found = [b for b in backup.list_backups(path) if b.reason != "restore"]
        if not found:
            raise CliError(f"“{path.name}”没有可恢复的备份")
        source = found[0].path
    db = open_db(args)
    try:
        safety = backup.restore(db, source)
    finally:
        db.close()
    print(f"已从“{source.name}”恢复；恢复前的数据另存为：{safety.path}")
    return 0


def register(command: Register) -> None:
    p = command("demo", "建立演示数据库（五个样例单位及其报告中的数据）", cmd_demo)
    p.add_argument("--force", action="store_true", help="覆盖已有的演示数据库")
    p = command("show", "按期间列出一个单位的数据", cmd_show)
    p.add_argument("--unit", help="单位代码（默认：本单位）")
    p.add_argument("--period", action="append", help="期间代码，如 2022-YTD10，可重复")
    p.add_argument("--all", action="store_true", help="也列出没有数据的指标")
    p = command("check", "校验一个单位某期的数据，有错误时退出码为 1", cmd_check)
    p.add_argument("--unit", help="单位代码（默认：本单位）")
    p.add_argument("--period", required=True, help="期间代码，如 2022-YTD10")
    p = command("backup", "立即备份数据库", cmd_backup)
    p.add_argument("--list", action="store_true", help="列出已有备份")
    p.add_argument("--keep", type=int, default=backup.DEFAULT_KEEP, help="保留的自动备份数")
    p = command("restore", "从备份恢复（默认最新一份）", cmd_restore)
    p.add_argument("--from", dest="source", help="备份文件")
