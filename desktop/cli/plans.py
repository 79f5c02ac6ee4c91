"""Subcommands for plans and the ledger: ``plan show`` / ``plan paste`` and ``ledger show`` /
``ledger export`` / ``ledger import`` / ``ledger feed``.

Before a 调度会 the office prints what is overdue: ``ecodesk-cli ledger show --overdue``. The
rules (overdue, completion rate) are the ones the pages use, from ``desktop.services``.
``--today`` fixes the date overdue is judged against (for a report "as of" a day, and tests).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from db import ledger, plans
from desktop.cli.common import CliError, format_table, open_db, period_arg, unit_arg
from desktop.cli.registry import Register
from desktop.services.common.deadlines import deadline_text
from desktop.services.common.dry_run import Status
from desktop.services.ledger import spreadsheet, tracking
from desktop.services.plans import checklist


def _today(args: argparse.Namespace) -> date:
    if not args.today:
        return date.today()
    try:
        return date.fromisoformat(args.today)
    except ValueError as exc:
        raise CliError(f"日期“{args.today}”无效，应为 2022-11-05 的形式") from exc


def _line(row: checklist.Row) -> str:
    """One checklist line: indented by depth, the details after the text (tables of long
    Chinese task texts do not fit a terminal)."""
    indent = "  " * row.depth
    if row.is_group:
        return f"{indent}{row.item.label}  【{row.status_word}】"
    item = row.item
    details = [item.department, item.lead, deadline_text(item.deadline)]
    progress = "" if row.progress is None else f"{row.progress:.0f}%"
    details += [f"【{row.status_word}】", progress]
    if row.target is not None:
        details.append(row.target.text)
    return f"{indent}{item.label}  " + "  ".join(d for d in details if d)


def cmd_plan_show(args: argparse.Namespace) -> int:
    today = _today(args)
    db = open_db(args, read_only=True)
    try:
        unit = unit_arg(db, args.unit)
        found = plans.plans_for(db, unit.id, args.year)
        if not found:
            raise CliError(f"{unit.name}没有{f'{args.year}年的' if args.year else ''}计划")
        for plan in found:
            rows = checklist.checklist(db, plan, today)
            wanted = checklist.Filter(
                overdue_only=args.overdue,
                department=args.department or "",
                status=args.status or "",
            )
            shown = checklist.visible_ids(rows, wanted)
            print(f"{unit.name} {plan.year}年{plan.title}")
            for row in rows:
                if row.item.id in shown:
                    print(_line(row))
            print(checklist.summarise(rows).text + f"（截至 {today.isoformat()}）")
            print()
    finally:
        db.close()
    return 0


def cmd_plan_paste(args: argparse.Namespace) -> int:
    text = Path(args.file).read_text(encoding="utf-8") if args.file else sys.stdin.read()
    db = open_db(args)
    try:
        unit = unit_arg(db, args.unit)
        found = [p for p in plans.plans_for(db, unit.id, args.year) if p.title == args.title]
        plan = found[0] if found else plans.create_plan(db, unit.id, args.year, args.title)
        count, _ids = checklist.paste_outline(db, plan.id, text)
    finally:
        db.close()
    print(f"已向“{plan.year}年{plan.title}”添加 {count} 个条目")
    return 0


def cmd_ledger_show(args: argparse.Namespace) -> int:
    today = _today(args)
    db = open_db(args, read_only=True)
    try:
        unit = unit_arg(db, args.unit)
        problems = ledger.problems_for(db, unit.id, batch=args.batch)
    finally:
        db.close()
    shown = [p for p in problems if tracking.is_overdue(p, today)] if args.overdue else problems
    header = ("批次", "序号", "问题描述", "责任单位", "整改时限", "状态")
    rows = [
        (p.batch, str(p.seq), p.description, p.responsible, p.deadline or "—",
         tracking.status_word(p, today))
        for p in shown
    ]  # fmt: skip
    print(f"{unit.name}整改台账{'（逾期）' if args.overdue else ''}，截至 {today.isoformat()}")
    print(format_table(header, rows) if rows else "（没有问题）")
    for summary in tracking.summarise(problems, today):
        print(summary.text)
    return 0


def cmd_ledger_export(args: argparse.Namespace) -> int:
    today = _today(args)
    db = open_db(args, read_only=True)
    try:
        unit = unit_arg(db, args.unit)
        count = spreadsheet.export_ledger(
            db, unit.id, Path(args.out), today, overdue_only=args.overdue
        )
    finally:
        db.close()
    print(f"已导出{unit.name}整改台账 {count} 个问题：{args.out}")
    return 0


def cmd_ledger_import(args: argparse.Namespace) -> int:
    db = open_db(args, read_only=args.dry_run)
    try:
        unit = unit_arg(db, args.unit)
        plan = spreadsheet.dry_run_ledger(
            db, unit.id, Path(args.file), source=args.source or "", batch=args.batch or ""
        )
        for item in plan.items:
            if item.status is not Status.UNCHANGED:
                print(item.describe())
        print(plan.summary())
        if not args.dry_run:
            count = spreadsheet.commit_import(db, plan, args.year, Path(args.file).name)
            print(f"已导入 {count} 项")
    finally:
        db.close()
    return 1 if plan.count(Status.ERROR) else 0


def cmd_ledger_feed(args: argparse.Namespace) -> int:
    period = period_arg(args.period)
    db = open_db(args)
    try:
        unit = unit_arg(db, args.unit)
        summary = tracking.feed_store(db, unit.id, args.batch, period)
    finally:
        db.close()
    print(f"已写入{unit.name} {period.label} 指标库：{summary.text}")
    return 0


def register(command: Register) -> None:
    plan = command("plan", "计划清单：show 显示、paste 粘贴提纲", lambda _a: 0)
    plan_sub = plan.add_subparsers(dest="plan_command", required=True, metavar="操作")
    ledger_cmd = command("ledger", "整改台账：show 显示、export 导出、import 导入、feed 写入指标库",
                         lambda _a: 0)  # fmt: skip
    ledger_sub = ledger_cmd.add_subparsers(dest="ledger_command", required=True, metavar="操作")

    def sub(
        group: argparse._SubParsersAction[argparse.ArgumentParser],
        name: str,
        helptext: str,
        func: object,
    ) -> argparse.ArgumentParser:
        p = group.add_parser(name, help=helptext, description=helptext)
        # SUPPRESS: a --db given before the action (plan --db x show) must not be reset.
        p.add_argument(
            "--db", default=argparse.SUPPRESS, help="数据库文件（默认：本机用户数据目录中的数据库）"
        )
        p.add_argument("--unit", help="单位代码（默认：本单位）")
        p.set_defaults(func=func)
        return p

    show = sub(plan_sub, "show", "显示计划清单（状态、逾期、进度）", cmd_plan_show)
    show.add_argument("--year", type=int, help="年度（默认：全部）")
    show.add_argument("--overdue", action="store_true", help="只显示逾期条目")
    show.add_argument("--department", help="只显示该科室的条目")
    show.add_argument("--status", help="只显示该状态的条目")
    show.add_argument("--today", help="按该日期判断逾期（默认：今天）")
    paste = sub(plan_sub, "paste", "把提纲（一、（一）1.（1））加入计划", cmd_plan_paste)
    paste.add_argument("file", nargs="?", help="提纲文本文件（默认：标准输入）")
    paste.add_argument("--year", type=int, required=True)
    paste.add_argument("--title", default="年度工作计划")

    lshow = sub(ledger_sub, "show", "显示整改台账与完成率", cmd_ledger_show)
    lshow.add_argument("--batch", help="只显示该批次")
    lshow.add_argument("--overdue", action="store_true", help="只显示逾期问题")
    lshow.add_argument("--today", help="按该日期判断逾期（默认：今天）")
    export = sub(ledger_sub, "export", "按上报格式导出整改台账 .xlsx", cmd_ledger_export)
    export.add_argument("--out", required=True, help="输出文件 .xlsx")
    export.add_argument("--overdue", action="store_true", help="只导出逾期问题")
    export.add_argument("--today", help="按该日期判断逾期（默认：今天）")
    imp = sub(ledger_sub, "import", "导入整改台账（先预览；有错误时退出码 1）", cmd_ledger_import)
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    imp.add_argument("--source", help="表中未注明时：问题来源（如 举一反三）")
    imp.add_argument("--batch", help="表中未注明时：批次名称")
    imp.add_argument("--year", type=int, default=date.today().year, help="新问题的交办年度")
    feed = sub(ledger_sub, "feed", "把批次的整改数写入指标库（完成率由公式计算）", cmd_ledger_feed)
    feed.add_argument("--batch", required=True)
    feed.add_argument("--period", required=True, help="期间代码，如 2022-YTD10")
