"""Reading a report file (.txt or .docx) into a titled outline, ready for the user to check.

Nothing is saved here: the importer proposes a tree, the user fixes it (levels, headings) in
the preview, and only then ``db.reports.create_report`` stores it. The year, kind and period
the figures speak of are guessed from the text so the preview can show them filled in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from db import reports
from db.connection import Database
from db.errors import KnownError
from db.reports import KINDS, NewNode
from desktop.services.reports.blanks import bind_blanks
from desktop.services.reports.outline import outline


class ReportError(KnownError, ValueError):
    """A report file that cannot be read, or a proposal that cannot be saved as it is.

    The reports area's known error; still a ``ValueError`` for callers that catch that.
    """


_YEAR = re.compile(r"(20\d\d)\s*年")
_YTD = re.compile(r"1\s*[-－—~～至]\s*(\d{1,2})\s*月")


@dataclass
class ImportedReport:
    """What the importer proposes; every field may be changed before saving."""

    title: str
    kind: str
    year: int
    period: str
    nodes: list[NewNode]
    source: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def top_headings(self) -> list[str]:
        return [n.label for n in self.nodes if n.heading or n.marker]


def read_text(path: Path) -> str:
    """The text of a .txt (UTF-8 or GB18030, as Chinese Windows saves it) or .docx file."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx_text(path)
    if suffix not in (".txt", ".text", ".md", ""):
        raise ReportError(f"不支持的文件类型“{path.suffix}”：请选择 .txt 或 .docx 文件")
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReportError(f"“{path.name}”不是 UTF-8 或 GBK 编码的文本文件")


def _docx_text(path: Path) -> str:
    """Paragraphs one per line; table rows as their cells joined, as the web capture has them."""
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for a bad file
        raise ReportError(f"无法读取“{path.name}”：不是有效的 .docx 文件") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def guess_kind(title: str, headings: list[str]) -> str:
    """工作总结 when the document says so first; otherwise the first kind it names."""
    for text in (title, *headings):
        for kind in KINDS[:-1]:
            if kind in text:
                return kind
    return "其他"


def guess_period(text: str, year: int) -> str:
    """The period the figures speak of: "1-10月" near the start gives 2022-YTD10, else the year.

    Summaries are written in November with year-to-date figures, and say so in the opening
    paragraph; a figure elsewhere with its own "1-N月" is read with that period instead.
    """
    head = text[:600]
    match = _YTD.search(head)
    if match and 1 <= int(match[1]) <= 12:
        month = int(match[1])
        return f"{year}-YTD{month}" if month < 12 else f"{year}-Y"
    return f"{year}-Y"


def import_text(text: str, *, source: str = "", default_title: str = "") -> ImportedReport:
    title, nodes = outline(text)
    warnings: list[str] = []
    years = [int(y) for y in _YEAR.findall(text[:600])] or [int(y) for y in _YEAR.findall(text)]
    year = years[0] if years else 0
    if not year:
        warnings.append("未能从正文识别年份，请填写")
    headings = [n.label for root in nodes for n in root.walk() if n.heading]
    if not title:
        title = default_title or (f"{year}年工作报告" if year else "工作报告")
        warnings.append("原文没有标题，已按文件名填写，请核对")
    if not any(n.heading for n in nodes):
        warnings.append("没有识别到编号标题（一、（一）1.），全文作为一段保存")
    return ImportedReport(
        title=title,
        kind=guess_kind(title, headings),
        year=year,
        period=guess_period(text, year) if year else "",
        nodes=nodes,
        source=source,
        warnings=warnings,
    )


def import_file(path: Path) -> ImportedReport:
    """Read ``path`` and propose its outline; raises ``ValueError`` with a Chinese sentence."""
    return import_text(read_text(path), source=path.name, default_title=path.stem)


def outline_text(nodes: list[NewNode]) -> str:
    """The tree as indented lines, for the CLI preview and for tests to read."""
    lines: list[str] = []

    def walk(node: NewNode, depth: int) -> None:
        label = node.label or "（前言）"
        lines.append(f"{'  ' * depth}{label}  [{len(node.body)}字]")
        for child in node.children:
            walk(child, depth + 1)

    for node in nodes:
        walk(node, 0)
    return "\n".join(lines)


def bind_all_blanks(nodes: list[NewNode]) -> tuple[int, int]:
    """Bind every "**" the importer can place (see ``blanks``); return (bound, left)."""
    bound = left = 0
    for root in nodes:
        for node in root.walk():
            node.body, b, u = bind_blanks(node.body)
            bound, left = bound + b, left + u
    return bound, left


def save(db: Database, imported: ImportedReport, unit_id: int) -> int:
    """Store the (checked) proposal as a report of ``unit_id``; return the new report's id."""
    if not imported.year:
        raise ReportError("请填写报告年份")
    return reports.create_report(
        db,
        unit_id,
        imported.year,
        imported.kind,
        imported.title,
        imported.nodes,
        period=imported.period,
        source=imported.source,
    )


def load_demo_reports(db: Database) -> int:
    """Store the demo units' own short reports (resources/demo/reports.json); return how many.

    Their figure fields are bound to the demo figures, so the demo shows a report whose
    numbers come from the store rather than being typed twice.
    """
    import json

    from db import units
    from resources import locate

    with locate("demo", "reports.json").open(encoding="utf-8") as handle:
        data = json.load(handle)

    def node(item: dict[str, object]) -> NewNode:
        children = item.get("children", [])
        assert isinstance(children, list)
        return NewNode(
            int(str(item["level"])),
            str(item.get("marker", "")),
            str(item.get("heading", "")),
            str(item.get("body", "")),
            bool(item.get("run_in", False)),
            [node(c) for c in children],
        )

    for report in data["reports"]:
        reports.create_report(
            db,
            units.unit_by_code(db, report["unit"]).id,
            int(report["year"]),
            report["kind"],
            report["title"],
            [node(n) for n in report["nodes"]],
            period=report["period"],
            source="演示数据",
        )
    return len(data["reports"])
