"""The error family: every error class we define is a ``KnownError`` with a message and a hint.

Callers catch ``KnownError`` to show a sentence and let anything else through as a bug, so an
error class outside the family would turn a refusal into a traceback; the walk below finds
every class, including ones added later.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import db
import desktop
from db import locks, units
from db.connection import Database
from db.errors import (
    Cancelled,
    KnownError,
    NewerSchema,
    PeriodLocked,
    StorageError,
    ValueRejected,
    explain,
)
from db.formulas import FormulaError, dependencies
from db.indicators import indicator_by_code
from db.values import ValueWrite, write_values
from desktop.services.monitoring.standards import StandardError
from desktop.services.reports.text_import import ReportError

#: One class per area, as db/errors.py lists them: the walk must find at least these.
AREAS = {
    "db.errors.StorageError",
    "db.errors.Cancelled",
    "db.formulas.FormulaError",
    "desktop.services.common.workbook.WorkbookError",
    "desktop.services.monitoring.water.section_import.BodyNeeded",
    "desktop.services.charts.building.ChartError",
    "desktop.services.monitoring.standards.StandardError",
    "desktop.services.reports.text_import.ReportError",
    "desktop.cli.common.CliError",
    "desktop.selftest.SelfTestError",
}


def _error_classes() -> dict[str, type[BaseException]]:
    """Every exception class defined in a module of ``db`` or ``desktop``, by full name."""
    found: dict[str, type[BaseException]] = {}
    for package in (db, desktop):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if info.name.endswith(".__main__"):
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, BaseException)
                    and value.__module__ == module.__name__
                ):
                    found[f"{module.__name__}.{value.__name__}"] = value
    return found


def test_every_error_class_is_in_the_family() -> None:
    classes = _error_classes()
    assert AREAS.issubset(classes), sorted(AREAS - set(classes))
    outside = [name for name, cls in classes.items() if not issubclass(cls, KnownError)]
    assert outside == [], f"not a KnownError (a refusal would show as a bug): {outside}"


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


def test_classes_give_their_usual_hint_and_a_raise_may_override_it() -> None:
    assert "解除锁定" in PeriodLocked("该期间已报送（已锁定），不能修改").hint
    assert "升级 EcoDesk" in NewerSchema("“x.ecodesk”由更新版本的 EcoDesk 创建").hint
    assert PeriodLocked("已锁定", "先解锁").hint == "先解锁"
    assert ValueRejected("“abc”不是数字").hint == ""


def test_a_bad_formula_is_a_known_error() -> None:
    with pytest.raises(KnownError, match="无法解析"):
        dependencies("pm25 +")


def test_cancelled_is_known_but_not_a_storage_error() -> None:
    cancelled = Cancelled()
    assert cancelled.message == "已取消" and cancelled.hint == ""
    assert not isinstance(cancelled, StorageError)
    assert Cancelled("已取消导出").message == "已取消导出"


def test_a_locked_period_refuses_a_write_with_the_unlock_hint(demo_db: Database) -> None:
    unit = units.unit_by_code(demo_db, "330300-01")
    pm25 = indicator_by_code(demo_db, "pm25")
    locks.lock_period(demo_db, unit.id, "2026-M4")
    with pytest.raises(PeriodLocked) as caught:
        write_values(demo_db, [ValueWrite(unit.id, "2026-M4", pm25.id, 30.0)])
    assert caught.value.message == "该期间已报送（已锁定），不能修改"
    assert "解除锁定" in caught.value.hint
