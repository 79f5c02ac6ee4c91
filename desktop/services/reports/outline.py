"""From a report's raw text to an outline tree (一、 → （一） → 1. → （1）).

Real inputs are damaged by where they were copied from, so the text is repaired before the
numbering is read:

- web captures (seed 003) carry table pipes and page furniture ("打印本页 关闭窗口") and put
  whole chapters on one line: the debris is dropped and lines are split before each number
  that follows a space;
- newspaper layouts (seed 002) break every sentence into column-wide lines, sometimes with a
  blank line in the middle of a sentence, and render banner headings twice
  ("一个目标一个目标"): column lines are joined back into paragraphs, and a doubled line
  becomes one heading.

The level of a heading comes from its numbering style, which Chinese official writing fixes
(GB/T 9704: 一、 then （一） then 1. then （1）), not from indentation, which copying loses. A
document that opens with "1、" where "一、" was meant (seed 001) has that first heading
promoted when "二、" follows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from db.reports import NewNode
from desktop.services.common.outline_markers import NUMERALS, read_marker

#: An unnumbered part heading above 一、 (seed 003: "2021年工作总结 2021年,在市委…").
_PART = re.compile(r"^(20\d\d\s*年(?:度)?工作(?:总结|要点|计划|思路|谋划))(?:\s+|$)")
#: Where a one-line web capture hides a new heading: a space, then a number or a part heading.
#: Stricter than ``read_marker`` on purpose, since a wrong split tears a sentence apart: only a
#: marker written tight (no spaces inside, at most two digits or three numerals, 、 after a
#: Chinese numeral) splits, and never ① (running text lists "①…②…" inside a sentence).
_SPLIT = re.compile(
    rf"\s+(?=(?:[{NUMERALS}]{{1,3}}、|[（(][{NUMERALS}]{{1,3}}[）)]|\d{{1,2}}[.．、](?!\d)"
    r"|[（(]\d{1,2}[）)]|20\d\d年工作(?:总结|要点|计划|思路)\s))"
)
_DOUBLED = re.compile(r"^(\S{2,8}?)\1$")
#: A newspaper headline of two four-character phrases ("踔厉奋发 笃行不怠").
_SLOGAN = re.compile(r"^[\u4e00-\u9fff]{4}\s+[\u4e00-\u9fff]{4}$")
_DEBRIS = (
    "打印本页",
    "关闭窗口",
    "返回顶部",
    "【打印】",
    "【关闭】",
    "【字体：大 中 小】",
    "字体：大 中 小",
    "分享到：",
)
_END = "。！？”」"
_TITLE_WORDS = ("总结", "计划", "要点", "思路", "谋划", "报告")


@dataclass(frozen=True)
class Line:
    """One repaired paragraph: a heading (``level`` set) or text (``level`` None).

    A heading may carry the first paragraph of its section in ``body`` ("1.推进蓝天保卫。开展…"
    gives heading "推进蓝天保卫" and ``run_in``, printed on one line as the source had it).
    """

    text: str
    level: int | None = None
    marker: str = ""
    heading: str = ""
    body: str = ""
    run_in: bool = False


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def clean(text: str) -> list[str]:
    """Lines without web debris and table pipes, long lines split at their headings.

    Blank lines are kept as "" because the joiner needs to see them.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    text = text.replace("\ufeff", "").replace("\xa0", " ")
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.replace("|", " ").replace("｜", " ")
        for debris in _DEBRIS:
            line = line.replace(debris, " ")
        line = re.sub(r"[ \t]+", " ", line).strip()
        if not line:
            lines.append("")
            continue
        lines.extend(part.strip() for part in _SPLIT.split(line) if part.strip())
    return lines


def _column_width(lines: list[str]) -> int:
    """The typical width of a line: a narrow one means a newspaper column."""
    widths = sorted(_width(line) for line in lines if line)
    return widths[len(widths) // 2] if widths else 0


def classify(line: str) -> Line:
    """Tell a heading line (with its level, marker and heading text) from a paragraph."""
    part = _PART.match(line)
    if part:
        rest = line[part.end() :].strip()
        return Line(line, 0, "", part[1].replace(" ", ""), rest)
    marker = read_marker(line)
    if marker is not None:
        return _split_heading(line, marker.level, marker.text, marker.rest)
    doubled = _DOUBLED.match(line)
    if doubled:
        return Line(line, 1, "", doubled[1])
    return Line(line)


def _split_heading(line: str, level: int, marker: str, rest: str) -> Line:
    """Split "推进蓝天保卫。开展行业整治…" into its heading and the text it runs into.

    A web capture separates a heading from its text by a space instead of a full stop.
    """
    rest = rest.strip()
    stop = rest.find("。")
    space = rest.find(" ")
    if 4 <= space <= 40 and (stop < 0 or space < stop):
        return Line(line, level, marker, rest[:space].strip(), rest[space + 1 :].strip())
    if 0 <= stop <= 60:
        body = rest[stop + 1 :].strip()
        return Line(line, level, marker, rest[:stop].strip(), body, bool(body))
    if stop < 0 and len(rest) <= 60:
        return Line(line, level, marker, rest)
    return Line(line, level, marker, "", rest)


def paragraphs(lines: list[str]) -> list[Line]:
    """Join column-broken lines into paragraphs and classify each as heading or text.

    Only a narrow layout is joined: there a full line that stops mid-sentence goes on in the
    next line, even across a blank line. In an ordinary document every line is a paragraph.
    """
    width = _column_width(lines)
    narrow = 0 < width <= 40
    out: list[Line] = []
    pending = ""
    last_width = 0
    for line in lines:
        if not line:
            continue
        found = classify(line)
        if found.level is None and narrow and _SLOGAN.match(line):
            found = Line(line, 1, "", line)
        if found.level is not None:
            if pending:
                out.append(Line(pending))
            pending = ""
            out.append(found)
            continue
        if pending and narrow and _continues(pending, last_width, _width(line), width):
            pending += line
        else:
            if pending:
                out.append(Line(pending))
            pending = line
        last_width = _width(line)
        if not narrow:
            out.append(Line(pending))
            pending = ""
    if pending:
        out.append(Line(pending))
    return _promote_first(out)


def _continues(pending: str, last: int, nxt: int, column: int) -> bool:
    """Does a column line go on in the next one?

    A column line that stops mid-sentence does. One that ends a sentence still does when
    the next line is full width too, because a paragraph's first line is indented two
    characters; a line wider than the column (a headline) stands alone.
    """
    if last > column * 1.3:
        return False
    return pending[-1] not in _END or nxt >= column - 1


def _promote_first(lines: list[Line]) -> list[Line]:
    """Seed 001 numbers its first chapter "1、" and the next ones "二、": read it as "一、"."""
    headings = [i for i, line in enumerate(lines) if line.level is not None]
    if not headings:
        return lines
    first = lines[headings[0]]
    later_top = any(lines[i].level == 1 and lines[i].marker for i in headings[1:])
    if first.level == 3 and first.marker.startswith("1") and later_top:
        lines = list(lines)
        lines[headings[0]] = Line(
            first.text, 1, first.marker, first.heading, first.body, first.run_in
        )
    return lines


def _opening(paragraphs: list[str]) -> str:
    """The two characters that open several short-led paragraphs alike ("聚焦", "持续"), or ""."""
    counts: dict[str, int] = {}
    for text in paragraphs:
        if 0 < text.find("。") <= 40:
            counts[text[:2]] = counts.get(text[:2], 0) + 1
    best = max(counts.items(), key=lambda item: item[1], default=("", 0))
    return best[0] if best[1] >= 2 and paragraphs[0].startswith(best[0]) else ""


def build_tree(lines: list[Line]) -> list[NewNode]:
    """Nest the paragraphs by heading level; text before the first heading is the preamble."""
    roots: list[NewNode] = []
    stack: list[NewNode] = []
    for line in lines:
        if line.level is None:
            if not stack:
                preamble = NewNode(level=1)
                roots.append(preamble)
                stack.append(preamble)
            node = stack[-1]
            node.body = f"{node.body}\n{line.text}" if node.body else line.text
            continue
        node = NewNode(line.level, line.marker, line.heading, line.body, line.run_in)
        while stack and stack[-1].level >= line.level and (stack[-1].heading or stack[-1].marker):
            stack.pop()
        if stack and not (stack[-1].heading or stack[-1].marker):
            stack.pop()  # the preamble holds no headings
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    for root in roots:
        for node in list(root.walk()):
            _nest_parallel(node)
    return roots


def _nest_parallel(node: NewNode) -> None:
    """Under a banner heading (002's "六个聚焦"), paragraphs that open alike are sub-sections.

    The newspaper sets each sub-heading in bold at the start of its paragraph; plain text
    lost the bold, but the parallel wording ("聚焦环境质量，…", "聚焦问题整改，…") remains.
    """
    if node.marker or node.children or not node.heading:
        return
    texts = [b for b in node.body.split("\n") if b]
    opening = _opening(texts)
    if not opening:
        return
    node.body = ""
    for text in texts:
        stop = text.find("。")
        if text.startswith(opening) and 0 < stop <= 40:
            child = NewNode(
                node.level + 1, "", text[:stop], text[stop + 1 :], bool(text[stop + 1 :])
            )
            node.children.append(child)
        else:
            last = node.children[-1]
            last.body = f"{last.body}\n{text}" if last.body else text


def find_title(lines: list[str]) -> str:
    """The first line when it reads as a title (short, unnumbered, names the document)."""
    for line in lines:
        if not line:
            continue
        if (
            len(line) <= 60
            and classify(line).level is None
            and line[-1] not in _END
            and any(word in line for word in _TITLE_WORDS)
        ):
            return line
        return ""
    return ""


def outline(text: str) -> tuple[str, list[NewNode]]:
    """The title (or "") and the outline tree of a report's text."""
    lines = clean(text)
    title = find_title(lines)
    if title:
        lines = lines[lines.index(title) + 1 :]
    return title, build_tree(paragraphs(lines))
