"""``stations list|set``: the 点位与断面… dialog headless — 控制级别, water body, 水质目标.

    ecodesk-cli stations list [--unit 330300-01]
    ecodesk-cli stations set 南溪口 --level 市控 --target III --kind 河流

``set`` changes only what it is given and writes through ``db.stations.classify_station``, as
the dialog does; a station is named as ``list`` shows it (or by its 编号 when two share a name).
"""

from __future__ import annotations

import argparse

from db import stations
from db.connection import Database
from db.errors import KnownError
from db.numbers import CLASS_NAMES, parse_water_class
from db.stations import Station
from desktop.cli.common import CliError, format_table, open_db, unit_arg
from desktop.cli.registry import Register
from desktop.services.monitoring.water.headers import body_of

KIND_NAMES = {"air": "空气站点", "water": "地表水断面"}


def _all(db: Database, unit_id: int) -> list[Station]:
    return stations.stations_of(db, unit_id, "air") + stations.stations_of(db, unit_id, "water")


def _target(text: str) -> int | None:
    try:
        found = parse_water_class(text)
    except ValueError as exc:
        raise CliError(str(exc), hint="水质目标写 Ⅰ～Ⅴ、I～V 或 1～5，如 --target III") from exc
    if found is not None and found > 5:
        raise CliError("水质目标应为Ⅰ类至Ⅴ类（劣Ⅴ类不是目标）")
    return None if found is None else int(found)


def _station(db: Database, unit_id: int, unit_name: str, name: str) -> Station:
    every = _all(db, unit_id)
    found = [s for s in every if s.name == name.strip() or str(s.id) == name.strip()]
    if len(found) == 1:
        return found[0]
    if found:
        raise CliError(
            f"有 {len(found)} 个名为“{name}”的点位", hint="请用 stations list 中的编号指定"
        )
    shown = "、".join(s.name for s in every[:10]) or "（无，导入监测数据后才有）"
    raise CliError(f"{unit_name}没有名为“{name}”的点位或断面", hint=f"现有：{shown}")


def cmd_list(args: argparse.Namespace) -> int:
    db = open_db(args, read_only=True)
    try:
        unit = unit_arg(db, args.unit)
        rows = _all(db, unit.id)
    finally:
        db.close()
    print(f"{unit.name}的点位与断面")
    if not rows:
        print("（没有点位或断面：导入监测数据后在此设置）")
        return 0
    header = ("编号", "类型", "点位/断面", "控制级别", "水体", "水质目标")
    table = [
        (str(s.id), KIND_NAMES[s.kind], s.name, s.control_level or "未设", s.water_body or "—",
         "—" if s.kind == "air" else CLASS_NAMES[s.target_class] if s.target_class else "未设")
        for s in rows
    ]  # fmt: skip
    print(format_table(header, table))
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    if args.level is None and args.target is None and args.kind is None:
        raise CliError("没有要修改的内容", hint="请给出 --level、--target 或 --kind")
    db = open_db(args)
    try:
        unit = unit_arg(db, args.unit)
        station = _station(db, unit.id, unit.name, args.name)
        water = station.kind == "water"
        if not water and (args.target is not None or args.kind is not None):
            raise CliError(f"“{station.name}”是空气站点，没有水质目标和水体类型")
        try:
            level = (
                station.control_level
                if args.level is None
                else stations.control_level_of(args.level)
            )
        except KnownError as exc:
            raise CliError(exc.message, hint=exc.hint) from exc
        target = station.target_class if args.target is None else _target(args.target)
        body = None
        if args.kind is not None:
            found = body_of(args.kind)
            if found is None:
                raise CliError(
                    f"水体类型“{args.kind}”无法识别", hint="应为 河流 或 湖库（湖泊、水库）"
                )
            body = found.value
        stations.classify_station(db, station.id, level, target if water else None, body)
        after = _station(db, unit.id, unit.name, str(station.id))
    finally:
        db.close()
    parts = [f"控制级别 {after.control_level or '未设'}"]
    if water:
        target_text = CLASS_NAMES[after.target_class] if after.target_class else "未设"
        parts += [f"水体 {after.water_body}", f"水质目标 {target_text}"]
    print(f"已设置{KIND_NAMES[after.kind]}“{after.name}”：{'，'.join(parts)}")
    return 0


def register(command: Register) -> None:
    group = command("stations", "点位与断面：list 列出、set 设置控制级别、水体和水质目标",
                    lambda _a: 0)  # fmt: skip
    sub = group.add_subparsers(dest="stations_command", required=True, metavar="操作")

    def action(name: str, helptext: str, func: object) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=helptext, description=helptext)
        # SUPPRESS: a --db given before the action (stations --db x list) must not be reset.
        p.add_argument(
            "--db", default=argparse.SUPPRESS, help="数据库文件（默认：本机用户数据目录中的数据库）"
        )
        p.add_argument("--unit", help="单位代码（默认：本单位）")
        p.set_defaults(func=func)
        return p

    action("list", "列出本单位的空气站点和地表水断面", cmd_list)
    p = action("set", "设置点位的控制级别、断面的水体类型和水质目标（只改给出的项）", cmd_set)
    p.add_argument("name", help="点位或断面名称（或 stations list 中的编号）")
    p.add_argument("--level", help="控制级别：国控、省控、市控、县控（“无”为清除）")
    p.add_argument("--target", help="水质目标：Ⅲ、III 或 3（“无”为清除）")
    p.add_argument("--kind", help="水体类型：河流 或 湖库（湖泊、水库亦可）")
