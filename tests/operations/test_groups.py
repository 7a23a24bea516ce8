"""Group operations: members join and leave by the domain's rule; sheets save whole."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from sosku_desktop.domain import attendance, codes, models
from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.operations import groups
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id

TODAY = date(2026, 3, 2)


def _group(store: Store) -> models.Group:
    group = dataclasses.replace(groups.blank_group(), name="Kävelyryhmä")
    groups.save_group(store, group, None)
    return group


def _members(store: Store, group_id: str) -> list[models.GroupMember]:
    with store.read() as r:
        return r.list(models.GroupMember, group_id=group_id)


def test_leaving_ends_a_running_membership_and_withdraws_a_future_one(
    store: Store, period: models.Period
) -> None:
    group = _group(store)
    client_id = period.client_id
    groups.add_member(store, group.id, client_id, TODAY - timedelta(days=30))
    changes = groups.end_membership(store, group.id, client_id, TODAY)
    assert [m.left_on for m in _members(store, group.id)] == [TODAY]
    assert changes.concerns("group_members") and changes.concerns_client(client_id)
    # leaving twice changes nothing
    assert not groups.end_membership(store, group.id, client_id, TODAY).tables

    groups.add_member(store, group.id, client_id, TODAY + timedelta(days=7))
    groups.end_membership(store, group.id, client_id, TODAY)
    assert [m.left_on for m in _members(store, group.id)] == [TODAY]  # the future one is gone


def test_sessions_follow_weekly_and_attendance_saves_whole(
    store: Store, period: models.Period
) -> None:
    group = _group(store)
    first = groups.next_session(group.id, [], TODAY)
    assert (first.on, first.duration_min) == (TODAY, attendance.DEFAULT_SESSION_MINUTES)
    groups.add_session(store, first)
    second = groups.next_session(group.id, [first], TODAY)
    assert second.on == TODAY + timedelta(days=7)

    entry = attendance.SheetEntry(period.client_id, codes.ATTENDANCE_PRESENT)
    saved = groups.save_attendance(store, first.id, [entry], TODAY)
    assert saved.rows == 1 and saved.changes.concerns("attendances")
    again = groups.save_attendance(store, first.id, [entry], TODAY)
    assert again.rows == 0  # unchanged marks write nothing

    assert groups.toggle_cancelled(store, first).ids("group_sessions") == {first.id}
    with store.read() as r:
        assert r.get(models.GroupSession, first.id).cancelled


def test_marks_for_a_session_still_to_come_are_refused_except_excused(
    store: Store, period: models.Period
) -> None:
    group = _group(store)
    coming = dataclasses.replace(groups.next_session(group.id, [], TODAY), on=TODAY + timedelta(2))
    groups.add_session(store, coming)
    present = attendance.SheetEntry(period.client_id, codes.ATTENDANCE_PRESENT)
    with pytest.raises(ValidationError) as refused:
        groups.save_attendance(store, coming.id, [present], TODAY)
    assert [p.message_key for p in refused.value.problems] == [attendance.BEFORE_SESSION]
    with store.read() as r:
        assert r.list(models.Attendance, session_id=coming.id) == []  # nothing written
    excused = attendance.SheetEntry(period.client_id, codes.ATTENDANCE_EXCUSED)
    assert groups.save_attendance(store, coming.id, [excused], TODAY).rows == 1
    # on the day itself the session's marks are taken as usual
    assert groups.save_attendance(store, coming.id, [present], coming.on).rows == 1


def test_present_is_refused_for_a_guest_whose_period_has_ended(
    store: Store, period: models.Period
) -> None:
    """Activity money is paid only within a period, for group days as for meetings."""
    group = _group(store)
    session = groups.next_session(group.id, [], TODAY)
    groups.add_session(store, session)
    former = models.Client(id=new_id(), first_name="Olli", last_name="Ojala")
    ended = models.Period(
        id=new_id(),
        client_id=former.id,
        worker_id=store.worker_id,
        start=TODAY - timedelta(days=200),
        planned_end=TODAY - timedelta(days=10),
        status=codes.PERIOD_ENDED,
        ended_on=TODAY - timedelta(days=10),
    )
    with store.write() as w:
        w.add(former)
        w.add(ended)
    marks = [
        attendance.SheetEntry(period.client_id, codes.ATTENDANCE_PRESENT),
        attendance.SheetEntry(former.id, codes.ATTENDANCE_PRESENT, guest=True, member=False),
    ]
    with pytest.raises(ValidationError) as refused:
        groups.save_attendance(store, session.id, marks, TODAY)
    assert [p.params["n"] for p in refused.value.problems] == [1]
    with store.read() as r:
        assert r.list(models.Attendance, session_id=session.id) == []
    assert groups.save_attendance(store, session.id, marks[:1], TODAY).rows == 1


def test_showing_a_group_logs_one_view_per_client(store: Store, period: models.Period) -> None:
    group = _group(store)
    changes = groups.log_viewed(store, [period.client_id] * 2, "groups", group.id)
    assert changes.accessed == {period.client_id} and not changes.tables
    with store.read() as r:
        views = r.list(models.AuditEntry, action=codes.AUDIT_VIEW)
    assert [(v.client_id, v.record_table) for v in views] == [(period.client_id, "groups")]
    assert not groups.log_viewed(store, [], "groups", group.id)


def test_a_client_without_a_period_in_progress_cannot_join(
    store: Store, period: models.Period
) -> None:
    """QA walk: a client whose period had ended could join a group, and the
    days marked present were then paid as activity money."""
    import pytest

    from sosku_desktop.domain.errors import ValidationError
    from sosku_desktop.domain.lifecycle import Ending
    from sosku_desktop.operations.period_lifecycle import end_period

    group = _group(store)
    end_period(store, period.id, Ending(TODAY, codes.END_GOALS_REACHED, "Valmis."), TODAY)
    with pytest.raises(ValidationError) as caught:
        groups.add_member(store, group.id, period.client_id, TODAY + timedelta(days=7))
    assert [p.message_key for p in caught.value.problems] == ["validation.no_period_in_progress"]
    assert _members(store, group.id) == []


def test_a_session_moves_with_its_marks_but_not_to_a_day_they_cannot_hold(
    store: Store, period: models.Period
) -> None:
    """Held on Wednesday instead of Thursday: the session moves and its marks go along.

    Present marks pay activity money, so a marked session cannot move to a day still
    to come, nor to a day before the present client's period began.
    """
    group = _group(store)
    session = dataclasses.replace(groups.next_session(group.id, [], TODAY), starts_at="13.00")
    groups.add_session(store, session)
    present = attendance.SheetEntry(period.client_id, codes.ATTENDANCE_PRESENT)
    groups.save_attendance(store, session.id, [present], TODAY)

    earlier = dataclasses.replace(session, on=TODAY - timedelta(days=1), starts_at="10.00")
    changes = groups.move_session(store, earlier, session, TODAY)
    assert changes.concerns("group_sessions")
    with store.read() as r:
        stored = r.get(models.GroupSession, session.id)
        marks = r.list(models.Attendance, session_id=session.id)
    assert (stored.on, stored.starts_at) == (earlier.on, "10.00")
    assert [(m.client_id, m.status) for m in marks] == [(period.client_id, present.status)]

    for day, key in (
        (TODAY + timedelta(days=1), attendance.MOVED_MARKED),
        (period.start - timedelta(days=1), attendance.NO_PERIOD),
    ):
        with pytest.raises(ValidationError) as refused:
            groups.move_session(store, dataclasses.replace(stored, on=day), stored, TODAY)
        assert [(p.field, p.message_key) for p in refused.value.problems] == [("on", key)]
    with store.read() as r:
        assert r.get(models.GroupSession, session.id).on == earlier.on

    # an unmarked session (or one with only an excused absence) moves anywhere
    later = groups.next_session(group.id, [stored], TODAY)
    groups.add_session(store, later)
    excused = attendance.SheetEntry(period.client_id, codes.ATTENDANCE_EXCUSED)
    groups.save_attendance(store, later.id, [excused], TODAY)
    moved = dataclasses.replace(later, on=later.on + timedelta(days=14), theme="Museo")
    groups.move_session(store, moved, later, TODAY)
    with store.read() as r:
        assert r.get(models.GroupSession, later.id).theme == "Museo"
