"""Agreement on social rehabilitation: one page, goals prefilled, both languages."""

from __future__ import annotations

import dataclasses

from sosku_desktop.documents import Organisation, build_document
from sosku_desktop.documents.agreement import initial_goals
from sosku_desktop.domain.models import Goal
from tests.documents import pdftools
from tests.documents.sample import AGREEMENT, CLIENT, GOALS, ORG, PERIOD, PRINTED, context

LONG_GOALS = [
    Goal(
        id=f"long{i}",
        period_id="p1",
        position=i,
        text=(
            f"Tavoite {i}: opettelen hoitamaan omat asiointini itsenäisesti, ensin yhdessä "
            "ohjaajan kanssa ja sitten yksin, niin että käyn kaupassa, apteekissa ja "
            "kirjastossa vähintään kerran viikossa, pidän viikkokalenteria ja kerron "
            "seuraavalla tapaamisella, mikä onnistui ja mikä jännitti, ja lopuksi "
            f"merkitsen onnistumiset päiväkirjaan loppusana{i}"
        ),
    )
    for i in range(1, 4)
]


def test_finnish_agreement_holds_the_filled_in_values() -> None:
    pdf = build_document("agreement", context("fi"), "pdf")
    text = pdftools.flat(pdf)
    assert pdftools.pages(pdf) == 1
    assert "Sopimus sosiaalisesta kuntoutuksesta" in text
    assert CLIENT.full_name in text
    assert "4.1.2024" in text  # start date, d.M.yyyy
    assert "Keskiviikkoisin klo 13, joka toinen viikko" in text
    for goal in GOALS[:3]:
        assert goal.text in text
    assert "Teen kauppalistan" not in text  # a sub-goal is not an initial goal
    assert "Sanna Ohjaaja" in text
    assert "Tekstiviesti edellisenä päivänä" in text
    assert "vaitiolovelvollisuus" in text
    assert "Asiakkaan allekirjoitus ja nimenselvennys" in text
    assert "Työntekijän allekirjoitus ja nimenselvennys" in text
    assert "TOISEN ASIAKKAAN" not in text


def test_swedish_agreement_is_in_swedish() -> None:
    pdf = build_document("agreement", context("sv"), "pdf")
    text = pdftools.flat(pdf)
    assert "Avtal om social rehabilitering" in text
    assert "Klientens underskrift" in text
    assert "tystnadsplikt" in text
    assert "sida 1/1" in text
    assert "Sopimus" not in text


def test_three_long_goals_and_long_names_still_fit_one_page() -> None:
    client = dataclasses.replace(
        CLIENT, first_name="Anna-Kaisa Wilhelmiina Josefiina", last_name="Hämäläinen-Björkqvist"
    )
    ctx = context(
        "fi",
        client=client,
        goals=LONG_GOALS,
        agreement=dataclasses.replace(
            AGREEMENT, goal_ids=[], other="Muut sopimukset: " + "pitkä teksti " * 30
        ),
        organisation=dataclasses.replace(
            ORG, name="Esimerkkilän ja Naapurilan hyvinvointialueen yhteistoiminta-alue"
        ),
    )
    pdf = build_document("agreement", ctx, "pdf")
    assert pdftools.pages(pdf) == 1
    text = pdftools.flat(pdf)
    for i in range(1, 4):
        assert f"loppusana{i}" in text  # each goal wrapped to its end, none cut
    assert "Hämäläinen-Björkqvist" in text


def test_goal_ids_choose_and_order_the_initial_goals() -> None:
    ctx = context("fi", agreement=dataclasses.replace(AGREEMENT, goal_ids=["g3", "g1", "gone"]))
    assert [g.id for g in initial_goals(ctx)] == ["g3", "g1"]
    text = build_document("agreement", ctx, "txt").decode()
    assert text.index("1. Liityn johonkin ryhmään") < text.index("2. Käyn kaupassa")
    assert "Rytmitän" not in text


def test_without_goal_ids_the_first_three_main_goals_are_used() -> None:
    ctx = context("fi", agreement=dataclasses.replace(AGREEMENT, goal_ids=[]))
    assert [g.id for g in initial_goals(ctx)] == ["g1", "g2", "g3"]


def test_blank_agreement_prints_for_handwriting() -> None:
    ctx = context("fi", client=None, period=None, agreement=None, worker=None, goals=[])
    pdf = build_document("agreement", ctx, "pdf")
    assert pdftools.pages(pdf) == 1
    assert "Tavoitteet (enintään kolme)" in pdftools.flat(pdf)


def test_planned_meetings_fill_the_times_when_none_were_written() -> None:
    ctx = context("fi", agreement=dataclasses.replace(AGREEMENT, meeting_times=""))
    text = build_document("agreement", ctx, "txt").decode()
    assert "Sovitut tapaamisajat: 7.2.2024 klo 10.00" in text


def test_agreement_text_is_clean() -> None:
    text = build_document("agreement", context("fi"), "txt").decode()
    assert text.startswith("Sopimus sosiaalisesta kuntoutuksesta\n\n")
    assert "Asiakkaan nimi: Matti Meikäläinen" in text
    assert "Aloituspäivä: 4.1.2024" in text
    assert "Allekirjoitettu: 4.1.2024" in text
    assert "doc." not in text


def test_organisation_only_context_names_the_issuer() -> None:
    ctx = context("en", organisation=Organisation(name="Testila"), printed_on=PRINTED)
    text = pdftools.flat(build_document("agreement", ctx, "pdf"))
    assert "Agreement on social rehabilitation" in text
    assert "Testila" in text
    assert "Printed 5.2.2024" in text
    assert PERIOD.start.strftime("%-d.%-m.%Y") in text
