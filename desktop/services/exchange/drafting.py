"""A template drafted from a bureau's form without the GUI: what EcoDesk recognised, completed by
the rows a person names ("行文字=指标代码", or "行文字=-" for a row with no catalog figure).

The draft says which data rows are still unmapped, with suggestions; the caller saves it only
when none are left, or when told a partial template is wanted. A template keeps neither the
unit nor the period of the copy it was drafted from (unless told): next month's copy, or
another branch's, is placed by what it says itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from db.connection import Database
from db.indicators import all_indicators
from desktop.services.common.workbook import WorkbookError, WorkbookGrid, cell_address
from desktop.services.exchange.detect import Unmatched
from desktop.services.exchange.importing import detect_all
from desktop.services.exchange.layout import Key, SheetLayout
from desktop.services.exchange.vocabulary import label_key

#: What a mapping writes for "this row has no catalog figure; do not import it".
IGNORE = ("-", "—", "不导入", "忽略")


class MappingError(WorkbookError):
    """A --map entry that names no row of the form or no indicator."""


@dataclass
class Draft:
    layouts: list[SheetLayout]
    automatic: int = 0
    by_hand: list[tuple[str, str]] = field(default_factory=list)  # (label, code) confirmed
    ignored: list[str] = field(default_factory=list)
    unmapped: list[tuple[str, Unmatched]] = field(default_factory=list)

    def unmapped_lines(self) -> list[str]:
        return [
            f"未对应：{sheet}!{cell_address(u.row, u.col)}“{u.label}”（{u.hint()}）"
            for sheet, u in self.unmapped
        ]

    def summary(self) -> str:
        return (
            f"{len(self.layouts)} 张工作表：自动识别 {self.automatic} 行，"
            f"按对应关系补全 {len(self.by_hand)} 行，标为不导入 {len(self.ignored)} 行，"
            f"未对应 {len(self.unmapped)} 行"
        )


def parse_mapping(lines: list[str]) -> dict[str, str]:
    """ "行文字=指标代码" entries (a mapping file's lines; blank and # lines skipped) by the
    label's key, so "１．重污染天数（天）" and "重污染天数" are the same row."""
    found: dict[str, str] = {}
    for line in lines:
        line = line.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        label, sep, code = line.rpartition("=")
        if not sep:
            label, sep, code = line.rpartition(",")
        if not sep or not label.strip() or not code.strip():
            raise MappingError(f"对应关系“{line}”应写成“行文字=指标代码”（不导入的行写“行文字=-”）")
        found[label_key(label)] = code.strip()
    return found


def draft(
    db: Database,
    grid: WorkbookGrid,
    mapping: dict[str, str],
    *,
    unit_code: str | None = None,
    period_code: str | None = None,
) -> Draft:
    """The form's layouts with ``mapping`` applied; refused if an entry names nothing."""
    codes = {i.code for i in all_indicators(db)}
    found = detect_all(db, grid)
    if not found.layouts:
        raise MappingError(
            f"无法识别“{grid.path.name}”的结构：找不到“指标/指标名称/项目”表头",
            hint="请在图形界面“数据交换 → 对应表样”中手工对应后保存",
        )
    for key, code in mapping.items():
        if code not in codes and code not in IGNORE:
            raise MappingError(
                f"“{code}”不是指标代码（对应关系中的“{key}”）",
                hint="指标代码可用 ecodesk-cli indicators 查看",
            )
    result = Draft([])
    used: set[str] = set()
    by_sheet = {layout.sheet: layout for layout in found.layouts}
    for layout in found.layouts:
        sheet = grid.sheet(layout.sheet)
        rows = dict(layout.rows)
        for row in list(rows):  # a mapping may also correct a row EcoDesk matched itself
            for col in range(sheet.width):
                key = label_key(sheet.text(row, col))
                if key in mapping:
                    used.add(key)
                    _apply(result, rows, layout, row, sheet.text(row, col), mapping[key])
                    break
            else:
                result.automatic += 1
        by_sheet[layout.sheet] = replace(layout, rows=rows)
    for sheet_name, unmatched in found.unmatched:
        key = label_key(unmatched.label)
        layout = by_sheet[sheet_name]
        if key in mapping:
            used.add(key)
            _apply(result, layout.rows, layout, unmatched.row, unmatched.label, mapping[key])
        else:
            result.unmapped.append((sheet_name, unmatched))
    unused = [k for k in mapping if k not in used]
    if unused:
        raise MappingError(
            f"对应关系中的“{'”“'.join(unused)}”在“{grid.path.name}”中找不到对应的行",
            hint="行文字按表中写法（空格、括号、单位可省略）",
        )
    for layout in by_sheet.values():
        layout = layout.with_default(unit=unit_code, period=period_code)
        if period_code is None:  # the copy's own title or header says it each time
            layout.columns = {c: replace(k, period=None) for c, k in layout.columns.items()}
        result.layouts.append(layout)
    return result


def _apply(
    result: Draft, rows: dict[int, Key], layout: SheetLayout, row: int, label: str, code: str
) -> None:
    if code in IGNORE:
        rows.pop(row, None)
        layout.ignored.add(row)
        result.ignored.append(label)
    else:
        rows[row] = Key(indicator=code)
        result.by_hand.append((label, code))
