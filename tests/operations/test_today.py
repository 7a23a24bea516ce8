"""Today's query: reminders and the agenda of open periods, this month's meetings counted."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.periods import max_end
from sosku_desktop.operations.today import load_today
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id

NOW = datetime(2026, 11, 24, 12, 0)


def _meeting(period: models.Period, at: datetime, status: str) -> models.Meeting:
    return models.Meeting(
        id=new_id(),
        period_id=period.id,
        starts_at=at,
        duration_min=60,
        kind=codes.MEETING_OFFICE,
        status=status,
        worker_id=period.worker_id,
    )


def test_open_periods_give_reminders_and_agenda_ended_ones_count_their_meetings(
    store: Store, period: models.Period
) -> None:
    start = date(2025, 11, 20)
    other = models.Client(id=new_id(), first_name="Olli", last_name="Ojala")
    ended = models.Period(
        id=new_id(),
        client_id=other.id,
        worker_id=store.worker_id,
        start=start,
        planned_end=max_end(start),
        status=codes.PERIOD_ENDED,
        ended_on=date(2026, 11, 10),
    )
    with store.write() as w:
        w.add(other)
        w.add(ended)
        w.add(_meeting(ended, datetime(2026, 11, 3, 10), codes.MEETING_REALISED))
        w.add(_meeting(period, datetime(2026, 11, 4, 10), codes.MEETING_REALISED))
        w.add(_meeting(period, datetime(2026, 10, 4, 10), codes.MEETING_REALISED))
        w.add(_meeting(period, NOW + timedelta(days=2), codes.MEETING_PLANNED))
        w.add(_meeting(ended, NOW + timedelta(days=3), codes.MEETING_PLANNED))
    data = load_today(store, NOW, store.worker_id)
    assert data.realised_this_month == 2  # the ended period's meeting of November too
    assert data.active_clients == 1
    assert {r.client_id for r in data.reminders} == {period.client_id}
    assert [item.client_id for item in data.agenda] == [period.client_id]
    assert load_today(store, NOW, "someone else").realised_this_month == 0
    assert load_today(store, NOW, "someone else", only_mine=False).realised_this_month == 2


def test_a_decision_outliving_an_ended_period_is_a_today_reminder(
    store: Store, period: models.Period
) -> None:
    """QA walk: a period ended 19.11. with its decision valid to 28.12.: nothing told
    the worker to end the decision in the city's system."""
    other = models.Client(id=new_id(), first_name="Olli", last_name="Ojala")
    start = date(2026, 8, 20)
    ended = models.Period(
        id=new_id(),
        client_id=other.id,
        worker_id=store.worker_id,
        start=start,
        planned_end=max_end(start),
        status=codes.PERIOD_ENDED,
        ended_on=date(2026, 11, 19),
    )
    decision = models.Decision(
        id=new_id(),
        period_id=ended.id,
        kind=codes.DECISION_REHABILITATION,
        valid_from=date(2026, 9, 29),
        valid_to=date(2026, 12, 28),
        number="SOS-2026-17",
    )
    with store.write() as w:
        w.add(other)
        w.add(ended)
        w.add(decision)
    data = load_today(store, NOW, store.worker_id)
    (reminder,) = [r for r in data.reminders if r.client_id == other.id]
    assert reminder.kind == "decision_outlives_period" and reminder.ref == decision.id
    assert reminder.params["number"] == "SOS-2026-17"
    assert reminder.params["valid_to"] == date(2026, 12, 28)
    assert data.client_names[other.id] == "Olli Ojala"
    # once the decision has run out there is nothing left to end
    later = load_today(store, datetime(2026, 12, 29, 9, 0), store.worker_id)
    assert [r for r in later.reminders if r.client_id == other.id] == []
    assert [r for r in load_today(store, NOW, "someone else").reminders] == []


def test_an_activity_money_or_transport_card_decision_outliving_the_period_is_reminded(
    store: Store, period: models.Period
) -> None:
    """Not only the §17 decision: a transport card valid past the end must be ended too."""
    other = models.Client(id=new_id(), first_name="Olli", last_name="Ojala")
    start = date(2026, 8, 20)
    ended = models.Period(
        id=new_id(),
        client_id=other.id,
        worker_id=store.worker_id,
        start=start,
        planned_end=max_end(start),
        status=codes.PERIOD_ENDED,
        ended_on=date(2026, 11, 19),
    )
    card = models.Decision(
        id=new_id(),
        period_id=ended.id,
        kind=codes.DECISION_TRANSPORT_CARD,
        valid_from=date(2026, 10, 1),
        valid_to=date(2026, 12, 29),
        number="MK-2026-3",
    )
    with store.write() as w:
        w.add(other)
        w.add(ended)
        w.add(card)
    data = load_today(store, NOW, store.worker_id)
    (reminder,) = [r for r in data.reminders if r.client_id == other.id]
    assert reminder.kind == "decision_outlives_period" and reminder.ref == card.id
    assert reminder.text_key == "reminder.decision_outlives_period.text_transport_card"
