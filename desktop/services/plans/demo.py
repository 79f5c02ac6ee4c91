"""The demo's year plans (resources/demo/plans.json, its ``plans``)."""

from __future__ import annotations

from typing import Any

from db import plans, units
from db.connection import Database
from db.indicators import all_indicators


def load_demo_plans(db: Database, data: dict[str, Any]) -> None:
    """Write the demo plans (resources/demo/plans.json; its problems are the ledger's).

    Called inside the demo's transaction, so a fault in the file leaves no half-built demo.
    """
    ids = {u.code: u.id for u in units.all_units(db)}
    codes = {i.code: i.id for i in all_indicators(db)}
    for spec in data.get("plans", []):
        plan = plans.create_plan(db, ids[spec["unit"]], int(spec["year"]), spec["title"])
        _add_demo_items(db, plan.id, None, spec["items"], codes)


def _add_demo_items(
    db: Database,
    plan_id: int,
    parent: int | None,
    specs: list[dict[str, Any]],
    codes: dict[str, int],
) -> None:
    for spec in specs:
        item = plans.NewItem(
            text=spec["text"],
            marker=spec.get("marker", ""),
            department=spec.get("department", ""),
            lead=spec.get("lead", ""),
            deadline=spec.get("deadline", ""),
            status=spec.get("status", "未开始"),
            progress=spec.get("progress"),
        )
        (item_id,) = plans.add_items(db, plan_id, [item], parent)
        target = spec.get("target")
        if target:
            plans.set_target(
                db, item_id, codes[target["indicator"]], target.get("op", ">="),
                float(target["value"]),
            )  # fmt: skip
        for note in spec.get("notes", []):
            plans.add_note(db, item_id, note["day"], note["text"])
        _add_demo_items(db, plan_id, item_id, spec.get("items", []), codes)


def demo_plans_data() -> dict[str, Any]:
    import json

    from resources import locate

    with locate("demo", "plans.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data
