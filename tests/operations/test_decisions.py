"""Decision operations: blocks follow each other and never overlap."""

from __future__ import annotations

from datetime import date

import pytest

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.domain.rules_config import DEFAULT_RULES
from sosku_desktop.operations.decisions import draft_continuation, save_decision
from sosku_desktop.store.database import Store

TODAY = date(2026, 3, 2)


def _decisions(store: Store, period: models.Period) -> list[models.Decision]:
    with store.read() as r:
        return r.list(models.Decision, period_id=period.id, order_by="valid_from")


def test_first_block_then_its_continuation(store: Store, period: models.Period) -> None:
    first = draft_continuation(period, [], DEFAULT_RULES, TODAY, "puhelimessa")
    assert first is not None and first.valid_from == period.start
    save_decision(store, first, None)

    nxt = draft_continuation(period, _decisions(store, period), DEFAULT_RULES, TODAY, "x")
    assert nxt is not None and nxt.continuation and nxt.valid_from > first.valid_to
    assert nxt.heard_how == "puhelimessa"  # carried over from the decision it continues
    changes = save_decision(store, nxt, None)

    assert changes.ids("decisions") == {nxt.id}
    assert changes.concerns_client(period.client_id)
    assert [d.id for d in _decisions(store, period)] == [first.id, nxt.id]


def test_an_overlapping_block_is_refused_against_what_is_stored(
    store: Store, period: models.Period
) -> None:
    first = draft_continuation(period, [], DEFAULT_RULES, TODAY, "kotikäynnillä")
    assert first is not None
    save_decision(store, first, None)
    # A second draft made without knowing of the first (e.g. on another device).
    twin = draft_continuation(period, [], DEFAULT_RULES, TODAY, "kotikäynnillä")
    assert twin is not None and twin.outcome == codes.OUTCOME_POSITIVE
    with pytest.raises(ValidationError) as caught:
        save_decision(store, twin, None)
    assert "valid_from" in {p.field for p in caught.value.problems}
    assert len(_decisions(store, period)) == 1


def test_editing_a_decision_writes_the_change(store: Store, period: models.Period) -> None:
    first = draft_continuation(period, [], DEFAULT_RULES, TODAY, "kotikäynnillä")
    assert first is not None
    save_decision(store, first, None)
    edited = models.Decision(**{**first.__dict__, "number": "SOS-1"})
    assert save_decision(store, edited, first).ids("decisions") == {first.id}
    assert _decisions(store, period)[0].number == "SOS-1"
