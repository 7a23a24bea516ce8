"""Starting a period: client, period, intake and first goal together, or nothing."""

from __future__ import annotations

from datetime import date

import pytest

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.domain.lifecycle import Ending
from sosku_desktop.domain.periods import max_end
from sosku_desktop.domain.validation import DUPLICATE_IDENTITY
from sosku_desktop.operations.clients import set_phase, start_period
from sosku_desktop.operations.period_lifecycle import end_period
from sosku_desktop.store.database import Store

START = date(2026, 2, 2)


def _period(client_id: str = "") -> models.Period:
    return models.Period(
        id="",
        client_id=client_id,
        worker_id=None,
        start=START,
        planned_end=max_end(START),
        intake={codes.INTAKE_OFFER[0]: True},
    )


def _client(code: str = "") -> models.Client:
    return models.Client(id="", first_name="Aino", last_name="Korhonen", identity_code=code)


def test_a_new_client_starts_with_period_and_first_goal(store: Store) -> None:
    started = start_period(store, _period(), _client("120584-900f"), first_goal="  Oma koti ")
    with store.read() as r:
        client = r.get(models.Client, started.client_id)
        period = r.get(models.Period, started.period_id)
        goals = r.list(models.Goal, period_id=period.id)
    assert client.identity_code == "120584-900F"  # stored in its normal form
    assert period.client_id == client.id and period.intake == {codes.INTAKE_OFFER[0]: True}
    assert [g.text for g in goals] == ["Oma koti"]
    assert started.changes.tables == {"clients", "periods", "goals"}
    assert started.changes.concerns_client(client.id)


def test_an_identity_code_in_use_is_refused_and_nothing_written(store: Store) -> None:
    start_period(store, _period(), _client("120584-900F"))
    with pytest.raises(ValidationError) as caught:
        start_period(store, _period(), _client("120584-900F"), first_goal="x")
    assert [p.message_key for p in caught.value.problems] == [DUPLICATE_IDENTITY]
    with store.read() as r:
        assert len(r.list(models.Client)) == 1
        assert r.list(models.Goal) == []


def test_a_second_period_for_an_existing_client(store: Store, period: models.Period) -> None:
    later = date(2027, 3, 1)
    nxt = models.Period(
        id="", client_id=period.client_id, worker_id=None, start=later, planned_end=max_end(later)
    )
    with pytest.raises(ValidationError):  # one period at a time: the first is still open
        start_period(store, nxt)
    ended = Ending(date(2026, 12, 31), codes.END_GOALS_REACHED, "Tavoitteet saavutettiin.")
    end_period(store, period.id, ended, date(2027, 1, 1))
    started = start_period(store, nxt)
    assert started.client_id == period.client_id
    with store.read() as r:
        assert len(r.periods_of(period.client_id)) == 2


def test_phase_changes_only_when_different(store: Store, period: models.Period) -> None:
    assert not set_phase(store, period, period.phase)
    changes = set_phase(store, period, codes.PHASE_ENDING)
    assert changes.ids("periods") == {period.id}
    with store.read() as r:
        assert r.get(models.Period, period.id).phase == codes.PHASE_ENDING
