"""Monitoring stations (空气站点) and water sections (地表水断面) of a unit.

A station is named as the monitoring centre names it; importing a file creates the stations it
mentions inside the import's own transaction, so a refused import leaves no stray station.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from db.connection import Database
from db.errors import StorageError

Kind = Literal["air", "water"]


@dataclass(frozen=True)
class Station:
    id: int
    unit_id: int
    kind: str
    name: str
    water_body: str  # "河流" / "湖库" for a section, "" for an air station
    control_level: str = ""  # 国控 / 省控 / 市控 / 县控, "" when not told
    target_class: int | None = None  # a section's 水质目标, 1-5 = Ⅰ-Ⅴ类


_COLUMNS = "id, unit_id, kind, name, water_body, control_level, target_class"
#: 控制级别 from the highest down; "市控以上" is the first three.
CONTROL_LEVELS = ("国控", "省控", "市控", "县控")
CITY_AND_ABOVE = frozenset(CONTROL_LEVELS[:3])
#: Other ways bureaus' exports write a level ("国考断面", "省控点位").
_LEVEL_WORDS = {"国考": "国控", "省考": "省控", "市考": "市控", "县考": "县控"}


def control_level_of(text: str) -> str:
    """国控/省控/市控/县控 from the words a file or a user writes ("国考断面", "市控点"); "" for
    blank, "—" or 无; ``StorageError`` naming the accepted words for anything else."""
    word = "".join(text.split())
    for tail in ("断面", "点位", "站点", "点", "站"):
        word = word.removesuffix(tail)
    if word in ("", "—", "-", "/", "无", "未设"):
        return ""
    level = _LEVEL_WORDS.get(word, word)
    if level not in CONTROL_LEVELS:
        raise StorageError(
            f"控制级别“{text.strip()}”无法识别",
            hint="应为 国控、省控、市控 或 县控（国考、省考亦可）",
        )
    return level


def stations_of(db: Database, unit_id: int, kind: Kind) -> list[Station]:
    """A unit's stations or sections of one kind, by name."""
    rows = db.conn.execute(
        f"SELECT {_COLUMNS} FROM station WHERE unit_id = ? AND kind = ? ORDER BY name",
        (unit_id, kind),
    ).fetchall()
    return [Station(*r) for r in rows]


def find_station(db: Database, unit_id: int, kind: Kind, name: str) -> Station | None:
    row = db.conn.execute(
        f"SELECT {_COLUMNS} FROM station WHERE unit_id = ? AND kind = ? AND name = ?",
        (unit_id, kind, name),
    ).fetchone()
    return Station(*row) if row else None


def ensure_station(
    db: Database, unit_id: int, kind: Kind, name: str, water_body: str = ""
) -> Station:
    """The named station, added when new; must run inside the caller's transaction.

    A water section's body type is updated when the file says otherwise (the latest import is
    what the office now states); an air station never has one.
    """
    body = water_body if kind == "water" else ""
    found = find_station(db, unit_id, kind, name)
    if found is None:
        cursor = db.conn.execute(
            "INSERT INTO station (unit_id, kind, name, water_body) VALUES (?, ?, ?, ?)",
            (unit_id, kind, name, body),
        )
        assert cursor.lastrowid is not None
        return Station(cursor.lastrowid, unit_id, kind, name, body)
    if body and found.water_body != body:
        db.conn.execute("UPDATE station SET water_body = ? WHERE id = ?", (body, found.id))
        return Station(found.id, unit_id, kind, name, body, found.control_level, found.target_class)
    return found


def classify_station(
    db: Database,
    station_id: int,
    control_level: str,
    target_class: int | None = None,
    water_body: str | None = None,
) -> None:
    """Set a station's 控制级别 and, for a section, its target class and body, in one transaction.

    Raises ``StorageError`` in Chinese for a level or class outside the lists (the file's CHECK
    would refuse them too, with an English message).
    """
    if control_level not in ("", *CONTROL_LEVELS):
        raise StorageError(f"控制级别“{control_level}”不在 国控/省控/市控/县控 之中")
    if target_class is not None and not 1 <= target_class <= 5:
        raise StorageError("水质目标应为Ⅰ类至Ⅴ类")
    if water_body is not None and water_body not in ("河流", "湖库"):
        raise StorageError(f"水体类型“{water_body}”应为 河流 或 湖库")
    with db.transaction() as conn:
        row = conn.execute("SELECT kind FROM station WHERE id = ?", (station_id,)).fetchone()
        if row is None:
            raise StorageError(f"没有编号为 {station_id} 的点位")
        if row[0] == "air" and (target_class is not None or water_body):
            raise StorageError("空气站点没有水质目标和水体类型")
        conn.execute(
            "UPDATE station SET control_level = ?, target_class = ? WHERE id = ?",
            (control_level, target_class, station_id),
        )
        if water_body:
            conn.execute("UPDATE station SET water_body = ? WHERE id = ?", (water_body, station_id))


def fill_unset(
    db: Database, station_id: int, control_level: str, target_class: int | None, undo: bool = False
) -> None:
    """Set a station's 控制级别 and 水质目标 where they are still empty (an import stating them);
    ``undo`` empties them again where they still hold what was set. Never overwrites a value the
    office set. Must run inside the caller's transaction."""
    if control_level not in ("", *CONTROL_LEVELS) or not (
        target_class is None or 1 <= target_class <= 5
    ):
        raise StorageError("控制级别或水质目标无效")
    was, now = (control_level, "") if undo else ("", control_level)
    if control_level:
        db.conn.execute(
            "UPDATE station SET control_level = ? WHERE id = ? AND control_level = ?",
            (now, station_id, was),
        )
    if target_class is not None:
        if undo:
            db.conn.execute(
                "UPDATE station SET target_class = NULL WHERE id = ? AND target_class = ?",
                (station_id, target_class),
            )
        else:
            db.conn.execute(
                "UPDATE station SET target_class = ? WHERE id = ? AND target_class IS NULL"
                " AND kind = 'water'",
                (target_class, station_id),
            )
