"""Search across all reports (and plan items, where the file has plans).

Chinese has no spaces between words, so search is by substring: the store's trigram index
finds any phrase of three characters or more in reports, ranked by relevance; plan items are
few per office and are scanned. Each result carries the matching passage with the match
marked, for the page to highlight and the command line to bracket.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from db import reports, units
from db.connection import Database

START, END = "\x02", "\x03"


@dataclass(frozen=True)
class Result:
    """One place a phrase was found: a report section or a plan item."""

    kind: str  # 报告 / 计划
    doc_id: int
    item_id: int
    unit: str
    year: int
    title: str
    where: str
    snippet: str

    def text(self, before: str = "【", after: str = "】") -> str:
        return self.snippet.replace(START, before).replace(END, after)

    def html(self) -> str:
        """The passage as HTML with the match in bold on a yellow ground."""
        escaped = html.escape(self.snippet)
        return escaped.replace(START, '<b style="background:#ffeb3b">').replace(END, "</b>")


def search(db: Database, query: str, limit: int = 200) -> list[Result]:
    """Report sections first (best match first), then plan items."""
    names = {u.id: u.display_name for u in units.all_units(db)}
    found = [
        Result("报告", h.report_id, h.node_id, names.get(h.unit_id, ""), h.year, h.title,
               h.heading or "（前言）", h.snippet)
        for h in reports.search_nodes(db, query, limit)
    ]  # fmt: skip
    found += [
        Result("计划", h.plan_id, h.item_id, names.get(h.unit_id, ""), h.year, h.title, "",
               h.snippet)
        for h in reports.search_plan_items(db, query, max(0, limit - len(found)))
    ]  # fmt: skip
    return found
