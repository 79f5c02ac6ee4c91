"""``duties list|add|remove``: the 工作台's reporting duties (报送任务), headless.

    ecodesk-cli duties list [--unit 330300-01] [--today 2022-11-08]
    ecodesk-cli duties add 市局月报 --kind 月报 --due 每月5日前 --group 大气 [--template 市局月报]
    ecodesk-cli duties remove 市局月报

``list`` prints what the 工作台 shows (``workbench.duties.duty_statuses``: the period each duty
is for, its due day and 未填 n 项 / 已填 / 已报送 / 逾期); ``add`` goes through the same
``workbench.duties.add_duty`` as the 新增报送任务 dialog, so a due rule the page refuses is
refused here in the same words.
"""

from __future__ import annotations

import argparse
from datetime import date

from db import duties, form_templates
from desktop.cli.common import CliError, format_table, open_db, unit_arg
from desktop.cli.registry import Register
from desktop.services.workbench import duties as workbench

#: What a user may type for a period kind: the codes and the words the 工作台 shows.
KIND_ARGS = {
    **{kind: kind for kind in workbench.KIND_WORDS},
    **{word: kind for kind, word in workbench.KIND_WORDS.items()},
    "月度": "M",
    "累计": "YTD",
    "1-N月": "YTD",
    "1-n月": "YTD",
    "季度": "Q",
    "年度": "Y",
}


def _today(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CliError(f"日期“{text}”无效，应为 2022-11-05 的形式") from exc


def _kind(text: str) -> str:
    kind = KIND_ARGS.get(text.strip()) or KIND_ARGS.get(text.strip().upper())
    if kind is None:
        raise CliError(
            f"报送期间“{text}”无法识别",
            hint="可写 月报（M）、累计月报（YTD，1-N月）、季报（Q）或 年报（Y）",
        )
    return kind


def cmd_list(args: argparse.Namespace) -> int:
    today = _today(args.today)
    db = open_db(args, read_only=True)
    try:
        unit = unit_arg(db, args.unit)
        statuses = workbench.duty_statuses(db, unit.id, today)
    finally:
        db.close()
    print(f"{unit.name}报送任务，截至 {today.isoformat()}")
    if not statuses:
        print("（没有报送任务：可用 ecodesk-cli duties add 添加）")
        return 0
    header = ("任务", "报送期间", "本次期间", "时限", "截止", "状态", "表样")
    rows = [
        (s.duty.name, workbench.KIND_WORDS[s.duty.period_kind], s.period.label, s.duty.due_rule,
         s.due_text, s.state_text, s.template_name or "—")
        for s in statuses
    ]  # fmt: skip
    print(format_table(header, rows))
    for s in statuses:
        if s.missing and s.state is not workbench.DutyState.DONE:
            print(f"{s.duty.name} 未填：{'、'.join(s.missing)}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    kind = _kind(args.kind)
    db = open_db(args)
    try:
        unit = unit_arg(db, args.unit)
        template_id = None
        if args.template:
            template_id = form_templates.template_by_name(db, args.template).id
        codes = workbench.group_indicators(db, args.group or ())
        duty = workbench.add_duty(db, unit.id, args.name, kind, args.due, template_id, codes)
    finally:
        db.close()
    print(
        f"已为{unit.name}新增报送任务“{duty.name}”（{workbench.KIND_WORDS[kind]}，{duty.due_rule}）"
    )
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        unit = unit_arg(db, args.unit)
        found = [d for d in duties.duties_of(db, unit.id) if d.name == args.name.strip()]
        if not found:
            names = "、".join(d.name for d in duties.duties_of(db, unit.id)) or "（无）"
            raise CliError(f"{unit.name}没有名为“{args.name}”的报送任务", hint=f"现有：{names}")
        duties.delete_duty(db, found[0].id)
    finally:
        db.close()
    print(f"已删除{unit.name}的报送任务“{found[0].name}”")
    return 0


def register(command: Register) -> None:
    group = command("duties", "报送任务：list 列出（本次期间、截止、状态）、add 新增、remove 删除",
                    lambda _a: 0)  # fmt: skip
    sub = group.add_subparsers(dest="duties_command", required=True, metavar="操作")

    def action(name: str, helptext: str, func: object) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=helptext, description=helptext)
        # SUPPRESS: a --db given before the action (duties --db x list) must not be reset.
        p.add_argument(
            "--db", default=argparse.SUPPRESS, help="数据库文件（默认：本机用户数据目录中的数据库）"
        )
        p.add_argument("--unit", help="单位代码（默认：本单位）")
        p.set_defaults(func=func)
        return p

    p = action("list", "列出报送任务及本次期间、截止日和状态", cmd_list)
    p.add_argument("--today", help="按该日期判断期间和逾期，如 2022-11-08（默认：今天）")
    p = action("add", "新增报送任务（需要上级表样或指标组）", cmd_add)
    p.add_argument("name", help="任务名称，如 市局主要指标月报")
    p.add_argument("--kind", required=True, help="报送期间：月报、累计月报（1-N月）、季报、年报")
    p.add_argument("--due", required=True, help="报送时限，如 每月5日前、季后10日内、次年1月20日前")
    p.add_argument("--template", help="上级表样名称（按表样中的指标计未填项）")
    p.add_argument("--group", action="append", help="指标组（如 大气、执法），可重复")
    p = action("remove", "删除报送任务", cmd_remove)
    p.add_argument("name", help="任务名称")
