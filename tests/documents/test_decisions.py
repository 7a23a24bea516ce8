"""Decision drafts: the canonical activity-money case, §17 and transport card."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from sosku_desktop.documents import MissingDataError, build_document
from sosku_desktop.domain import codes
from sosku_desktop.domain.rules_config import RatePeriod, Rules
from tests.documents import pdftools
from tests.documents.sample import DECISIONS, context

CANONICAL = "3 päivää × 9,00 € = 27,00 €"


def test_activity_money_canonical_case_in_pdf_and_text() -> None:
    ctx = context("fi")
    pdf = pdftools.flat(build_document("decision-activity-money", ctx, "pdf"))
    text = build_document("decision-activity-money", ctx, "txt").decode()
    for out in (pdf, text):
        assert "4.1., 17.1. ja 24.1.2024" in out
        assert CANONICAL in out
        assert "Laki toimeentulotuesta 1412/1997 13 §" in out
        assert "TR-2024-5" in out
        assert "4.1.–3.2.2024" in out
        assert "10.1." not in out  # the cancelled meeting earns nothing
    assert "Päivämäärät: 4.1., 17.1. ja 24.1.2024\n" in text
    assert f"Laskelma: {CANONICAL}\n" in text
    assert "Myönnetään: 27,00 €\n" in text


def test_activity_money_in_swedish() -> None:
    ctx = context("sv")
    text = build_document("decision-activity-money", ctx, "txt").decode()
    pdf = pdftools.flat(build_document("decision-activity-money", ctx, "pdf"))
    for out in (text, pdf):
        assert "4.1., 17.1. och 24.1.2024" in out
        assert "3 dagar × 9,00 € = 27,00 €" in out
        assert "lagen om utkomststöd 13 §" in out
        assert "Lagen om utkomststöd 1412/1997 13 §" in out
        assert "Beslutsutkast: verksamhetspenning" in out


def test_a_rate_change_mid_month_gives_one_term_per_rate() -> None:
    rules = Rules(
        activity_money_rates=(
            RatePeriod(date(2000, 1, 1), 900),
            RatePeriod(date(2024, 1, 20), 1000),
        )
    )
    text = build_document("decision-activity-money", context("fi", rules=rules), "txt").decode()
    assert "2 päivää × 9,00 € + 1 päivä × 10,00 € = 28,00 €" in text


def test_decision_rate_overrides_the_rules() -> None:
    decision = dataclasses.replace(DECISIONS[1], rate_cents=1200)
    text = build_document("decision-activity-money", context("fi", decision=decision), "txt")
    assert "3 päivää × 12,00 € = 36,00 €" in text.decode()


def test_days_outside_validity_are_left_out() -> None:
    decision = dataclasses.replace(DECISIONS[1], valid_from=date(2024, 1, 10))
    text = build_document("decision-activity-money", context("fi", decision=decision), "txt")
    assert "17.1. ja 24.1.2024" in text.decode()
    assert "2 päivää × 9,00 € = 18,00 €" in text.decode()


def test_rehabilitation_decision_holds_everything_the_record_needs() -> None:
    ctx = context("fi")
    text = build_document("decision-rehabilitation", ctx, "txt").decode()
    pdf = pdftools.flat(build_document("decision-rehabilitation", ctx, "pdf"))
    for out in (text, pdf):
        assert "Sosiaalihuoltolaki 1301/2014 17 §" in out
        assert "4.1.–3.4.2024" in out  # this 3-month block
        assert "4.1.2024–3.1.2025" in out  # the whole period
        assert "Käyn kaupassa itse kerran viikossa" in out
        assert "9,00 € / päivä" in out
        assert "tavattu henkilökohtaisesti" in out
        assert "Asiakas hyötyy tiiviistä tuesta" in out
    assert "Suunnitellut yksilötapaamiset: 6\n" in text
    assert "Suunnitellut ryhmäkerrat: 10\n" in text
    assert "Jatkopäätös: Ei\n" in text
    assert "Ratkaisu ja perustelut\nRatkaisu: myönteinen\n" in text
    assert "Asianosaisen mielipide\nAsiakasta on kuultu: Kyllä\n" in text
    assert "Palvelutehtävä: Sosiaalinen kuntoutus\n" in text
    assert "LUONNOS" in pdf and "LUONNOS" not in text  # the caution is for paper only


def test_negative_continuation_decision() -> None:
    decision = dataclasses.replace(
        DECISIONS[0], continuation=True, outcome=codes.OUTCOME_NEGATIVE, client_heard=False
    )
    text = build_document("decision-rehabilitation", context("sv", decision=decision), "txt")
    out = text.decode()
    assert "Fortsättningsbeslut: Ja\n" in out
    assert "Beslut: negativt\n" in out
    assert "Klienten har hörts: Nej\n" in out


def test_transport_card_validity_and_zones() -> None:
    text = build_document("decision-transport", context("fi"), "txt").decode()
    assert "Voimassaolo: 4.1.–2.4.2024 (90 päivää)\n" in text
    assert "Vyöhykkeet / alennus: Vyöhykkeet AB, 50 %:n alennus\n" in text
    assert "Laki toimeentulotuesta 1412/1997 13 §" in text
    sv = build_document("decision-transport", context("sv"), "txt").decode()
    assert "Giltighetstid: 4.1.–2.4.2024 (90 dagar)\n" in sv


def test_latest_decision_of_the_kind_is_used_without_an_explicit_one() -> None:
    later = dataclasses.replace(
        DECISIONS[2],
        id="d4",
        valid_from=date(2024, 4, 3),
        valid_to=date(2024, 7, 1),
        number="MK-2024-40",
    )
    ctx = context("fi", decisions=[*DECISIONS, later])
    assert "MK-2024-40" in build_document("decision-transport", ctx, "txt").decode()
    ctx = context("fi", decisions=[*DECISIONS, later], decision=DECISIONS[2])
    assert "MK-2024-9" in build_document("decision-transport", ctx, "txt").decode()


def test_missing_decision_or_client_is_a_clear_error() -> None:
    with pytest.raises(MissingDataError, match="transport_card"):
        build_document("decision-transport", context("fi", decisions=[]), "pdf")
    with pytest.raises(MissingDataError, match="client"):
        build_document("decision-activity-money", context("fi", client=None), "txt")
    with pytest.raises(MissingDataError, match="period"):
        build_document("decision-rehabilitation", context("fi", period=None), "txt")


@pytest.mark.parametrize(
    "kind", ["decision-rehabilitation", "decision-activity-money", "decision-transport"]
)
def test_paste_text_has_no_layout_junk(kind: str) -> None:
    decision_texts = dataclasses.replace(DECISIONS[0], reasoning="Tuki & ohjaus <tärkeää>")
    ctx = context("fi", decisions=[decision_texts, *DECISIONS[1:]])
    text = build_document(kind, ctx, "txt").decode("utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\n\n\n" not in text
    for line in text.splitlines():
        assert line == line.rstrip()
        assert not set(line) <= set("-=_*|+ ") or not line  # no rules or boxes
    assert "&amp;" not in text and "<br" not in text and "doc." not in text
    if kind == "decision-rehabilitation":
        assert "Tuki & ohjaus <tärkeää>" in text
        assert "Tuki & ohjaus <tärkeää>" in pdftools.flat(build_document(kind, ctx, "pdf"))
