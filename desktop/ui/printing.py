"""What every printout shares: painting all pages with one painter, and sized fonts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QFont, QPainter
from PySide6.QtPrintSupport import QPrinter


def sized_font(base: QFont, points: float, bold: bool = False) -> QFont:
    """``base`` (the bundled family) at ``points``, bold if asked."""
    font = QFont(base)
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def paint_pages(printer: QPrinter, draw: Callable[[QPainter], int]) -> int:
    """Run ``draw`` with a painter on ``printer``; the painter is ended even if drawing fails,
    or Qt leaves the print job (and a PDF file) half open. Returns the page count."""
    painter = QPainter(printer)
    try:
        return draw(painter)
    finally:
        painter.end()
