"""Calendar export: the file and its access-log rows, together or not at all."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import icalendar
import pytest

from sosku_desktop.domain import codes, models
from sosku_desktop.operations.calendar import export_calendar, span
from sosku_desktop.operations.groups import add_session, save_group, toggle_cancelled
from sosku_desktop.operations.meetings import MeetingDraft, mark_planned_meeting, save_meeting
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id

MONDAY = date(2026, 3, 2)


def _meeting(store: Store, period: models.Period, day: int, status: str) -> None:
    draft = MeetingDraft(
        period_id=period.id,
        starts_at=datetime(2026, 3, day, 10, 0),
        duration_min=60,
        kind=codes.MEETING_CAFE,
        status=status,
    )
    save_meeting(store, draft, datetime(2026, 3, 31), allowed_methods=[])


def test_export_writes_exported_meetings_and_logs_their_clients(
    store: Store, period: models.Period, tmp_path: Path
) -> None:
    _meeting(store, period, 3, codes.MEETING_REALISED)
    _meeting(store, period, 4, codes.MEETING_CANCELLED)
    with store.read() as r:
        week = span(r, MONDAY, date(2026, 3, 8))
    assert len(week.meetings) == 2 and set(week.clients) == {period.id}

    target = tmp_path / "viikko.ics"
    done = export_calendar(store, target, MONDAY, date(2026, 3, 8), "fi")

    assert (done.meetings, done.sessions, done.clients) == (2, 0, 1)
    assert done.changes.accessed == {period.client_id}
    events = icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert sorted(str(e["STATUS"]) for e in events) == ["CANCELLED", "CONFIRMED"]
    assert "Meikäläinen" not in target.read_text(encoding="utf-8")


def _statuses(path: Path) -> dict[str, tuple[str, int, str]]:
    """UID -> (STATUS, SEQUENCE, SUMMARY) as icalendar reads the file back."""
    events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    return {
        str(e["UID"]): (str(e["STATUS"]), int(e.decoded("SEQUENCE")), str(e["SUMMARY"]))
        for e in events
    }


def test_cancelling_keeps_the_uid_and_no_shows_stay_out(
    store: Store, period: models.Period, tmp_path: Path
) -> None:
    before = datetime(2026, 3, 1, 8, 0)
    planned = [
        save_meeting(
            store,
            MeetingDraft(
                period_id=period.id,
                starts_at=datetime(2026, 3, day, 10, 0),
                duration_min=60,
                kind=codes.MEETING_CAFE,
                status=codes.MEETING_PLANNED,
            ),
            before,
            allowed_methods=[],
        ).meeting_id
        for day in (3, 4)
    ]
    group = models.Group(id=new_id(), name="Arjen taidot")
    save_group(store, group, None)
    session = models.GroupSession(id=new_id(), group_id=group.id, on=date(2026, 3, 5))
    add_session(store, session)
    week = (MONDAY, date(2026, 3, 8))
    export_calendar(store, tmp_path / "live.ics", *week, "fi")

    with store.read() as r:
        cancelled, no_show = (r.get(models.Meeting, mid) for mid in planned)
    mark_planned_meeting(store, cancelled, codes.MEETING_CANCELLED)
    mark_planned_meeting(store, no_show, codes.MEETING_NO_SHOW)
    toggle_cancelled(store, session)
    done = export_calendar(store, tmp_path / "cancelled.ics", *week, "fi")

    live, gone = _statuses(tmp_path / "live.ics"), _statuses(tmp_path / "cancelled.ics")
    m_uid, n_uid, s_uid = (f"{i}@sosku-desktop" for i in (*planned, session.id))
    assert set(live) == {m_uid, n_uid, s_uid} and set(gone) == {m_uid, s_uid}
    assert (done.meetings, done.sessions) == (1, 1)
    for uid in (m_uid, s_uid):
        assert live[uid][:2] == ("CONFIRMED", 0)
        assert gone[uid] == ("CANCELLED", 1, f"Peruttu: {live[uid][2]}")


def test_a_file_that_cannot_be_written_leaves_no_log(
    store: Store, period: models.Period, tmp_path: Path
) -> None:
    _meeting(store, period, 3, codes.MEETING_REALISED)
    with pytest.raises(OSError):
        export_calendar(store, tmp_path, MONDAY, date(2026, 3, 8), "fi")
    with store.read() as r:
        assert r.list(models.AuditEntry, action=codes.AUDIT_EXPORT) == []
