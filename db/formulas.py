"""Computed indicators: arithmetic formulas over other indicators' codes.

A rate such as 信访立案率 is defined once as ``100 * complaint_cases / complaints`` and evaluated
by the store, so it is never typed twice and never disagrees with its inputs. Formulas are parsed
with Python's ``ast`` and only numbers, codes, + - * / and parentheses are allowed: a catalog
file can never make EcoDesk run code.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from functools import lru_cache

from db.errors import KnownError

_ALLOWED_NODES = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.Name, ast.Load,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd,
)  # fmt: skip


class FormulaError(KnownError, ValueError):
    """The formula text is not an allowed expression.

    Still a ``ValueError`` for the catalogue loader, which reports it with the file and line.
    """


def readable(formula: str, names: Mapping[str, str]) -> str:
    """A formula as a person reads it: indicator names for codes, × and ÷ for * and /.

    The grid's tooltip, the overview's 合计 rule and the summary table's notes all show a
    formula; none may show a code such as ``air_good_days``.
    """
    text = re.sub(r"[A-Za-z_][A-Za-z0-9_]*", lambda m: names.get(m[0], m[0]), formula)
    return text.replace("*", "×").replace("/", "÷")


@lru_cache(maxsize=512)
def _parse(formula: str) -> ast.expr:
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"公式“{formula}”无法解析") from exc
    for node in ast.walk(tree):
        allowed = isinstance(node, _ALLOWED_NODES) or (
            isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
        )
        if not allowed:
            raise FormulaError(f"公式“{formula}”只能包含数字、指标代码和 + - * / ( )")
    return tree.body


@lru_cache(maxsize=512)
def dependencies(formula: str) -> frozenset[str]:
    """The indicator codes a formula reads."""
    return frozenset(n.id for n in ast.walk(_parse(formula)) if isinstance(n, ast.Name))


def evaluate(formula: str, values: Mapping[str, float | None]) -> float | None:
    """Evaluate ``formula``; ``None`` when an input is missing or a divisor is zero."""

    def walk(node: ast.expr) -> float | None:
        if isinstance(node, ast.Constant):
            assert isinstance(node.value, (int, float))  # guaranteed by _parse
            return float(node.value)
        if isinstance(node, ast.Name):
            return values.get(node.id)
        if isinstance(node, ast.UnaryOp):
            inner = walk(node.operand)
            if inner is None:
                return None
            return -inner if isinstance(node.op, ast.USub) else inner
        assert isinstance(node, ast.BinOp)
        left, right = walk(node.left), walk(node.right)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        return None if right == 0 else left / right

    return walk(_parse(formula))


def evaluation_order(formulas: Mapping[str, str]) -> list[str]:
    """Codes of computed indicators ordered so that each comes after those it reads.

    Raises ``FormulaError`` on a cycle, naming the indicators in it.
    """
    return list(_order(tuple(sorted(formulas.items()))))


@lru_cache(maxsize=64)
def _order(items: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    formulas = dict(items)
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(code: str, trail: tuple[str, ...]) -> None:
        if state.get(code) == 2:
            return
        if state.get(code) == 1:
            raise FormulaError("公式循环引用：" + " → ".join((*trail, code)))
        state[code] = 1
        for dep in sorted(dependencies(formulas[code])):
            if dep in formulas:
                visit(dep, (*trail, code))
        state[code] = 2
        order.append(code)

    for code in sorted(formulas):
        visit(code, ())
    return tuple(order)
