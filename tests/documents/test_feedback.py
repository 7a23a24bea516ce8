"""Blank feedback form in Finnish, Swedish and English."""

from __future__ import annotations

import pytest

from sosku_desktop.documents import DocumentContext, build_document
from tests.documents import pdftools
from tests.documents.sample import ORG, PRINTED

EXPECTED = {
    "fi": ("Palautelomake: sosiaalinen kuntoutus", "Mikä auttoi sinua eniten?"),
    "sv": ("Responsblankett: social rehabilitering", "Vad hjälpte dig mest?"),
    "en": ("Feedback form: social rehabilitation", "What helped you most?"),
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_blank_form_needs_no_client_and_is_one_page(lang: str) -> None:
    ctx = DocumentContext(organisation=ORG, lang=lang, printed_on=PRINTED)
    pdf = build_document("feedback", ctx, "pdf")
    flat = pdftools.flat(pdf)
    assert pdftools.pages(pdf) == 1
    for phrase in EXPECTED[lang]:
        assert phrase in flat
    assert flat.count("☐") == 8 * 6 + 7  # statements × options + grades 4–10
    assert "SALASSA" not in flat  # a blank form holds nothing confidential
    text = build_document("feedback", ctx, "txt").decode()
    assert EXPECTED[lang][0] in text and "8. " in text
