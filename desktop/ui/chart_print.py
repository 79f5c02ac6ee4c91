"""Printing a chart on A4 through Qt: header, the chart, the table of its figures, footer.

The chart is drawn by the same ``desktop.services.charts.drawing`` function as on screen, rendered
at the printer's resolution (capped at 300 dpi) and placed as an image; the title, unit, period, the
figures and the footer are written by QPainter as text, so a PDF printed from here is searchable and
a reader can check every bar against its number. A table longer than the page continues on the next,
with the header repeated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from desktop.services.charts.drawing.data import ChartData
from desktop.services.charts.drawing.render import draw_chart, new_figure
from desktop.ui.printing import draw_footer, paint_pages, sized_font

MAX_DPI = 300


@dataclass(frozen=True)
class PrintJob:
    data: ChartData
    unit_name: str
    period_label: str
    day: date


def setup_printer(printer: QPrinter, landscape: bool) -> None:
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )


def chart_image(data: ChartData, width_px: int, height_px: int, dpi: float) -> QImage:
    """The chart drawn by matplotlib's Agg at ``dpi``, as a QImage (copied: owns its pixels)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = new_figure((width_px / dpi, height_px / dpi), dpi=dpi)
    canvas = FigureCanvasAgg(fig)
    draw_chart(fig, data, titles=False)
    canvas.draw()  # type: ignore[no-untyped-call]
    buffer = canvas.buffer_rgba()  # type: ignore[no-untyped-call]
    height, width = buffer.shape[0], buffer.shape[1]
    image = QImage(bytes(buffer), width, height, width * 4, QImage.Format.Format_RGBA8888)
    return image.copy()


def paint(printer: QPrinter, job: PrintJob) -> int:
    """Paint the whole printout; return the number of pages."""
    return paint_pages(printer, lambda painter: _paint(printer, painter, job))


def _paint(printer: QPrinter, painter: QPainter, job: PrintJob) -> int:
    rect = printer.pageLayout().paintRectPixels(printer.resolution())
    page = QRectF(0, 0, rect.width(), rect.height())
    dpi = float(printer.resolution())
    mm = dpi / 25.4
    title_font = sized_font(painter.font(), 15, bold=True)
    text_font = sized_font(painter.font(), 10)
    small_font = sized_font(painter.font(), 8.5)
    table_font = sized_font(painter.font(), 9)
    header_font = sized_font(painter.font(), 9, bold=True)
    painter.setFont(text_font)
    row_h = QFontMetricsF(table_font, printer).height() * 1.6
    footer_h = 8 * mm

    # Page 1: header and chart; the table follows, continuing on further pages.
    header_h = 20 * mm
    landscape = page.width() > page.height()
    chart_h = page.height() * (0.62 if landscape else 0.5)
    table = job.data.table
    first_rows = max(0, int((page.height() - header_h - chart_h - footer_h - 4 * mm) / row_h) - 1)
    later_rows = max(1, int((page.height() - footer_h - 10 * mm) / row_h) - 1)
    remaining = max(0, len(table.rows) - first_rows)
    pages = 1 + (remaining + later_rows - 1) // later_rows

    def footer(number: int) -> None:
        draw_footer(painter, page, footer_h, small_font, job.day, number, pages)

    painter.setFont(title_font)
    painter.drawText(
        QRectF(0, 0, page.width(), 9 * mm),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        job.data.caption.title,
    )
    painter.setFont(text_font)
    painter.drawText(
        QRectF(0, 9 * mm, page.width(), 6 * mm),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        f"单位：{job.unit_name}　期间：{job.period_label}",
    )
    painter.setFont(small_font)
    painter.drawText(
        QRectF(0, 15 * mm, page.width(), 5 * mm),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        job.data.caption.subtitle,
    )
    image_dpi = min(dpi, MAX_DPI)
    scale = image_dpi / dpi
    image = chart_image(job.data, int(page.width() * scale), int(chart_h * scale), image_dpi)
    painter.drawImage(QRectF(0, header_h, page.width(), chart_h), image)

    top = header_h + chart_h + 4 * mm
    rows = list(table.rows)
    chunk, rows = rows[:first_rows], rows[first_rows:]
    _table(
        painter, table.header, chunk, QRectF(0, top, page.width(), row_h), header_font, table_font
    )
    footer(1)
    number = 1
    while rows:
        printer.newPage()
        number += 1
        chunk, rows = rows[:later_rows], rows[later_rows:]
        _table(
            painter, table.header, chunk, QRectF(0, 0, page.width(), row_h), header_font, table_font
        )
        footer(number)
    return pages


def _table(
    painter: QPainter,
    header: tuple[str, ...],
    rows: list[tuple[str, ...]],
    first: QRectF,
    header_font: QFont,
    body_font: QFont,
) -> None:
    """A plain ruled table: widths by content, the header shaded lightly (prints in grey)."""
    if not rows:
        return
    metrics = QFontMetricsF(body_font, painter.device())
    widths = [
        max(metrics.horizontalAdvance(str(cell)) for cell in column) + metrics.height()
        for column in zip(header, *rows, strict=True)
    ]
    factor = first.width() / sum(widths)
    widths = [w * factor for w in widths]
    y = first.top()
    for index, row in enumerate([header, *rows]):
        x = first.left()
        painter.setFont(header_font if index == 0 else body_font)
        for cell, width in zip(row, widths, strict=True):
            box = QRectF(x, y, width, first.height())
            if index == 0:
                painter.fillRect(box, QColor("#e8edf3"))
            painter.drawRect(box)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(cell))
            x += width
        y += first.height()
