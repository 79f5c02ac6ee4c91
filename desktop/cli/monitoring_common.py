"""What ``air-import`` and ``water-import`` share: the dry run printed value by value, then the
commit or not, with the same words and exit status as ``import`` for workbooks."""

from __future__ import annotations

from db.connection import Database
from desktop.services.common.dry_run import Status
from desktop.services.monitoring.sample_import import MonitoringImport, commit_import


def print_monitoring_dry_run(imp: MonitoringImport) -> None:
    """Every value that would change or was refused (station, day, item), the warnings, then
    the counts; unchanged values are only counted."""
    for item in imp.dry_run.items:
        if item.status is Status.UNCHANGED:
            continue
        what = " ".join(x for x in (item.unit_name, item.period, item.subject.indicator_name) if x)
        where = f"{item.file} {item.where}" + (f"（{what}）" if what else "")
        if item.status is Status.ERROR:
            print(f"{where}：{item.reason}")
        elif item.status is Status.CHANGED:
            print(f"{where}：修改 {item.old} → {item.new}")
        else:
            print(f"{where}：新增 {item.new}")
    for note in imp.notes:
        print(note)
    for warning in imp.warnings:
        print(warning)
    print(f"{imp.file}：{imp.summary()}")


def finish_monitoring_import(
    db: Database, imp: MonitoringImport, *, preview_only: bool, all_or_nothing: bool, source: str
) -> int:
    """Print the dry run, commit unless told not to; the exit status is 1 when anything was
    refused (so a batch job notices), 0 otherwise."""
    print_monitoring_dry_run(imp)
    errors = imp.dry_run.count(Status.ERROR)
    if preview_only:
        print("预览完成，未写入数据库（去掉 --dry-run 即导入）")
    elif errors and all_or_nothing:
        print(f"有 {errors} 项错误，按 --all-or-nothing 全部未导入")
    else:
        written = commit_import(db, imp, source)
        print(
            f"已导入 {written} 项监测数据"
            + (f"，设置点位属性 {len(imp.classes)} 个" if imp.classes else "")
            + (f"，{errors} 项错误未导入" if errors else "")
        )
    return 1 if errors else 0
