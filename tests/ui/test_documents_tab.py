"""The client's Documents tab: preview, print, save as PDF and copy text, all logged."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes, models
from sosku_desktop.preferences import Preferences
from sosku_desktop.store.database import Store
from sosku_desktop.store.demo import build_demo
from sosku_desktop.store.records import load_client_record, load_rules
from sosku_desktop.ui.client.tabs.base import ClientViewData
from sosku_desktop.ui.client.tabs.documents import DocumentsTab
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.tasks import Tasks

NOW = datetime(2026, 11, 24, 12, 0)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Store]:
    store = build_demo(tmp_path / "d", today=NOW.date())
    yield store
    store.close()


def _tab(qtbot: QtBot, store: Store, lang: str = "fi") -> tuple[DocumentsTab, models.Client]:
    ctx = AppContext(
        store=store,
        prefs=Preferences(store.data_dir),
        lang=lang,
        tasks=Tasks(synchronous=True),
        clock=lambda: NOW,
    )
    with store.read() as r:
        client = next(c for c in r.clients() if c.last_name == "Korhonen")
        record = load_client_record(r, client.id)
        rules = load_rules(r)
    tab = DocumentsTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1100, 700)
    tab.show()
    tab.show_data(ClientViewData(record=record, period=record.current_period, rules=rules, now=NOW))
    return tab, client


def _logged(store: Store, client_id: str) -> list[tuple[str, str]]:
    with store.read() as r:
        return [
            (e.action, e.record_id)
            for e in r.audit_of_client(client_id)
            if e.record_table == "document"
        ]


def test_preview_shows_the_agreement_pages_without_logging(qtbot: QtBot, demo: Store) -> None:
    tab, client = _tab(qtbot, demo)
    tab.select("agreement")
    assert tab.pdf is not None and tab.pdf.startswith(b"%PDF")
    assert len(tab.pages) == 1 and not tab.pages[0].pixmap().isNull()
    assert tab.print_button.isEnabled()
    assert _logged(demo, client.id) == []


def test_save_print_and_copy_are_logged_and_real(qtbot: QtBot, demo: Store, tmp_path: Path) -> None:
    tab, client = _tab(qtbot, demo, lang="sv")
    tab.select("decision-rehabilitation", lang="sv")
    saved = tmp_path / "beslut.pdf"
    tab.save_to(saved)
    text = subprocess.run(
        ["pdftotext", str(saved), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Aino Korhonen" in text and "rehabilitering" in text

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    tab.print_to(printer)
    assert tab.status.text() == tab.ctx.tr("ui.documents.printed", n=1)
    assert printed.stat().st_size > 10_000

    tab.copy_text()
    copied = QGuiApplication.clipboard().text()
    assert "Aino Korhonen" in copied and "%PDF" not in copied
    assert _logged(demo, client.id) == [
        (codes.AUDIT_PRINT, "decision-rehabilitation"),
        (codes.AUDIT_PRINT, "decision-rehabilitation"),
        (codes.AUDIT_EXPORT, "decision-rehabilitation"),
    ]


def test_activity_money_decision_uses_the_chosen_month(qtbot: QtBot, demo: Store) -> None:
    tab, _ = _tab(qtbot, demo)
    tab.select("decision-activity-money")
    assert tab.month.isVisible() and tab.month.count() >= 2
    assert tab.chosen_month == (2026, 10)
    tab.copy_text()
    text = QGuiApplication.clipboard().text()
    assert "10.2026" in text and " € = " in text


def test_a_document_without_its_data_says_so_in_plain_words(qtbot: QtBot, tmp_path: Path) -> None:
    store = Store.create(tmp_path / "empty", "passphrase-x")
    with store.write() as w:
        client = w.add(models.Client(id="c1", first_name="Uusi", last_name="Asiakas"))
        w.add(
            models.Period(
                id="p1",
                client_id=client.id,
                worker_id=None,
                start=date(2026, 11, 1),
                planned_end=date(2027, 10, 31),
            )
        )
    try:
        ctx = AppContext(
            store=store,
            prefs=Preferences(store.data_dir),
            tasks=Tasks(synchronous=True),
            clock=lambda: NOW,
        )
        with store.read() as r:
            record = load_client_record(r, client.id)
            rules = load_rules(r)
        tab = DocumentsTab(ctx)
        qtbot.addWidget(tab)
        tab.show_data(ClientViewData(record, record.current_period, rules, NOW))
        tab.select("decision-rehabilitation")
        assert tab.pdf is None and not tab.print_button.isEnabled()
        assert "puuttuvat" in tab.status.text()
    finally:
        store.close()


def _pdf_text(pdf: bytes) -> str:
    """The PDF's text, under the app's PDFium lock: a preview may be rendering."""
    import pypdfium2 as pdfium

    from sosku_desktop.ui.widgets.pdf_pages import PDFIUM_LOCK

    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(pdf)
        try:
            pages = range(len(document))
            return "\n".join(document[i].get_textpage().get_text_range() for i in pages)
        finally:
            document.close()


def _words(text: str) -> set[str]:
    return {w for w in text.replace("\r", " ").split() if len(w) > 3}


def test_documents_tab_follows_the_client_and_the_language(qtbot: QtBot, tmp_path: Path) -> None:
    """Issue 12: client B's tab previewed client A's agreement, and fi under "sv"."""
    from sosku_desktop.ui.shell.main_window import MainWindow
    from tests.ui import shell_support as s

    store = s.demo_store(tmp_path)
    ctx = s.context(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    try:
        with store.read() as r:
            clients = [c for c in r.clients() if r.current_period(c.id) is not None]
        a, b = clients[0], clients[1]
        view = window.client_view
        window.open_client(a.id)
        view.tabs.setCurrentWidget(view.documents)
        tab = view.documents
        tab.select("agreement", lang="fi")
        assert tab.pdf is not None and a.last_name in _pdf_text(tab.pdf)
        # B is opened while the documents tab is hidden (the view starts on Overview)
        window.open_client(b.id)
        view.tabs.setCurrentWidget(tab)
        for lang in ("fi", "sv", "en"):
            tab.language.setCurrentIndex(tab.language.findData(lang))
            assert tab.pdf is not None
            shown = _pdf_text(tab.pdf)
            assert b.last_name in shown and a.last_name not in shown
            tab.copy_text()
            copied = QGuiApplication.clipboard().text()
            assert b.last_name in copied
            # the preview and the copied text are the same document in the same language
            overlap = _words(shown) & _words(copied)
            assert len(overlap) >= 0.6 * len(_words(copied)), lang
            assert tab.data is not None and tab.data.period is not None
            assert tab.shown_key == (b.id, tab.data.period.id, "agreement", lang, None)
        titles = {lang: _pdf_text(_agreement(tab, lang)).split("\n", 1)[0] for lang in ("fi", "sv")}
        assert titles["fi"] != titles["sv"]
    finally:
        window.close()
        store.close()


def _agreement(tab: DocumentsTab, lang: str) -> bytes:
    tab.select("agreement", lang=lang)
    assert tab.pdf is not None
    return tab.pdf


def test_a_late_preview_of_an_earlier_choice_is_not_shown(qtbot: QtBot, demo: Store) -> None:
    """Background previews may finish out of order; only the current choice is shown."""
    tab, client = _tab(qtbot, demo)
    tab.ctx.tasks.synchronous = False
    try:
        tab.select("agreement", lang="fi")
        tab.select("agreement", lang="sv")
        tab.ctx.tasks.wait()
        assert tab.data is not None and tab.data.period is not None
        assert tab.shown_key == (client.id, tab.data.period.id, "agreement", "sv", None)
        assert tab.pdf is not None and "Aino Korhonen" in _pdf_text(tab.pdf)
    finally:
        tab.ctx.tasks.synchronous = True
