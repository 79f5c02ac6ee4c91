"""The ordered list of schema migrations. Append new ones at the end; never edit old ones."""

from __future__ import annotations

from db.migrations import (
    m0001_schema,
    m0002_catalog,
    m0003_chart_sets,
    m0004_form_templates,
    m0005_plans_ledger,
    m0006_reports,
    m0007_monitoring,
    m0008_compact_audit,
    m0010_vocabulary,
    m0011_duties_stations,
    m0012_locked_figures,
)
from db.migrations.runner import Migration, apply_pending
from db.schema_version import APPLICATION_ID, LATEST_VERSION

MIGRATIONS: list[Migration] = [
    Migration(1, m0001_schema.NAME, m0001_schema.apply),
    Migration(2, m0002_catalog.NAME, m0002_catalog.apply),
    Migration(3, m0003_chart_sets.NAME, m0003_chart_sets.apply),
    Migration(4, m0004_form_templates.NAME, m0004_form_templates.apply),
    Migration(5, m0005_plans_ledger.NAME, m0005_plans_ledger.apply),
    Migration(6, m0006_reports.NAME, m0006_reports.apply),
    Migration(7, m0007_monitoring.NAME, m0007_monitoring.apply),
    Migration(8, m0008_compact_audit.NAME, m0008_compact_audit.apply),
    Migration(10, m0010_vocabulary.NAME, m0010_vocabulary.apply),
    Migration(11, m0011_duties_stations.NAME, m0011_duties_stations.apply),
    Migration(12, m0012_locked_figures.NAME, m0012_locked_figures.apply),
]

if MIGRATIONS[-1].version != LATEST_VERSION:  # pragma: no cover - a developer's slip
    raise RuntimeError("db/schema_version.py LATEST_VERSION must equal the last migration")

__all__ = ["APPLICATION_ID", "LATEST_VERSION", "MIGRATIONS", "Migration", "apply_pending"]
