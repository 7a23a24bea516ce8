"""Decision drafts made without a stored decision: activity money per month.

The draft is what the worker pastes into the city's record system, so it
may claim neither days outside the client's period nor a hearing that
nobody recorded.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from sosku_desktop.documents.errors import MissingDataError
from sosku_desktop.domain import codes, models
from sosku_desktop.domain.periods import decision_block
from sosku_desktop.operations.documents import build_and_log
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id
from tests.operations.conftest import START


def _draft(store: Store, period: models.Period, month: tuple[int, int]) -> str:
    built = build_and_log(
        store, "decision-activity-money", "txt", "fi", period.client_id, month, today=START
    )
    return built.data.decode("utf-8")


def test_the_first_months_draft_starts_on_the_periods_first_day(
    store: Store, period: models.Period
) -> None:
    assert date(2026, 1, 5) == START
    text = _draft(store, period, (2026, 1))
    assert "Voimassaolo: 5.1.–31.1.2026" in text
    # nothing recorded about hearing the client: the draft does not claim it
    assert "Asiakasta on kuultu: Kyllä" not in text


def test_the_draft_takes_the_hearing_from_the_rehabilitation_decision(
    store: Store, period: models.Period
) -> None:
    block = decision_block(START)
    with store.write() as w:
        w.add(
            models.Decision(
                id=new_id(),
                period_id=period.id,
                kind=codes.DECISION_REHABILITATION,
                valid_from=block.start,
                valid_to=block.end,
                heard_how="Tavattu henkilökohtaisesti",
                decided_on=START,
            )
        )
    text = _draft(store, period, (2026, 2))
    assert "Voimassaolo: 1.2.–28.2.2026" in text
    assert "Asiakasta on kuultu: Kyllä\nMiten kuultu: Tavattu henkilökohtaisesti" in text


def test_a_month_outside_the_period_has_no_draft(store: Store, period: models.Period) -> None:
    with pytest.raises(MissingDataError):
        _draft(store, period, (2025, 12))


def test_the_transport_card_draft_ends_with_a_short_period(
    store: Store, period: models.Period
) -> None:
    short = dataclasses.replace(period, planned_end=date(2026, 2, 28))
    with store.write() as w:
        w.update(short, base=period)
    built = build_and_log(store, "decision-transport", "txt", "fi", period.client_id, today=START)
    assert "Voimassaolo: 5.1.–28.2.2026 (55 päivää)" in built.data.decode("utf-8")
