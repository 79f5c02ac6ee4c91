"""How many rows of bureau forms EcoDesk recognises on its own, before anyone maps anything.

The corpus is ``tests/support/bureau_corpus.py``: forms as other provinces and cities write them
(their own wording for the same figures, one- and two-row headers, hidden code columns, 序号,
totals and notes rows, 填报单位 written four ways). Each form is written to .xlsx and read the
way an import reads a form it has no template for. A row counts as recognised when it is mapped
to the catalog indicator it really is; a row mapped to any other indicator (or a row with no
catalog figure mapped to one) is a wrong match applied silently. Units and periods read from
the form are counted too.

Goal: ≥ 95 % of rows recognised, 0 wrong matches.

Reported separately: the held-out corpus (``tests/support/blind_forms.py``), a city form and
seven returns written by someone who had not seen the alias list — the honest measure of how a
bureau that never saw EcoDesk fares — and the HELD_OUT wordings below.

Run: ``python benchmarks/form_recognition.py``
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db import units
from db.connection import Database, open_database
from desktop.services.common.workbook import read_workbook
from desktop.services.exchange.importing import detect_all
from desktop.services.exchange.vocabulary import Vocabulary
from tests.support import blind_forms
from tests.support.bureau_corpus import BRANCHES, DESIGNS, write

#: The .xls and .ods copies LibreOffice made of some designs (committed: making them takes
#: LibreOffice and seconds each).
COPIES = Path(__file__).resolve().parents[1] / "tests/desktop/services/exchange/corpus"


#: Wordings written after the alias list was frozen (not tuned against): how the vocabulary
#: fares on names it was not shown. (label, the indicator it is, or None for no catalog figure)
HELD_OUT: tuple[tuple[str, str | None], ...] = (
    ("城市环境空气质量优良天数比率", "air_good_rate"),
    ("环境空气质量优良天数比例（%）", "air_good_rate"),
    ("PM2.5累计平均浓度", "pm25"),
    ("臭氧第90百分位数浓度", "o3"),
    ("二氧化氮（NO₂）浓度", "no2"),
    ("SO₂平均浓度", "so2"),
    ("环境信访受理量", "complaints"),
    ("受理投诉举报件", "complaints"),
    ("行政处罚案件数", "cases_penalty"),
    ("移送公安案件数", "cases_to_police"),
    ("罚款额", "fines"),
    ("出动执法人员数", "enforce_staff"),
    ("检查企业数量", "inspected_firms"),
    ("饮用水源地水质达标率", "drinking_water_rate"),
    ("县级以上饮用水源水质达标率", "drinking_water_rate"),
    ("国控断面平均水质类别", "water_natl_section_class"),
    ("新建VOCs治理企业", "vocs_rectified"),
    ("危险废物规范化处置率", None),
    ("立案数", None),  # 信访立案 or 环境违法案件: must not be guessed
    ("地表水国控断面优良比例", None),
    ("一般工业固体废物综合利用率", None),
    ("机动车尾气检测数", None),
)


def held_out(db: Database) -> None:
    vocabulary = Vocabulary.from_db(db)
    right = wrong = suggested = known = 0
    for label, code in HELD_OUT:
        found = vocabulary.match(label)
        offered = [s.indicator.code for s in vocabulary.suggest(label)] if found is None else []
        known += code is not None
        right += found is not None and found.code == code
        wrong += found is not None and found.code != code
        suggested += found is None and code is not None and code in offered
        mark = "✓" if found is not None and found.code == code else ("✗" if found else "·")
        print(f"  {mark} {label} → {found.code if found else '—'}  建议 {offered}")
    print(f"未见过的写法：自动识别 {right}/{known}，建议中含正确指标 {suggested}，静默误配 {wrong}")


def blind(folder: Path) -> None:
    """The held-out city form and its seven returns, each read with no template."""
    db = open_database(folder / "blind.ecodesk", create=True)
    code, name = blind_forms.CITY
    units.add_unit(db, code, name, level="市局")
    for code, name, short in blind_forms.BRANCHES:
        units.add_unit(db, code, name, short_name=short, level="分局", parent_code="330400")
    wanted = {line.name: line.indicator for line in blind_forms.DATA}
    forms = [blind_forms.write_city_form(folder / "blind")]
    forms += sorted((blind_forms.write_returns(folder / "blind" / "returns")).iterdir())
    total = right = wrong = 0
    for path in forms:
        grid = read_workbook(path)
        layouts = detect_all(db, grid).layouts
        form_right = form_wrong = 0
        known = sum(code is not None for code in wanted.values())
        for layout in layouts:
            sheet = grid.sheet(layout.sheet)
            for row, key in layout.rows.items():
                label = sheet.text(row, 1)
                expected = wanted.get(label)
                form_right += key.indicator == expected
                form_wrong += key.indicator != expected
        total, right, wrong = total + known, right + form_right, wrong + form_wrong
        unit = layouts[0].default.unit if layouts else None
        period = layouts[0].default.period if layouts else None
        print(f"  {path.name:26} 行 {form_right}/{known}  误配 {form_wrong}", end="")
        print(f"  单位 {unit}  期间 {period}")
    db.close()
    rate = 100 * right / total
    print(f"盲写表（未见过别名表）：自动识别 {right}/{total} 行 = {rate:.1f}%，静默误配 {wrong}")


def city(db: Database) -> None:
    """The city of the corpus: 嘉兴市局 and its seven branches, as an office sets them up."""
    units.add_unit(db, "330400", "嘉兴市生态环境局", short_name="嘉兴市局", level="市局")
    for code, name, short, _line in BRANCHES:
        units.add_unit(db, code, name, short_name=short, level="分局", parent_code="330400")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_database(folder / "bench.ecodesk", create=True)
        city(db)
        by_id = {u.code: u for u in units.all_units(db)}
        total = right = wrong = 0
        unit_total = unit_right = period_right = 0
        copies = {p.stem: p for p in COPIES.iterdir() if p.suffix in (".xls", ".ods")}
        runs = [(d, None) for d in DESIGNS] + [
            (d, copies[d.key]) for d in DESIGNS if d.key in copies
        ]
        for design, copy in runs:
            written = write(design, folder / "forms")
            layouts = detect_all(db, read_workbook(copy or written.path)).layouts
            layout = next((x for x in layouts if x.sheet == design.sheet), None)
            mapped = {r: k.indicator for r, k in layout.rows.items()} if layout else {}
            form_right = form_wrong = 0
            for row in design.rows:
                found = mapped.get(written.rows[row.label])
                if row.code is not None:
                    total += 1
                    form_right += found == row.code
                form_wrong += found is not None and found != row.code
            right += form_right
            wrong += form_wrong
            unit_found = layout.default.unit if layout else None
            if design.expected_unit:
                unit_total += 1
                unit_right += unit_found == design.expected_unit
            period_right += bool(layout and layout.default.period == design.period)
            known = sum(r.code is not None for r in design.rows)
            unit_name = by_id[unit_found].name if unit_found in by_id else "—"
            name = design.key + (copy.suffix if copy else "")
            print(
                f"{name:22} {design.where:6} 行 {form_right}/{known}  误配 {form_wrong}  "
                f"单位 {unit_name}  期间 {layout.default.period if layout else '—'}"
            )
        held_out(db)
        db.close()
        blind(folder)
    print(f"自动识别：{right}/{total} 行 = {100 * right / total:.1f}%（目标 ≥ 95%）")
    print(f"静默误配：{wrong} 行（目标 0）")
    print(f"填报单位识别：{unit_right}/{unit_total}；期间识别：{period_right}/{len(runs)}")


if __name__ == "__main__":
    main()
