"""What every ``ecodesk-cli`` subcommand shares: opening the database, reading unit and period
arguments, aligned Chinese tables, and the one-line refusal."""

from __future__ import annotations

import argparse
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from db import units
from db.connection import Database, open_database
from db.errors import KnownError, UpgradeNeeded
from db.periods import Period
from db.records import Unit
from desktop import paths


class CliError(KnownError):
    """A command-line argument or request refused; printed like any known error, exit 2."""


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns aligned for a terminal, counting a Chinese character as two cells."""
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        cells = [_pad(c, w, right=i > 0) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def database_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else paths.default_database()


def open_db(args: argparse.Namespace, *, read_only: bool = False, create: bool = False) -> Database:
    """The database named by ``--db``; ``create`` makes a new one (the first ``units add`` of an
    office that starts from nothing, not from the demo)."""
    path = database_path(args)
    if not path.exists() and not create:
        raise CliError(
            f"找不到数据库文件“{path}”（可用 --db 指定；新建请先运行"
            " ecodesk-cli units add 本单位名称 --code 代码 --db 文件，或运行 ecodesk-cli demo）"
        )
    try:
        return open_database(path, read_only=read_only, create=create)
    except UpgradeNeeded:
        if not read_only:
            raise
        # A command that only reads, on a file from an older EcoDesk: upgrade it as the window
        # does on open (backup first). If another program holds the file, this opens read-only
        # again and says who has it.
        return open_database(path, create=create)


def unit_arg(db: Database, code: str | None) -> Unit:
    code = code or db.meta("own_unit")
    if not code:
        raise CliError("请用 --unit 指定单位代码（可用 ecodesk-cli units 查看）")
    return units.unit_by_code(db, code)


def period_arg(text: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
