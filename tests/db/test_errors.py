"""The error family: every error class we define is a ``KnownError`` with a message and a hint.

Callers catch ``KnownError`` to show a sentence and let anything else through as a bug, so an
error class outside the family would turn a refusal into a traceback.
"""

from __future__ import annotations

import pytest

from db.errors import KnownError, StorageError, explain
from db.formulas import FormulaError, dependencies
from desktop.services.monitoring.standards import StandardError
from desktop.services.reports.text_import import ReportError


def test_value_errors_stay_value_errors() -> None:
    """The classes that were ``ValueError`` still are, for the callers that catch that."""
    for cls in (FormulaError, StandardError, ReportError):
        assert issubclass(cls, KnownError) and issubclass(cls, ValueError), cls


def test_message_and_hint() -> None:
    plain = StorageError("没有代码为“x”的单位")
    assert str(plain) == plain.message == "没有代码为“x”的单位"
    assert plain.hint == ""
    assert plain.with_hint() == plain.one_line() == plain.message

    hinted = KnownError("“表.xlsx”无法写入", "关闭 Excel 后重试")
    assert str(hinted) == "“表.xlsx”无法写入"
    assert hinted.with_hint() == "“表.xlsx”无法写入\n提示：关闭 Excel 后重试"
    assert hinted.one_line() == "“表.xlsx”无法写入。提示：关闭 Excel 后重试"
    assert KnownError("已读完。", "再试").one_line() == "已读完。提示：再试"
    assert explain(hinted) == hinted.with_hint()
    assert explain(hinted, one_line=True) == hinted.one_line()
    assert explain(OSError("磁盘已满")) == "磁盘已满"


def test_a_bad_formula_is_a_known_error() -> None:
    with pytest.raises(KnownError, match="无法解析"):
        dependencies("pm25 +")
