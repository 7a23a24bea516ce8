"""The demo store's PDFs read as a social instructor and a client would read them.

Found by rendering every kind the CLI makes: codes where words belong
(``sosku-generic``, ``housing: 8``, ``needs_mappings``, ``team_report``),
a total wrapped to "207,00 / €", times wrapped after "klo", and the
summary's target-line label lying on the last bar.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from sosku_desktop.documents.team_report_text import month_name
from sosku_desktop.domain.team_report import ReportFilter
from sosku_desktop.operations.documents import build_and_log
from sosku_desktop.operations.reports import export_team_report
from sosku_desktop.store.database import Store
from sosku_desktop.store.demo import build_demo
from sosku_desktop.store.team_reports import build_team_report
from tests.documents import pdftools

TODAY = date(2026, 11, 24)
CLIENTS_HEADING = {
    "fi": "Tapaamiset asiakkaittain",
    "sv": "Möten per klient",
    "en": "Meetings per client",
}


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[Store, str]]:
    store = build_demo(tmp_path / "demo", today=TODAY)
    with store.read() as r:
        aino = next(c.id for c in r.clients() if c.last_name == "Korhonen")
    try:
        yield store, aino
    finally:
        store.close()


def test_access_export_names_things_in_words(demo: tuple[Store, str], tmp_path: Path) -> None:
    store, aino = demo
    report = build_team_report(store, ReportFilter((2026, 1), (2026, 11), None), TODAY)
    export_team_report(store, report, "csv", "fi", tmp_path / "team.csv", True)
    pdf = build_and_log(store, "access-export", "pdf", "fi", aino, today=TODAY).data
    flat = pdftools.flat(pdf)
    for code in ("sosku-generic", "housing", "daily_rhythm", "needs_mappings", "planned_entries"):
        assert code not in flat, code
    assert "team_report" not in flat and "tiimiraportti" in flat
    assert "Sosku-hyvinvointiarvio" in flat and "Asuminen" in flat and "Päivärytmi" in flat
    assert "Jakson suunniteltu päivä" in flat  # the planned key dates, in words
    layout = pdftools.text(pdf)
    wrapped = [line for line in layout.splitlines() if re.search(r"\bklo\s*$", line)]
    assert wrapped == []  # "30.11.2026 klo 11.53" on one line in the access log


def test_activity_money_total_stays_on_one_line(demo: tuple[Store, str]) -> None:
    store, _ = demo
    pdf = build_and_log(store, "activity-money", "pdf", "fi", month=(2026, 10), today=TODAY).data
    lines = pdftools.text(pdf).splitlines()
    total = next(line for line in lines if line.strip().startswith("Yhteensä"))
    assert re.search(r"\d+,\d\d €\s*$", total), total


def test_summary_target_label_is_beside_the_bars(demo: tuple[Store, str]) -> None:
    store, aino = demo
    pdf = build_and_log(store, "summary", "pdf", "fi", aino, today=TODAY).data
    words, _, _ = pdftools.words(pdf)
    label = next(w for w in words if w.text == "vähintään")
    months = [w for w in words if re.fullmatch(r"\d{1,2}/2026", w.text) and w.page == label.page]
    assert months
    assert label.x_min > max(m.x_max for m in months)  # right of the last bar, not on it


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_team_report_pages_break_between_sections_not_after_a_row(
    demo: tuple[Store, str], tmp_path: Path, lang: str
) -> None:
    """June–November: the sixth month's row stood alone on page 2, and the per-client
    heading with one client sat at page 2's foot, the other clients on page 3."""
    store, _ = demo
    report = build_team_report(store, ReportFilter((2026, 6), (2026, 11), None), TODAY)
    out = tmp_path / f"team-{lang}.pdf"
    export_team_report(store, report, "pdf", lang, out)
    pdf = out.read_bytes()
    pages = [pdftools.text(pdf, page=p) for p in range(1, pdftools.pages(pdf) + 1)]
    last_month = next(m for m in report.meeting_months if not m.closed)
    first_month = report.meeting_months[0]
    labels = [month_name((m.year, m.month), lang) for m in (first_month, last_month)]
    # the meetings table is the first to list the months; the month still running is
    # marked "(kesken)" there: its first and last row on one page
    first_page = next(
        i
        for i, page in enumerate(pages)
        if any(
            line.strip().startswith(labels[0] + " ") and "–" not in line
            for line in page.splitlines()
        )
    )
    assert labels[1] + " (" in pages[first_page]
    names = sorted({row.client_name for row in report.client_months})
    heading = next(i for i, page in enumerate(pages) if CLIENTS_HEADING[lang] in page)
    on_page = [n for n in names if n in pages[heading]]
    assert len(on_page) >= min(3, len(names)), on_page
