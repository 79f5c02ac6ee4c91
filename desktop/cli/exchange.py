"""Subcommands for Excel exchange: export, import (with --dry-run), consolidate.

They print the same item-by-item report as the GUI's preview and exit 1 when anything was
refused, so a batch job notices a bad return.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from db import form_templates, units
from db.connection import Database
from desktop.cli.common import CliError, open_db, period_arg, unit_arg
from desktop.cli.registry import Register
from desktop.services.common.dry_run import DryRun, Status
from desktop.services.common.workbook import read_workbook
from desktop.services.exchange import consolidate, drafting, summary_table, templates
from desktop.services.exchange.export import Selection, export_workbook
from desktop.services.exchange.filling import fill_form
from desktop.services.exchange.importing import dry_run_file
from desktop.services.exchange.judging import commit_dry_run


def _print_dry_run(dry_run: DryRun) -> None:
    """Every cell that would change or was refused, then the counts."""
    for item in dry_run.select((Status.NEW, Status.CHANGED, Status.ERROR)):
        print(item.describe())  # in workbook order; 不变 cells are only counted
    for line in dry_run.closing_lines():  # the rows not imported, then each file's line
        print(line)


def cmd_export(args: argparse.Namespace) -> int:
    if not args.period:
        raise CliError("请用 --period 指定期间（可重复），如 --period 2022-YTD10")
    db = open_db(args, read_only=True)
    try:
        unit_ids = (
            [unit_arg(db, code).id for code in args.unit] if args.unit else [unit_arg(db, None).id]
        )
        periods = [period_arg(p) for p in args.period]
        out = Path(args.out)
        count = export_workbook(
            db,
            Selection(unit_ids, periods, args.indicator, only_with_data=args.only_with_data),
            out,
        )
    finally:
        db.close()
    print(f"已导出 {len(unit_ids)} 个单位、{count} 项数据到：{out}")
    return 0


def _dry_run(db: Database, path: Path, args: argparse.Namespace) -> DryRun:
    unit_code = units.unit_by_code(db, args.unit).code if args.unit else None
    period = period_arg(args.period) if args.period else None
    return dry_run_file(db, path, unit_code=unit_code, period=period)


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    db = open_db(args, read_only=args.dry_run)
    try:
        dry_run = _dry_run(db, path, args)
        _print_dry_run(dry_run)
        errors = dry_run.count(Status.ERROR)
        if args.dry_run:
            print("预览完成，未写入数据库（去掉 --dry-run 即导入）")
        elif errors and args.all_or_nothing:
            print(f"有 {errors} 项错误，按 --all-or-nothing 全部未导入")
        else:
            written = commit_dry_run(db, dry_run, f"导入 {path.name}")
            print(f"已导入 {written} 项" + (f"，{errors} 项错误未导入" if errors else ""))
    finally:
        db.close()
    return 1 if errors else 0


def cmd_consolidate(args: argparse.Namespace) -> int:
    files = consolidate.collect_files([Path(p) for p in args.files])
    if not files:
        raise CliError("没有找到可汇总的表格文件（.xlsx/.xlsm/.xls/.ods）")
    period = period_arg(args.period)
    db = open_db(args, read_only=args.dry_run)
    try:
        result = consolidate.dry_run_returns(db, files, period)
        for line in result.report_lines():
            print(line)
        errors = result.dry_run.count(Status.ERROR)
        if args.dry_run:
            print("预览完成，未写入数据库（去掉 --dry-run 即汇总）")
        elif errors and args.all_or_nothing:
            print(f"有 {errors} 项错误，按 --all-or-nothing 全部未导入")
        else:
            written = commit_dry_run(db, result.dry_run, f"汇总导入 {len(files)} 个文件")
            print(f"已导入 {written} 项")
        if args.out:
            parent = units.unit_by_code(db, args.parent) if args.parent else None
            out = Path(args.out)
            summary_table.write_summary(db, result.unit_ids(), period, out, parent=parent)
            print(f"汇总表已保存到：{out}")
    finally:
        db.close()
    return 1 if errors else 0


def cmd_template(args: argparse.Namespace) -> int:
    if args.action == "list":
        db = open_db(args, read_only=True)
        try:
            found = form_templates.all_templates(db)
        finally:
            db.close()
        if not found:
            print("还没有表样（用 ecodesk-cli template add 文件 --name 名称 建立）")
        for item in found:
            print(
                f"{item.name}  原表：{item.file_name}  更新于 {item.updated_at.replace('T', ' ')}"
            )
        return 0
    if not args.name:
        raise CliError("请用 --name 指定表样名称")
    db = open_db(args)
    try:
        if args.action == "delete":
            form_templates.delete_template(db, args.name)
            print(f"已删除表样“{args.name}”")
            return 0
        if not args.file:
            raise CliError("请指定上级下发的表格文件")
        grid = read_workbook(Path(args.file))
        lines = list(args.map or [])
        if args.map_file:
            lines += _read_text(Path(args.map_file)).splitlines()
        result = drafting.draft(
            db,
            grid,
            drafting.parse_mapping(lines),
            unit_code=units.unit_by_code(db, args.unit).code if args.unit else None,
            period_code=period_arg(args.period).code if args.period else None,
        )
        for line in result.unmapped_lines():
            print(line)
        if result.unmapped and not args.allow_partial:
            raise CliError(
                f"表样“{args.name}”未保存：{len(result.unmapped)} 个数据行未对应",
                hint='用 --map "行文字=指标代码" 补全（目录中没有的行写 --map "行文字=-"），'
                "或加 --allow-partial 保存部分表样（以后每次导入都会列出未导入的行）",
            )
        templates.save(db, args.name, grid, result.layouts)
        kept = templates.remember_confirmed(db, result.by_hand, source=f"表样“{args.name}”")
        print(f"已保存表样“{args.name}”：{result.summary()}")
        if kept:
            print(f"已记住本单位的指标别名：{'、'.join(kept)}")
    finally:
        db.close()
    return 0


def _read_text(path: Path) -> str:
    """A mapping file as Windows Notepad or Excel saves it: UTF-8 (with or without BOM) or GBK."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CliError(f"无法读取对应关系文件“{path.name}”：请保存为 UTF-8 文本")


def cmd_fill(args: argparse.Namespace) -> int:
    db = open_db(args, read_only=True)
    try:
        template = templates.load(db, args.template)
        unit = unit_arg(db, args.unit)
        period = period_arg(args.period)
        out = Path(args.out)
        with tempfile.TemporaryDirectory() as folder:
            form = (
                Path(args.form)
                if args.form
                else templates.original_file(db, args.template, Path(folder))
            )
            report = fill_form(db, form, template.layouts, out, unit_code=unit.code, period=period)
    finally:
        db.close()
    for line in report.skipped:
        print(line)
    print(f"{report.summary()}：{out}")
    return 0


def register(command: Register) -> None:
    p = command("export", "按上级报表格式导出数据到 .xlsx", cmd_export)
    p.add_argument("--unit", action="append", help="单位代码，可重复（默认：本单位）")
    p.add_argument("--period", action="append", help="期间代码，可重复，如 2022-YTD10")
    p.add_argument("--indicator", action="append", help="只导出这些指标代码，可重复")
    p.add_argument("--only-with-data", action="store_true", help="只导出有数据的指标")
    p.add_argument("--out", required=True, help="输出文件 .xlsx")
    p = command("import", "导入填好的表格（先用 --dry-run 预览）", cmd_import)
    p.add_argument("file", help="表格文件（.xlsx/.xlsm/.xls/.ods）")
    p.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    p.add_argument("--unit", help="表中未写填报单位时，指定单位代码")
    p.add_argument("--period", help="表中未写期间时，指定期间代码")
    p.add_argument("--all-or-nothing", action="store_true", help="有任何错误则全部不导入")
    p = command(
        "template", "上级表样：add 建立（自动识别结构），list 列出，delete 删除", cmd_template
    )
    p.add_argument("action", choices=["add", "list", "delete"])
    p.add_argument("file", nargs="?", help="上级下发的表格文件（add 时）")
    p.add_argument("--name", help="表样名称")
    p.add_argument("--period", help="固定期间代码（默认：每份表按其标题或表头）")
    p.add_argument("--unit", help="固定单位代码（默认：每份表按其“填报单位”、表名或文件名）")
    p.add_argument(
        "--map", action="append", metavar="行文字=指标代码",
        help="补全未识别的行，可重复；目录中没有的行写“行文字=-”（不导入）",
    )  # fmt: skip
    p.add_argument("--map-file", help="对应关系文件：每行“行文字=指标代码”")
    p.add_argument(
        "--allow-partial", action="store_true", help="仍有未对应的行时也保存（导入时列出这些行）"
    )
    p = command("fill", "按表样把本单位数据填入上级表格（另存新文件，保留原格式和公式）", cmd_fill)
    p.add_argument("--template", required=True, help="表样名称")
    p.add_argument("--form", help="本月收到的表格（默认：建立表样时的原表）")
    p.add_argument("--unit", help="单位代码（默认：本单位）")
    p.add_argument("--period", required=True, help="期间代码，如 2022-YTD10")
    p.add_argument("--out", required=True, help="输出文件 .xlsx")
    p = command("consolidate", "汇总各分局报回的表格，并生成汇总表", cmd_consolidate)
    p.add_argument("files", nargs="+", help="文件或文件夹")
    p.add_argument("--period", required=True, help="期间代码，如 2022-YTD10")
    p.add_argument("--parent", help="汇总表的上级单位代码（合计行的名称）")
    p.add_argument("--out", help="汇总表输出文件 .xlsx")
    p.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    p.add_argument("--all-or-nothing", action="store_true", help="有任何错误则全部不导入")
