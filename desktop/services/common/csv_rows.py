"""CSV files as monitoring centres export them: UTF-8 (with or without BOM) or GBK, comma, tab
or semicolon separated. Read into the same rows of cells as a workbook sheet, so one reader
serves both; empty cells are None as in ``read_workbook``."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from desktop.services.common.workbook import CellValue, WorkbookError

#: Tried in order: Excel's "CSV UTF-8" writes a BOM; Chinese Windows' plain "CSV" is GBK.
CSV_ENCODINGS = ("utf-8-sig", "gbk")


def read_csv_rows(path: Path) -> list[list[CellValue]]:
    """The file's rows; raises ``WorkbookError`` (in Chinese, naming the file) if unreadable."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WorkbookError(f"无法读取“{path.name}”：{exc}") from exc
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise WorkbookError(f"“{path.name}”既不是 UTF-8 也不是 GBK 编码的文本，请另存为 CSV UTF-8")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",\t;")
    except csv.Error:
        dialect = csv.excel
    return [[cell or None for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
