"""The period a bureau's form is read for, and the cell it was read from, said in the dry run.

A cumulative form titled "截至2022年10月底" or "截至10月底" (the year elsewhere), or titled with
a month over columns that say 累计 / 1-10月, holds 1-10月's figures: read as 2022-YTD10, never as
October alone; a form with a 本月 column beside its 累计 one keeps the month for 本月 and reads
the 累计 column as 1-10月.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from db import units
from db.connection import Database
from desktop.services.exchange.importing import dry_run_file


def form(path: Path, unit: str, title: str, headers: tuple[str, ...], extra: str = "") -> Path:
    """A county's form as its clerk made it: title, 填报单位, 指标 | 单位 | its columns."""
    book = Workbook()
    ws = book.active
    ws.title = "调度表"
    ws["A1"] = title
    ws["A2"] = f"填报单位：{unit}"
    if extra:
        ws["D2"] = extra
    for c, text in enumerate(("指标名称", "计量单位", *headers), 1):
        ws.cell(3, c, text)
    ws.append(["PM2.5平均浓度", "微克/立方米", 27, 29])
    ws.append(["出动执法人员", "人次", 1268, 1190])
    book.save(path)
    return path


CASES = [
    ("截至2022年10月底重点指标", ("本期", "上年同期"), "", "2022-YTD10", "“截至10月”为1-10月累计"),
    ("截至10月底重点指标完成情况", ("本期", "上年同期"), "2022年", "2022-YTD10", "年份取自"),
    ("2022年10月重点指标调度表", ("1-10月累计", "上年同期"), "", "2022-YTD10", "表中有“1-10月"),
    ("重点指标1-10月累计情况", ("本期", "上年同期"), "2022年", "2022-YTD10", "年份取自"),
    ("2022年10月重点指标调度表", ("本月", "1-10月累计"), "", "2022-M10 2022-YTD10", ""),
    ("2022年10月重点指标调度表", ("本期", "上年同期"), "", "2022-M10", ""),
]  # fmt: skip


@pytest.mark.parametrize(("title", "headers", "extra", "period", "why"), CASES)
def test_period_read_from_the_title_by_the_forms_columns(
    demo_db: Database,
    tmp_path: Path,
    title: str,
    headers: tuple[str, ...],
    extra: str,
    period: str,
    why: str,
) -> None:
    unit = next(u for u in units.all_units(demo_db) if u.parent_id is not None)
    path = form(tmp_path / "县局.xlsx", unit.name, title, headers, extra)
    dry_run = dry_run_file(demo_db, path)
    read = {i.subject.period for i in dry_run.items if i.subject.period}
    current = {p for p in read if not p.startswith("2021")}
    assert current == set(period.split()), [i.describe() for i in dry_run.errors]
    said = [line for line in dry_run.closing_lines() if "期间读作" in line]
    assert len(said) == 1 and said[0].startswith("县局.xlsx 调度表!A1：期间读作"), said
    assert f"（据“{title}”" in said[0] and why in said[0], said
