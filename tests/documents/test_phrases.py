"""Dates, day counts and sums worded the way municipal records write them."""

from __future__ import annotations

from datetime import date

from sosku_desktop.documents.phrases import date_list, date_range, day_count, money_calculation
from sosku_desktop.documents.textdoc import Field, Section, TextDocument, render_text
from sosku_desktop.domain.activity_money import PaidDay


def _days(*spec: tuple[date, int]) -> list[PaidDay]:
    return [PaidDay(day=d, cents=c, meeting=True, group_session=False) for d, c in spec]


def test_date_list_writes_the_year_once() -> None:
    days = [date(2024, 1, 24), date(2024, 1, 4), date(2024, 1, 17), date(2024, 1, 17)]
    assert date_list(days, "fi") == "4.1., 17.1. ja 24.1.2024"
    assert date_list(days, "sv") == "4.1., 17.1. och 24.1.2024"
    assert date_list(days, "en") == "4.1., 17.1. and 24.1.2024"
    assert date_list([date(2024, 1, 4)], "fi") == "4.1.2024"
    assert date_list([], "fi") == ""


def test_date_list_across_a_new_year_keeps_the_old_year() -> None:
    days = [date(2023, 12, 28), date(2024, 1, 4), date(2024, 1, 17)]
    assert date_list(days, "fi") == "28.12.2023, 4.1. ja 17.1.2024"


def test_date_range() -> None:
    assert date_range(date(2024, 1, 4), date(2024, 4, 3), "fi") == "4.1.–3.4.2024"
    assert date_range(date(2024, 1, 4), date(2025, 1, 3), "fi") == "4.1.2024–3.1.2025"
    assert date_range(date(2024, 1, 4), None, "fi") == "4.1.2024"


def test_day_counts_and_sums() -> None:
    assert day_count(1, "fi") == "1 päivä"
    assert day_count(3, "sv") == "3 dagar"
    days = _days((date(2024, 1, 4), 900), (date(2024, 1, 17), 900), (date(2024, 1, 24), 900))
    assert money_calculation(days, "fi") == "3 päivää × 9,00 € = 27,00 €"
    assert money_calculation(days, "en") == "3 days × 9,00 € = 27,00 €"
    assert money_calculation([], "fi") == "0 päivää = 0,00 €"


def test_text_render_headed_sections() -> None:
    doc = TextDocument(
        title="Otsikko",
        note="vain paperilla",
        sections=(
            Section(fields=(Field("Nimi", "Matti"), Field("Tyhjä", ""))),
            Section("Tavoitteet", items=("yksi", "  alakohta\njatkuu"), numbered=True),
            Section("Perustelut", fields=(Field("Monirivinen", "a\nb"),), paragraphs=("Teksti.",)),
        ),
    )
    assert render_text(doc) == (
        "Otsikko\n\n"
        "Nimi: Matti\nTyhjä: –\n\n"
        "Tavoitteet\n1. yksi\n  2. alakohta\n    jatkuu\n\n"
        "Perustelut\nMonirivinen:\na\nb\nTeksti.\n"
    )
