"""Subcommands for charts: ``chart`` (one chart to PNG/SVG/PDF), ``pack`` (a saved chart set to
one meeting-pack PDF) and ``chartset`` (list, show, add to, delete saved sets).

A month's pack is then one command: ``ecodesk-cli pack 局务会 --period 2022-YTD11 --out x.pdf``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from db import chart_sets
from db.periods import Period
from desktop.cli.common import CliError, format_table, open_db, period_arg
from desktop.cli.registry import Register
from desktop.services.charts.building import (
    BY,
    CHART_TYPES,
    SPANS,
    STYLES,
    ChartError,
    ChartSpec,
    build_chart,
    describe,
    specs_from_json,
    specs_to_json,
)
from desktop.services.charts.meeting_pack import export_chart, prepare_pack, write_pack


def _spec(args: argparse.Namespace) -> ChartSpec:
    return ChartSpec(
        type=args.type,
        indicators=tuple(args.indicator or ()),
        units=tuple(args.unit or ()),
        period=period_arg(args.period).code if args.period else "",
        span=args.span,
        count=args.count,
        style=args.style,
        by=args.by,
        title=args.title or "",
    )


def cmd_chart(args: argparse.Namespace) -> int:
    spec = _spec(args)
    if not spec.period:
        raise CliError("请用 --period 指定期间，如 2022-YTD10")
    out = Path(args.out)
    db = open_db(args, read_only=True)
    try:
        data = build_chart(db, spec)
    finally:
        db.close()
    try:
        export_chart(data, out)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    print(f"已生成图表“{data.caption.title}”：{out}")
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    period = period_arg(args.period) if args.period else None
    db = open_db(args, read_only=True)
    try:
        saved = chart_sets.chart_set_by_name(db, args.name)
        specs = specs_from_json(saved.specs)
        pack = prepare_pack(db, specs, args.title or saved.title or saved.name, period)
    finally:
        db.close()
    for line in pack.skipped:
        print(f"未列入：{line}")
    if not pack.charts:
        raise CliError(f"图表组“{args.name}”没有一张图表有数据，未生成文件")
    pages = write_pack(
        Path(args.out), pack.title, pack.charts, subtitle=pack.subtitle, per_page=args.per_page
    )
    print(f"已生成会议材料“{pack.title}”：{args.out}（{len(pack.charts)} 张图，{pages} 页）")
    return 0


def cmd_chartset(args: argparse.Namespace) -> int:
    if args.action == "list":
        db = open_db(args, read_only=True)
        try:
            found = chart_sets.all_chart_sets(db)
            rows = [
                [
                    s.name,
                    s.title,
                    str(len(specs_from_json(s.specs))),
                    s.updated_at.replace("T", " "),
                ]
                for s in found
            ]
        finally:
            db.close()
        if not rows:
            print("还没有保存的图表组")
        else:
            print(format_table(["名称", "标题", "图表数", "修改时间"], rows))
        return 0
    if not args.name:
        raise CliError("请给出图表组名称")
    if args.action == "delete":
        db = open_db(args)
        try:
            chart_sets.delete_chart_set(db, args.name)
        finally:
            db.close()
        print(f"已删除图表组“{args.name}”")
        return 0
    if args.action == "show":
        db = open_db(args, read_only=True)
        try:
            saved = chart_sets.chart_set_by_name(db, args.name)
            lines = [
                describe(s, db) + f"｜{s.period or '当前期间'}"
                for s in specs_from_json(saved.specs)
            ]
        finally:
            db.close()
        print(f"{saved.name}：{saved.title}")
        for number, line in enumerate(lines, start=1):
            print(f"{number}. {line}")
        return 0
    # add: append one chart (built once now, so a mistake is caught before it is saved)
    if not args.type:
        raise CliError("请用 --type 指定要加入的图表类型")
    spec = _spec(args)
    db = open_db(args)
    try:
        try:
            build_chart(db, spec, Period.parse(spec.period) if spec.period else None)
        except ChartError as exc:
            raise CliError(f"图表无法生成，未保存：{exc.message}", exc.hint) from exc
        existing = {s.name: s for s in chart_sets.all_chart_sets(db)}.get(args.name.strip())
        specs = specs_from_json(existing.specs) if existing else []
        title = existing.title if existing else ""
        specs.append(spec)
        saved = chart_sets.save_chart_set(
            db, args.name, args.set_title or title, specs_to_json(specs)
        )
    finally:
        db.close()
    print(f"已加入图表组“{saved.name}”（共 {len(specs)} 张图）")
    return 0


def _chart_options(p: argparse.ArgumentParser, *, type_required: bool) -> None:
    p.add_argument(
        "--type",
        required=type_required,
        choices=list(CHART_TYPES),
        help="图表类型：" + "、".join(f"{k}={v}" for k, v in CHART_TYPES.items()),
    )
    p.add_argument("--indicator", action="append", help="指标代码，可重复（如 pm25）")
    p.add_argument("--unit", action="append", help="单位代码，可重复（默认：本单位；排名：全部）")
    p.add_argument("--period", help="期间代码，如 2022-YTD10")
    p.add_argument(
        "--span",
        default="years",
        choices=list(SPANS),
        help="趋势范围：" + "、".join(f"{k}={v}" for k, v in SPANS.items()),
    )
    p.add_argument("--count", type=int, default=5, help="趋势的年数或月数（默认 5）")
    p.add_argument(
        "--style", default="bar", choices=list(STYLES), help="构成图：bar=堆积柱，pie=饼图"
    )
    p.add_argument(
        "--by",
        default="indicator",
        choices=list(BY),
        help="目标完成：indicator=一个单位的各指标，unit=各单位的一个指标",
    )
    p.add_argument("--title", help="自定义标题")


def register(command: Register) -> None:
    p = command("chart", "生成一张图表（PNG 300dpi / SVG / PDF，按 --out 的扩展名）", cmd_chart)
    _chart_options(p, type_required=True)
    p.add_argument("--out", required=True, help="输出文件：.png、.svg 或 .pdf")
    p = command("pack", "按保存的图表组生成会议材料 PDF", cmd_pack)
    p.add_argument("name", help="图表组名称（ecodesk-cli chartset list 查看）")
    p.add_argument("--period", help="换成这个期间重新生成，如 2022-YTD11（默认：保存时的期间）")
    p.add_argument("--title", help="材料标题（默认：图表组的标题）")
    p.add_argument("--per-page", type=int, choices=[1, 2], default=2, help="每页图表数（1 或 2）")
    p.add_argument("--out", required=True, help="输出的 PDF 文件")
    p = command(
        "chartset", "图表组：list 列出，show 查看，add 加入一张图，delete 删除", cmd_chartset
    )
    p.add_argument("action", choices=["list", "show", "add", "delete"])
    p.add_argument("name", nargs="?", help="图表组名称")
    p.add_argument("--set-title", help="add：图表组（会议材料）的标题")
    _chart_options(p, type_required=False)
