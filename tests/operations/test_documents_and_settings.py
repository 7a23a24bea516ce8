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


def test_saving_rules_that_outlast_the_longest_period_is_refused(store: Store) -> None:
    """The check holds in the operation too, against the rules already saved: a
    decision block saved alone still may not outlast the period length in the store."""
    from sosku_desktop.domain import rules_settings
    from sosku_desktop.operations.settings import settings_form

    initial = settings_form(store).rules
    with pytest.raises(ValidationError) as refused:
        save_org_settings(store, {**initial, "decision_block_months": 13}, initial)
    assert [p.message_key for p in refused.value.problems] == [
        rules_settings.BLOCK_LONGER_THAN_PERIOD
    ]
    longer = {**initial, "max_period_months": 24, "decision_block_months": 13}
    save_org_settings(store, longer, initial)
    assert settings_form(store).rules["decision_block_months"] == 13
