"""Section measurement files into the store, through the shared dry run.

``dry_run_water_file`` turns what ``reader`` read into one preview row per value (errors keep
their sheet and cell). A file without a 水体类型 column names no body: sections the unit already
holds keep theirs, and for new ones the caller must say (the river and lake limits of TP
differ), so ``BodyNeeded`` is raised rather than a guess made.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from db import stations
from db.connection import Database
from db.samples import WATER
from desktop.services.common.workbook import WorkbookError
from desktop.services.monitoring.sample_import import (
    MonitoringImport,
    dry_run_observations,
    judge_classes,
)
from desktop.services.monitoring.standards import StandardsLibrary
from desktop.services.monitoring.water.classes import WaterBody
from desktop.services.monitoring.water.reader import WaterFile, read_water_file


class BodyNeeded(WorkbookError):
    """The file has no 水体类型 column and names sections the unit does not yet hold.

    A question more than a refusal: the page asks the user which, the command line's hint asks
    for ``--body``, and anywhere else the default hint names both ways out.
    """

    default_hint = "在文件中加“水体类型”列，或导入时指定新断面按河流还是湖库评价"

    def __init__(self, sections: list[str], hint: str | None = None) -> None:
        shown = "、".join(sections[:5]) + (f" 等 {len(sections)} 个" if len(sections) > 5 else "")
        super().__init__(
            f"文件没有水体类型列，新断面 {shown} 不知是河流还是湖库（总磷限值不同）", hint
        )
        self.sections = sections


def with_known_bodies(db: Database, unit_id: int, read: WaterFile) -> WaterFile:
    """Observations with no body take the body the unit's stored section has."""
    if not read.sections_without_body:
        return read
    known = {s.name: s.water_body for s in stations.stations_of(db, unit_id, "water")}
    read.observations = [
        replace(o, water_body=known[o.station]) if not o.water_body and known.get(o.station) else o
        for o in read.observations
    ]
    read.sections_without_body = [s for s in read.sections_without_body if not known.get(s)]
    return read


def dry_run_water_file(
    db: Database,
    path: Path,
    unit_id: int,
    default_body: WaterBody | None = None,
    library: StandardsLibrary | None = None,
) -> MonitoringImport:
    """The dry run of a section file for ``unit_id``.

    Without a 水体类型 column, sections the unit holds keep their body and ``default_body`` is
    for the new ones. Raises ``WorkbookError`` if the file is unreadable and ``BodyNeeded`` when
    new sections have no body and no ``default_body`` was given.
    """
    read = with_known_bodies(db, unit_id, read_water_file(path, None, library))
    warnings = read.warnings
    if read.sections_without_body:
        if default_body is None:
            raise BodyNeeded(read.sections_without_body)
        new = set(read.sections_without_body)
        read.observations = [
            replace(o, water_body=default_body.value) if o.station in new else o
            for o in read.observations
        ]
        warnings.append(
            f"警告：文件没有水体类型列，新断面 {'、'.join(sorted(new))} 按{default_body.value}评价"
        )
    imp = dry_run_observations(
        db, WATER, unit_id, path.name, read.observations, read.error_items(), warnings
    )
    judge_classes(db, imp, read.classes)
    return imp
