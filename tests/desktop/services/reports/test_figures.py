"""Figures quoted in seeds 000, 001 and 003 are found with the right value, unit and period,
and nothing else is offered (no target, no 同比, no figure of a sub-campaign)."""

from __future__ import annotations

import pytest

from db import reports, units
from db.connection import Database
from db.periods import Period
from db.sheet import read_sheet
from desktop.services.reports import figures
from desktop.services.reports.text_import import import_text
from tests.conftest import seed_text

YTD = "2022-YTD10"
EXPECTED: dict[str, set[tuple[str, float, str, str]]] = {
    "000": {
        ("air_good_rate", 97.0, "%", YTD),
        ("pm25", 17, "μg/m³", YTD),
        ("pm10", 26, "μg/m³", YTD),
        ("water_section_good_rate", 100, "%", YTD),
        ("eco_invest", 6525, "万元", YTD),
        ("sea_river_tn", 1.51, "mg/L", YTD),
        ("sea_river_tp", 0.13, "mg/L", YTD),
        ("enforce_staff", 572, "人次", YTD),
        ("inspected_firms", 192, "家次", YTD),
        ("problems_found", 51, "个", YTD),
        ("problems_water", 1, "个", YTD),
        ("problems_air", 12, "个", YTD),
        ("problems_waste", 24, "个", YTD),
        ("problems_other", 14, "个", YTD),
        ("fines", 68, "万元", YTD),
        ("complaints", 19, "件", YTD),
        ("complaint_cases", 2, "件", YTD),
        ("eia_approvals", 22, "件", YTD),
        ("eia_registrations", 14, "件", YTD),
        ("cases_no_penalty", 3, "件", YTD),
    },
    "001": {
        ("air_good_rate", 86.1, "%", YTD),
        ("pm25", 26, "μg/m³", YTD),
        ("pm10", 45, "μg/m³", YTD),
        ("o3", 164, "μg/m³", YTD),
        ("insp_petitions", 148, "件", YTD),
        ("insp_petitions_central", 81, "件", YTD),
        ("insp_petitions_prov", 67, "件", YTD),
        ("inspected_firms", 1095, "家次", YTD),
        ("cases", 41, "件", YTD),
        ("cases_to_police", 5, "件", YTD),
        ("cases_to_admin", 2, "件", YTD),
        ("cases_penalty", 34, "件", YTD),
        ("cases_no_penalty", 3, "件", YTD),
        ("fines", 86.08, "万元", YTD),
    },
    "003": {
        ("water_section_good_rate", 94, "%", "2021-Y"),
        ("drinking_water_rate", 100, "%", "2021-Y"),
        ("air_good_rate", 90.1, "%", "2021-Y"),
        ("pm25", 26, "μg/m³", "2021-Y"),
        ("cases", 1064, "件", "2021-Y"),
        ("cases_to_police", 30, "件", "2021-Y"),
        ("fines", 10800, "万元", "2021-Y"),
        ("soil_safe_use_rate", 100, "%", "2021-Y"),
    },
}


def _candidates(db: Database, seed: str) -> list[figures.Candidate]:
    imported = import_text(seed_text(seed))
    nodes = [n for root in imported.nodes for n in root.walk()]
    return figures.find_in_nodes(db, nodes, period=imported.period, year=imported.year)


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_finds_exactly_the_quoted_figures(empty_db: Database, seed: str) -> None:
    found = {(c.code, round(c.value, 2), c.unit, c.period) for c in _candidates(empty_db, seed)}
    assert found == EXPECTED[seed]


def test_candidates_keep_their_sentence_and_change(empty_db: Database) -> None:
    by_code = {c.code: c for c in _candidates(empty_db, "000")}
    assert by_code["complaints"].sentence.startswith("截止目前，共受理生态环境信访件19件")
    assert by_code["complaints"].note == "降幅64.15%"
    assert by_code["fines"].note == "约数"
    air = {c.code: c for c in _candidates(empty_db, "003")}["air_good_rate"]
    assert air.note == "提高2.7个百分点" and air.written == "90.1%"


def test_targets_are_not_offered() -> None:
    text = "力争PM2.5年均浓度控制在30微克/立方米以下，空气优良率达到90％以上。"
    assert figures.find_in_text(text, period="2023-Y", year=2023) == []


def test_accepting_writes_values_with_the_report_in_the_audit(demo_db: Database) -> None:
    unit = units.unit_by_code(demo_db, "330213")
    found = [c for c in _candidates(demo_db, "001") if c.code in ("o3", "fines")]
    report_id = reports.create_report(demo_db, unit.id, 2022, "工作总结", "金东总结", [])
    assert report_id
    assert figures.accept(demo_db, "金东总结", unit.id, found) == 2
    sheet = read_sheet(demo_db, unit.id, Period.parse(YTD))
    assert sheet.row("o3").current.value == 164
    assert sheet.row("fines").current.value == 86.08
    assert "PM2.5浓度为26μg/m3" in sheet.row("o3").note
    sources = {
        r[0]
        for r in demo_db.conn.execute(
            "SELECT source FROM audit WHERE action = 'value' AND unit_id = ?", (unit.id,)
        )
    }
    assert sources == {"报告 金东总结"}


def test_nothing_is_written_without_acceptance(demo_db: Database) -> None:
    before = demo_db.conn.execute("SELECT count(*) FROM value").fetchone()[0]
    _candidates(demo_db, "000")
    assert demo_db.conn.execute("SELECT count(*) FROM value").fetchone()[0] == before
    assert figures.accept(demo_db, "空", 1, []) == 0
