"""Figures quoted in a report's sentences, offered as values for the indicator store.

A summary says "1-10月，我区空气质量优良率97.0%，其中PM2.5平均浓度为17μg/m3": the office has
already typed these figures once, in Word. Here each sentence is read against a short table of
how bureaus name each indicator, and every figure found becomes a *candidate* with the sentence
it came from. Nothing is written until the user accepts candidates; accepted values go through
``db.values.write_values`` and so into the audit log, labelled with the report as the source.

The table errs towards silence: a figure is taken only when the indicator's name stands right
before it ("处罚款86.08万元"), and targets ("力争…控制在", "建成30个") are never taken, since a
wrong figure offered is worse than one missed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from db import indicators, values
from db.connection import Database
from db.errors import StorageError
from db.numbers import magnitude
from db.reports import NewNode, Node

_NUM = r"(\d+(?:\.\d+)?)"
_GAP = r"(?:平均)?(?:浓度)?(?:为|达|达到|是|保持|下降到|降至|降到|共|累计)?(约)?"
_UG = r"(?:μg/m3|μg/m³|µg/m3|ug/m3|微克/立方米|微克／立方米)"
_PCT = r"[%％]"

#: (indicator code, how reports name it, the unit written after the number, text that must
#: follow the unit). Order matters where names overlap: the first match at a place wins.
NAMES: tuple[tuple[str, str, str, str], ...] = (
    (
        "air_good_rate",
        r"(?:空气质量|环境空气|空气环境质量|空气)?优良(?:天数)?(?:率|比率|比例)",
        _PCT,
        "",
    ),
    ("pm25", r"PM2\.5(?:平均|年均)?浓度", _UG, ""),
    ("pm10", r"PM10(?:平均|年均)?浓度", _UG, ""),
    ("o3", r"(?:O3|臭氧)(?:平均)?浓度", _UG, ""),
    ("water_section_good_rate", r"市控断面[^，。,；\d]{0,10}?(?:比例|占比)", _PCT, ""),
    ("drinking_water_rate", r"饮用水(?:水源地?)?水质达标率", _PCT, ""),
    ("soil_safe_use_rate", r"土壤安全利用率", _PCT, ""),
    ("enforce_staff", r"出动执法人员", r"人次", ""),
    ("inspected_firms", r"检查(?:相关)?企业", r"家次", ""),
    ("problems_found", r"发现(?:环境)?问题", r"个", r"[，,]其中"),
    ("problems_water", r"涉水类", r"个", ""),
    ("problems_air", r"涉气类", r"个", ""),
    ("problems_waste", r"涉废类", r"个", ""),
    ("problems_other", r"其他类", r"个", ""),
    ("cases_to_police", r"(?:向公安机关)?移送(?:涉刑|刑事)案件", r"[件起]", ""),
    ("cases_to_admin", r"向行政执法局移送案件", r"[件起]", ""),
    ("cases", r"(?:办理|查处)(?:环境违法)?案件", r"[件起]", ""),
    ("cases_penalty", r"行政处罚", r"件", ""),
    ("cases_no_penalty", r"(?:不予处罚|首违不(?:处)?罚”?案件)", r"件", ""),
    ("fines", r"(?:拟处|处)?罚款(?:金额)?", r"(?:万元|亿元)", ""),
    ("complaints", r"受理(?:生态环境|各类环境|环境)?信访件?", r"件", ""),
    ("complaint_cases", r"信访立案", r"件", ""),
    ("insp_petitions", r"收到信访交办件", r"件", ""),
    ("insp_petitions_central", r"中央环保督察", r"件", ""),
    ("insp_petitions_prov", r"省级环保督察", r"件", ""),
    ("eia_approvals", r"环评报告书（表）审批", r"件", ""),
    ("eia_registrations", r"登记表备案", r"件", ""),
    ("eco_invest", r"完成(?:年度)?投资", r"(?:万元|亿元)", ""),
)

_PATTERNS = tuple(
    (code, re.compile(rf"({name}){_GAP}{_NUM}({unit})(?={after})"))
    for code, name, unit, after in NAMES
)
#: "总氮、总磷平均浓度分别为1.51mg/L和0.13mg/L": two figures in one phrase.
_TN_TP = re.compile(rf"总氮、总磷(?:平均)?浓度分别为{_NUM}(mg/L)和{_NUM}(mg/L)")
_CHANGE = re.compile(
    r"^[，,]\s*(?:较去年同期|同比)?\s*((?:降幅|下降|上升|增长|提高)\s*\d+(?:\.\d+)?\s*(?:%|％|个百分点))"
)
#: A clause about a goal, not a result: its figures are targets ("力争…控制在**以下").
_TARGET = re.compile(r"力争|争取|目标|控制在|确保|计划")
_BOUND = re.compile(r"^(?:以上|以下|左右)")
_CLAUSE = re.compile(r"[，,；;：:]")
_SENTENCE = re.compile(r"[^。；;！？\n]+[。；;！？]?")
_YTD = re.compile(r"1\s*[-－—~～至]\s*(\d{1,2})\s*月")


@dataclass(frozen=True)
class Candidate:
    """A figure found in a sentence, to accept into the store or reject."""

    code: str
    name: str
    value: float
    written: str
    unit: str
    period: str
    sentence: str
    note: str = ""
    node_id: int | None = None


def _sentences(text: str) -> Iterable[str]:
    for match in _SENTENCE.finditer(text):
        sentence = match[0].strip()
        if sentence:
            yield sentence


def _period(sentence: str, paragraph_period: str, year: int) -> str:
    match = _YTD.search(sentence)
    if match and year and 1 <= int(match[1]) <= 12:
        month = int(match[1])
        return f"{year}-YTD{month}" if month < 12 else f"{year}-Y"
    return paragraph_period


def find_in_text(
    text: str, *, period: str, year: int, names: dict[str, tuple[str, str]] | None = None
) -> list[Candidate]:
    """Candidates in ``text``; ``period`` is the report's, refined by "1-N月" in a paragraph.

    ``names`` maps codes to (Chinese name, unit) for display; unknown codes keep the code.
    """
    names = names or {}
    found: list[Candidate] = []
    for paragraph in text.split("\n"):
        current = period
        for sentence in _sentences(paragraph):
            current = _period(sentence, current, year)
            found.extend(_in_sentence(sentence, current, names))
    return found


def _in_sentence(sentence: str, period: str, names: dict[str, tuple[str, str]]) -> list[Candidate]:
    taken: list[tuple[int, int]] = []
    out: list[tuple[int, Candidate]] = []

    def add(start: int, end: int, code: str, number: str, unit: str, note: str) -> None:
        if any(s < end and start < e for s, e in taken) or is_target(sentence, start, end):
            return
        name, our_unit = names.get(code, (code, ""))
        # 亿元 becomes 万元; "30起" counts cases as "30件" does.
        value = float(number) * (magnitude(unit, our_unit) or 1.0)
        taken.append((start, end))
        out.append(
            (start, Candidate(code, name, value, number + unit, our_unit or unit, period,
                              sentence, note))
        )  # fmt: skip

    for match in _TN_TP.finditer(sentence):
        add(match.start(), match.end(), "sea_river_tn", match[1], match[2], "")
        taken.pop()
        add(match.start(), match.end(), "sea_river_tp", match[3], match[4], "")
    for code, pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            after = _CHANGE.match(sentence[match.end() :])
            notes = [n for n in ("约数" if match[2] else "", after[1] if after else "") if n]
            add(match.start(), match.end(), code, match[3], match[4], "，".join(notes))
    return [c for _, c in sorted(out, key=lambda item: item[0])]


def is_target(sentence: str, start: int, end: int) -> bool:
    """Is the figure at ``start:end`` a goal ("力争…达到90%以上") rather than a result?"""
    clauses = [m.end() for m in _CLAUSE.finditer(sentence, 0, start)]
    clause = sentence[clauses[-1] if clauses else 0 : end]
    return bool(_TARGET.search(clause) or _BOUND.match(sentence[end:]))


def _catalog(db: Database) -> dict[str, tuple[str, str]]:
    """Name and unit of every indicator a report may fill (computed ones are derived)."""
    return {i.code: (i.name, i.unit) for i in indicators.all_indicators(db) if not i.is_computed}


def find_in_nodes(
    db: Database, nodes: Iterable[Node | NewNode], *, period: str, year: int
) -> list[Candidate]:
    """Candidates in every heading and paragraph of a report, in document order."""
    names = _catalog(db)
    found: list[Candidate] = []
    for node in nodes:
        node_id = node.id if isinstance(node, Node) else None
        text = f"{node.heading}。{node.body}" if node.heading else node.body
        for candidate in find_in_text(text, period=period, year=year, names=names):
            if candidate.code in names:
                found.append(_with_node(candidate, node_id))
    return found


def _with_node(candidate: Candidate, node_id: int | None) -> Candidate:
    return Candidate(
        candidate.code,
        candidate.name,
        candidate.value,
        candidate.written,
        candidate.unit,
        candidate.period,
        candidate.sentence,
        candidate.note,
        node_id,
    )


def accept(db: Database, report_title: str, unit_id: int, accepted: Iterable[Candidate]) -> int:
    """Write the accepted figures in one transaction, audited with the report as source.

    Each value's note keeps the sentence it came from, so the grid can say where it is from.
    """
    ids = {i.code: i.id for i in indicators.all_indicators(db)}
    writes: list[values.ValueWrite] = []
    for candidate in accepted:
        if candidate.code not in ids:
            raise StorageError(f"指标“{candidate.name}”不在指标目录中")
        note = f"摘自《{report_title}》：{candidate.sentence}"
        if candidate.note:
            note = f"{candidate.note}；{note}"
        writes.append(
            values.ValueWrite(unit_id, candidate.period, ids[candidate.code], candidate.value,
                              note[:300])
        )  # fmt: skip
    if not writes:
        return 0
    with db.audit_source(f"报告 {report_title}"):
        return values.write_values(db, writes)
