"""File preview in the detail pane: PDF pages (QtPdf), images, and the extracted text of office
files (DOCX/PPTX/XLSX...), opened at the page of the search hit when it is known.

QtPdf ships in the PySide6-Pdf wheel (Qt >= 6.12 split it out of PySide6-Essentials); without it
PDFs fall back to their extracted text, with a sentence saying so.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImageReader, QPixmap, QTextCursor
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from library.values import AssetInfo
from ui import theme

log = logging.getLogger(__name__)

try:  # optional module: see the module docstring
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

    HAVE_QTPDF = True
except ImportError:  # pragma: no cover - depends on the installed wheels
    HAVE_QTPDF = False

PAGE_BREAK = "\f"


def preview_kind(asset: AssetInfo) -> str:
    """pdf | image | text | none: how a file is previewed."""
    mt = asset.media_type or ""
    if mt == "application/pdf" and HAVE_QTPDF and asset.extraction_status != "encrypted":
        return "pdf"
    if mt.startswith("image/") and mt != "image/svg+xml":
        return "image"
    if asset.extraction_status in ("encrypted", "unsupported", "failed") and asset.text_chars == 0:
        return "none"
    return "text"


class PreviewPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stack = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel(self)
        self.caption.setObjectName("previewCaption")
        self.caption.setContentsMargins(12, 6, 12, 6)
        self.caption.setWordWrap(True)
        pal = self.caption.palette()
        pal.setColor(self.caption.foregroundRole(), theme.muted_text(pal))
        self.caption.setPalette(pal)
        layout.addWidget(self.caption)
        layout.addWidget(self.stack, 1)

        self.message = QLabel(self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setMargin(24)
        self.stack.addWidget(self.message)

        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setObjectName("previewText")
        self.text.setAccessibleName("Extracted text")
        self.stack.addWidget(self.text)

        self.image = QLabel(self)
        self.image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea(self)
        scroll.setWidget(self.image)
        scroll.setWidgetResizable(True)
        self.image_scroll = scroll
        self.stack.addWidget(scroll)

        self.pdf_view: Any = None
        self.pdf_doc: Any = None
        if HAVE_QTPDF:
            self.pdf_doc = QPdfDocument(self)
            self.pdf_view = QPdfView(self)
            self.pdf_view.setObjectName("pdfView")
            self.pdf_view.setDocument(self.pdf_doc)
            self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.pdf_view.setAccessibleName("PDF preview")
            self.stack.addWidget(self.pdf_view)
        self._pixmap: QPixmap | None = None
        self.show_message("Select a result to preview it.")

    # -- public ----------------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.caption.hide()
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        if self.pdf_doc is not None:
            self.pdf_doc.close()

    def show_pdf(self, path: Path, asset: AssetInfo, page: int | None) -> bool:
        if self.pdf_doc is None:
            return False
        self.pdf_doc.close()
        err = self.pdf_doc.load(str(path))
        if err != QPdfDocument.Error.None_:
            log.info("QtPdf cannot open %s: %s", asset.name, err)
            return False
        self._caption(asset, page, self.pdf_doc.pageCount())
        self.stack.setCurrentWidget(self.pdf_view)
        if page and 1 <= page <= self.pdf_doc.pageCount():
            self.pdf_view.pageNavigator().jump(page - 1, QPointF(0, 0), 0)
        return True

    def show_image(self, path: Path, asset: AssetInfo) -> bool:
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)
        img = reader.read()
        if img.isNull():
            return False
        self._pixmap = QPixmap.fromImage(img)
        self._caption(asset, None, None)
        self._fit_image()
        self.stack.setCurrentWidget(self.image_scroll)
        return True

    def show_text(self, text: str, asset: AssetInfo, page: int | None) -> None:
        pages = text.split(PAGE_BREAK)
        unit = _unit(asset)
        if len(pages) > 1:
            body = "\n\n".join(
                f"── {unit} {n} ──\n{p.strip()}" for n, p in enumerate(pages, start=1)
            )
        else:
            body = text.strip()
        if not body:
            self.show_message(
                f"No text could be read from {asset.name}."
                + (f"\n{asset.extraction_reason}" if asset.extraction_reason else "")
            )
            return
        if asset.text_truncated:
            body += "\n\n[The text is cut here: the file is very long.]"
        self._caption(asset, page, len(pages) if len(pages) > 1 else None, extracted=True)
        self.text.setPlainText(body)
        self.stack.setCurrentWidget(self.text)
        cursor = self.text.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        if page and len(pages) > 1:
            found = self.text.document().find(f"── {unit} {page} ──")
            if not found.isNull():
                cursor = found
        self.text.setTextCursor(cursor)
        self.text.centerCursor() if page else self.text.ensureCursorVisible()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.stack.currentWidget() is self.image_scroll:
            self._fit_image()

    # -- internals --------------------------------------------------------------------------------
    def _fit_image(self) -> None:
        if self._pixmap is None:
            return
        w = max(50, self.image_scroll.viewport().width() - 8)
        pm = self._pixmap
        if pm.width() > w:
            pm = pm.scaledToWidth(w, Qt.TransformationMode.SmoothTransformation)
        self.image.setPixmap(pm)

    def _caption(
        self, asset: AssetInfo, page: int | None, pages: int | None, *, extracted: bool = False
    ) -> None:
        parts = [asset.name]
        if pages:
            parts.append(
                f"{pages} {_unit(asset).lower()}s" if pages != 1 else f"1 {_unit(asset).lower()}"
            )
        if page:
            parts.append(f"opened at the matching {_unit(asset).lower()} ({page})")
        if extracted:
            parts.append("extracted text")
        self.caption.setText("  ·  ".join(parts))
        self.caption.show()


def _unit(asset: AssetInfo) -> str:
    mt = asset.media_type or ""
    if "presentation" in mt or mt.endswith("powerpoint"):
        return "Slide"
    if "spreadsheet" in mt or "excel" in mt or mt == "text/csv":
        return "Sheet"
    return "Page"
