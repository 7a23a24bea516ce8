"""Page frame and wrapping: header on every page, fonts embedded, nothing overflows."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from sosku_desktop.documents import KINDS, build_document
from sosku_desktop.documents.layout import CONTENT_W, MARGIN_X, fit_widths
from sosku_desktop.domain.models import Goal, Meeting
from tests.documents import pdftools
from tests.documents.sample import AGREEMENT, CLIENT, MEETINGS, ORG, context, context_for

LONG_WORD = "Pitkäsanaisuusharjoituskokonaisuussuunnitelmaluonnosversio" * 2
LONG_TEXT = (
    "Asiakas kertoo haluavansa oppia hoitamaan asiansa itse, ja tavoitteena on, että hän "
    f"osaa käyttää verkkopankkia, varata ajan terveysasemalle ja {LONG_WORD} sekä kertoa "
    "seuraavalla kerralla, miten meni. " * 3
)


def _many_meetings(n: int) -> list[Meeting]:
    start = datetime(2024, 1, 4, 9, 0)
    return [
        dataclasses.replace(
            MEETINGS[0], id=f"mm{i}", starts_at=start + timedelta(days=3 * i), notes=LONG_TEXT
        )
        for i in range(n)
    ]


def test_every_page_has_the_header_with_page_numbers_and_print_date() -> None:
    pdf = build_document("access-export", context("fi", meetings=_many_meetings(40)), "pdf")
    total = pdftools.pages(pdf)
    assert total >= 3
    for page in range(1, total + 1):
        page_text = pdftools.text(pdf, page=page)
        assert "Esimerkkilän kaupunki" in page_text
        assert f"sivu {page}/{total}" in page_text
        assert "Tulostettu 5.2.2024" in page_text
        assert "SALASSA PIDETTÄVÄ" in page_text
        assert "Kirkkokatu 1, 00100 Esimerkkilä" in page_text
    # the table header is repeated on continuation pages
    assert "Muistiinpanot" in pdftools.text(pdf, page=total - 1)


def _long_context(lang: str, kind: str = "agreement") -> object:
    client = dataclasses.replace(
        CLIENT,
        first_name="Anna-Kaisa Wilhelmiina Josefiina Maria",
        last_name="Hämäläinen-Björkqvist-Östergård",
        notes=LONG_TEXT,
    )
    goals = [
        Goal(id=f"lg{i}", period_id="p1", text=f"{i}. {LONG_TEXT}", position=i) for i in range(3)
    ]
    org = dataclasses.replace(
        ORG,
        name="Esimerkkilän, Naapurilan ja Kolmoskylän hyvinvointialueen yhteistoiminta-alue",
        unit="Työikäisten sosiaalipalvelut, aikuissosiaalityö ja sosiaalinen kuntoutus, itä",
    )
    return context_for(
        kind,
        lang,
        client=client,
        goals=goals,
        organisation=org,
        meetings=_many_meetings(6),
        agreement=dataclasses.replace(AGREEMENT, goal_ids=[], contact=LONG_TEXT, other=LONG_WORD),
        area_scores={LONG_TEXT[:90]: (2.0, 8.0), LONG_WORD: (5.0, 4.0)},
    )


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("kind", KINDS)
def test_long_names_and_goal_texts_wrap_inside_the_page(kind: str, lang: str) -> None:
    pdf = build_document(kind, _long_context(lang, kind), "pdf")  # type: ignore[arg-type]
    words, width, height = pdftools.words(pdf)
    assert words
    slack = 1.5  # points: glyph side bearings
    for word in words:
        assert word.x_min >= MARGIN_X - slack, word
        assert word.x_max <= width - MARGIN_X + slack, word
        assert word.y_min >= 0 and word.y_max <= height, word
    if kind == "agreement":
        assert pdftools.pages(pdf) == 1
        assert "Östergård" in pdftools.flat(pdf)


@pytest.mark.parametrize("kind", KINDS)
def test_fonts_are_embedded(kind: str) -> None:
    fonts = pdftools.fonts(build_document(kind, context_for(kind, "sv"), "pdf"))
    assert fonts
    assert all(f.embedded for f in fonts), fonts
    assert all("DejaVuSans" in f.name for f in fonts), fonts


def test_logo_is_drawn_in_the_header(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (240, 80), (30, 30, 30)).save(logo)
    ctx = context("fi", organisation=dataclasses.replace(ORG, logo_path=logo))
    pdf = build_document("decision-transport", ctx, "pdf")
    assert pdftools.image_count(pdf) == 1
    assert "Esimerkkilän kaupunki" in pdftools.text(pdf)
    assert pdftools.image_count(build_document("decision-transport", context("fi"), "pdf")) == 0


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_metadata_names_the_document_not_the_client(kind: str) -> None:
    meta = pdftools.info(build_document(kind, context_for(kind, "fi"), "pdf"))
    assert "Author:          Esimerkkilän kaupunki" in meta
    assert "Title:" in meta
    assert "Meikäläinen" not in meta and "010190" not in meta


def test_fit_widths_keeps_proportions_and_minimums() -> None:
    assert fit_widths([1, 1], [0, 0], 100) == [50, 50]
    widths = fit_widths([1, 3], [40, 0], 100)
    assert widths[0] == pytest.approx(40) and sum(widths) == pytest.approx(100)
    squeezed = fit_widths([1, 1, 1], [50, 50, 50], 100)
    assert sum(squeezed) == pytest.approx(100)
    generous = fit_widths([2, 1, 1], [10, 30, 5], CONTENT_W)
    assert all(w >= m - 1e-9 for w, m in zip(generous, [10, 30, 5], strict=True))
    assert sum(generous) == pytest.approx(CONTENT_W)


def _page_pixels(pdf: bytes, tmp_path: Path, name: str) -> bytes:
    """The first page as the printer gets it (pdftoppm, 50 dpi, grey)."""
    import shutil
    import subprocess

    if shutil.which("pdftoppm") is None:
        pytest.fail("poppler-utils missing (pdftoppm): apt-get install poppler-utils")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "50", "-f", "1", "-l", "1", str(path), str(tmp_path / name)],
        check=True,
    )
    (png,) = tmp_path.glob(f"{name}*.pgm")
    return png.read_bytes()


def test_characters_the_font_lacks_print_as_nothing_not_as_boxes(tmp_path: Path) -> None:
    """An emoji typed into a goal or an agreement (pasted from a phone) printed as an
    empty box; what the embedded font cannot draw is left out of the PDF."""
    with_emoji = dataclasses.replace(
        AGREEMENT, meeting_times=f"{AGREEMENT.meeting_times} \U0001f642\ufe0f"
    )
    plain = build_document("agreement", context("fi", agreement=AGREEMENT), "pdf")
    emoji = build_document("agreement", context("fi", agreement=with_emoji), "pdf")
    assert _page_pixels(emoji, tmp_path, "emoji") == _page_pixels(plain, tmp_path, "plain")
    assert AGREEMENT.meeting_times in pdftools.flat(emoji)
