"""PDF pages as QImages (PDFium through pypdfium2) for preview and printing.

QtPdf is only in the large PySide6-Addons wheel for our Qt version
(stack-notes.md); PDFium renders the same pages from the bytes we already
hold, so a document is never written to disk just to be shown.
"""

from __future__ import annotations

import threading

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

#: PDFium is not thread-safe (pypdfium2's documentation): previews render in
#: background tasks and may overlap, so every use of PDFium holds this lock.
PDFIUM_LOCK = threading.RLock()


def render_pages(pdf: bytes, dpi: float = 96.0) -> list[QImage]:
    """Every page at ``dpi``, as independent QImages (the PDFium buffers are freed)."""
    with PDFIUM_LOCK:
        return _render(pdf, dpi)


def _render(pdf: bytes, dpi: float) -> list[QImage]:
    document = pdfium.PdfDocument(pdf)
    try:
        images = []
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(
                scale=dpi / 72.0,
                rev_byteorder=True,
                force_bitmap_format=pdfium_raw.FPDFBitmap_BGRA,
            )
            image = QImage(
                bitmap.buffer,
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGBA8888,
            ).copy()
            bitmap.close()
            page.close()
            images.append(image)
        return images
    finally:
        document.close()


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Send every page to ``printer`` at its resolution; returns the page count."""
    dpi = min(max(printer.resolution(), 150), 600)
    pages = render_pages(pdf, dpi)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be opened")
    try:
        for number, image in enumerate(pages):
            if number:
                printer.newPage()
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(area.x(), area.y(), size.width(), size.height())
            painter.drawImage(target, image)
    finally:
        painter.end()
    return len(pages)
