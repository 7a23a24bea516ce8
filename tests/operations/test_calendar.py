"""Calendar export: the file and its access-log rows, together or not at all."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import icalendar
import pytest

from sosku_desktop.domain import codes, models
from sosku_desktop.operations.calendar import export_calendar, span
from sosku_desktop.operations.meetings import MeetingDraft, save_meeting
from sosku_desktop.store.database import Store

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

    assert (done.meetings, done.sessions, done.clients) == (1, 0, 1)
    assert done.changes.accessed == {period.client_id}
    events = icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert len(events) == 1 and "Meikäläinen" not in target.read_text(encoding="utf-8")


def test_a_file_that_cannot_be_written_leaves_no_log(
    store: Store, period: models.Period, tmp_path: Path
) -> None:
    _meeting(store, period, 3, codes.MEETING_REALISED)
    with pytest.raises(OSError):
        export_calendar(store, tmp_path, MONDAY, date(2026, 3, 8), "fi")
    with store.read() as r:
        assert r.list(models.AuditEntry, action=codes.AUDIT_EXPORT) == []
