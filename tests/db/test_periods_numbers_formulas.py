"""Periods, numbers as people write them, and formulas."""

from __future__ import annotations

import pytest

from db.formulas import FormulaError, dependencies, evaluate, evaluation_order
from db.numbers import format_number, parse_number, parse_water_class
from db.periods import Period, PeriodKind


@pytest.mark.parametrize(
    ("code", "label", "days"),
    [
        ("2022-M10", "2022年10月", 31),
        ("2024-M2", "2024年2月", 29),
        ("2022-Q3", "2022年第三季度", 92),
        ("2022-YTD10", "2022年1-10月", 304),
        ("2022-Y", "2022年", 365),
        ("2024-Y", "2024年", 366),
    ],
)
def test_period_codes_labels_and_days(code: str, label: str, days: int) -> None:
    period = Period.parse(code)
    assert period.code == code
    assert period.label == label
    assert period.days() == days


def test_ytd12_is_the_year_and_last_year_keeps_the_kind() -> None:
    assert Period.parse("2022-YTD12") == Period.whole_year(2022)
    assert Period.parse("2022-YTD10").same_period_last_year() == Period(2021, PeriodKind.YTD, 10)


@pytest.mark.parametrize("bad", ["2022", "2022-M13", "2022-Q5", "22-M1", "2022-Y3", "2022-M"])
def test_bad_period_codes_are_refused_in_chinese(bad: str) -> None:
    with pytest.raises(ValueError, match=r"期间|范围|序号"):
        Period.parse(bad)


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("97.0%", "%", 97.0),
        ("１７", "μg/m³", 17.0),
        ("17μg/m3", "μg/m³", 17.0),
        ("1,064", "件", 1064.0),
        ("1.08亿元", "万元", 10800.0),
        ("86.08万元", "万元", 86.08),
        ("  42.34 ", "万元", 42.34),
        ("-3", "", -3.0),
        ("3起", "件", 3.0),
        ("12项", "个", 12.0),
        ("—", "件", None),
        ("/", "件", None),
        ("", "件", None),
    ],
)
def test_numbers_written_by_people_are_read(text: str, unit: str, expected: float | None) -> None:
    result = parse_number(text, unit)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "unit"), [("约20", "件"), ("20左右", "件"), ("abc", ""), ("17%", "件"), ("3家", "件")]
)
def test_estimates_and_words_are_refused_not_guessed(text: str, unit: str) -> None:
    with pytest.raises(ValueError, match="不是数字"):
        parse_number(text, unit)


def test_water_classes() -> None:
    assert parse_water_class("Ⅲ类") == 3
    assert parse_water_class("III") == 3
    assert parse_water_class("劣Ⅴ类") == 6
    with pytest.raises(ValueError, match="水质类别"):
        parse_water_class("Ⅶ")


def test_format_rounds_half_away_from_zero_like_excel() -> None:
    assert format_number(10.25, 1) == "10.3"
    assert format_number(64.15094, 2) == "64.15"
    assert format_number(-18.75, 1) == "-18.8"
    assert format_number(17, 0) == "17"


def test_format_prints_a_huge_change_instead_of_crashing() -> None:
    # 同比 of 20 against a last-year figure of 4e-305 (hypothesis found it in an import)
    assert format_number(5e305, 1) == f"{5e305:.1f}"
    assert format_number(-1e300, 0).startswith("-1000000000")


def test_formula_evaluation_and_missing_inputs() -> None:
    formula = "100 * (done + immediate) / total"
    assert dependencies(formula) == {"done", "immediate", "total"}
    assert evaluate(formula, {"done": 3, "immediate": 6, "total": 10}) == pytest.approx(90.0)
    assert evaluate(formula, {"done": 3, "immediate": None, "total": 10}) is None
    assert evaluate(formula, {"done": 3, "immediate": 6, "total": 0}) is None


@pytest.mark.parametrize(
    "bad", ["__import__('os')", "a ** 2", "a.b", "f(x)", "a if b else c", "1 +"]
)
def test_formulas_cannot_run_code(bad: str) -> None:
    with pytest.raises(FormulaError):
        evaluate(bad, {})


def test_formula_cycles_are_named() -> None:
    with pytest.raises(FormulaError, match="循环"):
        evaluation_order({"a": "b + 1", "b": "a * 2"})
    assert evaluation_order({"rate": "x / total", "x": "y + 1"}) == ["x", "rate"]


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("2022年前三季度生态环境质量指标统计表", "2022-YTD9"),  # not the third quarter
        ("2022年上半年环境空气质量情况表", "2022-YTD6"),
        ("2022年1～10月环境执法工作统计表", "2022-YTD10"),
        ("2022年度生态环境主要指标统计表", "2022-Y"),
        ("2022年三季度", "2022-Q3"),
        ("2022年1月—10月重点工作进展调度表", "2022-YTD10"),  # not January
        ("2022年1月至10月环境信访统计", "2022-YTD10"),
        ("2022年1月-10月", "2022-YTD10"),
        ("2022年10月环境质量月报", "2022-M10"),
    ],
)
def test_periods_as_bureau_titles_write_them(title: str, code: str) -> None:
    found = Period.find_in_text(title)
    assert found is not None and found.code == code
