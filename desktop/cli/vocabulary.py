"""Subcommands for the indicator vocabulary: the catalog's codes, and the aliases (别名) each
indicator is recognised by in bureau forms — the catalog's and those this office confirmed.

``aliases export`` writes them as CSV (UTF-8 with BOM, opens in Excel), so one office's
confirmed wording can be reviewed or carried to another.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from db import aliases
from db.indicators import all_indicators
from desktop.cli.common import CliError, format_table, open_db
from desktop.cli.registry import Register
from desktop.services.common.wording import AGGREGATION_WORDS


def cmd_indicators(args: argparse.Namespace) -> int:
    db = open_db(args, read_only=True)
    try:
        rows = [
            [i.code, i.name, i.unit, AGGREGATION_WORDS.get(i.unit_agg, i.unit_agg)]
            for i in all_indicators(db)
        ]
    finally:
        db.close()
    print(format_table(["代码", "指标", "计量单位", "各单位汇总"], rows))
    return 0


def cmd_aliases(args: argparse.Namespace) -> int:
    if args.action == "add":
        code, words = (args.code, args.words) if args.code else (
            args.words[0] if args.words else "", args.words[1:]
        )  # fmt: skip
        if not code or not words:
            raise CliError("用法：ecodesk-cli aliases add 指标代码 别名 [别名…]")
        db = open_db(args)
        try:
            for word in words:
                added = aliases.remember_indicator_alias(db, code, word, source="命令行")
                print(f"{'已记住' if added else '已有'}别名“{word}”→ {code}")
        finally:
            db.close()
        return 0
    db = open_db(args, read_only=True)
    try:
        found = [
            a for a in aliases.indicator_aliases(db) if not args.office or a.origin == "office"
        ]
    finally:
        db.close()
    if args.action == "export":
        if not args.words:
            raise CliError("用法：ecodesk-cli aliases export 文件.csv [--office]")
        out = Path(args.words[0])
        with out.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["code", "alias", "origin", "created_at"])
            writer.writerows([a.code, a.alias, a.origin, a.created_at] for a in found)
        print(f"已导出 {len(found)} 个别名到：{out}")
        return 0
    origin = {"catalog": "目录", "office": "本单位确认"}
    print(
        format_table(["代码", "别名", "来源"], [[a.code, a.alias, origin[a.origin]] for a in found])
    )
    return 0


def register(command: Register) -> None:
    command("indicators", "列出指标目录（代码、名称、计量单位、汇总方式）", cmd_indicators)
    p = command("aliases", "指标别名：list 列出（默认），add 添加，export 导出 CSV", cmd_aliases)
    p.add_argument("action", nargs="?", default="list", choices=["list", "add", "export"])
    p.add_argument("words", nargs="*", help="add：指标代码 别名…；export：输出文件")
    p.add_argument("--code", help="指标代码（add）")
    p.add_argument("--office", action="store_true", help="只列出本单位确认的别名")
