"""Subcommands for the unit tree: list, add (with aliases), alias, order.

Returns name a branch as people write it (南湖区, 嘉兴市生态环境局南湖分局, its code); a unit
added here with its aliases is recognised in every return, without the GUI.
"""

from __future__ import annotations

import argparse

from db import aliases, units
from db.records import UNIT_LEVELS
from desktop.cli.common import CliError, format_table, open_db
from desktop.cli.registry import Register


def cmd_units(args: argparse.Namespace) -> int:
    action = args.action or "list"
    if action == "list":
        return _list(args)
    db = open_db(args, create=action == "add")
    try:
        if action == "add":
            if len(args.names) != 1 or not args.code:
                raise CliError("用法：ecodesk-cli units add 名称 --code 代码 [--parent 上级代码]")
            level = args.level or ("分局" if args.parent else "其他")
            with db.transaction():
                unit = units.add_unit(
                    db, args.code, args.names[0], short_name=args.short or "", level=level,
                    parent_code=args.parent,
                )  # fmt: skip
                for alias in args.alias or []:
                    aliases.add_unit_alias(db, unit.code, alias)
            extra = f"，别名：{'、'.join(args.alias)}" if args.alias else ""
            print(f"已新增单位“{unit.name}”（{unit.code}，{unit.level}）{extra}")
        elif action == "alias":
            code, words = (args.code, args.names) if args.code else (args.names[:1], args.names[1:])
            if not code or not words:
                raise CliError("用法：ecodesk-cli units alias 单位代码 别名 [别名…]")
            code = code if isinstance(code, str) else code[0]
            for alias in words:
                added = aliases.add_unit_alias(db, code, alias)
                print(f"{'已添加' if added else '已有'}别名“{alias}”→ {code}")
        elif action == "order":
            if not args.names:
                raise CliError("用法：ecodesk-cli units order 代码 代码 …（按本单位的顺序）")
            units.set_order(db, args.names)
            print("已按给定顺序排列：" + "、".join(args.names))
    finally:
        db.close()
    return 0


def _list(args: argparse.Namespace) -> int:
    db = open_db(args, read_only=True)
    try:
        all_units = units.all_units(db)
        names: dict[int, list[str]] = {}
        for alias in aliases.unit_aliases(db):
            names.setdefault(alias.unit_id, []).append(alias.alias)
        rows = [
            [
                ("  " * units.depth_of(all_units, u)) + u.name, u.code, u.level, u.short_name,
                "、".join(names.get(u.id, [])),
            ]
            for u in all_units
        ]  # fmt: skip
    finally:
        db.close()
    print(format_table(["单位", "代码", "级别", "简称", "别名"], rows))
    return 0


def register(command: Register) -> None:
    p = command(
        "units",
        "单位：list 列出（默认），add 新增，alias 加别名，order 排列顺序",
        cmd_units,
    )
    p.add_argument("action", nargs="?", choices=["list", "add", "alias", "order"])
    p.add_argument(
        "names", nargs="*", help="add：单位名称；alias：单位代码 别名…；order：单位代码…"
    )
    p.add_argument("--code", help="单位代码（如行政区划代码 330402）")
    p.add_argument("--parent", help="上级单位代码")
    p.add_argument("--short", help="简称，如 南湖分局")
    p.add_argument("--level", choices=UNIT_LEVELS, help="级别（默认：有上级时为分局）")
    p.add_argument(
        "--alias", action="append", help="别名，可重复：南湖区、嘉兴市生态环境局南湖分局…"
    )
