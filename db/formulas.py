"""Computed indicators: arithmetic formulas over other indicators' codes.

A rate such as 信访立案率 is defined once as ``100 * complaint_cases / complaints`` and evaluated
by the store, so it is never typed twice and never disagrees with its inputs. Formulas are parsed
with Python's ``ast`` and only numbers, codes, + - * / and parentheses are allowed: a catalog
file can never make EcoDesk run code.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
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
    return compiled(formula)(values)


Evaluator = Callable[[Mapping[str, float | None]], "float | None"]


@lru_cache(maxsize=512)
def compiled(formula: str) -> Evaluator:
    """``formula`` as nested closures, built once: the store evaluates each rate for every
    sheet of an export (thousands of times), and walking the syntax tree with ``isinstance``
    tests each time was a tenth of reading a sheet. Same arithmetic in the same order."""
    return _closure(_parse(formula))


def _closure(node: ast.expr) -> Evaluator:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, (int, float))  # guaranteed by _parse
        number = float(node.value)
        return lambda values: number
    if isinstance(node, ast.Name):
        code = node.id
        return lambda values: values.get(code)
    if isinstance(node, ast.UnaryOp):
        inner = _closure(node.operand)
        if isinstance(node.op, ast.USub):
            return lambda values: None if (v := inner(values)) is None else -v
        return inner
    assert isinstance(node, ast.BinOp)
    left, right = _closure(node.left), _closure(node.right)
    operate = _OPERATIONS[type(node.op)]

    def binary(values: Mapping[str, float | None]) -> float | None:
        a, b = left(values), right(values)
        if a is None or b is None:
            return None
        return operate(a, b)

    return binary


def _divide(a: float, b: float) -> float | None:
    return None if b == 0 else a / b


_OPERATIONS: dict[type[ast.operator], Callable[[float, float], float | None]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: _divide,
}


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
