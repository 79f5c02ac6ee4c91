"""What every printout shares: painting all pages with one painter, sized fonts, the footer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QPainter
from PySide6.QtPrintSupport import QPrinter

from desktop.services.common.wording import date_text, source_line


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


def draw_footer(
    painter: QPainter, page: QRectF, height: float, font: QFont, day: date, number: int, pages: int
) -> None:
    """The footer of every printed page: source and print date left, 第 n 页 / 共 m 页 right."""
    painter.setFont(font)
    box = QRectF(0, page.height() - height, page.width(), height)
    bottom = Qt.AlignmentFlag.AlignBottom
    painter.drawText(
        box, Qt.AlignmentFlag.AlignLeft | bottom, f"{source_line(day)}　打印日期：{date_text(day)}"
    )
    painter.drawText(box, Qt.AlignmentFlag.AlignRight | bottom, f"第 {number} 页 / 共 {pages} 页")
