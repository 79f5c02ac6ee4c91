"""How a group of subcommands joins the parser: each module has ``register(command)``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Protocol


class Register(Protocol):
    def __call__(
        self, name: str, helptext: str, func: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser: ...


Action = Callable[[str, str, object], argparse.ArgumentParser]


def actions(group: argparse.ArgumentParser, dest: str, *, unit: bool = False) -> Action:
    """A maker of ``group``'s actions (``report import``, ``duties list`` …), each with ``--db``.

    ``--db`` defaults to SUPPRESS so that one given before the action (``duties --db x list``) is
    not reset by the action's own; ``unit`` adds ``--unit`` to every action as well.
    """
    sub = group.add_subparsers(dest=dest, required=True, metavar="操作")

    def action(name: str, helptext: str, func: object) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, help=helptext, description=helptext)
        parser.add_argument(
            "--db", default=argparse.SUPPRESS, help="数据库文件（默认：本机用户数据目录中的数据库）"
        )
        if unit:
            parser.add_argument("--unit", help="单位代码（默认：本单位）")
        parser.set_defaults(func=func)
        return parser

    return action
