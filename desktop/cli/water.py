"""``water``, ``water-import``, ``water-share``: surface-water sections by GB 3838-2002.

    ecodesk-cli water 断面.xlsx [--body 河流|湖库] [--period 2026-M3]   # from a file, no database
    ecodesk-cli water-import 断面.xlsx --unit 330300-01 [--dry-run] [--body 河流|湖库]
    ecodesk-cli water-share --unit 330300-01 --period 2026-YTD10 [--write]

``water`` and ``water-import`` print the file's problems by sheet and cell and exit 1 when any
value was refused, so a batch job notices a bad file; ``water-import`` prints the dry run value
by value as ``import --dry-run`` does.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from db.connection import Database
from desktop.cli.common import CliError, format_table, open_db, period_arg, unit_arg
from desktop.cli.monitoring_common import finish_monitoring_import
from desktop.cli.registry import Register
from desktop.services.monitoring.standards import load_library
from desktop.services.monitoring.water.classes import WaterBody
from desktop.services.monitoring.water.period import (
    SECTION_COLUMNS,
    WaterPeriod,
    evaluate,
    items_present,
    period_span,
    samples_of,
    section_period,
    sections_table,
    write_good_share,
)
from desktop.services.monitoring.water.reader import read_water_file
from desktop.services.monitoring.water.section_import import BodyNeeded, dry_run_water_file

BODY_HINT = "请用 --body 河流 或 --body 湖库 指定水体类型"


def _body(args: argparse.Namespace) -> WaterBody | None:
    return WaterBody(args.body) if args.body else None


def _print_sections(result: WaterPeriod) -> None:
    if not result.sections:
        print("没有断面监测数据")
        return
    library = load_library()
    items = items_present(result, library)
    labels = [library.water.items[i].label if i in library.water.items else i for i in items]
    header = [*SECTION_COLUMNS, *labels]
    print(format_table(header, sections_table(result, items)))
    print(f"{result.share_line}（按{result.standard_code}单因子评价，各项目取期间算术平均值）")
    if result.target is not None and (result.target.judged or result.target.unset):
        print(result.target.text)
        if result.target.failing:
            print("未达标断面：" + "、".join(result.target.failing))


def cmd_water(args: argparse.Namespace) -> int:
    path = Path(args.file)
    read = read_water_file(path, _body(args))
    if read.sections_without_body:
        raise CliError(f"“{path.name}”没有水体类型列", BODY_HINT)
    for problem in read.problems:
        print(problem.text)
    start = end = None
    if args.period:
        start, end = period_span(period_arg(args.period))
    stated = {name: (c.control_level, c.target_class) for name, c in read.classes.items()}
    _print_sections(evaluate(samples_of(read.observations), start, end, None, stated))
    return 1 if read.errors else 0


def cmd_water_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    db = open_db(args, read_only=args.dry_run)
    try:
        unit = unit_arg(db, args.unit)
        try:
            imp = dry_run_water_file(db, path, unit.id, _body(args))
        except BodyNeeded as exc:
            raise BodyNeeded(exc.sections, BODY_HINT) from exc
        return finish_monitoring_import(
            db, imp, preview_only=args.dry_run, all_or_nothing=args.all_or_nothing,
            source=f"导入监测数据 {path.name}",
        )  # fmt: skip
    finally:
        db.close()


def cmd_water_share(args: argparse.Namespace) -> int:
    period = period_arg(args.period)
    db: Database = open_db(args, read_only=not args.write)
    try:
        unit = unit_arg(db, args.unit)
        result = section_period(db, unit.id, period)
        print(f"{unit.name} {period.label}")
        _print_sections(result)
        if args.write:
            rate = write_good_share(db, unit.id, period, result, "ecodesk-cli water-share")
            print(f"已写入指标库：市控断面Ⅲ类及以上比例 {rate}%")
    finally:
        db.close()
    return 0


def register(command: Register) -> None:
    bodies = [b.value for b in WaterBody]
    p = command(
        "water", "从断面监测数据文件评价各断面水质类别和Ⅲ类及以上比例（不用数据库）", cmd_water
    )
    p.add_argument("file", help="断面监测数据文件（.xlsx、.xls、.ods、.csv）")
    p.add_argument("--body", choices=bodies, help="文件没有水体类型列时，断面按河流或湖库评价")
    p.add_argument("--period", help="只评价该期间的样品，如 2026-YTD10（默认：文件中全部样品）")
    p = command("water-import", "导入断面监测数据（先用 --dry-run 预览）", cmd_water_import)
    p.add_argument("file", help="断面监测数据文件（.xlsx、.xls、.ods、.csv）")
    p.add_argument("--unit", help="单位代码（默认：本单位）")
    p.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    p.add_argument("--all-or-nothing", action="store_true", help="有任何错误则全部不导入")
    p.add_argument("--body", choices=bodies, help="文件没有水体类型列时，新断面按河流或湖库评价")
    p = command("water-share", "按库中断面监测数据计算某期间的Ⅲ类及以上断面比例", cmd_water_share)
    p.add_argument("--unit", help="单位代码（默认：本单位）")
    p.add_argument("--period", required=True, help="期间代码，如 2026-YTD10")
    p.add_argument("--write", action="store_true", help="把比例写入指标库（市控断面Ⅲ类及以上比例）")
