"""``ecodesk-cli``: the same work as the GUI, headless, for batch use and for tests.

Every subcommand takes ``--db PATH`` (default: the per-user database), prints Chinese, and on
any refusal exits non-zero with a one-line reason. ``check`` exits 1 when validation finds an
error, so it can gate a batch job.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from db import backup, units, values
from db.connection import Database, open_database
from db.errors import StorageError
from db.periods import Period
from db.records import Severity, Unit
from db.sheet import display, read_sheet
from db.validation import check_sheet, load_rules
from desktop import __version__, paths
from desktop.services import demo


class CliError(Exception):
    """A refusal to print as one line and exit with status 2."""


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns aligned for a terminal, counting a Chinese character as two cells."""
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        cells = [_pad(c, w, right=i > 0) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _database_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else paths.default_database()


def _open(args: argparse.Namespace, *, read_only: bool = False) -> Database:
    path = _database_path(args)
    if not path.exists():
        raise CliError(f"找不到数据库文件“{path}”（可用 --db 指定，或先运行 ecodesk-cli demo）")
    return open_database(path, read_only=read_only)


def _unit(db: Database, code: str | None) -> Unit:
    code = code or db.meta("own_unit")
    if not code:
        raise CliError("请用 --unit 指定单位代码（可用 ecodesk-cli units 查看）")
    return units.unit_by_code(db, code)


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise CliError(str(exc)) from exc


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


def cmd_units(args: argparse.Namespace) -> int:
    db = _open(args, read_only=True)
    try:
        all_units = units.all_units(db)
        rows = [
            [("  " * units.depth_of(all_units, u)) + u.name, u.code, u.level] for u in all_units
        ]
    finally:
        db.close()
    print(format_table(["单位", "代码", "级别"], rows))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    db = _open(args, read_only=True)
    try:
        unit = _unit(db, args.unit)
        if args.period:
            periods = [_period(p) for p in args.period]
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
    db = _open(args, read_only=True)
    try:
        unit = _unit(db, args.unit)
        period = _period(args.period)
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
        path = _database_path(args)
        found = backup.list_backups(path)
        if not found:
            print(f"“{path.name}”还没有备份")
        for item in found:
            print(f"{item.label}  {item.path}")
        return 0
    db = _open(args)
    try:
        made = backup.make_backup(db, "manual", keep=args.keep)
    finally:
        db.close()
    print(f"已备份到：{made.path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    path = _database_path(args)
    if args.source:
        source = Path(args.source)
    else:
        found = [b for b in backup.list_backups(path) if b.reason != "restore"]
        if not found:
            raise CliError(f"“{path.name}”没有可恢复的备份")
        source = found[0].path
    db = _open(args)
    try:
        safety = backup.restore(db, source)
    finally:
        db.close()
    print(f"已从“{source.name}”恢复；恢复前的数据另存为：{safety.path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecodesk-cli", description="EcoDesk 生态环境工作台（命令行）"
    )
    parser.add_argument("--version", action="version", version=f"EcoDesk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    def command(name: str, helptext: str, func: Callable[[argparse.Namespace], int]) -> Any:
        p = sub.add_parser(name, help=helptext, description=helptext)
        p.add_argument("--db", help="数据库文件（默认：本机用户数据目录中的数据库）")
        p.set_defaults(func=func)
        return p

    p = command("demo", "建立演示数据库（五个样例单位及其报告中的数据）", cmd_demo)
    p.add_argument("--force", action="store_true", help="覆盖已有的演示数据库")
    command("units", "列出单位", cmd_units)
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    try:
        result: int = args.func(args)
    except (CliError, StorageError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    return result


if __name__ == "__main__":
    sys.exit(main())
