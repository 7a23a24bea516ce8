"""Documents, settings and first-run operations."""

from __future__ import annotations

from pathlib import Path

import pytest

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.operations.documents import build_and_log, export_document
from sosku_desktop.operations.settings import save_org_settings
from sosku_desktop.operations.setup import create_data_directory
from sosku_desktop.store.database import Store
from tests.operations.conftest import PASSPHRASE, START


def test_a_document_is_logged_per_client_it_shows(
    store: Store, period: models.Period, tmp_path: Path
) -> None:
    built = build_and_log(store, "summary", "txt", "fi", period.client_id, today=START)
    assert "Meikäläinen" in built.data.decode("utf-8")
    assert built.changes.accessed == {period.client_id}

    target = tmp_path / "yhteenveto.pdf"
    saved = export_document(store, target, "summary", "fi", period.client_id, today=START)
    assert target.read_bytes() == saved.data and saved.data.startswith(b"%PDF")
    with store.read() as r:
        actions = [e.action for e in r.audit_of_client(period.client_id)]
    assert (actions.count(codes.AUDIT_EXPORT), actions.count(codes.AUDIT_PRINT)) == (1, 1)


def test_only_changed_settings_are_written(store: Store) -> None:
    initial = {"organisation_name": "Kaupunki", "organisation_contact": ""}
    assert not save_org_settings(store, initial, initial)
    changes = save_org_settings(store, {**initial, "organisation_name": "Uusi"}, initial)
    assert changes.ids("org_settings") == {"organisation_name"}
    with store.read() as r:
        assert r.setting("organisation_name") == "Uusi"


def test_first_run_makes_a_store_with_its_worker(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        create_data_directory(tmp_path / "none", PASSPHRASE, " ", codes.ROLE_SOCIAL_INSTRUCTOR)
    assert not (tmp_path / "none").exists()
    role = codes.ROLE_SOCIAL_INSTRUCTOR
    store = create_data_directory(tmp_path / "d", PASSPHRASE, " Sanna ", role)
    try:
        with store.read() as r:
            workers = r.list(models.Worker)
        assert [w.name for w in workers] == ["Sanna"] and store.worker_id == workers[0].id
    finally:
        store.close()
