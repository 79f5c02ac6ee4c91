"""Formulas evaluated through closures built once (``formulas.compiled``) give what walking the
syntax tree gave, on generated formulas and inputs: missing inputs, zero divisors, unary
signs, constants and nesting included."""

from __future__ import annotations

import ast
from collections.abc import Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from db.formulas import evaluate

CODES = ("done", "total", "cases", "staff")


def _walked(formula: str, values: Mapping[str, float | None]) -> float | None:
    """The evaluation as it was before the closures: a walk over ``ast`` nodes."""

    def walk(node: ast.expr) -> float | None:
        if isinstance(node, ast.Constant):
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

    return walk(ast.parse(formula, mode="eval").body)


leaves = st.one_of(
    st.sampled_from(CODES), st.integers(0, 100).map(str), st.sampled_from(["0.5", "2.0"])
)
formulas = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from("+-*/"), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from("-+"), inner).map(lambda t: f"{t[0]}{t[1]}"),
    ),
    max_leaves=8,
)
inputs = st.fixed_dictionaries(
    # eighths: exact, never so small that a quotient overflows to inf (inf - inf is not equal
    # to itself, so the comparison would say nothing)
    {c: st.one_of(st.none(), st.integers(-(10**6), 10**6).map(lambda n: n / 8)) for c in CODES}
)


@settings(max_examples=300, deadline=None)
@given(formulas, inputs)
def test_closures_evaluate_as_the_tree_walk_did(
    formula: str, values: dict[str, float | None]
) -> None:
    assert evaluate(formula, values) == _walked(formula, values)
