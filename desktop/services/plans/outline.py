"""Turning a pasted outline (一、 （一） 1. （1）) into a tree of plan items.

Bureau plans are nested outlines; offices copy them out of Word, web pages and newspaper PDFs.
The numbering style, not indentation, tells the level, and documents skip levels (003 starts at
（一）), so a line's level is found by the markers already open above it: a marker style seen
before closes everything below it and becomes its sibling, a new style opens a child level.

A line without a marker continues the item above (newspaper columns break sentences anywhere),
except a line that is the same short heading written twice ("一个目标一个目标", how 002's
layout renders its banner headings), which becomes a group of its own; under such a heading,
unnumbered paragraphs are told apart by their parallel openings (see ``_parallel``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from db.plans import NewItem
from desktop.services.common.outline_markers import Marker, read_marker

_DOUBLED = re.compile(r"^(\S{2,8})\1$")
HEADING_STYLE = "标题"
PARAGRAPH_STYLE = "段落"


@dataclass
class Node:
    """One outline entry while parsing; ``marker`` as written, ``style`` its numbering family."""

    marker: str
    style: str
    text: str
    children: list[Node] = field(default_factory=list)

    def to_item(self) -> NewItem:
        return NewItem(
            text=self.text.strip(),
            marker=self.marker,
            children=tuple(child.to_item() for child in self.children),
        )


@dataclass
class Outline:
    """The parsed tree, and the text before the first entry (a preamble, kept for the user)."""

    roots: list[Node]
    preamble: str = ""

    def items(self) -> list[NewItem]:
        return [node.to_item() for node in self.roots]

    def count(self) -> int:
        def walk(nodes: list[Node]) -> int:
            return sum(1 + walk(n.children) for n in nodes)

        return walk(self.roots)


def marker_of(line: str) -> Marker | None:
    """The marker that opens an item, or None. A marker alone on its line opens no item (it
    would have no text): the line is read as text like any other."""
    found = read_marker(line)
    return found if found is not None and found.rest else None


def _join(left: str, right: str) -> str:
    """Join a broken line: no space between Chinese characters, one between Latin words."""
    if left and right and left[-1].isascii() and left[-1].isalnum() and right[0].isascii():
        return f"{left} {right}"
    return left + right


def _parallel(group: Node, last: Node, line: str) -> bool:
    """Does ``line`` open the next unnumbered paragraph of a heading's group?

    Plans write sibling paragraphs with a parallel opening (002: "持续提升…", "持续提升…";
    "聚焦环境质量…", "聚焦问题整改…"): after a finished sentence, a line that opens with the
    first paragraph's two first characters starts a sibling instead of continuing.
    """
    first = group.children[0].text
    return last.text.endswith("。") and len(first) >= 2 and line.startswith(first[:2])


def parse_outline(text: str) -> Outline:
    """Parse pasted text into an outline tree; never fails (unknown text becomes continuation)."""
    roots: list[Node] = []
    # The open path: (style, node) from the top level down to the last entry.
    stack: list[tuple[str, Node]] = []
    preamble = ""
    for raw in text.splitlines():
        line = raw.strip().replace("\u3000", " ").strip()
        if not line:
            continue
        doubled = _DOUBLED.match(line)
        found = marker_of(line)
        if doubled and found is None:
            node = Node("", HEADING_STYLE, doubled[1])
            roots.append(node)
            stack = [(HEADING_STYLE, node)]
            continue
        if found is None:
            if not stack:
                preamble = _join(preamble, line)
                continue
            style, top = stack[-1]
            if style == PARAGRAPH_STYLE and _parallel(stack[-2][1], top, line):
                stack.pop()
                style, top = stack[-1]
            if style == HEADING_STYLE:
                # Text straight under a banner heading is that group's one paragraph item.
                node = Node("", PARAGRAPH_STYLE, line)
                top.children.append(node)
                stack.append((PARAGRAPH_STYLE, node))
            else:
                top.text = _join(top.text, line)
            continue
        style = found.style
        node = Node(found.text, style, found.rest)
        if stack and stack[-1][0] == PARAGRAPH_STYLE:
            stack.pop()  # a numbered entry after a heading's paragraph is its sibling
        styles = [s for s, _ in stack]
        if style in styles:
            del stack[styles.index(style) :]
        if stack:
            stack[-1][1].children.append(node)
        else:
            roots.append(node)
        stack.append((style, node))
    return Outline(roots, preamble)
