"""Subcommands for reports: ``report import / list / show / figures / export`` and ``search``.

``report import`` shows the outline it found before anything is saved (``--dry-run`` stops
there), so a batch of old summaries can be checked at the terminal. ``report figures`` lists
the figures quoted in a report; only ``--accept`` writes them, audited with the report as the
source. ``report export --docx`` writes the official-style document with the figures filled in
and lists what is still blank.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from db import reports, units
from db.periods import Period
from desktop.cli.common import CliError, format_table, open_db, unit_arg
from desktop.cli.registry import Register, actions
from desktop.services.reports import docx_export, figures, search, text_import


def cmd_import(args: argparse.Namespace) -> int:
    try:
        imported = text_import.import_file(Path(args.file))
    except (OSError, ValueError) as exc:
        raise CliError(str(exc)) from exc
    if args.title:
        imported.title = args.title
    if args.year:
        imported.year = args.year
        imported.period = args.period or text_import.guess_period(
            text_import.read_text(Path(args.file)), args.year
        )
    if args.period:
        imported.period = args.period
    if args.kind:
        imported.kind = args.kind
    bound, left = (0, 0) if args.keep_blanks else text_import.bind_all_blanks(imported.nodes)
    shown = Period.parse(imported.period).label if imported.period else "未注明"
    print(f"《{imported.title}》 {imported.year}年 {imported.kind} 数据期间 {shown}")
    print(text_import.outline_text(imported.nodes))
    if bound or left:
        print(f"空白“**”：{bound} 处已绑定指标，{left} 处未能识别")
    for warning in imported.warnings:
        print(f"提示：{warning}")
    if args.dry_run:
        print("（预览，未保存）")
        return 0
    db = open_db(args)
    try:
        unit = unit_arg(db, args.unit)
        try:
            report_id = text_import.save(db, imported, unit.id)
        except ValueError as exc:
            raise CliError(str(exc)) from exc
    finally:
        db.close()
    print(f"已保存为报告 {report_id}（{unit.name}）")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    db = open_db(args, read_only=True)
    try:
        unit_id = units.unit_by_code(db, args.unit).id if args.unit else None
        names = {u.id: u.display_name for u in units.all_units(db)}
        rows = [
            [str(r.id), names.get(r.unit_id, ""), str(r.year), r.kind, r.title]
            for r in reports.reports(db, unit_id, args.year)
        ]
    finally:
        db.close()
    if not rows:
        print("没有报告")
        return 0
    print(format_table(["编号", "单位", "年度", "类型", "标题"], rows))
    return 0


def _report(db: object, report_id: int) -> reports.Report:
    from db.connection import Database

    assert isinstance(db, Database)
    return reports.report_by_id(db, report_id)


def cmd_show(args: argparse.Namespace) -> int:
    db = open_db(args, read_only=True)
    try:
        report = _report(db, args.report)
        print(f"《{report.title}》 {report.year}年 {report.kind}")
        for node in reports.nodes_of(db, report.id):
            indent = "  " * max(0, node.level - 1)
            if node.label:
                print(f"{indent}{node.label}")
            if args.text:
                for paragraph in node.paragraphs:
                    print(f"{indent}    {paragraph}")
    finally:
        db.close()
    return 0


def cmd_figures(args: argparse.Namespace) -> int:
    db = open_db(args, read_only=not args.accept)
    try:
        report = _report(db, args.report)
        found = figures.find_in_nodes(
            db,
            reports.nodes_of(db, report.id),
            period=report.period or f"{report.year}-Y",
            year=report.year,
        )
        rows = [[c.name, f"{c.value:g}", c.unit, c.period, c.note, c.sentence[:40]] for c in found]
        print(format_table(["指标", "数值", "单位", "期间", "说明", "原文"], rows) if rows else
              "没有识别到指标数字")  # fmt: skip
        if args.accept and found:
            count = figures.accept(db, report.title, report.unit_id, found)
            print(f"已写入 {count} 项（审计来源：报告 {report.title}）")
    finally:
        db.close()
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    db = open_db(args, read_only=True)
    try:
        report = _report(db, args.report)
        result = docx_export.export_docx(db, report.id, Path(args.docx))
    finally:
        db.close()
    print(f"已导出《{report.title}》到 {result.path}，填入数字 {result.filled} 处")
    for note in result.fallbacks:
        print(f"字体：{note}")
    if result.missing:
        print(f"仍为空白 {len(result.missing)} 处：")
        for missing in result.missing:
            print(f"  {missing.where}：{missing.what}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    db = open_db(args, read_only=True)
    try:
        found = search.search(db, args.query, args.limit)
    finally:
        db.close()
    if not found:
        print(f"没有找到“{args.query}”")
        return 1
    for result in found:
        print(f"[{result.kind}] {result.unit} {result.year}年《{result.title}》 {result.where}")
        print(f"    {result.text()}")
    print(f"共 {len(found)} 处")
    return 0


def register(command: Register) -> None:
    report = command("report", "工作报告：import 导入、list 列表、show 提纲、figures 提取数字、"
                     "export 导出公文", lambda _a: 0)  # fmt: skip
    action = actions(report, "report_command")

    imp = action("import", "导入 .txt / .docx 报告（先显示识别出的提纲）", cmd_import)
    imp.add_argument("file", help="报告文件 .txt 或 .docx")
    imp.add_argument("--unit", help="单位代码（默认：本单位）")
    imp.add_argument("--year", type=int, help="年度（默认：从正文识别）")
    imp.add_argument("--period", help="数字所属期间，如 2022-YTD10（默认：从正文识别）")
    imp.add_argument("--kind", choices=reports.KINDS, help="报告类型（默认：从标题识别）")
    imp.add_argument("--title", help="标题（默认：原文标题或文件名）")
    imp.add_argument("--keep-blanks", action="store_true", help="不把“**”空白绑定到指标")
    imp.add_argument("--dry-run", action="store_true", help="只显示提纲，不保存")
    lst = action("list", "列出报告", cmd_list)
    lst.add_argument("--unit", help="只列该单位")
    lst.add_argument("--year", type=int, help="只列该年度")
    show = action("show", "显示报告提纲", cmd_show)
    show.add_argument("report", type=int, help="报告编号（见 report list）")
    show.add_argument("--text", action="store_true", help="同时显示正文")
    fig = action("figures", "列出报告正文中的指标数字；加 --accept 写入指标库", cmd_figures)
    fig.add_argument("report", type=int, help="报告编号")
    fig.add_argument("--accept", action="store_true", help="全部接受并写入（记入审计日志）")
    exp = action("export", "导出公文格式 .docx（数字按指标库填入）", cmd_export)
    exp.add_argument("report", type=int, help="报告编号")
    exp.add_argument("--docx", required=True, help="输出文件 .docx")

    find = command("search", "在全部报告和计划中查找文字", cmd_search)
    find.add_argument("query", help="要查找的文字（任意长度的中文片段）")
    find.add_argument("--limit", type=int, default=50, help="最多显示条数（默认 50）")
