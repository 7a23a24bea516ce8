"""Instrument files: shipped and organisation definitions, bad files skipped, import."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from sosku_desktop.domain import models
from sosku_desktop.domain.validation import assessment_problems
from sosku_desktop.store import instrument_files
from sosku_desktop.store.demo import build_demo
from sosku_desktop.store.instrument_files import (
    InstrumentFileError,
    builtin_instrument,
    import_instrument,
    load_instruments,
    org_dir,
    problem_lines,
)
from tests.domain.test_instruments import minimal


def write(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_generic_instrument_ships_with_the_app() -> None:
    catalog = load_instruments()
    assert catalog.skipped == []
    assert catalog.get("sosku-generic") is not None
    assert catalog.loaded["sosku-generic"].builtin is True


def test_the_organisation_folder_adds_its_own_definitions(tmp_path: Path) -> None:
    write(org_dir(tmp_path) / "ours.json", minimal())
    catalog = load_instruments(tmp_path)
    assert set(catalog.loaded) == {"sosku-generic", "test-instrument"}
    assert catalog.loaded["test-instrument"].builtin is False
    assert [i.id for i in catalog.instruments] == ["test-instrument", "sosku-generic"]


def test_bad_files_are_reported_with_a_translated_reason_and_skipped(tmp_path: Path) -> None:
    folder = org_dir(tmp_path)
    write(folder / "a-good.json", minimal())
    (folder / "b-broken.json").write_text('{"format": "sosku-instrument/1",\n  "id": }', "utf-8")
    bad = minimal()
    del bad["areas"][0]["label"]
    write(folder / "c-invalid.json", bad)
    (folder / "d-latin1.json").write_bytes('{"name": "Hyvinvointi ä"}'.encode("latin-1"))
    (folder / "e-huge.json").write_bytes(b" " * (instrument_files.MAX_BYTES + 1))
    (folder / "notes.txt").write_text("not a definition", "utf-8")
    catalog = load_instruments(tmp_path)
    assert set(catalog.loaded) == {"sosku-generic", "test-instrument"}
    skipped = {p.path.name: p for p in catalog.skipped}
    assert sorted(skipped) == ["b-broken.json", "c-invalid.json", "d-latin1.json", "e-huge.json"]
    assert skipped["b-broken.json"].reasons("fi") == [
        "Tiedosto ei ole kelvollista JSONia (rivi 2, sarake 9)."
    ]
    assert skipped["c-invalid.json"].reasons("fi") == ["areas[0].label: Puuttuu."]
    assert skipped["c-invalid.json"].reasons("sv") == ["areas[0].label: Saknas."]
    assert skipped["d-latin1.json"].reasons("en") == ["The file is not UTF-8 text."]
    assert "1000" in skipped["e-huge.json"].reasons("fi")[0]
    lines = problem_lines(catalog.skipped, "fi")
    assert lines[0].startswith("b-broken.json – ")


def test_two_files_with_one_id_keep_the_first(tmp_path: Path) -> None:
    write(org_dir(tmp_path) / "a.json", minimal())
    write(org_dir(tmp_path) / "b.json", minimal())
    catalog = load_instruments(tmp_path)
    assert catalog.loaded["test-instrument"].path.name == "a.json"
    assert [p.path.name for p in catalog.skipped] == ["b.json"]
    assert catalog.skipped[0].reasons("fi") == [
        "id: Sama mittari test-instrument on jo ladattu tiedostosta a.json."
    ]


def test_the_organisation_may_override_a_shipped_definition(tmp_path: Path) -> None:
    data = minimal()
    data["id"] = "sosku-generic"
    write(org_dir(tmp_path) / "generic.json", data)
    catalog = load_instruments(tmp_path)
    assert catalog.loaded["sosku-generic"].builtin is False
    assert len(catalog.get("sosku-generic").areas) == 2  # type: ignore[union-attr]


def test_import_validates_and_copies_the_file_unchanged(tmp_path: Path) -> None:
    source = tmp_path / "download" / "Publisher Instrument v2.json"
    source.parent.mkdir()
    raw = json.dumps(minimal(), indent=3, ensure_ascii=False).encode("utf-8")
    source.write_bytes(raw)
    data_dir = tmp_path / "data"
    instrument = import_instrument(data_dir, source)
    target = org_dir(data_dir) / "test-instrument.json"
    assert instrument.id == "test-instrument"
    assert target.read_bytes() == raw
    assert load_instruments(data_dir).get("test-instrument") is not None


def test_import_refuses_an_invalid_file_and_copies_nothing(tmp_path: Path) -> None:
    bad = minimal()
    bad["scale"]["step"] = 3
    source = write(tmp_path / "bad.json", bad)
    with pytest.raises(InstrumentFileError) as caught:
        import_instrument(tmp_path / "data", source)
    assert caught.value.problem.reasons("fi") == [
        "scale.step: Askeleen 3 pitää olla positiivinen ja jakaa asteikko 0–10 tasan."
    ]
    assert not org_dir(tmp_path / "data").exists()


def test_import_of_an_existing_id_needs_replace(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    write(org_dir(data_dir) / "old-name.json", minimal())
    newer = minimal()
    newer["version"] = "2"
    source = write(tmp_path / "new.json", newer)
    with pytest.raises(InstrumentFileError) as caught:
        import_instrument(data_dir, source)
    assert caught.value.problem.problems[0].message_key == instrument_files.F_EXISTS
    import_instrument(data_dir, source, replace=True)
    files = sorted(p.name for p in org_dir(data_dir).iterdir())
    assert files == ["test-instrument.json"]
    assert load_instruments(data_dir).get("test-instrument").version == "2"  # type: ignore[union-attr]


def test_demo_assessments_fit_the_generic_instrument(tmp_path: Path) -> None:
    store = build_demo(tmp_path / "d", today=date(2026, 11, 24))
    try:
        with store.read() as r:
            assessments = r.list(models.Assessment)
            periods = {p.id: p for p in r.list(models.Period)}
    finally:
        store.close()
    generic = builtin_instrument("sosku-generic")
    assert len(assessments) >= 10
    assert {a.instrument_id for a in assessments} == {"sosku-generic"}
    for a in assessments:
        assert assessment_problems(a, generic.scales(), date(2026, 11, 24)) == []
        assert set(a.answers) == set(generic.scales())
        assert a.period_id in periods and periods[a.period_id].client_id == a.client_id
    per_client: dict[str, int] = {}
    for a in assessments:
        per_client[a.client_id] = per_client.get(a.client_id, 0) + 1
    assert sorted(per_client.values()).count(2) >= 4
