"""A generated caseload travels through a real relay to a new laptop unchanged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sosku_desktop.domain import models
from sosku_desktop.store.caseload import populate
from tests.sync.client.helpers import TeamRelay, outbox, snapshot


def test_generated_caseload_syncs_to_a_new_laptop(team: TeamRelay, tmp_path: Path) -> None:
    a = team.laptop(tmp_path, "a")
    populate(a.store, 20, date(2026, 11, 30))
    a.sync()
    assert outbox(a.store) == 0
    b = team.laptop(tmp_path, "b")
    a.sync()  # shares the team key with the new laptop
    b.sync()
    with b.store.read() as r:
        assert len(r.clients()) == 20
        assert r.list(models.Meeting)
    assert snapshot(a.store) == snapshot(b.store)
