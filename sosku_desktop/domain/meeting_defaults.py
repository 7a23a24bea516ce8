"""What the meeting entry proposes before the worker types anything.

A visit is usually recorded just after it happened, so a new entry starts
``duration`` minutes before now (rounded to five minutes), not at its end.
The place is where this client was last met. The next meeting is proposed
on the same weekday and at the same hour one or two weeks later, inside
working hours — never in the middle of the night — and never after the
period's last day: a proposal that would fall after it moves back to the
last working day of the period, and there is none when no working day is
left after the meeting (``next_meeting_within``). Recording a meeting on
a day with a planned visit completes that visit (``planned_to_complete``).
Pure functions: the
dialog passes the clock, the client's meetings and the device's last
choices in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sosku_desktop.domain import codes
from sosku_desktop.domain.meetings import DEFAULT_MEETING_HOUR, NEXT_MEETING_DAYS
from sosku_desktop.domain.models import Meeting

#: A just-happened visit's start is rounded to this many minutes.
START_STEP_MIN = 5
#: A proposed next meeting starts on a quarter hour.
NEXT_STEP_MIN = 15
#: Working hours a proposed meeting must fit in (start, latest end).
WORKDAY_START = time(8, 0)
WORKDAY_END = time(16, 0)
#: Saturday and Sunday (``date.weekday()``) are not proposed.
WEEKEND = (5, 6)


@dataclass(frozen=True)
class MeetingDefaults:
    """The values a new entry opens with."""

    starts_at: datetime
    duration_min: int
    kind: str
    place: str
    #: ``None`` when no working day of the period is left after the meeting.
    next_meeting_at: datetime | None


def rounded(value: datetime, step_min: int) -> datetime:
    """``value`` to the nearest ``step_min`` minutes (half up), seconds dropped."""
    base = value.replace(second=0, microsecond=0)
    minutes = base.hour * 60 + base.minute
    nearest = (minutes + step_min // 2) // step_min * step_min
    return base.replace(hour=0, minute=0) + timedelta(minutes=nearest)


def just_happened_start(now: datetime, duration_min: int) -> datetime:
    """Start of a visit that ended just now: ``now - duration``, to five minutes."""
    return rounded(now - timedelta(minutes=max(0, duration_min)), START_STEP_MIN)


def planned_start(now: datetime) -> datetime:
    """A meeting being planned: tomorrow at the usual hour."""
    tomorrow = now.date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(DEFAULT_MEETING_HOUR, 0))


def last_place(meetings: Iterable[Meeting]) -> str:
    """Where the client was last met (held or planned, the latest with a place)."""
    held = [
        m
        for m in meetings
        if not m.deleted and m.place.strip() and m.status != codes.MEETING_CANCELLED
    ]
    if not held:
        return ""
    return max(held, key=lambda m: m.starts_at).place.strip()


def _working_day(day: date) -> date:
    while day.weekday() in WEEKEND:
        day += timedelta(days=1)
    return day


def in_working_hours(start: datetime, duration_min: int) -> datetime:
    """``start`` moved into working hours on a working day (a quarter hour)."""
    start = rounded(start, NEXT_STEP_MIN)
    day = _working_day(start.date())
    if day != start.date():
        start = datetime.combine(day, start.time())
    earliest = datetime.combine(day, WORKDAY_START)
    span = min(max(0, duration_min), _minutes(WORKDAY_START, WORKDAY_END))
    latest = datetime.combine(day, WORKDAY_END) - timedelta(minutes=span)
    latest = latest.replace(minute=latest.minute // NEXT_STEP_MIN * NEXT_STEP_MIN)
    return min(max(start, earliest), latest)


def _minutes(a: time, b: time) -> int:
    return (b.hour * 60 + b.minute) - (a.hour * 60 + a.minute)


def next_meeting_at(start: datetime, duration_min: int, days: int = NEXT_MEETING_DAYS) -> datetime:
    """Same weekday and hour ``days`` later (one or two weeks), inside working hours."""
    weeks = max(1, min(2, round(days / 7)))
    return in_working_hours(start + timedelta(weeks=weeks), duration_min)


def next_meeting_within(
    start: datetime, duration_min: int, last_day: date | None, days: int = NEXT_MEETING_DAYS
) -> datetime | None:
    """``next_meeting_at`` kept on the period's days (``last_day`` included).

    A planned meeting after the period would never take place (ending the
    period cancels it), so a proposal past ``last_day`` moves back to the
    period's last working day at the same hour; ``None`` when that day is
    not after the meeting being entered.
    """
    proposed = next_meeting_at(start, duration_min, days)
    if last_day is None or proposed.date() <= last_day:
        return proposed
    day = last_day
    while day.weekday() in WEEKEND:
        day -= timedelta(days=1)
    if day <= start.date():
        return None
    # the hour is capped first: rounding 23:53 up would move it to the next day
    return in_working_hours(datetime.combine(day, min(start.time(), WORKDAY_END)), duration_min)


def planned_to_complete(
    meetings: Iterable[Meeting], now: datetime, period_id: str | None = None
) -> Meeting | None:
    """Today's planned visit that "record a meeting" should complete, if there is one.

    Recording a meeting on a day with a planned visit is that visit being held:
    it is completed (becomes held), not recorded a second time beside it. With
    several planned today, the one whose start is nearest to now.
    """
    today = [
        m
        for m in meetings
        if not m.deleted
        and m.status == codes.MEETING_PLANNED
        and m.starts_at.date() == now.date()
        and (period_id is None or m.period_id == period_id)
    ]
    if not today:
        return None
    return min(today, key=lambda m: (abs(m.starts_at - now), m.starts_at, m.id))


def meeting_defaults(
    now: datetime,
    meetings: Iterable[Meeting],
    last_duration: int,
    last_kind: str,
    device_place: str = "",
    kind: str | None = None,
    plan: bool = False,
    last_day: date | None = None,
) -> MeetingDefaults:
    """Defaults of a new entry (recording a visit that just happened, or planning one).

    ``last_day`` is the period's last day: the proposed next meeting stays on it.
    """
    meetings = list(meetings)
    duration = last_duration if last_duration > 0 else 60
    start = planned_start(now) if plan else just_happened_start(now, duration)
    return MeetingDefaults(
        starts_at=start,
        duration_min=duration,
        kind=kind or last_kind or codes.MEETING_HOME_VISIT,
        place=last_place(meetings) or device_place,
        next_meeting_at=next_meeting_within(start, duration, last_day),
    )
