"""Rules a figure must pass: on entry (refusing what is impossible) and for a whole period.

Two strengths, as a bureau reviewer would see them:

* errors: a value outside its indicator's range, a percentage outside 0-100, parts adding up
  to more than a typed total, PM2.5 above PM10, more 优良天数 than days in the period;
* warnings: a jump of more than a set factor against the same period last year, which is
  often a typo (a missing decimal point) but may be real.

Single-value errors refuse the input at the grid. Rules between two figures cannot refuse the
second figure typed (the first may be the wrong one), so they mark both and are listed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from db.connection import Database
from db.errors import ValueRejected
from db.numbers import parse_number, parse_water_class
from db.periods import Period
from db.records import Failure, Indicator, RuleSpec, Severity
from db.sheet import Sheet, SheetRow, display

#: A value more than this many times last year's (or less than its inverse) is flagged.
DEFAULT_JUMP_FACTOR = 3.0


@dataclass(frozen=True)
class Rules:
    cross: list[RuleSpec]
    jump_factor: float


def load_rules(db: Database) -> Rules:
    rows = db.conn.execute(
        "SELECT kind, left_code, coalesce(right_code, ''), message FROM check_rule ORDER BY id"
    ).fetchall()
    try:
        factor = float(db.meta("jump_factor", str(DEFAULT_JUMP_FACTOR)))
    except ValueError:
        factor = DEFAULT_JUMP_FACTOR
    return Rules([RuleSpec(*r) for r in rows], factor)


def range_problem(indicator: Indicator, value: float, period: Period, rules: Rules) -> str | None:
    """Why ``value`` cannot be this indicator's figure for ``period``, or None."""
    unit = indicator.unit if indicator.unit not in ("%", "类") else ""

    def shown() -> str:  # only when there is something to say: formatting costs per cell
        return display(indicator, value) or str(value)

    if indicator.kind == "water_class" and (value != int(value) or not 1 <= value <= 6):
        return f"“{indicator.name}”应为Ⅰ～Ⅴ类或劣Ⅴ类"
    if indicator.is_percent:
        low = 0.0 if indicator.min_value is None else indicator.min_value
        high = 100.0 if indicator.max_value is None else indicator.max_value
        if not low <= value <= high:
            return f"“{indicator.name}”是百分比，应在 {low:g}%～{high:g}% 之间，不能是 {shown()}%"
    if indicator.min_value is not None and value < indicator.min_value:
        return f"“{indicator.name}”不能小于 {indicator.min_value:g}{unit}（输入的是 {shown()}）"
    # One source for a limit in days: the period's own days, never a catalogue maximum of 366
    # in one message and 304 in the next.
    for rule in rules.cross:
        if rule.kind == "le_days" and rule.left == indicator.code:
            if value > period.days():
                return f"{rule.message}：{period.label}只有 {period.days()} 天，输入的是 {shown()}"
            return None
    if indicator.max_value is not None and value > indicator.max_value:
        return f"“{indicator.name}”不能大于 {indicator.max_value:g}{unit}（输入的是 {shown()}）"
    return None


def accept_input(
    indicator: Indicator, text: str, period: Period, rules: Rules, *, target: bool = False
) -> float | None:
    """Turn what the user typed into a value, or raise ``ValueRejected`` with the reason.

    ``target`` is for an annual target, which a computed rate may have (整改完成率 100%).
    """
    if indicator.is_computed and not target:
        raise ValueRejected(f"“{indicator.name}”由公式计算，不能直接填写")
    try:
        if indicator.kind == "water_class":
            value = parse_water_class(text)
        else:
            value = parse_number(text, indicator.unit)
    except ValueError as exc:
        raise ValueRejected(f"“{indicator.name}”：{exc}") from exc
    if value is None:
        return None
    problem = range_problem(indicator, value, period, rules)
    if problem:
        raise ValueRejected(problem)
    return value


def accept_number(
    indicator: Indicator, value: float, period: Period, rules: Rules, *, target: bool = False
) -> float:
    """``accept_input`` for a cell that already holds a number (an import's common case)."""
    problem = number_problem(indicator, value, period, rules, target=target)
    if problem:
        raise ValueRejected(problem)
    return value


def number_problem(
    indicator: Indicator, value: float, period: Period, rules: Rules, *, target: bool = False
) -> str | None:
    """Why ``accept_number`` would refuse ``value``, or None: for a caller judging thousands of
    cells, to whom a refusal is an answer rather than an exception."""
    if indicator.is_computed and not target:
        return f"“{indicator.name}”由公式计算，不能直接填写"
    if not math.isfinite(value):
        return f"“{indicator.name}”：不是有限的数"
    return range_problem(indicator, value, period, rules)


def check_sheet(sheet: Sheet, rules: Rules) -> list[Failure]:
    """Every finding for one unit's period, errors first."""
    found: list[Failure] = []

    def add(severity: Severity, indicator: Indicator, message: str) -> None:
        found.append(Failure(severity, sheet.unit_id, sheet.period.code, indicator.code, message))

    by_code = {row.indicator.code: row for row in sheet.rows}
    for row in sheet.rows:
        ind, cur = row.indicator, row.current
        if cur.value is None:
            continue
        if not cur.derived:
            problem = range_problem(ind, cur.value, sheet.period, rules)
            if problem:
                add(Severity.ERROR, ind, problem)
        parts = [r for r in sheet.rows if r.indicator.parent_id == ind.id]
        if parts and not cur.derived:
            total = sum(p.current.value for p in parts if p.current.value is not None)
            if total > cur.value + 1e-9:
                names = "、".join(p.indicator.name for p in parts if p.current.value is not None)
                add(
                    Severity.ERROR,
                    ind,
                    f"“{ind.name}”的分项（{names}）之和 {display(ind, total)} 大于合计 "
                    f"{display(ind, cur.value)}",
                )
        if parts and not cur.derived and all(p.current.value is not None for p in parts):
            total = sum(p.current.value or 0.0 for p in parts)
            if total < cur.value - 1e-9:
                add(
                    Severity.WARNING,
                    ind,
                    f"“{ind.name}”合计 {display(ind, cur.value)}，而各分项之和只有 "
                    f"{display(ind, total)}：是否漏填了分项？",
                )
        last = row.last_year.value
        if not cur.derived and last and cur.value and ind.kind == "number":
            ratio = cur.value / last
            if ratio > rules.jump_factor or ratio < 1 / rules.jump_factor:
                add(
                    Severity.WARNING,
                    ind,
                    f"“{ind.name}”本期 {display(ind, cur.value)} 与去年同期 "
                    f"{display(ind, last)} 相差超过 {rules.jump_factor:g} 倍，请核实",
                )
    for rule in rules.cross:
        if rule.kind != "le":
            continue
        left, right = by_code.get(rule.left), by_code.get(rule.right)
        if left is None or right is None:
            continue
        lv, rv = left.current.value, right.current.value
        if lv is not None and rv is not None and lv > rv:
            add(
                Severity.ERROR,
                left.indicator,
                f"{rule.message}（{display(left.indicator, lv)} > {display(right.indicator, rv)}）",
            )
    good_days_against_rate(sheet, by_code, add)
    return sorted(found, key=lambda f: f.severity is not Severity.ERROR)


#: 优良天数 and 优良率, whose ratio is the period's valid days (有效天数).
GOOD_DAYS, GOOD_RATE = "air_good_days", "air_good_rate"
#: HJ 663: a year's evaluation needs 324 valid days of 365; fewer implied means a mismatch.
VALID_SHARE = 324 / 365


def good_days_against_rate(
    sheet: Sheet, by_code: dict[str, SheetRow], add: Callable[[Severity, Indicator, str], None]
) -> None:
    """优良天数 = 优良率 × 有效天数, and the valid days lie between 324/365 of the period and
    all of it: 250 优良天数 beside 95.5% for 1-10月 implies 262 valid days of 304, too few."""
    days_row, rate_row = by_code.get(GOOD_DAYS), by_code.get(GOOD_RATE)
    if days_row is None or rate_row is None:
        return
    good, rate = days_row.current.value, rate_row.current.value
    if good is None or rate is None or good < 0 or not 0 < rate <= 100:
        return
    total = sheet.period.days()
    valid = good / (rate / 100)
    if valid > total + 0.5 or valid < total * VALID_SHARE:
        low, high = round(total * VALID_SHARE * rate / 100), round(total * rate / 100)
        add(
            Severity.WARNING,
            days_row.indicator,
            f"“{days_row.indicator.name}”{display(days_row.indicator, good)}天与"
            f"“{rate_row.indicator.name}”{display(rate_row.indicator, rate)}%不符：按优良率推算"
            f"有效天数约 {valid:.0f} 天，而{sheet.period.label}共 {total} 天"
            f"（优良天数应在 {low}～{high} 天之间），请核实",
        )
