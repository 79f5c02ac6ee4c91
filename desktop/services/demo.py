"""The demo database: the five seed bureaus and every figure their reports state.

The figures live in ``resources/demo/demo.json`` (see its README for where each comes from).
Where a report gives a total and its parts, only the parts are stored and the store computes the
total, so the demo also shows that the arithmetic matches what the bureau wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db import indicators, locks, targets, units, values
from db.connection import Database, open_database
from db.errors import StorageError
from resources import locate

#: Bumped when demo.json changes, so ``ecodesk --demo`` rebuilds an outdated demo file.
DEMO_VERSION = "3"


def demo_data() -> dict[str, Any]:
    import json

    with locate("demo", "demo.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def load_demo(db: Database) -> None:
    """Fill an empty database with the demo units, values, targets and locks in one transaction."""
    data = demo_data()
    with db.transaction(), db.audit_source("演示数据"):
        for unit in data["units"]:
            units.add_unit(
                db,
                unit["code"],
                unit["name"],
                short_name=unit.get("short_name", ""),
                level=unit.get("level", "其他"),
                parent_code=unit.get("parent"),
            )
        unit_ids = {u.code: u.id for u in units.all_units(db)}
        indicator_ids = {i.code: i.id for i in indicators.all_indicators(db)}

        def ids(item: dict[str, Any]) -> tuple[int, int]:
            try:
                return unit_ids[item["unit"]], indicator_ids[item["indicator"]]
            except KeyError as exc:
                raise StorageError(f"演示数据引用了不存在的单位或指标：{exc}") from exc

        writes = []
        for item in data["values"]:
            unit_id, indicator_id = ids(item)
            writes.append(
                values.ValueWrite(
                    unit_id,
                    item["period"],
                    indicator_id,
                    float(item["value"]),
                    item.get("note", ""),
                )
            )
        values.write_values(db, writes)
        targets.set_targets(
            db, [(*ids(t), int(t["year"]), float(t["value"])) for t in data.get("targets", [])]
        )
        for lock in data.get("locks", []):
            locks.lock_period(db, unit_ids[lock["unit"]], lock["period"])
        from desktop.services.ledger.demo import load_demo_ledger
        from desktop.services.plans.demo import demo_plans_data, load_demo_plans

        plans_and_problems = demo_plans_data()
        load_demo_plans(db, plans_and_problems)
        load_demo_ledger(db, plans_and_problems.get("problems", []), unit_ids)
        from desktop.services.reports.text_import import load_demo_reports

        load_demo_reports(db)
        from desktop.services.monitoring.demo import load_demo_monitoring

        load_demo_monitoring(db, unit_ids[data["own_unit"]])
        from desktop.services.workbench.demo import load_demo_duties

        load_demo_duties(db, unit_ids[data["own_unit"]])
        db.set_meta("own_unit", data["own_unit"])
        db.set_meta("demo_version", DEMO_VERSION)


def build_demo(path: Path, *, replace: bool = False) -> Database:
    """Create the demo database at ``path`` and return it open.

    An existing file is replaced only when asked, and only if it is itself a demo database, so
    a mistyped path can never overwrite an office's real data.
    """
    if path.exists():
        if not replace:
            raise StorageError(f"“{path}”已存在；如需重建演示数据库请加 --force")
        old = open_database(path, read_only=True)
        try:
            is_demo = bool(old.meta("demo_version"))
        finally:
            old.close()
        if not is_demo:
            raise StorageError(f"“{path}”不是演示数据库，拒绝覆盖")
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    db = open_database(path, create=True)
    try:
        load_demo(db)
    except BaseException:
        db.close()
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        raise
    return db


def open_or_build_demo(path: Path) -> Database:
    """Open the per-user demo database, (re)building it if missing or outdated."""
    if path.exists():
        try:
            db = open_database(path)
        except StorageError:
            db = None
        if db is not None:
            if db.meta("demo_version") == DEMO_VERSION:
                return db
            db.close()
        return build_demo(path, replace=True)
    return build_demo(path)
