"""``ecodesk-cli``: the same work as the GUI, headless, for batch use and for tests.

Every subcommand takes ``--db PATH`` (default: the per-user database), prints Chinese, and on
any refusal (a ``KnownError``) exits 2 with a one-line reason on stderr, followed by a
``提示：`` line saying what to do where the error has a hint. Anything else (a file the system
refused, or a bug of ours) also exits 2 with one sentence naming the log file, where its
traceback is written (``desktop.logbook``): no traceback reaches the user. ``check`` exits 1
when validation finds an error, so it can gate a batch job.
Each group of subcommands lives in its own module with a ``register(command)`` function; this
module only assembles the parser and runs it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from db.errors import KnownError
from desktop import __version__, logbook, paths
from desktop.cli import (
    charts,
    data,
    duties,
    exchange,
    monitoring,
    plans,
    reports,
    stations,
    units,
    vocabulary,
    water,
)

GROUPS = (
    data, units, vocabulary, exchange, charts, monitoring, water, stations, plans, duties, reports,
)  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecodesk-cli", description="EcoDesk 生态环境工作台（命令行）"
    )
    parser.add_argument("--version", action="version", version=f"EcoDesk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    def command(
        name: str, helptext: str, func: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=helptext, description=helptext)
        p.add_argument("--db", help="数据库文件（默认：本机用户数据目录中的数据库）")
        p.set_defaults(func=func)
        return p

    for group in GROUPS:
        group.register(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")
    paths.configure_matplotlib_cache()  # charts and packs import matplotlib later
    args = build_parser().parse_args(argv)
    try:
        result: int = args.func(args)
    except KnownError as exc:
        print(f"错误：{exc.with_hint()}", file=sys.stderr)
        return 2
    except Exception as exc:
        print(logbook.failure_sentence(exc, logbook.record(exc, "命令行")), file=sys.stderr)
        return 2
    return result


if __name__ == "__main__":
    sys.exit(main())
