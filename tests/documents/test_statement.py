"""Monthly activity-money statement for a caseload: PDF, CSV for Finnish Excel, text."""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest

from sosku_desktop.documents import CaseloadEntry, MissingDataError, build_document
from sosku_desktop.documents.csv_cells import from_text
from tests.documents import pdftools
from tests.documents.sample import CLIENT, MEETINGS, context

BOM = "\ufeff".encode()


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    text = data[len(BOM) :].decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    return [[from_text(cell) for cell in row] for row in rows]


def test_csv_opens_in_finnish_excel_shape() -> None:
    rows = _rows(build_document("activity-money", context("fi"), "csv"))
    assert rows[0] == [
        "Asiakas",
        "Henkilötunnus",
        "Päiviä",
        "Päivämäärät",
        "Päivähinta",
        "Yhteensä",
    ]
    assert rows[1] == [
        "Matti Meikäläinen",
        "010190-900P",
        "3",
        "4.1., 17.1. ja 24.1.2024",
        "9,00",
        "27,00",
    ]
    # the other client was present at the 31.1. session as well
    assert rows[2] == [
        "Liisa Toinen",
        "250785-901S",
        "3",
        "5.1., 12.1. ja 31.1.2024",
        "9,00",
        "27,00",
    ]
    assert rows[3] == ["Yhteensä", "", "6", "", "", "54,00"]


def test_pdf_and_text_say_the_same() -> None:
    ctx = context("fi")
    pdf = build_document("activity-money", ctx, "pdf")
    layout = pdftools.text(pdf)
    flat = pdftools.flat(pdf)
    assert "Toimintarahat: tammikuu 2024" in flat
    assert "4.1., 17.1. ja 24.1.2024" in flat
    row = next(line for line in layout.splitlines() if "Meikäläinen" in line)
    assert "010190-900P" in row and " 3 " in row and "9,00 €" in row and "27,00 €" in row
    assert "54,00 €" in flat
    text = build_document("activity-money", ctx, "txt").decode()
    assert (
        "- Matti Meikäläinen (010190-900P): 4.1., 17.1. ja 24.1.2024; 3 päivää × 9,00 € = 27,00 €\n"
    ) in text
    assert "Yhteensä: 6 päivää, 54,00 €" in text


def test_swedish_statement() -> None:
    ctx = context("sv")
    rows = _rows(build_document("activity-money", ctx, "csv"))
    assert rows[0][0] == "Klient" and rows[1][3] == "4.1., 17.1. och 24.1.2024"
    assert "Verksamhetspenning: januari 2024" in pdftools.flat(
        build_document("activity-money", ctx, "pdf")
    )


def test_identity_codes_can_be_left_out() -> None:
    ctx = context("fi", show_identity_codes=False)
    rows = _rows(build_document("activity-money", ctx, "csv"))
    assert [r[1] for r in rows[1:]] == ["", "", ""]
    pdf = pdftools.flat(build_document("activity-money", ctx, "pdf"))
    assert "010190-900P" not in pdf and "Henkilötunnus" not in pdf
    assert "27,00 €" in pdf


def test_client_without_days_gets_a_zero_row_and_sorting_is_by_last_name() -> None:
    aalto = dataclasses.replace(CLIENT, id="c9", first_name="Eero", last_name="Aalto")
    ctx = context("fi", caseload=[CaseloadEntry(CLIENT, MEETINGS), CaseloadEntry(aalto, [])])
    rows = _rows(build_document("activity-money", ctx, "csv"))
    assert rows[1] == ["Eero Aalto", "010190-900P", "0", "", "", "0,00"]
    assert rows[2][0] == "Matti Meikäläinen"
    assert (
        "- Eero Aalto (010190-900P): 0 päivää = 0,00 €"
        in build_document("activity-money", ctx, "txt").decode()
    )


def test_other_month_counts_only_its_days() -> None:
    rows = _rows(build_document("activity-money", context("fi", month=(2024, 2)), "csv"))
    assert rows[1][2:] == ["0", "", "", "0,00"]  # 7.2. is only planned


def test_month_is_required() -> None:
    with pytest.raises(MissingDataError, match="month"):
        build_document("activity-money", context("fi", month=None), "csv")
