"""The bug class behind the dead 导入报告… button, checked over every page and dialog.

Qt passes ``checked`` to a slot of ``clicked``/``triggered``/``toggled`` when the slot accepts
an argument: a slot written as ``import_dialog(self, path=None)`` received ``False`` as its
path, raised, and the button did nothing. Every method connected to those signals (directly,
or through a table of (words, slot) pairs looped over) must take no argument but ``self``.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

SIGNALS = {"clicked", "triggered", "toggled"}


def _methods(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    return {
        node.name: node
        for cls in ast.walk(tree)
        if isinstance(cls, ast.ClassDef)
        for node in cls.body
        if isinstance(node, ast.FunctionDef)
    }


def _connected(function: ast.FunctionDef) -> set[str]:
    """Names of ``self`` methods this function connects to a checked-passing signal."""
    found: set[str] = set()
    loops = False
    for node in ast.walk(function):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        signal = node.func.value
        if node.func.attr != "connect" or not isinstance(signal, ast.Attribute):
            continue
        if signal.attr not in SIGNALS or not node.args:
            continue
        slot = node.args[0]
        if isinstance(slot, ast.Attribute) and isinstance(slot.value, ast.Name):
            if slot.value.id == "self":
                found.add(slot.attr)
        elif isinstance(slot, ast.Name):
            loops = True
    if loops:  # a loop over (words, slot) pairs: every self.method named in a tuple
        for node in ast.walk(function):
            if isinstance(node, ast.Tuple):
                for item in node.elts:
                    if (
                        isinstance(item, ast.Attribute)
                        and isinstance(item.value, ast.Name)
                        and item.value.id == "self"
                    ):
                        found.add(item.attr)
    return found


def test_no_slot_of_a_button_or_action_takes_an_argument() -> None:
    offenders: list[str] = []
    for path in sorted((ROOT / "desktop" / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        methods = _methods(tree)
        for function in methods.values():
            for name in _connected(function):
                method = methods.get(name)
                if method is None:
                    continue  # a Qt method (close, accept) or an attribute that is no method
                arguments = method.args.args[1:] + method.args.kwonlyargs
                positional = method.args.args[1:]
                if positional or method.args.vararg:
                    where = Path(path).relative_to(ROOT)
                    offenders.append(f"{where}:{method.lineno} {name}{[a.arg for a in arguments]}")
    assert offenders == [], "slots that would receive clicked(bool) as an argument"
