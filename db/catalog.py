"""The indicator catalog as data: reading the shipped CSV files and checking a definition.

The same checks guard the shipped catalog (at migration time) and an indicator a user adds in
the app, so a bad definition is refused with a reason before it reaches the database.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from db.formulas import FormulaError, dependencies, evaluation_order
from db.records import AGGREGATIONS, BETTER, CATEGORIES, KINDS, YOY_MODES, RuleSpec
from resources import locate

_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator definition before it has a database id."""

    code: str
    name: str
    category: str
    unit: str = ""
    decimals: int = 0
    better: str = "none"
    min_value: float | None = None
    max_value: float | None = None
    period_agg: str = "none"
    unit_agg: str = "none"
    yoy: str = "percent"
    parent: str = ""
    formula: str = ""
    kind: str = "number"
    description: str = ""


def _optional_float(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


def read_catalog(path: Path) -> list[IndicatorSpec]:
    """Parse a catalog CSV (columns as in ``resources/catalog/indicators.csv``)."""
    specs: list[IndicatorSpec] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                specs.append(
                    IndicatorSpec(
                        code=row["code"].strip(),
                        name=row["name"].strip(),
                        category=row["category"].strip(),
                        unit=row["unit"].strip(),
                        decimals=int(row["decimals"] or 0),
                        better=row["better"].strip() or "none",
                        min_value=_optional_float(row["min"]),
                        max_value=_optional_float(row["max"]),
                        period_agg=row["period_agg"].strip() or "none",
                        unit_agg=row["unit_agg"].strip() or "none",
                        yoy=row["yoy"].strip() or "percent",
                        parent=row["parent"].strip(),
                        formula=row["formula"].strip(),
                        kind=row["kind"].strip() or "number",
                        description=row["description"].strip(),
                    )
                )
            except (KeyError, ValueError) as exc:
                raise ValueError(f"{path.name} 第{line}行：{exc}") from exc
    problems = check_catalog(specs)
    if problems:
        raise ValueError(f"{path.name}：" + "；".join(problems))
    return specs


def check_spec(spec: IndicatorSpec, known_codes: set[str]) -> list[str]:
    """Reasons why one definition is unusable, given the codes already defined."""
    problems: list[str] = []
    label = f"指标“{spec.name or spec.code}”"
    if not _CODE.match(spec.code):
        problems.append(f"{label}的代码“{spec.code}”只能用小写字母、数字和下划线，且以字母开头")
    if not spec.name:
        problems.append(f"{label}缺少名称")
    if spec.category not in CATEGORIES:
        problems.append(f"{label}的类别“{spec.category}”不在 {'/'.join(CATEGORIES)} 之中")
    if spec.better not in BETTER:
        problems.append(f"{label}的优劣方向“{spec.better}”无效")
    if spec.period_agg not in AGGREGATIONS or spec.unit_agg not in AGGREGATIONS:
        problems.append(f"{label}的汇总方式无效")
    if spec.yoy not in YOY_MODES:
        problems.append(f"{label}的同比方式“{spec.yoy}”无效")
    if spec.kind not in KINDS:
        problems.append(f"{label}的类型“{spec.kind}”无效")
    if not 0 <= spec.decimals <= 6:
        problems.append(f"{label}的小数位数应在 0-6 之间")
    if (
        spec.min_value is not None
        and spec.max_value is not None
        and spec.min_value > spec.max_value
    ):
        problems.append(f"{label}的下限大于上限")
    if spec.parent and spec.formula:
        problems.append(f"{label}不能既是分项又是计算指标")
    if spec.parent and spec.parent not in known_codes:
        problems.append(f"{label}的合计指标“{spec.parent}”不存在")
    if spec.parent and spec.kind != "number":
        problems.append(f"{label}是分项，只能是数值型")
    if spec.formula:
        try:
            unknown = dependencies(spec.formula) - known_codes - {spec.code}
        except FormulaError as exc:
            problems.append(str(exc))
        else:
            if unknown:
                problems.append(f"{label}的公式引用了不存在的指标：{'、'.join(sorted(unknown))}")
            if spec.code in dependencies(spec.formula):
                problems.append(f"{label}的公式引用了它自己")
    return problems


def check_catalog(specs: list[IndicatorSpec]) -> list[str]:
    """Check a whole catalog: unique codes, references resolved, no formula cycles."""
    problems: list[str] = []
    codes = [s.code for s in specs]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        problems.append("重复的指标代码：" + "、".join(duplicates))
    known = set(codes)
    seen: set[str] = set()
    for spec in specs:
        problems.extend(check_spec(spec, known))
        if spec.parent and spec.parent in known and spec.parent not in seen:
            problems.append(f"分项“{spec.code}”必须排在合计“{spec.parent}”之后")
        seen.add(spec.code)
    try:
        evaluation_order({s.code: s.formula for s in specs if s.formula})
    except FormulaError as exc:
        problems.append(str(exc))
    return problems


def read_rules(path: Path, known_codes: set[str]) -> list[RuleSpec]:
    """Parse the cross-checks; refuse one that names an unknown indicator or kind."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rules = [
            RuleSpec(r["kind"].strip(), r["left"].strip(), r["right"].strip(), r["message"].strip())
            for r in csv.DictReader(handle)
        ]
    for number, rule in enumerate(rules, start=2):
        codes = {rule.left} | ({rule.right} if rule.kind == "le" else set())
        if rule.kind not in ("le", "le_days") or not codes <= known_codes:
            raise ValueError(f"{path.name} 第{number}行：规则类型或指标代码无效")
    return rules


def load_shipped_catalog() -> list[IndicatorSpec]:
    return read_catalog(locate("catalog", "indicators.csv"))


def load_shipped_rules() -> list[RuleSpec]:
    codes = {spec.code for spec in load_shipped_catalog()}
    return read_rules(locate("catalog", "rules.csv"), codes)


def load_context_aliases() -> list[tuple[str, str, frozenset[str]]]:
    """Generic words that name a catalog figure only beside its family: (code, word, the
    codes of which one must be on the same sheet). "已完成整改" is 央督's only on a sheet that
    has 央督反馈问题; "罚款" is 罚没款 only beside 查处案件 rows."""
    with locate("catalog", "aliases_in_context.csv").open(encoding="utf-8-sig", newline="") as f:
        return [
            (r["code"].strip(), r["alias"].strip(), frozenset(r["with"].split()))
            for r in csv.DictReader(f)
        ]


def load_shipped_aliases() -> list[tuple[str, str]]:
    """The official other names of the shipped indicators: (code, alias), in file order."""
    with locate("catalog", "aliases.csv").open(encoding="utf-8-sig", newline="") as handle:
        return [(r["code"].strip(), r["alias"].strip()) for r in csv.DictReader(handle)]
