"""Team report CSV and PDF, the report charts and the client's comparison sheet."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from reportlab.graphics.charts.barcharts import BarChart

from sosku_desktop.documents.assessment_pdf import assessment_comparison_pdf, change_text
from sosku_desktop.documents.chart_scale import nice_top
from sosku_desktop.documents.context import Organisation
from sosku_desktop.documents.csv_cells import from_text
from sosku_desktop.documents.report_charts import bar_chart, radar_chart
from sosku_desktop.documents.team_report_csv import team_report_csv
from sosku_desktop.documents.team_report_pdf import team_report_pdf
from sosku_desktop.domain.instruments import parse_instrument
from sosku_desktop.domain.models import Assessment, Client
from sosku_desktop.domain.scoring import compare
from sosku_desktop.domain.team_report import ReportFilter, TeamReport, team_report
from sosku_desktop.i18n import RESOURCES
from tests.documents import pdftools
from tests.team_fixture import TODAY, W2, WINDOW, team_data

ORG = Organisation("Testikaupunki, aikuissosiaalityö", unit="Sosiaalinen kuntoutus")


def report(worker_id: str | None = None) -> TeamReport:
    return team_report(team_data(), ReportFilter(*WINDOW, worker_id), TODAY)


def csv_rows(data: bytes) -> list[list[str]]:
    """Cells as a spreadsheet shows them (label cells are written as ="…" formulas)."""
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")
    return [[from_text(cell) for cell in row] for row in rows]


def block(rows: list[list[str]], title: str) -> list[list[str]]:
    """The header and data rows under a block title, up to the next empty row."""
    start = rows.index([title]) + 1
    end = next((i for i in range(start, len(rows)) if rows[i] == []), len(rows))
    return rows[start:end]


# --- CSV ---------------------------------------------------------------------------


def test_csv_is_for_finnish_excel() -> None:
    data = team_report_csv(report(), "fi")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "\r\n" in text and text.count("\n") == text.count("\r\n")
    rows = csv_rows(data)
    assert rows[0] == ["Tiimiraportti"]
    assert rows[1] == ["Aikaväli", "tammikuu 2026 – maaliskuu 2026"]
    assert rows[2] == ["Työntekijä", "Kaikki työntekijät"]


def test_csv_carries_every_figure() -> None:
    rows = csv_rows(team_report_csv(report(), "fi"))
    phases = block(rows, "Asiakkaat palvelussa vaiheen mukaan")
    assert ["Aloitus", "1"] in phases and ["Jakso päättynyt", "1"] in phases
    assert phases[-1] == ["Yhteensä", "3"]
    meetings = block(rows, "Tapaamiset kuukausittain")
    assert meetings[1:] == [
        ["tammikuu 2026", "6", "3", "3", "100", "kyllä"],
        ["helmikuu 2026", "2", "3", "0", "0", "kyllä"],
        ["maaliskuu 2026", "4", "2", "2", "100", "kyllä"],
    ]
    kinds = dict(block(rows, "Tapaamiset asiointitavan mukaan")[1:])
    assert kinds["Kotikäynti"] == "4" and kinds["Kävelytapaaminen"] == "3"
    groups = block(rows, "Ryhmätoiminnan läsnäolo")
    assert groups[1:] == [
        ["Kävelyryhmä", "2", "3", "2", "1", "50"],
        ["Taideryhmä", "2", "4", "0", "0", "100"],
    ]
    money = block(rows, "Toimintaraha kuukausittain")
    assert money[1:] == [
        ["tammikuu 2026", "3", "9", "81,00"],
        ["helmikuu 2026", "3", "5", "45,00"],
        ["maaliskuu 2026", "2", "4", "36,00"],
        ["Yhteensä", "", "18", "162,00"],
    ]
    budget = block(rows, "Työntekijöiden toimintabudjetti")
    assert budget[1:] == [
        ["Mikko Työntekijä", "Sosiaalityöntekijä", "2026", "150,00", "160,00", "-10,00", "106,7"],
        ["Sanna Ohjaaja", "Sosiaaliohjaaja", "2026", "300,00", "42,40", "257,60", "14,1"],
    ]
    clients = block(rows, "Tapaamiset asiakkaittain")
    assert clients[0][:3] == ["Asiakas", "Työntekijä", "Kuukausi"]
    assert clients[1] == [
        "Aalto, Aino",
        "Sanna Ohjaaja",
        "tammikuu 2026",
        "3",
        "2",
        "kyllä",
        "4",
        "36,00",
    ]
    assert clients[5] == ["Berg, Bo", "Sanna Ohjaaja", "helmikuu 2026", "0", "2", "ei", "1", "9,00"]
    assert len(clients) == 1 + 8


def test_csv_without_clients_names_nobody() -> None:
    data = team_report_csv(report(), "fi", include_clients=False)
    text = data.decode("utf-8-sig")
    for name in ("Aalto", "Berg", "Cederlund"):
        assert name not in text
    assert "Tapaamiset asiakkaittain" not in text


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_csv_in_swedish_and_english(lang: str) -> None:
    rows = csv_rows(team_report_csv(report(W2), lang))
    expected = {
        "sv": ("Teamrapport", "Mikko Työntekijä"),
        "en": ("Team report", "Mikko Työntekijä"),
    }
    assert rows[0] == [expected[lang][0]]
    assert rows[2][1] == expected[lang][1]
    assert all("report." not in cell for row in rows for cell in row)


# --- PDF ---------------------------------------------------------------------------


def test_pdf_shows_the_figures_with_embedded_fonts() -> None:
    pdf = team_report_pdf(report(), ORG, "fi")
    text = pdftools.flat(pdf)
    for phrase in (
        "Tiimiraportti",
        "tammikuu 2026 – maaliskuu 2026",
        "Kaikki työntekijät",
        "Asiakkaita palvelussa",
        "162,00 €",
        "5/8 asiakaskuukautta",
        "Kävelyryhmä",
        "50 %",
        "Cederlund, Cia",
        "Mikko Työntekijä",
    ):
        assert phrase in text, phrase
    assert all(font.embedded for font in pdftools.fonts(pdf))
    assert "report." not in text


def test_pdf_without_clients_names_nobody() -> None:
    text = pdftools.flat(team_report_pdf(report(), ORG, "sv", include_clients=False))
    assert "Teamrapport" in text
    for name in ("Aalto", "Berg", "Cederlund"):
        assert name not in text


def test_pdf_marks_unmet_months_in_the_client_table() -> None:
    text = pdftools.text(team_report_pdf(report(), ORG, "fi"))
    between = text.split("Aalto, Aino", 1)[1].split("Berg, Bo", 1)[0]
    cells = [word for word in between.split() if "/" in word or word == "!"]
    assert cells == ["3/2", "1/2", "!", "2/2"]
    figures = pdftools.text(team_report_pdf(report(), ORG, "fi"), page=1)
    assert "62,5 %" in figures and " 12 " in figures


def test_a_long_window_splits_the_client_table_and_still_renders() -> None:
    long = team_report(team_data(), ReportFilter((2025, 1), (2026, 6)), TODAY)
    pdf = team_report_pdf(long, ORG, "en")
    assert pdftools.pages(pdf) >= 2
    assert "Team report" in pdftools.flat(pdf)


# --- charts ------------------------------------------------------------------------


def _bar(drawing: object) -> BarChart:
    return next(c for c in drawing.contents if isinstance(c, BarChart))  # type: ignore[attr-defined]


def test_bar_axes_start_at_zero_with_whole_steps_for_counts() -> None:
    chart = _bar(bar_chart(["a", "b"], [[7, 13]], 300))
    assert chart.valueAxis.valueMin == 0
    assert chart.valueAxis.valueStep == int(chart.valueAxis.valueStep)
    assert chart.valueAxis.valueMax >= 13
    horizontal = _bar(bar_chart(["x"], [[55]], 300, horizontal=True, value_max=100))
    assert (horizontal.valueAxis.valueMin, horizontal.valueAxis.valueMax) == (0, 100)


@pytest.mark.parametrize(
    ("highest", "integers", "top", "step"),
    [
        (13, True, 15, 5),
        (2, True, 2, 1),
        (0.4, False, 0.4, 0.1),
        (0, True, 1, 1),
        (100, True, 100, 20),
    ],
)
def test_nice_axis_tops(highest: float, integers: bool, top: float, step: float) -> None:
    assert nice_top(highest, 5, integers) == pytest.approx((top, step))


def test_radar_draws_every_area_label() -> None:
    drawing = radar_chart(
        ["Asuminen", "Terveys", "Raha-asiat"],
        [2, 4, None],
        [5, 6, 7],
        200,
        scale_max=10,
        legend=("Alussa", "Nyt"),
    )
    texts = [getattr(s, "text", "") for s in drawing.contents]
    assert {"Asuminen", "Terveys", "Raha-asiat", "Alussa", "Nyt"} <= set(texts)


# --- the client's comparison sheet -------------------------------------------------


def _generic_comparison():  # type: ignore[no-untyped-def]
    data = json.loads((RESOURCES / "instruments" / "sosku-generic.json").read_text("utf-8"))
    instrument = parse_instrument(data)
    ids = [i.id for i in instrument.items]
    start = Assessment(
        "s",
        "c1",
        instrument.id,
        date(2026, 1, 4),
        "p1",
        dict(zip(ids, [3, 4, 5, 6, 7, 8, 2, 5], strict=True)),
    )
    latest = Assessment(
        "l",
        "c1",
        instrument.id,
        date(2026, 6, 20),
        "p1",
        dict(zip(ids, [6, 4, 7, 5, 8, 9, 8, 5], strict=True)),
    )
    return compare(instrument, start, latest)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_comparison_sheet_for_the_client(lang: str) -> None:
    comparison = _generic_comparison()
    client = Client("c1", "Aino", "Aalto")
    pdf = assessment_comparison_pdf(comparison, client, ORG, lang, date(2026, 6, 20))
    text = pdftools.flat(pdf)
    assert pdftools.pages(pdf) == 1
    assert "Aino Aalto" in text and "20.6.2026" in text and "4.1.2026" in text
    housing = {"fi": "Asuminen", "sv": "Boende"}[lang]
    improved = {"fi": "+3 (parani)", "sv": "+3 (förbättrades)"}[lang]
    assert housing in text and improved in text
    assert all(font.embedded for font in pdftools.fonts(pdf))


def test_change_words_follow_the_direction() -> None:
    comparison = _generic_comparison()
    words = [change_text(comparison, row, "fi") for row in comparison.areas]
    assert words[:4] == ["+3 (parani)", "0 (ennallaan)", "+2 (parani)", "−1 (heikkeni)"]
