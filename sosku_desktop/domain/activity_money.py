"""Activity money (toimintaraha): 9 € per day of realised activity, paid monthly.

A day counts once however many meetings or group sessions fell on it, and
only when an individual meeting was *realised* or the client was *present*
at a group session. Each day is paid at the rate in force on that day, so a
rate change in the middle of a month is exact.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sosku_desktop.domain import codes
from sosku_desktop.domain.models import Attendance, GroupSession, Meeting
from sosku_desktop.domain.rules_config import DEFAULT_RULES, Rules


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
    client_id: str,
) -> dict[date, tuple[bool, bool]]:
    """Every day with realised activity: day -> (had meeting, had group session).

    ``meetings`` must already be the client's own (e.g. of their periods);
    attendances are filtered to ``client_id`` here.
    """
    days: dict[date, tuple[bool, bool]] = {}
    for m in meetings:
        if m.deleted or m.status != codes.MEETING_REALISED:
            continue
        had_meeting, had_group = days.get(m.day, (False, False))
        days[m.day] = (True, had_group)
    session_days = {s.id: s.on for s in sessions if not s.deleted and not s.cancelled}
    for a in attendances:
        if a.deleted or a.client_id != client_id or a.status != codes.ATTENDANCE_PRESENT:
            continue
        day = session_days.get(a.session_id)
        if day is None:
            continue
        had_meeting, _ = days.get(day, (False, False))
        days[day] = (had_meeting, True)
    return days


def activity_money_for_month(
    year: int,
    month: int,
    meetings: Iterable[Meeting],
    sessions: Iterable[GroupSession],
    attendances: Iterable[Attendance],
    client_id: str,
    rules: Rules = DEFAULT_RULES,
) -> ActivityMoneyMonth:
    """Distinct realised days of one calendar month × the rate in force each day."""
    all_days = activity_days(meetings, sessions, attendances, client_id)
    paid = [
        PaidDay(day=d, cents=rules.rate_on(d), meeting=m, group_session=g)
        for d, (m, g) in sorted(all_days.items())
        if d.year == year and d.month == month
    ]
    return ActivityMoneyMonth(year=year, month=month, days=tuple(paid))


def months_with_activity(
    meetings: Iterable[Meeting],
    sessions: Iterable[GroupSession],
    attendances: Iterable[Attendance],
    client_id: str,
) -> list[tuple[int, int]]:
    """Calendar months (year, month) that have at least one paid day, in order."""
    days = activity_days(meetings, sessions, attendances, client_id)
    return sorted({(d.year, d.month) for d in days})
