"""``aqi`` and ``air-import``: daily AQI and period figures, from a file or from the store.

    ecodesk-cli aqi 日均值.xlsx                       # each day under the standard of its date
    ecodesk-cli aqi 日均值.csv --standard 2026        # 按新标准口径重算
    ecodesk-cli aqi 日均值.csv --compare --summary     # period figures under both editions
    ecodesk-cli air-import 日均值.xlsx --unit 370102 --dry-run   # preview every value
    ecodesk-cli air-import 日均值.xlsx --unit 370102             # store the station-days
    ecodesk-cli aqi --unit 370102 --period 2026-YTD10 --compare  # figures from the stored days

Reading problems are printed first (file, row, column); the exit status is 1 when any of them
is an error, so a batch job notices a bad file even though the figures are still printed.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from db.periods import Period
from desktop.cli.common import CliError, format_table, open_db, period_arg, unit_arg
from desktop.cli.monitoring_common import finish_monitoring_import
from desktop.cli.registry import Register
from desktop.services.monitoring.air.aqi import DailyAqi, DailyConcentrations
from desktop.services.monitoring.air.daily_import import dry_run_air_file, stored_records
from desktop.services.monitoring.air.daily_text import (
    aqi_text,
    category_text,
    missing_text,
    shown_aqi,
)
from desktop.services.monitoring.air.figures import (
    figures_for_period,
    period_span,
    write_monthly_figures,
    write_period_figures,
)
from desktop.services.monitoring.air.period import (
    PERIOD_MEASURES,
    PeriodFigures,
    area_daily,
    incomplete_text,
    period_figures,
    primary_text,
)
from desktop.services.monitoring.air.reader import read_daily_file
from desktop.services.monitoring.standards import (
    NEW_EDITION,
    OLD_EDITION,
    load_library,
)


def _number(value: object) -> str:
    return "—" if value is None else str(value)


def _daily_rows(days: Sequence[DailyAqi]) -> list[list[str]]:
    rows = []
    for d in days:
        cells = [str(d.day), d.station or "—"]
        for measure in PERIOD_MEASURES:
            sub = next((s for s in d.sub if s.measure == measure), None)
            cells.append("NA" if sub is None else f"{sub.scored}/{_number(sub.iaqi)}")
        cells += [
            aqi_text(d),
            category_text(d),
            ("、".join(d.primary) if shown_aqi(d) is not None else "") or "—",
            d.standard_code + ("" if d.complete else f"（{missing_text(d)}）"),
        ]
        rows.append(cells)
    return rows


def _period_lines(fig: PeriodFigures) -> list[str]:
    rate = f"{fig.good_rate_rounded}%" if fig.good_rate_rounded is not None else "—"
    lines = [
        f"【{fig.station or '全部数据'}】{fig.start}～{fig.end}  计算依据：{fig.basis}",
        f"  有效天数 {fig.valid_days}（有数据 {fig.days_with_data} 天 / "
        f"日历 {fig.calendar_days} 天），优良天数 {fig.good_days}，优良率 {rate}",
    ]
    if fig.categories:
        counts = "，".join(f"{k} {v} 天" for k, v in fig.categories.items())
        lines.append(f"  类别：{counts}")
    if fig.primary:
        lines.append(f"  首要污染物：{primary_text(fig)}")
    if fig.incomplete_days:
        lines.append(f"  {incomplete_text(fig)}")
    rows = []
    for stat in fig.pollutants:
        pct = "—"
        if stat.percentile is not None and stat.percentile_rounded is not None:
            pct = f"P{stat.percentile} {stat.percentile_rounded}"
            if stat.percentile_exceeds:
                pct += "（超标）"
        mean = _number(stat.mean_rounded)
        if stat.mean_exceeds:
            mean += "（超标）"
        rows.append(
            [
                stat.measure,
                stat.unit,
                str(stat.count),
                mean,
                pct,
                f"{_number(stat.annual_limit)} / {_number(stat.daily_limit)}",
                "是" if stat.valid else "否",
            ]
        )
    limits = "年/日限值" if fig.pollutants and fig.pollutants[0].whole_year else "年/日限值（参考）"
    table = format_table(["污染物", "单位", "日数", "均值", "百分位数", limits, "有效"], rows)
    lines += ["  " + line for line in table.splitlines()]
    for issue in fig.validity:
        lines.append(f"  数据有效性：{issue.message}")
    for note in fig.notes:
        lines.append(f"  说明：{note}")
    if fig.partial_months:
        months = "、".join(f"{y}年{m}月" for y, m in fig.partial_months)
        lines.append(f"  数据有效性：{months}不是整月，未按每月日数判断")
    if fig.missing_days:
        lines.append(f"  缺数据的日期：{len(fig.missing_days)} 天")
    return lines


def _period_bounds(
    args: argparse.Namespace, records: Sequence[DailyConcentrations]
) -> tuple[date, date]:
    if args.period:
        period: Period = period_arg(args.period)
        months = period.months()
        start = date(period.year, months[0], 1)
        last = Period.month(period.year, months[-1]).days()
        return start, date(period.year, months[-1], last)
    days = [r.day for r in records]
    return min(days), max(days)


def _records(args: argparse.Namespace) -> tuple[list[DailyConcentrations], bool, str]:
    """(records, any reading error, where from): the file's rows, or the unit's stored days."""
    if args.file:
        result = read_daily_file(Path(args.file))
        for problem in result.problems:
            print(problem.text)
        return result.records, bool(result.errors), f"“{Path(args.file).name}”中"
    if not args.unit:
        raise CliError("请给出日均值文件，或用 --unit 指定单位（按已导入的日均值计算）")
    db = open_db(args, read_only=True)
    try:
        unit = unit_arg(db, args.unit)
        start, end = (
            period_span(period_arg(args.period)) if args.period else (None, None)
        )  # fmt: skip
        return stored_records(db, unit.id, start, end), False, f"{unit.display_name}已导入的数据中"
    finally:
        db.close()


def cmd_aqi(args: argparse.Namespace) -> int:
    library = load_library()
    records, errors, where = _records(args)
    if args.station:
        records = [r for r in records if r.station == args.station]
    if not records:
        raise CliError(f"{where}没有可用的日均值数据")
    start, end = _period_bounds(args, records)
    override = args.standard if args.standard != "auto" else None
    groups: dict[str, list[DailyConcentrations]] = {}
    for record in records:
        groups.setdefault(record.station, []).append(record)
    if len(groups) > 1:
        groups["全部点位平均"] = area_daily(records)
    editions = [override] if not args.compare else [OLD_EDITION, NEW_EDITION]
    for station, group in groups.items():
        for edition in editions:
            fig = period_figures(
                group, start, end, override=edition, station=station, library=library
            )
            if not args.summary and edition == editions[-1]:
                header = ["日期", "点位", *(f"{m} 浓度/分指数" for m in PERIOD_MEASURES)]
                header += ["AQI", "类别", "首要污染物", "标准"]
                print(format_table(header, _daily_rows(fig.daily)))
            print("\n".join(_period_lines(fig)))
            print()
    if args.write:
        _write(args, records, override)
    return 1 if errors else 0


def _write(
    args: argparse.Namespace, records: list[DailyConcentrations], edition: str | None
) -> None:
    """``--write``: the figures of the period (and with ``--monthly`` each of its months) into
    the store for ``--unit``, in one transaction."""
    if not (args.unit and args.period):
        raise CliError("--write 需要 --unit 和 --period（写入哪个单位、哪个期间）")
    period = period_arg(args.period)
    db = open_db(args)
    try:
        unit = unit_arg(db, args.unit)
        source = f"{args.station or unit.display_name}日均值"
        if args.monthly:
            written = write_monthly_figures(db, unit.id, records, period, edition, source)
            names = "、".join(p.label for p in written)
        else:
            write_period_figures(
                db, unit.id, period, figures_for_period(records, period, edition), source
            )
            names = period.label
    finally:
        db.close()
    print(f"已写入指标库：{unit.display_name} {names}")


def cmd_air_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    db = open_db(args, read_only=args.dry_run)
    try:
        unit = unit_arg(db, args.unit)
        imp = dry_run_air_file(db, path, unit.id, unit.display_name)
        return finish_monitoring_import(
            db, imp, preview_only=args.dry_run, all_or_nothing=args.all_or_nothing,
            source=f"导入监测数据 {path.name}",
        )  # fmt: skip
    finally:
        db.close()


def register(command: Register) -> None:
    p = command("aqi", "从监测日均值文件计算每日 AQI 和期间指标（优良率、均值、百分位数）", cmd_aqi)
    p.add_argument("file", nargs="?", help="日均值数据文件（.xlsx、.xls、.csv）；不给则用 --unit")
    p.add_argument("--unit", help="按该单位已导入的日均值计算（单位代码）")
    p.add_argument(
        "--standard",
        choices=["auto", OLD_EDITION, NEW_EDITION],
        default="auto",
        help="按哪版标准计算：auto 按数据日期（2026-03-01 起为新标准），"
        "2012 或 2026 为全部按该版重算",
    )
    p.add_argument("--period", help="期间代码，如 2026-YTD10（默认：数据覆盖的日期范围）")
    p.add_argument("--station", help="只计算该点位")
    p.add_argument("--summary", action="store_true", help="只列期间指标，不列每日 AQI")
    p.add_argument(
        "--write", action="store_true", help="把期间指标写入 --unit 的指标库（需 --period）"
    )
    p.add_argument("--monthly", action="store_true", help="与 --write 同用：同时写入各月指标")
    p.add_argument(
        "--compare", action="store_true", help="期间指标按 2012 与 2026 两版标准各算一次"
    )
    p = command("air-import", "导入监测站日均值数据（先预览每个数值，再一次写入）", cmd_air_import)
    p.add_argument("file", help="日均值数据文件（.xlsx、.xls、.ods、.csv）")
    p.add_argument("--unit", help="数据所属单位代码（默认：本单位）")
    p.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    p.add_argument("--all-or-nothing", action="store_true", help="有任何错误则全部不导入")
