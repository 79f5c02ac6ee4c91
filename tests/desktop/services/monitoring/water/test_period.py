"""Section files through the dry run into the store, period means, classes and the share."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from db import audit, indicators, locks, stations
from db.connection import Database
from db.errors import PeriodLocked, StorageError
from db.periods import Period
from db.values import values_for
from desktop.services.common.dry_run import Status
from desktop.services.monitoring.sample_import import commit_import, revert_import
from desktop.services.monitoring.water.classes import WaterBody
from desktop.services.monitoring.water.period import (
    Sample,
    evaluate,
    section_period,
    share_note,
    write_good_share,
)
from desktop.services.monitoring.water.section_import import BodyNeeded, dry_run_water_file
from tests.desktop.services.monitoring.water.test_reader import ROWS, write_station_workbook

UNIT = 2  # 温州市生态环境局海岛区分局 in the demo database
MARCH = Period.month(2026, 3)


def test_dry_run_commit_then_all_unchanged_and_undo(demo_db: Database, tmp_path: Path) -> None:
    path = write_station_workbook(tmp_path / "断面.xlsx")
    imp = dry_run_water_file(demo_db, path, UNIT)
    dry_run = imp.dry_run
    assert dry_run.count(Status.NEW) == 46 and dry_run.count(Status.ERROR) == 3
    errors = {i.where for i in dry_run.items if i.status is Status.ERROR}
    assert errors == {"3月!M6", "3月!F7", "3月!H7"}
    assert commit_import(demo_db, imp, "test") == 46
    sections = {
        s.name: s.water_body
        for s in stations.stations_of(demo_db, UNIT, "water")
        if "示例数据" not in s.name  # the demo's sample sections
    }
    assert sections == {"北渠": "河流", "南溪口": "河流", "城东桥": "河流", "西湖闸": "湖库"}

    again = dry_run_water_file(demo_db, path, UNIT)
    assert again.dry_run.count(Status.UNCHANGED) == 46 and not again.dry_run.accepted
    assert again.dry_run.count(Status.ERROR) == 3

    assert revert_import(demo_db, imp, "撤销") == 46
    assert section_period(demo_db, UNIT, MARCH).sections == ()
    assert any(e.action == "撤销导入监测数据" for e in audit.recent(demo_db, 5))


def test_a_changed_value_is_shown_old_to_new(demo_db: Database, tmp_path: Path) -> None:
    path = write_station_workbook(tmp_path / "断面.xlsx")
    commit_import(demo_db, dry_run_water_file(demo_db, path, UNIT), "test")
    rows = list(ROWS)
    rows[3] = (*rows[3][:9], 1.28, *rows[3][10:])  # 南溪口 氨氮 1.32 → 1.28
    changed = dry_run_water_file(
        demo_db, write_station_workbook(tmp_path / "b.xlsx", tuple(rows)), UNIT
    )
    (item,) = [i for i in changed.dry_run.items if i.status is Status.CHANGED]
    assert (item.unit_name, item.field, item.old, item.new) == ("南溪口", "NH3-N", "1.32", "1.28")
    assert item.cell == "J6"


def test_march_classes_and_share_by_hand(demo_db: Database, tmp_path: Path) -> None:
    path = write_station_workbook(tmp_path / "断面.xlsx")
    commit_import(demo_db, dry_run_water_file(demo_db, path, UNIT), "test")
    result = section_period(demo_db, UNIT, MARCH)
    by_name = {s.section: s for s in result.sections}
    east = by_name["城东桥"]
    # Two samples: NH3-N (0.32 + 0.41) / 2, TP (0.085 + 0.095) / 2 → Ⅱ.
    assert east.sample_days == 2 and east.counts["NH3-N"] == 2
    assert east.means["NH3-N"] == Decimal("0.365") and east.means["TP"] == Decimal("0.09")
    assert east.class_name == "Ⅱ类" and east.main_pollutants == "—"
    # TP 0.04 is Ⅱ in a river but Ⅲ in a lake; CODMn 4.1 and COD 16 are Ⅲ too.
    assert by_name["西湖闸"].body is WaterBody.LAKE and by_name["西湖闸"].class_name == "Ⅲ类"
    # NH3-N 1.32 is above the Ⅲ limit 1.0 by 0.32 times: Ⅳ, named as the main pollutant.
    south = by_name["南溪口"]
    assert south.class_name == "Ⅳ类" and south.main_pollutants == "氨氮（0.3）"
    assert by_name["北渠"].class_name == "Ⅲ类"  # its DO and COD were refused, not guessed
    assert (result.share.good, result.share.evaluated) == (3, 4)
    assert result.share.rate == Decimal("75.0")
    assert result.share_line == "Ⅲ类及以上断面 3/4，比例 75.0%（未设控制级别，按全部断面计）"


def test_period_means_span_the_months() -> None:
    samples = [
        Sample("甲", "河流", date(2026, 1, 10), "NH3-N", Decimal("0.9")),
        Sample("甲", "河流", date(2026, 2, 10), "NH3-N", Decimal("1.2")),
        Sample("乙", "湖库", date(2026, 1, 12), "TP", Decimal("0.06")),
        Sample("乙", "湖库", date(2026, 2, 12), "TP", Decimal("0.03")),
        Sample("乙", "湖库", date(2026, 3, 12), "TP", Decimal("0.5")),  # outside 1-2月
    ]
    january = evaluate(samples, date(2026, 1, 1), date(2026, 1, 31))
    # NH3-N 0.9 is Ⅲ; TP 0.06 in a lake is Ⅳ (it would be Ⅲ in a river).
    assert {s.section: s.class_name for s in january.sections} == {"甲": "Ⅲ类", "乙": "Ⅳ类"}
    both = evaluate(samples, date(2026, 1, 1), date(2026, 2, 28))
    second, first = both.sections  # sorted by name: 乙, 甲
    assert first.means["NH3-N"] == Decimal("1.05") and first.class_name == "Ⅳ类"
    assert second.means["TP"] == Decimal("0.045") and second.class_name == "Ⅲ类"
    assert both.share.rate == Decimal("50.0") and both.share_line.startswith(
        "Ⅲ类及以上断面 1/2，比例 50.0%"
    )


def test_the_share_goes_to_the_store_with_its_note(demo_db: Database, tmp_path: Path) -> None:
    path = write_station_workbook(tmp_path / "断面.xlsx")
    commit_import(demo_db, dry_run_water_file(demo_db, path, UNIT), "test")
    result = section_period(demo_db, UNIT, MARCH)
    assert write_good_share(demo_db, UNIT, MARCH, result, "断面.xlsx") == Decimal("75.0")
    indicator = indicators.indicator_by_code(demo_db, "water_section_good_rate")
    stored = values_for(demo_db, UNIT, MARCH.code)[indicator.id]
    assert stored.value == 75.0
    assert (
        stored.note
        == share_note(result)
        == "按GB 3838—2002评价，全部断面（未设控制级别）中Ⅲ类及以上 3/4"
    )
    assert "地表水监测数据 断面.xlsx" in {e.source for e in audit.recent(demo_db, 10)}


def test_a_locked_period_is_refused(demo_db: Database, tmp_path: Path) -> None:
    path = write_station_workbook(tmp_path / "断面.xlsx")
    commit_import(demo_db, dry_run_water_file(demo_db, path, UNIT), "test")
    locks.lock_period(demo_db, UNIT, MARCH.code)
    indicator = indicators.indicator_by_code(demo_db, "water_section_good_rate")
    before = values_for(demo_db, UNIT, MARCH.code).get(indicator.id)
    with pytest.raises(PeriodLocked, match="已报送"):
        write_good_share(demo_db, UNIT, MARCH, section_period(demo_db, UNIT, MARCH), "x")
    assert values_for(demo_db, UNIT, MARCH.code).get(indicator.id) == before


def test_nothing_to_write_is_refused(demo_db: Database) -> None:
    with pytest.raises(StorageError, match="没有可评价"):
        write_good_share(demo_db, UNIT, MARCH, section_period(demo_db, UNIT, MARCH), "x")


def test_new_sections_without_a_body_are_asked_known_ones_kept(
    demo_db: Database, tmp_path: Path
) -> None:
    commit_import(
        demo_db, dry_run_water_file(demo_db, write_station_workbook(tmp_path / "a.xlsx"), UNIT), "t"
    )
    path = tmp_path / "四月.csv"
    path.write_text(
        "断面名称,采样日期,总磷\n西湖闸,2026-04-03,0.04\n新桥,2026-04-03,0.04\n", encoding="utf-8"
    )
    with pytest.raises(BodyNeeded, match="新桥"):
        dry_run_water_file(demo_db, path, UNIT)
    imp = dry_run_water_file(demo_db, path, UNIT, WaterBody.RIVER)
    assert imp.bodies == {"西湖闸": "湖库", "新桥": "河流"}
    assert any("新断面 新桥 按河流评价" in w for w in imp.warnings)
    commit_import(demo_db, imp, "t")
    april = {
        s.section: s.class_name
        for s in section_period(demo_db, UNIT, Period.month(2026, 4)).sections
    }
    assert april == {"新桥": "Ⅱ类", "西湖闸": "Ⅲ类"}
