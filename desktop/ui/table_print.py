"""Printing a checklist or a ledger: A4 landscape, wrapped cells, the header repeated per page.

Rows are measured first (wrapped text at the printer's resolution) and split into pages, so the
footer can say "第 2 页 / 共 5 页"; then every page is painted as text, so a PDF printed from
here is searchable. The status cell keeps its tint and its word: a grey printout still says it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from desktop.ui.printing import draw_footer, paint_pages, sized_font

WRAP = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class TableJob:
    """What to print: a title, lines under it, the table and its relative column widths.

    ``tints`` gives, per row, the background of the column ``tint_column`` (or "").
    """

    title: str
    lines: tuple[str, ...]
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]
    widths: tuple[float, ...]
    day: date
    tints: list[str] = field(default_factory=list)
    tint_column: int = -1
    bold_rows: frozenset[int] = frozenset()


def setup_printer(printer: QPrinter) -> None:
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    printer.setDocName("EcoDesk")


def preview(parent: QWidget, job: TableJob) -> None:
    """The print preview (Ctrl+P): the user prints or saves a PDF from there."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    setup_printer(printer)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"打印预览 — {job.title}")
    dialog.paintRequested.connect(lambda p: paint(p, job))
    dialog.exec()


def print_pdf(job: TableJob, path: str) -> int:
    """Print straight to a PDF file (tests, the command line); return the page count."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    setup_printer(printer)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(path)
    return paint(printer, job)


def paint(printer: QPrinter, job: TableJob) -> int:
    """Paint every page; return the number of pages."""
    return paint_pages(printer, lambda painter: _paint(printer, painter, job))


def _paint(printer: QPrinter, painter: QPainter, job: TableJob) -> int:
    rect = printer.pageLayout().paintRectPixels(printer.resolution())
    page = QRectF(0, 0, rect.width(), rect.height())
    mm = printer.resolution() / 25.4
    base = painter.font()
    title_font, text_font = sized_font(base, 15, True), sized_font(base, 9.5)
    body_font, header_font, small_font = (
        sized_font(base, 9),
        sized_font(base, 9, True),
        sized_font(base, 8),
    )
    body = QFontMetricsF(body_font, printer)
    pad = 1.2 * mm
    total = sum(job.widths)
    widths = [page.width() * w / total for w in job.widths]
    footer_h = 7 * mm
    top_first = (10 + 5.5 * len(job.lines) + 2) * mm

    def height(row: Sequence[str], metrics: QFontMetricsF) -> float:
        tallest = max(
            metrics.boundingRect(QRectF(0, 0, w - 2 * pad, 1e6), int(WRAP), text).height()
            for text, w in zip(row, widths, strict=True)
        )
        return tallest + 2 * pad

    header_h = height(job.header, QFontMetricsF(header_font, printer))
    pages: list[list[int]] = [[]]
    y = top_first + header_h
    for n, row in enumerate(job.rows):
        h = min(height(row, body), page.height() - footer_h - header_h - 12 * mm)
        if pages[-1] and y + h > page.height() - footer_h - 2 * mm:
            pages.append([])
            y = header_h + 2 * mm
        pages[-1].append(n)
        y += h

    def draw_row(
        row: Sequence[str], y: float, h: float, font: QFont, fill: Callable[[int], str]
    ) -> None:
        painter.setFont(font)
        x = 0.0
        for col, (text, w) in enumerate(zip(row, widths, strict=True)):
            box = QRectF(x, y, w, h)
            colour = fill(col)
            if colour:
                painter.fillRect(box, QColor(colour))
            painter.drawRect(box)
            painter.drawText(box.adjusted(pad, pad, -pad, -pad), int(WRAP), text)
            x += w

    for number, indices in enumerate(pages, start=1):
        if number > 1:
            printer.newPage()
        y = 0.0
        if number == 1:
            painter.setFont(title_font)
            painter.drawText(
                QRectF(0, 0, page.width(), 9 * mm), Qt.AlignmentFlag.AlignCenter, job.title
            )
            painter.setFont(text_font)
            for k, line in enumerate(job.lines):
                painter.drawText(
                    QRectF(0, (10 + 5.5 * k) * mm, page.width(), 5.5 * mm),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    line,
                )
            y = top_first
        draw_row(job.header, y, header_h, header_font, lambda _c: "#e8edf3")
        y += header_h
        for n in indices:
            row = job.rows[n]
            h = min(height(row, body), page.height() - footer_h - header_h - 12 * mm)
            tint = job.tints[n] if n < len(job.tints) else ""
            font = header_font if n in job.bold_rows else body_font
            draw_row(row, y, h, font, lambda c, t=tint: t if c == job.tint_column else "")  # type: ignore[misc]
            y += h
        draw_footer(painter, page, footer_h, small_font, job.day, number, len(pages))
    return len(pages)
