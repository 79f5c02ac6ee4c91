"""Every character the window can show is in the font EcoDesk brings.

An office PC without other CJK fonts (a bare Windows or 信创 desktop, or wine) draws a box for
any character the bundled EcoDesk Sans lacks: "✖ 逾期" on the 工作台 came out as "□ 逾期" under
wine. System fonts on this machine would hide that, so the check reads the font's own character map.
"""

from __future__ import annotations

import ast
from pathlib import Path

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[3]


def _shown_text(path: Path) -> str:
    """The string constants of ``path`` (docstrings and comments are not shown to anyone)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return "".join(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    )


def test_every_character_of_the_window_is_in_the_bundled_font() -> None:
    covered: set[int] = set()
    for face in ("EcoDeskSans-Regular.ttf", "EcoDeskSans-Bold.ttf"):
        cmap = TTFont(ROOT / "resources" / "fonts" / face).getBestCmap()
        covered = covered | set(cmap) if not covered else covered & set(cmap)
    missing: dict[str, set[str]] = {}
    sources = [
        *(ROOT / "desktop" / "ui").rglob("*.py"),
        *(ROOT / "desktop" / "models").rglob("*.py"),
    ]
    for path in sources:
        for char in set(_shown_text(path)):
            if ord(char) > 127 and ord(char) not in covered:
                missing.setdefault(char, set()).add(path.name)
    assert not missing, f"characters the bundled font cannot draw: {missing}"
