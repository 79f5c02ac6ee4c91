"""The ordered list of schema migrations. Append new ones at the end; never edit old ones."""

from __future__ import annotations

from db.migrations import m0001_schema, m0002_catalog
from db.migrations.runner import APPLICATION_ID, Migration, apply_pending

MIGRATIONS: list[Migration] = [
    Migration(1, m0001_schema.NAME, m0001_schema.apply),
    Migration(2, m0002_catalog.NAME, m0002_catalog.apply),
]

#: The schema version this build of EcoDesk writes.
LATEST_VERSION = MIGRATIONS[-1].version

__all__ = ["APPLICATION_ID", "LATEST_VERSION", "MIGRATIONS", "Migration", "apply_pending"]
