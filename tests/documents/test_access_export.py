"""Right-of-access export: everything held of one client, and nothing of others."""

from __future__ import annotations

import dataclasses
import json

import pytest

from sosku_desktop.documents import MissingDataError, build_document
from tests.documents import pdftools
from tests.documents.sample import MEETINGS, context


def _json(**overrides: object) -> dict[str, object]:
    return json.loads(build_document("access-export", context("fi", **overrides), "json"))


def _ids(items: object) -> set[str]:
    return {item["id"] for item in items}  # type: ignore[attr-defined, index]


def test_json_holds_exactly_this_clients_records() -> None:
    data = _json()
    assert data["format"] == "sosku-access-export" and data["version"] == 1
    assert data["client"]["identity_code"] == "010190-900P"
    assert _ids(data["periods"]) == {"p1"}
    assert _ids(data["goals"]) == {"g1", "g2", "g3", "g1a"}
    assert _ids(data["meetings"]) == {"m1", "m2", "m3", "m4", "m5"}
    assert _ids(data["decisions"]) == {"d1", "d2", "d3"}
    assert _ids(data["agreements"]) == {"ag1"}
    assert _ids(data["group_attendance"]) == {"a1", "a2"}
    assert _ids(data["assessments"]) == {"as1", "as2"}
    assert _ids(data["access_log"]) == {"l1", "l2", "l3"}
    assert _ids(data["documents_printed"]) == {"l2"}
    assert "TOISEN" not in json.dumps(data, ensure_ascii=False)


def test_json_access_log_names_who_and_role() -> None:
    log = {e["id"]: e for e in _json()["access_log"]}  # type: ignore[union-attr]
    assert log["l3"]["worker_name"] == "Pekka Esihenkilö"
    assert log["l3"]["worker_role"] == "social_worker"
    assert log["l3"]["at"] == "2024-01-20T09:30:00"
    assert log["l3"]["reason"] == "tiimin esihenkilön tarkastus"
    assert log["l3"]["device_id"] == "dev2"


def test_json_uses_iso_dates_and_keeps_deleted_rows_marked() -> None:
    deleted = dataclasses.replace(MEETINGS[0], deleted=True)
    data = _json(meetings=[deleted, *MEETINGS[1:]])
    meeting = next(m for m in data["meetings"] if m["id"] == "m1")  # type: ignore[union-attr]
    assert meeting["deleted"] is True
    assert meeting["starts_at"] == "2024-01-04T13:00:00"
    assert data["periods"][0]["start"] == "2024-01-04"  # type: ignore[index]


def test_pdf_for_the_client_lists_data_and_access_log() -> None:
    pdf = build_document("access-export", context("fi"), "pdf")
    flat = pdftools.flat(pdf)
    layout = pdftools.text(pdf)
    assert "Tarkastusoikeus: asiakkaan tiedot ja käyttöloki" in flat
    assert "703/2023" in flat and "15 artikla" in flat
    assert "Rantatie 5 B 12, 00100 Esimerkkilä" in flat
    assert "Tutustuminen, elämänjana." in flat
    assert "Käydään yhdessä kirjastossa." in flat
    assert "Vyöhykkeet AB, 50 %:n alennus" in flat
    assert "Syksyn retki" in flat
    assert "arki 3; terveys 4" in flat  # an unknown instrument: its item ids, as stored
    assert "Käyttöloki" in flat
    line = next(x for x in layout.splitlines() if "20.1.2024" in x)
    assert "Pekka" in line and "sosiaalityönte" in line and "avasi" in line
    assert "Pekka Esihenkilö" in flat
    assert "tiimin esihenkilön tarkastus" in flat
    assert "Tulostetut ja viedyt asiakirjat" in flat
    assert "tulosti" in flat and "Sopimus sosiaalisesta kuntoutuksesta" in flat
    assert "TOISEN ASIAKKAAN" not in flat
    assert "Liisa" not in flat


def test_swedish_pdf() -> None:
    flat = pdftools.flat(build_document("access-export", context("sv"), "pdf"))
    assert "Rätt till insyn" in flat and "Användningslogg" in flat


def test_deleted_records_are_listed_as_deleted_in_the_pdf() -> None:
    deleted = dataclasses.replace(MEETINGS[0], deleted=True)
    flat = pdftools.flat(
        build_document("access-export", context("fi", meetings=[deleted, *MEETINGS[1:]]), "pdf")
    )
    assert "4.1.2024 klo 13.00 (poistettu)" in flat


def test_needs_a_client() -> None:
    with pytest.raises(MissingDataError):
        build_document("access-export", context("fi", client=None), "json")
