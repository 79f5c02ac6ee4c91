"""Reading a PDF back as a person would copy it: poppler's pdftotext (apt: poppler-utils)."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest


def pdf_text(path: Path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext not installed (apt-get install poppler-utils)")
    run = subprocess.run([exe, "-layout", str(path), "-"], capture_output=True, check=True)
    # WORKAROUND: Qt's PDF writer maps some glyphs back to Kangxi radicals (⽣ for 生) because
    # the bundled font's cmap points both code points at one glyph; NFKC folds them back.
    text = run.stdout.decode("utf-8")
    return "".join(
        unicodedata.normalize("NFKC", c) if 0x2E80 <= ord(c) <= 0x2FDF else c for c in text
    )


def pdf_pages(path: Path) -> int:
    exe = shutil.which("pdfinfo")
    if exe is None:
        pytest.skip("pdfinfo not installed (apt-get install poppler-utils)")
    run = subprocess.run([exe, str(path)], capture_output=True, check=True, text=True)
    line = next(x for x in run.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])
