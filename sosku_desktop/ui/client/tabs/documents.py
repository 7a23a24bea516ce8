"""Documents tab: pick a document, preview it, print it, save it, copy its text.

The document is built from the same loader as ``sosku document`` so the UI
and scripts print the same thing. Previews are built in the background and
are not logged (the record's view already is); printing, saving and copying
hand client data onwards, so each is written to the access log.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop import i18n
from sosku_desktop.documents import FORMATS, DocumentError, document_title
from sosku_desktop.documents import suggested_filename as documents_filename
from sosku_desktop.domain.periods import months_of, period_end
from sosku_desktop.operations.documents import build_and_log, context_for, export_document
from sosku_desktop.ui.client.tabs.base import ClientTab
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.theme import Role, tint
from sosku_desktop.ui.widgets.common import button, label
from sosku_desktop.ui.widgets.keys import leave_on_tab
from sosku_desktop.ui.widgets.lifetime import run_modal

CLIENT_KINDS = (
    "agreement",
    "decision-rehabilitation",
    "decision-activity-money",
    "decision-transport",
    "summary",
    "feedback",
    "access-export",
)
PREVIEW_DPI = 80


class DocumentsTab(ClientTab):
    """The client's documents with preview, print, save as PDF and copy text."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("documentsTab")
        tr = ctx.tr
        self.pdf: bytes | None = None
        self._filename = ""  # of the shown document (``suggested_filename``)
        #: What the shown ``pdf`` was built from: (client id, kind, language, month).
        self.shown_key: tuple[object, ...] | None = None
        self._wanted_key: tuple[object, ...] | None = None
        self._stale = True
        self.pages: list[QLabel] = []

        body = QHBoxLayout()
        body.setSpacing(16)
        side = QVBoxLayout()
        side.addWidget(label(tr("ui.documents.choose"), "sectionTitle"))
        self.kinds = leave_on_tab(QListWidget())
        self.kinds.setObjectName("documentKinds")
        self.kinds.setAccessibleName(ctx.tr("ui.documents.choose"))
        for kind in CLIENT_KINDS:
            item = QListWidgetItem(document_title(kind, ctx.lang))
            item.setData(Qt.ItemDataRole.UserRole, kind)
            self.kinds.addItem(item)
        # As wide as the longest title in this font (150 % text, Swedish titles), so
        # no title is cut behind a sideways scroll bar; the preview takes what is left.
        titles = self.kinds.sizeHintForColumn(0) + 2 * self.kinds.frameWidth()
        room = titles + self.kinds.verticalScrollBar().sizeHint().width() + 16
        self.kinds.setMinimumWidth(max(320, min(room, 560)))
        self.kinds.setMaximumWidth(max(380, min(room, 560)))
        self.kinds.currentRowChanged.connect(lambda _row: self.preview())
        side.addWidget(self.kinds, 1)

        side.addWidget(label(tr("ui.documents.language"), "fieldLabel"))
        self.language = QComboBox()
        self.language.setObjectName("documentLanguage")
        for code in i18n.LANGUAGES:
            self.language.addItem(ctx.code("language", code), code)
        self.language.currentIndexChanged.connect(lambda _i: self.preview())
        side.addWidget(self.language)
        self.month_label = label(tr("ui.documents.month"), "fieldLabel")
        side.addWidget(self.month_label)
        self.month = QComboBox()
        self.month.setObjectName("documentMonth")
        self.month.currentIndexChanged.connect(lambda _i: self.preview())
        side.addWidget(self.month)

        self.print_button = button(tr("ui.documents.print"), primary=True)
        self.print_button.setObjectName("printDocument")
        self.print_button.clicked.connect(self.print_document)
        self.save_button = button(tr("ui.documents.save_pdf"))
        self.save_button.setObjectName("saveDocument")
        self.save_button.clicked.connect(self.save_document)
        self.copy_button = button(tr("ui.documents.copy_text"))
        self.copy_button.setObjectName("copyDocumentText")
        self.copy_button.setToolTip(tr("ui.documents.copy_hint"))
        self.copy_button.clicked.connect(self.copy_text)
        for widget in (self.print_button, self.save_button, self.copy_button):
            side.addWidget(widget)
        self.status = label("", "muted", wrap=True)
        side.addWidget(self.status)
        body.addLayout(side)

        self.preview_area = QScrollArea()
        self.preview_area.setObjectName("documentPreview")
        self.preview_area.setWidgetResizable(True)
        self.preview_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.page_host = QWidget()
        self.page_layout = QVBoxLayout(self.page_host)
        self.page_layout.setSpacing(14)
        self.page_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.preview_area.setWidget(self.page_host)
        body.addWidget(self.preview_area, 1)
        self.layout_.addLayout(body, 1)

    # --- state -----------------------------------------------------------------------

    @property
    def kind(self) -> str:
        item = self.kinds.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else CLIENT_KINDS[0]

    @property
    def lang(self) -> str:
        return str(self.language.currentData() or self.ctx.lang)

    @property
    def chosen_month(self) -> tuple[int, int] | None:
        value = self.month.currentData()
        if not value:
            return None
        year, month = str(value).split("-")
        return int(year), int(month)

    def select(self, kind: str, lang: str | None = None) -> None:
        """Choose a document (and language) programmatically, e.g. from a reminder."""
        if lang is not None:
            self.language.blockSignals(True)
            self.language.setCurrentIndex(i18n.LANGUAGES.index(lang))
            self.language.blockSignals(False)
        self.kinds.blockSignals(True)
        self.kinds.setCurrentRow(CLIENT_KINDS.index(kind))
        self.kinds.blockSignals(False)
        # Always rebuild: the same kind in another language is another document.
        self.preview()

    def fill(self) -> None:
        """New client data: refill the months, keep the choice, rebuild the preview.

        The old client's pages are dropped at once, so another client's document
        is never on screen; a hidden tab rebuilds when it is shown.
        """
        previous = self.shown_key[0] if self.shown_key else None
        if self.data is None or previous != self.data.record.client.id:
            self._clear_pages()
            self.pdf = None
            self.shown_key = None
        self._fill_months()
        if self.data is not None and self.language.currentIndex() < 0:
            self.language.setCurrentIndex(0)
        self._stale = True
        if self.kinds.currentRow() < 0:
            self.kinds.blockSignals(True)
            self.kinds.setCurrentRow(0)
            self.kinds.blockSignals(False)
        if self.isVisible():
            self.preview()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if self._stale or self.shown_key != self.current_key():
            self.preview()

    def current_key(self) -> tuple[object, ...] | None:
        """What the preview must show now: client, period, document, language and month."""
        if self.data is None:
            return None
        return (
            self.data.record.client.id,
            self._period_id(),
            self.kind,
            self.lang,
            self._month_for_kind(),
        )

    def _period_id(self) -> str | None:
        """The period chosen in the client's view: its documents, not the current one's."""
        return self.data.period.id if self.data is not None and self.data.period else None

    def _fill_months(self) -> None:
        self.month.blockSignals(True)
        self.month.clear()
        period = self.data.period if self.data else None
        if self.data is not None and period is not None:
            today = self.data.today
            last = min(today, period_end(period, self.data.rules))
            months = months_of(period.start, last) if last >= period.start else []
            for year, month in reversed(months):
                label_text = i18n.format_month(year, month, self.ctx.lang)
                self.month.addItem(label_text, f"{year}-{month:02d}")
            previous = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
            # Activity money is paid afterwards: last month is the usual choice.
            index = self.month.findData(f"{previous[0]}-{previous[1]:02d}")
            self.month.setCurrentIndex(index if index >= 0 else 0)
        self.month.blockSignals(False)

    # --- building ----------------------------------------------------------------------

    def _month_for_kind(self) -> tuple[int, int] | None:
        return self.chosen_month if self.kind == "decision-activity-money" else None

    def preview(self) -> None:
        """Build the PDF off the main thread and show its pages."""
        if self.data is None:
            return
        self._stale = False
        key = self.current_key()
        self._wanted_key = key
        uses_month = self.kind == "decision-activity-money"
        self.month.setVisible(uses_month)
        self.month_label.setVisible(uses_month)
        self.copy_button.setEnabled("txt" in FORMATS[self.kind])
        kind, lang, month = self.kind, self.lang, self._month_for_kind()
        client_id, period_id = self.data.record.client.id, self._period_id()
        today = self.data.today
        store = self.ctx.store

        def work() -> tuple[bytes, list[QImage], str]:
            # Imported here, on the background thread: the builders bring reportlab and
            # PDFium, which the client's view does not need to open.
            from sosku_desktop.documents import build_document
            from sosku_desktop.ui.widgets.pdf_pages import render_pages

            with store.read() as r:
                ctx = context_for(
                    r, kind, lang, client_id, month, store.worker_id, today, period_id=period_id
                )
            pdf = build_document(kind, ctx, "pdf")
            return pdf, render_pages(pdf, PREVIEW_DPI), documents_filename(kind, ctx, "pdf")

        self.status.setText(self.ctx.tr("ui.documents.building"))
        for widget in (self.print_button, self.save_button):
            widget.setEnabled(False)
        self.ctx.tasks.run(
            work,
            lambda result: self._show(key, result),
            on_error=lambda exc: self._failed(key, exc),
            owner=self,
        )

    def _clear_pages(self) -> None:
        for page in self.pages:
            self.page_layout.removeWidget(page)
            page.hide()
            page.deleteLater()
        self.pages = []

    def _show(
        self, key: tuple[object, ...] | None, result: tuple[bytes, list[QImage], str]
    ) -> None:
        if key != self._wanted_key:
            return  # an earlier choice finished late: its pages are not shown
        self.pdf, images, self._filename = result
        self.shown_key = key
        self._clear_pages()
        for image in images:
            page = QLabel()
            page.setObjectName("documentPage")
            page.setPixmap(QPixmap.fromImage(image))
            tint(page, None, Role.PAPER, "border: 1px solid $PAPER_BORDER;")
            self.page_layout.addWidget(page)
            self.pages.append(page)
        bar = self.preview_area.verticalScrollBar()
        QTimer.singleShot(0, bar, lambda: bar.setValue(0))  # not after the tab is deleted
        self.status.setText(self.ctx.tr("ui.documents.pages", n=len(images)))
        for widget in (self.print_button, self.save_button):
            widget.setEnabled(True)

    def _failed(self, key: tuple[object, ...] | None, exc: BaseException) -> None:
        if key != self._wanted_key:
            return
        self.pdf = None
        self.shown_key = key
        self._clear_pages()
        for widget in (self.print_button, self.save_button, self.copy_button):
            widget.setEnabled(False)
        if isinstance(exc, DocumentError):
            self.status.setText(
                self.ctx.tr("ui.documents.missing", title=document_title(self.kind, self.lang))
            )
            return
        raise exc

    def _logged(self, fmt: str, then: Callable[[bytes], None]) -> None:
        """Build again with the access-log row (what is handed on is what is logged)."""
        assert self.data is not None
        args = (self.kind, fmt, self.lang, self.data.record.client.id, self._month_for_kind())
        today, store, period_id = self.data.today, self.ctx.store, self._period_id()
        self.ctx.run_operation(
            lambda: build_and_log(store, *args, today, period_id=period_id),
            lambda built: then(built.data),
            owner=self,
        )

    # --- actions -------------------------------------------------------------------------

    def suggested_filename(self) -> str:
        """The shown document's file name, made with its preview in the background
        (Save is enabled only once the preview is shown)."""
        return self._filename

    def save_to(self, path: Path) -> None:
        """Write the PDF (in the background); the log row commits only with the file."""
        assert self.data is not None
        args = (self.kind, self.lang, self.data.record.client.id, self._month_for_kind())
        today, store, period_id = self.data.today, self.ctx.store, self._period_id()
        self.ctx.run_operation(
            lambda: export_document(store, path, *args, today, period_id=period_id),
            lambda _built: self.status.setText(self.ctx.tr("ui.documents.saved", path=path.name)),
            owner=self,
            on_error=self._save_failed,
        )

    def _save_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, OSError):
            self.ctx.report_error(exc)
            return
        QMessageBox.warning(
            self, self.ctx.tr("ui.documents.save_pdf"), self.ctx.tr("ui.documents.save_failed")
        )

    def save_document(self) -> None:
        if self.pdf is None:  # no preview yet: nothing to save
            return
        start = str(Path.home() / self.suggested_filename())
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.ctx.tr("ui.documents.save_pdf"), start, "PDF (*.pdf)"
        )
        if chosen:
            self.save_to(Path(chosen))

    def print_to(self, printer: QPrinter) -> None:
        """Build and log in the background, then print on the main thread (Qt's printer)."""

        def send(data: bytes) -> None:
            from sosku_desktop.ui.widgets.pdf_pages import print_pdf  # the preview's import

            try:
                pages = print_pdf(data, printer)
            except OSError:
                tr = self.ctx.tr
                QMessageBox.warning(self, tr("ui.documents.print"), tr("ui.documents.print_failed"))
                return
            self.status.setText(self.ctx.tr("ui.documents.printed", n=pages))

        self._logged("pdf", send)

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if run_modal(dialog) == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)

    def copy_text(self) -> None:
        """Paste-ready text for the city's client-record system, on the clipboard."""

        def copy(data: bytes) -> None:
            QGuiApplication.clipboard().setText(data.decode("utf-8"))
            self.status.setText(self.ctx.tr("ui.documents.copied"))

        self._logged("txt", copy)
