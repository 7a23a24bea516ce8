"""Activity money (toimintaraha): 9 € per day of realised activity, paid monthly.

A day counts once however many meetings or group sessions fell on it, and
only when an individual meeting was *realised* or the client was *present*
at a group session. Each day is paid at the rate in force on that day, so a
rate change in the middle of a month is exact.

Only a day of one of the client's periods that has already come is paid
(``PaidWindow``), for a realised meeting and a present mark alike: new ones
outside a period or ahead of their day are refused, but a stored one (made
before that rule, or synced from a device without it) must not be paid either.
Such meetings and marks are left out of every sum and can be listed
(``left_out_marks``) so the worker is told.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sosku_desktop.domain import codes
from sosku_desktop.domain.models import Attendance, GroupSession, Meeting, Period
from sosku_desktop.domain.periods import DateRange, period_range
from sosku_desktop.domain.rules_config import DEFAULT_RULES, Rules


@dataclass(frozen=True)
class PaidWindow:
    """The days one client's activity money may be paid for: a day of one of their
    periods (``ranges``) that is not after ``today``."""

    client_id: str
    ranges: tuple[DateRange, ...]
    today: date

    def pays(self, day: date) -> bool:
        return day <= self.today and self.in_a_period(day)

    def in_a_period(self, day: date) -> bool:
        return any(r.contains(day) for r in self.ranges)


def paid_window(
    client_id: str, periods: Iterable[Period], today: date, rules: Rules = DEFAULT_RULES
) -> PaidWindow:
    """The client's paid days: their non-deleted periods' days (start to end, the
    1-year limit applied) up to ``today``."""
    ranges = [period_range(p, rules) for p in periods if not p.deleted and p.client_id == client_id]
    return PaidWindow(client_id, tuple(r for r in ranges if r is not None), today)


@dataclass(frozen=True)
class PaidDay:
    """One day that earns activity money, with the reasons it counts."""

    day: date
    cents: int
    meeting: bool
    group_session: bool


@dataclass(frozen=True)
class ActivityMoneyMonth:
    """The activity money of one client for one calendar month."""

    year: int
    month: int
    days: tuple[PaidDay, ...]

    @property
    def day_count(self) -> int:
        return len(self.days)

    @property
    def total_cents(self) -> int:
        return sum(d.cents for d in self.days)

    @property
    def dates(self) -> list[date]:
        return [d.day for d in self.days]

    @property
    def single_rate_cents(self) -> int | None:
        """The rate if every day had the same one (for "3 × 9,00 €" lines)."""
        rates = {d.cents for d in self.days}
        return rates.pop() if len(rates) == 1 else None

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


def activity_days(
    meetings: Iterable[Meeting],
    sessions: Iterable[GroupSession],
    attendances: Iterable[Attendance],
    paid: PaidWindow,
) -> dict[date, tuple[bool, bool]]:
    """Every day with realised activity: day -> (had meeting, had group session).

    ``meetings`` must already be the client's own (e.g. of their periods);
    attendances are filtered to the client here. Both count only on the days
    ``paid`` pays.
    """
    days: dict[date, tuple[bool, bool]] = {}
    for day in realised_days(meetings):
        if paid.pays(day):
            _, had_group = days.get(day, (False, False))
            days[day] = (True, had_group)
    for day in _present_days(sessions, attendances, paid.client_id):
        if paid.pays(day):
            had_meeting, _ = days.get(day, (False, False))
            days[day] = (had_meeting, True)
    return days


def realised_days(meetings: Iterable[Meeting]) -> list[date]:
    """The day of every live realised meeting (one entry per meeting)."""
    return [m.day for m in meetings if not m.deleted and m.status == codes.MEETING_REALISED]


def _present_days(
    sessions: Iterable[GroupSession], attendances: Iterable[Attendance], client_id: str
) -> list[date]:
    """The day of every live present mark of the client at a held session."""
    session_days = {s.id: s.on for s in sessions if not s.deleted and not s.cancelled}
    return [
        day
        for a in attendances
        if not a.deleted
        and a.client_id == client_id
        and a.status == codes.ATTENDANCE_PRESENT
        and (day := session_days.get(a.session_id)) is not None
    ]


def left_out_marks(
    meetings: Iterable[Meeting],
    sessions: Iterable[GroupSession],
    attendances: Iterable[Attendance],
    paid: PaidWindow,
    within: DateRange | None = None,
) -> list[date]:
    """The days of stored realised meetings and present marks (in ``within``, if
    given) that earn nothing: outside every period of the client, or on a day still
    to come. One entry per meeting or mark, so the notice counts what was stored."""
    stored = realised_days(meetings) + _present_days(sessions, attendances, paid.client_id)
    return sorted(
        day for day in stored if not paid.pays(day) and (within is None or within.contains(day))
    )


def activity_money_for_month(
    year: int,
    month: int,
    meetings: Iterable[Meeting],
    sessions: Iterable[GroupSession],
    attendances: Iterable[Attendance],
    paid: PaidWindow,
    rules: Rules = DEFAULT_RULES,
) -> ActivityMoneyMonth:
    """Distinct realised days of one calendar month × the rate in force each day."""
    all_days = activity_days(meetings, sessions, attendances, paid)
    days = [
        PaidDay(day=d, cents=rules.rate_on(d), meeting=m, group_session=g)
        for d, (m, g) in sorted(all_days.items())
        if d.year == year and d.month == month
    ]
    return ActivityMoneyMonth(year=year, month=month, days=tuple(days))


def months_with_activity(
    meetings: Iterable[Meeting],
    sessions: Iterable[GroupSession],
    attendances: Iterable[Attendance],
    paid: PaidWindow,
) -> list[tuple[int, int]]:
    """Calendar months (year, month) that have at least one paid day, in order."""
    days = activity_days(meetings, sessions, attendances, paid)
    return sorted({(d.year, d.month) for d in days})
