"""Individual meetings of a period: monthly counts, the monthly target, what is next.

Counting rules
--------------
- Only *realised*, non-deleted meetings count towards the monthly target;
  planned, cancelled and no-show meetings never do.
- Every realised meeting counts, also two on the same day (a home visit in
  the morning and escorting to a service in the afternoon are two
  meetings). Activity money is different: it pays a day once
  (``activity_money``). ``MonthCount.days`` gives the distinct days too.
- The target is ``rules.min_meetings_per_month`` for a month fully inside the
  period. A month the period only partly covers (the first and last month)
  gets a pro-rated target, rounded up: a period starting on 4.1. still needs
  2 meetings in January (28 of 31 days), one starting on 25.1. needs 1.
  Months outside the period have no target (0).
- Datetimes are naive local times, as the store keeps them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sosku_desktop.domain import codes
from sosku_desktop.domain.models import Meeting, Period
from sosku_desktop.domain.periods import month_range, months_of, period_range
from sosku_desktop.domain.rules_config import DEFAULT_RULES, Rules


@dataclass(frozen=True)
class MonthCount:
    """Realised meetings of one period in one calendar month."""

    year: int
    month: int
    realised: int
    days: int
    target: int

    @property
    def met(self) -> bool:
        return self.realised >= self.target

    @property
    def missing(self) -> int:
        return max(0, self.target - self.realised)


def _of_period(meetings: Iterable[Meeting], period_id: str | None) -> list[Meeting]:
    return [
        m for m in meetings if not m.deleted and (period_id is None or m.period_id == period_id)
    ]


def realised_meetings(meetings: Iterable[Meeting], period_id: str | None = None) -> list[Meeting]:
    """Non-deleted realised meetings (of one period if given), by start time then id."""
    found = [m for m in _of_period(meetings, period_id) if m.status == codes.MEETING_REALISED]
    return sorted(found, key=lambda m: (m.starts_at, m.id))


def realised_in_month(
    meetings: Iterable[Meeting], year: int, month: int, period_id: str | None = None
) -> list[Meeting]:
    """Realised meetings whose day falls in the calendar month."""
    return [
        m
        for m in realised_meetings(meetings, period_id)
        if m.day.year == year and m.day.month == month
    ]


def meetings_target_for_month(
    period: Period, year: int, month: int, rules: Rules = DEFAULT_RULES
) -> int:
    """How many realised meetings the month needs (pro-rated at the period's edges)."""
    whole = period_range(period, rules)
    if whole is None:
        return 0
    month_days = month_range(year, month)
    if not whole.overlaps(month_days):
        return 0
    covered = (min(whole.end, month_days.end) - max(whole.start, month_days.start)).days + 1
    # ceil(min × covered / days) with integers only
    return -(-rules.min_meetings_per_month * covered // month_days.days)


def month_count(
    period: Period,
    meetings: Iterable[Meeting],
    year: int,
    month: int,
    rules: Rules = DEFAULT_RULES,
) -> MonthCount:
    """Realised meetings, distinct days and target of one month of the period."""
    realised = realised_in_month(meetings, year, month, period.id)
    return MonthCount(
        year=year,
        month=month,
        realised=len(realised),
        days=len({m.day for m in realised}),
        target=meetings_target_for_month(period, year, month, rules),
    )


def meeting_target_met(
    period: Period,
    meetings: Iterable[Meeting],
    year: int,
    month: int,
    rules: Rules = DEFAULT_RULES,
) -> bool:
    """Whether the month has at least its target of realised meetings."""
    return month_count(period, meetings, year, month, rules).met


def meetings_per_month(
    period: Period,
    meetings: Iterable[Meeting],
    until: date | None = None,
    rules: Rules = DEFAULT_RULES,
) -> list[MonthCount]:
    """One ``MonthCount`` per calendar month of the period (zeros included).

    From the period's start month to its end month, or to ``until``'s month
    if that is earlier (e.g. today, so future months are not listed).
    """
    whole = period_range(period, rules)
    if whole is None:
        return []
    end = whole.end if until is None else min(whole.end, until)
    if end < whole.start:
        return []
    meeting_list = _of_period(meetings, period.id)
    return [month_count(period, meeting_list, y, m, rules) for y, m in months_of(whole.start, end)]


def upcoming_planned(
    meetings: Iterable[Meeting], now: datetime, period_id: str | None = None
) -> list[Meeting]:
    """Planned, non-deleted meetings starting at ``now`` or later, soonest first."""
    found = [
        m
        for m in _of_period(meetings, period_id)
        if m.status == codes.MEETING_PLANNED and m.starts_at >= now
    ]
    return sorted(found, key=lambda m: (m.starts_at, m.id))


def planned_after(meetings: Iterable[Meeting], period_id: str | None, end: date) -> list[Meeting]:
    """Planned, non-deleted meetings on a day after ``end``: ending the period cancels them.

    Cancelled rather than deleted, as group memberships are ended rather
    than removed: the history keeps that they were planned.
    """
    found = [
        m
        for m in _of_period(meetings, period_id)
        if m.status == codes.MEETING_PLANNED and m.day > end
    ]
    return sorted(found, key=lambda m: (m.starts_at, m.id))


def next_planned_meeting(
    meetings: Iterable[Meeting], now: datetime, period_id: str | None = None
) -> Meeting | None:
    """The soonest planned meeting at or after ``now``; ``None`` if there is none."""
    upcoming = upcoming_planned(meetings, now, period_id)
    return upcoming[0] if upcoming else None


def last_realised_meeting(
    meetings: Iterable[Meeting], period_id: str | None = None, before: datetime | None = None
) -> Meeting | None:
    """The latest realised meeting (before ``before`` if given)."""
    found = [
        m for m in realised_meetings(meetings, period_id) if before is None or m.starts_at < before
    ]
    return found[-1] if found else None


def counts_by_kind(
    meetings: Iterable[Meeting],
    period_id: str | None = None,
    status: str | None = codes.MEETING_REALISED,
) -> dict[str, int]:
    """Meetings per contact mode, every kind present, in ``codes.MEETING_KINDS`` order.

    Only meetings with ``status`` (realised by default; ``None`` = all). Kinds
    outside the code list are added after the known ones.
    """
    counter = Counter(
        m.kind for m in _of_period(meetings, period_id) if status is None or m.status == status
    )
    result = {kind: counter.pop(kind, 0) for kind in codes.MEETING_KINDS}
    for kind in sorted(counter):
        result[kind] = counter[kind]
    return result


def counts_by_status(meetings: Iterable[Meeting], period_id: str | None = None) -> dict[str, int]:
    """Meetings per status, every status present, in ``codes.MEETING_STATUSES`` order."""
    counter = Counter(m.status for m in _of_period(meetings, period_id))
    result = {status: counter.pop(status, 0) for status in codes.MEETING_STATUSES}
    for status in sorted(counter):
        result[status] = counter[status]
    return result


def methods_used(meetings: Iterable[Meeting], period_id: str | None = None) -> dict[str, int]:
    """How often each method was used in realised meetings, most used first."""
    counter = Counter(
        method
        for m in realised_meetings(meetings, period_id)
        for method in dict.fromkeys(m.methods)
    )
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


#: A nudge in the meeting entry moves a goal's progress by this many percentage points.
NUDGE_STEP = 10
#: The next meeting is proposed this many days after the one being entered.
NEXT_MEETING_DAYS = 14
#: An evaluation meeting is proposed this many days before the evaluation is due,
#: so there is time to write it up.
EVALUATION_LEAD_DAYS = 7
#: A meeting proposed for a day starts at this hour.
DEFAULT_MEETING_HOUR = 10
#: Message key: the next meeting must come after the one being entered.
NEXT_MEETING_IN_PAST = "ui.meeting.next_in_past"


def next_meeting_ok(starts_at: datetime, next_at: datetime | None) -> bool:
    """A next meeting agreed in a meeting must come after it (none is fine)."""
    return next_at is None or next_at > starts_at


def evaluation_meeting_at(due: date, today: date) -> datetime:
    """When to propose the evaluation meeting: a week before it is due, never before tomorrow."""
    day = max(due - timedelta(days=EVALUATION_LEAD_DAYS), today + timedelta(days=1))
    return datetime.combine(day, datetime.min.time()).replace(hour=DEFAULT_MEETING_HOUR)
