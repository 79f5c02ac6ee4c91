"""全部单位一览: tree totals by each indicator's rule, SQL sorting inside the tree, filters,
and the bureau-layout export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from db import units
from db.connection import Database
from db.indicators import indicator_by_code
from db.overview import OverviewFilter, OverviewSort
from db.periods import Period
from db.values import ValueWrite, write_values
from desktop.services.overview.table import (
    OverviewSource,
    cell_text,
    export_overview,
    group_indicators,
)

PERIOD = Period.ytd(2022, 10)


@pytest.fixture
def tree_db(empty_db: Database) -> Database:
    """市局 → 东区分局 (→ 甲街道, 乙街道) and 西区分局, as a 市局 with 街道 below its 分局."""
    db = empty_db
    units.add_unit(db, "C", "示例市生态环境局", short_name="市局", level="市局")
    units.add_unit(db, "E", "东区分局", level="分局", parent_code="C")
    units.add_unit(db, "W", "西区分局", level="分局", parent_code="C")
    units.add_unit(db, "E1", "甲街道", level="其他", parent_code="E")
    units.add_unit(db, "E2", "乙街道", level="其他", parent_code="E")
    figures = {
        "E1": {"complaints": 3, "complaint_cases": 1, "pm25": 10, "problems_water": 1,
               "problems_air": 2, "air_rank": 2},
        "E2": {"complaints": 4, "pm25": 14, "problems_found": 5, "air_rank": 1},
        "E": {"pm25": 30},  # the 分局's own figure for its area
        "W": {"complaints": 5, "complaint_cases": 2, "pm25": 20, "problems_found": 6},
    }  # fmt: skip
    writes = [
        ValueWrite(units.unit_by_code(db, u).id, PERIOD.code, indicator_by_code(db, c).id, v)
        for u, row in figures.items()
        for c, v in row.items()
    ]
    write_values(db, writes)
    return db


def _source(db: Database) -> OverviewSource:
    source = OverviewSource(db)
    source.load(PERIOD)
    return source


def _by_label(db: Database, codes: list[str], **kwargs: object) -> dict[str, list[str]]:
    inds = [indicator_by_code(db, c) for c in codes]
    rows = _source(db).rows(inds, **kwargs)  # type: ignore[arg-type]
    return {r.label: [cell_text(i, r) for i in inds] for r in rows}


def test_tree_totals_follow_each_indicators_rule(tree_db: Database) -> None:
    codes = ["complaints", "complaint_cases", "complaint_case_rate", "pm25", "air_rank",
             "problems_found"]  # fmt: skip
    table = _by_label(tree_db, codes)
    assert list(table) == [
        "市局", "市局 下属合计（2 个单位）", "东区分局", "东区分局 下属合计（2 个单位）",
        "甲街道", "乙街道", "西区分局",
    ]  # fmt: skip
    # 东区 streets: 信访 3 + 4; 立案 only 甲 (乙 lacks it: said); rate from the totals 1/7;
    # PM2.5 the mean of 10 and 14; a rank is never totalled; 问题 3 (from parts) + 5.
    # (乙 has no rate of its own either: the total's rate says it is one short.)
    assert table["东区分局 下属合计（2 个单位）"] == [
        "7",
        "1（缺1）",
        "14.3（缺1）",
        "12",
        "—",
        "8",
    ]
    # 市局: 东区 has no own 信访 figure, so its streets' total stands for it: 7 + 5 = 12;
    # 立案 1 + 2 = 3; the rate 3/12 = 25.0%, not the mean of 14.3% and 40.0%;
    # PM2.5: 东区's own 30 (its own figure wins over its streets'), 西区 20 → 25.
    assert table["市局 下属合计（2 个单位）"] == ["12", "3", "25.0", "25", "—", "14"]
    assert table["东区分局"] == ["未填", "未填", "未填", "30", "未填", "未填"]
    assert table["甲街道"] == ["3", "1", "33.3", "10", "2", "3"]
    assert table["西区分局"][2] == "40.0"


def test_sorting_is_done_in_sql_inside_the_tree(tree_db: Database) -> None:
    complaints = indicator_by_code(tree_db, "complaints")
    down = _by_label(
        tree_db, ["complaints"], sort=OverviewSort(indicator_id=complaints.id, descending=True)
    )
    # Siblings by their own figure, highest first; 东区 has none and goes last; totals stay
    # under their unit and streets under their 分局.
    assert list(down) == [
        "市局", "市局 下属合计（2 个单位）", "西区分局", "东区分局",
        "东区分局 下属合计（2 个单位）", "乙街道", "甲街道",
    ]  # fmt: skip
    up = _by_label(tree_db, ["complaints"], sort=OverviewSort(indicator_id=complaints.id))
    assert [k for k in up if "街道" in k] == ["甲街道", "乙街道"]
    assert list(up).index("西区分局") < list(up).index("东区分局")  # nulls last both ways
    up_names = _by_label(tree_db, ["complaints"], sort=OverviewSort(by_name=True))
    names = _by_label(tree_db, ["complaints"], sort=OverviewSort(by_name=True, descending=True))
    streets = [k for k in names if "街道" in k]
    assert len(streets) == 2 and streets == [k for k in up_names if "街道" in k][::-1]


def test_filters(tree_db: Database) -> None:
    cases = indicator_by_code(tree_db, "complaint_cases")
    gaps = _by_label(tree_db, ["complaint_cases"], wanted=OverviewFilter(missing_of=(cases.id,)))
    assert [k for k in gaps if "合计" not in k] == ["市局", "东区分局", "乙街道"]
    streets = _by_label(tree_db, ["complaints"], wanted=OverviewFilter(name="街道"))
    assert list(streets) == ["甲街道", "乙街道"]
    branches = _by_label(tree_db, ["complaints"], wanted=OverviewFilter(level="分局"))
    assert [k for k in branches if "合计" not in k] == ["东区分局", "西区分局"]


def test_export_in_the_bureau_layout(tree_db: Database, tmp_path: Path) -> None:
    group = group_indicators(tree_db, "信访")
    source = _source(tree_db)
    rows = source.rows(group)
    path = tmp_path / "一览.xlsx"
    assert export_overview(path, PERIOD, "信访", group, rows, date(2022, 11, 8)) == len(rows)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    assert sheet["A1"].value == "2022年1-10月各单位信访指标一览"
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    header = cells[0]
    assert header[0] == "单位" and "受理环境信访件（件）" in header
    labels = [row[0] for row in cells[1:]]
    assert "　　甲街道" in labels  # indented by depth
    by_label = {str(row[0]).strip("　"): row for row in cells[1:]}
    assert by_label["市局 下属合计（2 个单位）"][header.index("受理环境信访件（件）")] == "12"
    assert sheet.page_setup.orientation == "landscape"
