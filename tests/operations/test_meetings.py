"""Meeting entry as an operation: one transaction, reported Changes, exact undo."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.domain.meetings import NEXT_MEETING_IN_PAST
from sosku_desktop.operations.meetings import (
    MeetingDraft,
    mark_planned_meeting,
    save_meeting,
    undo_meeting,
)
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id

NOW = datetime(2026, 3, 2, 15, 0)


def _draft(period: models.Period, **kw: object) -> MeetingDraft:
    base: dict[str, object] = {
        "period_id": period.id,
        "starts_at": datetime(2026, 3, 2, 10, 0),
        "duration_min": 60,
        "kind": codes.MEETING_WALK,
        "place": "  Puisto ",
        "notes": "Käveltiin.",
    }
    base.update(kw)
    return MeetingDraft(**base)  # type: ignore[arg-type]


def _meetings(store: Store) -> list[models.Meeting]:
    with store.read() as r:
        return [m for m in r.list(models.Meeting) if not m.deleted]


def test_save_writes_meeting_nudge_and_next_meeting_together(
    store: Store, period: models.Period
) -> None:
    goal = models.Goal(id=new_id(), period_id=period.id, text="Käyn kaupassa", progress=20)
    with store.write() as w:
        w.add(goal)
    draft = _draft(period, nudges={goal.id: 30}, next_meeting_at=datetime(2026, 3, 16, 10, 0))

    saved = save_meeting(store, draft, NOW, allowed_methods=[])

    meetings = {m.id: m for m in _meetings(store)}
    assert meetings[saved.meeting_id].place == "Puisto"
    assert meetings[saved.meeting_id].goal_ids == [goal.id]
    assert saved.next_meeting_id is not None
    assert meetings[saved.next_meeting_id].status == codes.MEETING_PLANNED
    with store.read() as r:
        assert r.get(models.Goal, goal.id).progress == 30
    assert saved.changes.tables == {"meetings", "goal_progress", "goals"}
    assert saved.changes.ids("meetings") == {saved.meeting_id, saved.next_meeting_id}
    assert saved.changes.concerns_client(period.client_id)


def test_undo_reverses_exactly_what_the_save_wrote(store: Store, period: models.Period) -> None:
    goal = models.Goal(id=new_id(), period_id=period.id, text="Käyn kaupassa", progress=20)
    with store.write() as w:
        w.add(goal)
    saved = save_meeting(
        store,
        _draft(period, nudges={goal.id: 30}, next_meeting_at=datetime(2026, 3, 16, 10, 0)),
        NOW,
        allowed_methods=[],
    )

    changes = undo_meeting(store, saved)

    assert _meetings(store) == []
    with store.read() as r:
        assert r.get(models.Goal, goal.id).progress == 20
    assert changes.concerns("meetings", "goals")


def test_invalid_entry_writes_nothing(store: Store, period: models.Period) -> None:
    draft = _draft(period, next_meeting_at=datetime(2026, 3, 1, 10, 0), duration_min=0)
    with pytest.raises(ValidationError) as caught:
        save_meeting(store, draft, NOW, allowed_methods=[])
    keys = {p.message_key for p in caught.value.problems}
    assert NEXT_MEETING_IN_PAST in keys
    assert {p.field for p in caught.value.problems} >= {"next_meeting", "duration_min"}
    assert _meetings(store) == []


def test_only_a_planned_meeting_can_be_marked(store: Store, period: models.Period) -> None:
    saved = save_meeting(
        store, _draft(period, status=codes.MEETING_PLANNED), NOW, allowed_methods=[]
    )
    planned = next(m for m in _meetings(store) if m.id == saved.meeting_id)

    changes = mark_planned_meeting(store, planned, codes.MEETING_NO_SHOW)

    assert changes.ids("meetings") == {planned.id}
    marked = next(m for m in _meetings(store) if m.id == planned.id)
    assert marked.status == codes.MEETING_NO_SHOW
    assert not mark_planned_meeting(store, marked, codes.MEETING_CANCELLED)


def test_a_realised_meeting_before_the_period_is_refused(
    store: Store, period: models.Period
) -> None:
    """QA walk: a held meeting typed as 10.12.2025 for a period starting 5.1.2026
    was saved and then paid as an activity-money day."""
    before = _draft(period, starts_at=datetime(2025, 12, 10, 10, 0))
    with pytest.raises(ValidationError) as caught:
        save_meeting(store, before, NOW, allowed_methods=[])
    assert [(p.field, p.message_key) for p in caught.value.problems] == [
        ("starts_at", "validation.meeting_outside_period")
    ]
    assert _meetings(store) == []
    # the first day is in
    save_meeting(
        store, _draft(period, starts_at=datetime(2026, 1, 5, 9, 0)), NOW, allowed_methods=[]
    )
    assert len(_meetings(store)) == 1


def test_a_planned_meeting_outside_the_period_is_refused(
    store: Store, period: models.Period
) -> None:
    """QA walk: a planned meeting (and the next meeting agreed in a visit) could
    fall after the period's end, where it would never take place."""
    last_day = datetime.combine(period.planned_end, datetime.min.time()).replace(hour=10)
    late = _draft(period, status=codes.MEETING_PLANNED, starts_at=last_day + timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        save_meeting(store, late, NOW, allowed_methods=[])
    assert [(p.field, p.message_key) for p in caught.value.problems] == [
        ("starts_at", "validation.planned_outside_period")
    ]
    with_next = _draft(period, next_meeting_at=last_day + timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        save_meeting(store, with_next, NOW, allowed_methods=[])
    assert [(p.field, p.message_key) for p in caught.value.problems] == [
        ("next_meeting", "validation.planned_outside_period")
    ]
    assert _meetings(store) == []
    # the period's last day is still in
    with_next.next_meeting_at = last_day
    saved = save_meeting(store, with_next, NOW, allowed_methods=[])
    assert saved.next_meeting_id is not None
