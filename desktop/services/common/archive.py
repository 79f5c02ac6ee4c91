"""A workbook's zip archive opened once and shared by every reader that looks into it.

Reading one .xlsx used to open its archive four times and inflate each sheet's XML four times:
the checksum check, the sheet-size guard, the hidden rows and columns, the percent cells (then
calamine inflates it once more, which we cannot share). ``SharedArchive`` is a ``ZipFile`` that
keeps what ``read`` inflated, and the parsed workbook parts, so the readers, unchanged, share
one inflation of each part. Reading a member whole checks its CRC-32 as before.

Only members up to ``KEEP_BYTES`` are kept: a bigger one (a huge sheet, a bomb under the
500 MB guard) is streamed by whoever needs it, as before, never held whole.
"""

from __future__ import annotations

import zipfile
from typing import IO, Any

#: The largest member kept once inflated (a 200,000-cell export's biggest sheet is ~1 MB).
KEEP_BYTES = 16 << 20


class SharedArchive(zipfile.ZipFile):
    """A ``ZipFile`` whose ``read`` inflates each small member once; ``parsed`` holds the XML
    parts already parsed (workbook.xml, its relationships, styles.xml), by member name."""

    def __init__(self, file: str | IO[bytes] | Any) -> None:
        super().__init__(file)
        self._kept: dict[str, bytes] = {}
        self.parsed: dict[str, Any] = {}

    def read(self, name: str | zipfile.ZipInfo, pwd: bytes | None = None) -> bytes:
        key = name.filename if isinstance(name, zipfile.ZipInfo) else name
        found = self._kept.get(key)
        if found is not None:
            return found
        data = super().read(name, pwd)
        if len(data) <= KEEP_BYTES:
            self._kept[key] = data
        return data

    def fits(self, member: str | zipfile.ZipInfo) -> bool:
        """Whether ``member`` is small enough to be read whole (and kept)."""
        info = member if isinstance(member, zipfile.ZipInfo) else self.getinfo(member)
        return info.file_size <= KEEP_BYTES


def parse_part(archive: zipfile.ZipFile, name: str) -> Any:
    """One XML member of a workbook archive, parsed without trusting it (defusedxml); parsed
    once per ``SharedArchive`` (the size guard and both readers ask for workbook.xml)."""
    from defusedxml import ElementTree

    shared = archive.parsed if isinstance(archive, SharedArchive) else None
    if shared is not None and name in shared:
        return shared[name]
    root = ElementTree.fromstring(archive.read(name))
    if shared is not None:
        shared[name] = root
    return root
