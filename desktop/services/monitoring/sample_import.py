"""Importing monitoring values (air daily values, water samples) through the shared dry run.

A monitoring file is judged like a filled workbook (the records of ``common.dry_run``): every
value becomes a ``DryRunItem`` — 新增, 修改 (old → new), 不变 or 错误 with the sheet, the
cell and the reason in Chinese — shown in the same preview, and committed in one transaction
that re-checks each value against the file, or not at all. The item's subject carries the
station in ``unit_name``, the item (PM2.5, NH3-N …) in ``field`` and the ISO day in ``period``;
values travel as plain decimal text so nothing is rounded on the way.

Doubts that concern no single value (missing days, PM2.5 above PM10) are warnings: listed, not
blocking. A committed import can be undone as long as nobody changed those values since.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from db import audit, stations
from db.connection import Database
from db.errors import StorageError
from db.numbers import CLASS_NAMES
from db.samples import SampleKey, SampleTable, decimal_text, read_samples, write_samples
from desktop.services.common.dry_run import DryRun, DryRunItem, Status, Subject


@dataclass(frozen=True)
class Observation:
    """One value read from a monitoring file, and the cell it came from."""

    station: str
    day: date
    item: str  # "PM2.5", "O3_8h", "NH3-N" …
    value: Decimal
    sheet: str
    cell: str  # "D5"
    label: str = ""  # the item as the preview shows it; the item id when empty
    water_body: str = ""  # "河流" / "湖库" for a water section


@dataclass(frozen=True)
class StationClass:
    """What a file states about a station beside its values: 控制级别 and 水质目标, and where."""

    control_level: str = ""  # 国控 / 省控 / 市控 / 县控, "" when the file does not say
    target_class: int | None = None  # 1-5 = Ⅰ-Ⅴ类
    level_cell: str = ""  # "断面!E5"
    target_cell: str = ""


@dataclass
class MonitoringImport:
    """The dry run of one monitoring file for one unit, and what committing it needs."""

    table: SampleTable
    unit_id: int
    file: str
    dry_run: DryRun
    warnings: list[str] = field(default_factory=list)
    bodies: dict[str, str] = field(default_factory=dict)  # station → water body
    #: What committing sets on stations whose 控制级别 / 水质目标 are still empty (never a
    #: stored one: a conflict is a warning), and the preview's lines saying so.
    classes: dict[str, StationClass] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = self.dry_run.summary()
        return f"{text}，警告 {len(self.warnings)} 条" if self.warnings else text


def error_item(file: str, sheet: str, cell: str, reason: str, station: str = "") -> DryRunItem:
    """A reader's complaint about one cell, as a preview row."""
    return DryRunItem(file, sheet, cell or "—", Status.ERROR, reason, Subject(unit_name=station))


def dry_run_observations(
    db: Database,
    table: SampleTable,
    unit_id: int,
    file: str,
    observations: Iterable[Observation],
    errors: Iterable[DryRunItem] = (),
    warnings: Iterable[str] = (),
) -> MonitoringImport:
    """Judge every observation against what the unit's stations already hold."""
    known = {s.name: s for s in stations.stations_of(db, unit_id, table.kind)}
    observed = list(observations)
    days = [o.day for o in observed]
    stored = read_samples(
        db, table, [s.id for s in known.values()], min(days, default=None), max(days, default=None)
    )
    result = MonitoringImport(table, unit_id, file, DryRun(files=[file]))
    result.dry_run.items.extend(errors)
    result.warnings.extend(warnings)
    first: dict[tuple[str, str, str], int] = {}
    for obs in observed:
        station = known.get(obs.station)
        if obs.water_body:
            result.bodies.setdefault(obs.station, obs.water_body)
            if station is not None and station.water_body != obs.water_body:
                change = f"{obs.station} 的断面类型由{station.water_body}改为{obs.water_body}"
                if change not in result.warnings:
                    result.warnings.append(change)
        day = obs.day.isoformat()
        old = stored.get((station.id, day, obs.item)) if station is not None else None
        new = decimal_text(obs.value)
        subject = Subject(unit_id, obs.station, None, obs.label or obs.item, obs.item, day)
        status = (
            Status.NEW if old is None else Status.UNCHANGED if old == obs.value else Status.CHANGED
        )
        old_text = None if old is None else decimal_text(old)
        item = DryRunItem(file, obs.sheet, obs.cell, status, "", subject, old_text, new)
        key = (obs.station, day, obs.item)
        if key in first:
            item = _duplicate(result.dry_run, first[key], item)
        else:
            first[key] = len(result.dry_run.items)
        result.dry_run.items.append(item)
    return result


def judge_classes(db: Database, imp: MonitoringImport, stated: dict[str, StationClass]) -> None:
    """What the file states about each station against the store: an empty attribute is set on
    commit (a note says so), a different stored one is kept and the difference is a warning."""
    known = {s.name: s for s in stations.stations_of(db, imp.unit_id, imp.table.kind)}
    fix = "如需更改，请在“点位与断面…”中或用 ecodesk-cli stations set 修改"
    for name, said in sorted(stated.items()):
        stored = known.get(name)
        level, target = said.control_level, said.target_class
        old_level = stored.control_level if stored else ""
        old_target = stored.target_class if stored else None
        if level and old_level and level != old_level:
            imp.warnings.append(
                f"警告：{said.level_cell}：{name} 文件写{level}，库中为{old_level}，"
                f"未改动（按库中的控制级别计算）；{fix}"
            )
        if target and old_target and target != old_target:
            imp.warnings.append(
                f"警告：{said.target_cell}：{name} 文件写水质目标{CLASS_NAMES[target]}，"
                f"库中为{CLASS_NAMES[old_target]}，未改动；{fix}"
            )
        new_level = level if level and not old_level else ""
        new_target = target if target and not old_target else None
        if not (new_level or new_target):
            continue
        imp.classes[name] = StationClass(new_level, new_target, said.level_cell, said.target_cell)
        told = [f"控制级别 {new_level}（{said.level_cell}）"] if new_level else []
        if new_target:
            told.append(f"水质目标 {CLASS_NAMES[new_target]}（{said.target_cell}）")
        imp.notes.append(f"设置：{name} {'，'.join(told)}（库中未设）")


def _duplicate(dry_run: DryRun, earlier_at: int, item: DryRunItem) -> DryRunItem:
    """The same station, day and item twice in one file: once if equal, refused if not."""
    earlier = dry_run.items[earlier_at]
    if earlier.new == item.new and earlier.status is not Status.ERROR:
        return DryRunItem(
            item.file, item.sheet, item.cell, Status.UNCHANGED,
            f"与{earlier.where}重复，只计一次", item.subject, item.old, item.new,
        )  # fmt: skip
    reason = f"与{earlier.where}是同一数据但取值不同，请保留一处"
    dry_run.items[earlier_at] = DryRunItem(
        earlier.file, earlier.sheet, earlier.cell, Status.ERROR,
        f"与{item.where}是同一数据但取值不同", earlier.subject, earlier.old, earlier.new,
    )  # fmt: skip
    return DryRunItem(
        item.file, item.sheet, item.cell, Status.ERROR, reason, item.subject, item.old, item.new
    )


def commit_import(db: Database, imp: MonitoringImport, source: str) -> int:
    """Write every accepted value in one transaction; return how many were written.

    Raises ``StorageError`` naming the cell when a stored value changed since the dry run;
    nothing is written then (new stations included).
    """
    return _apply(db, imp, source, undo=False)


def revert_import(db: Database, imp: MonitoringImport, source: str) -> int:
    """Undo a committed import: new values removed, replaced ones put back, or nothing."""
    return _apply(db, imp, source, undo=True)


def _apply(db: Database, imp: MonitoringImport, source: str, *, undo: bool) -> int:
    accepted = imp.dry_run.accepted
    if not accepted and not imp.classes:
        return 0
    with db.transaction(), db.audit_source(source):
        ids: dict[str, int] = {}
        for name in sorted({i.unit_name for i in accepted}):
            body = imp.bodies.get(name, "")
            ids[name] = stations.ensure_station(db, imp.unit_id, imp.table.kind, name, body).id
        if accepted:
            _apply_values(db, imp, accepted, ids, undo)
        _apply_classes(db, imp, ids, undo)
    return len(accepted)


def _apply_values(
    db: Database, imp: MonitoringImport, accepted: list[DryRunItem], ids: dict[str, int], undo: bool
) -> None:
    days = sorted(i.period for i in accepted)
    current = read_samples(
        db, imp.table, list(ids.values()), date.fromisoformat(days[0]),
        date.fromisoformat(days[-1]),
    )  # fmt: skip
    rows: list[tuple[SampleKey, Decimal | None]] = []
    for item in accepted:
        key = (ids[item.unit_name], item.period, item.field)
        expected, wanted = (item.new, item.old) if undo else (item.old, item.new)
        now = current.get(key)
        if (None if now is None else decimal_text(now)) != expected:
            shown = "空" if now is None else decimal_text(now)
            if undo:
                raise StorageError(
                    f"{item.where} 对应的监测数据在导入后已被修改（现为 {shown}），无法撤销导入"
                )
            raise StorageError(
                f"{item.where}：数据库中的值在预览后已改变（现为 {shown}），全部未导入，请重新预览"
            )
        rows.append((key, None if wanted is None else Decimal(str(wanted))))
        if item.status is Status.CHANGED:
            audit.record(
                db.conn, "撤销修改监测数据" if undo else "修改监测数据",
                unit_id=imp.unit_id, period=item.period,
                old=f"{item.unit_name} {item.field} {expected}",
                new=f"{item.unit_name} {item.field} {wanted}",
            )  # fmt: skip
    write_samples(db, imp.table, rows)
    added = sum(1 for i in accepted if i.status is Status.NEW)
    audit.record(
        db.conn, "撤销导入监测数据" if undo else "导入监测数据", unit_id=imp.unit_id,
        period=f"{days[0]}～{days[-1]}",
        new=f"{imp.file}：新增 {added} 项，修改 {len(accepted) - added} 项",
    )  # fmt: skip


def _apply_classes(db: Database, imp: MonitoringImport, ids: dict[str, int], undo: bool) -> None:
    """控制级别 / 水质目标 the file states, set where the store has none (or unset on undo)."""
    for name, said in sorted(imp.classes.items()):
        station_id = ids.get(name)
        if station_id is None:
            found = stations.find_station(db, imp.unit_id, imp.table.kind, name)
            if found is None:
                continue
            station_id = found.id
        stations.fill_unset(db, station_id, said.control_level, said.target_class, undo)
        told = " ".join(
            x for x in (said.control_level, CLASS_NAMES[said.target_class] if said.target_class
                        else "") if x
        )  # fmt: skip
        audit.record(
            db.conn, "撤销设置点位属性" if undo else "设置点位属性", unit_id=imp.unit_id,
            new=f"{name} {told}（{imp.file}）",
        )  # fmt: skip
