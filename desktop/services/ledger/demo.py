"""The demo's rectification ledger (resources/demo/plans.json, its ``problems``)."""

from __future__ import annotations

from typing import Any

from db import ledger
from db.connection import Database
from db.ledger import NewProblem


def load_demo_ledger(db: Database, specs: list[dict[str, Any]], unit_ids: dict[str, int]) -> None:
    """The demo problems, batch by batch (called inside the demo's transaction)."""
    for batch in specs:
        problems = [
            NewProblem(
                source=batch["source"],
                batch=batch["batch"],
                seq=n,
                year=int(batch["year"]),
                description=p["description"],
                category=p.get("category", "其他"),
                responsible=p.get("responsible", ""),
                deadline=p.get("deadline", ""),
                measures=p.get("measures", ""),
                progress=p.get("progress", ""),
                status=p.get("status", "整改中"),
                closed_on=p.get("closed_on"),
                verification=p.get("verification", ""),
            )
            for n, p in enumerate(batch["problems"], start=1)
        ]
        ledger.add_problems(db, unit_ids[batch["unit"]], problems)
