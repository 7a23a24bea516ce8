"""Team figures for the team lead, computed from plain domain objects.

Every device can compute them from its own synced data, so nobody types
figures in twice. The rules come from the domain modules (meeting targets,
activity money, budget, attendance tallies); this module only chooses what
is in scope and adds up.

Scope
-----
- The window is whole calendar months ``first_month``..``last_month``.
- A period is *in scope* when it is not deleted, its client is not deleted,
  it has started (status active or ended; planned periods have not) and its
  days overlap the window. With a worker filter, only periods whose
  responsible worker (``Period.worker_id``) is that worker.
- *Clients in service* counts distinct clients of in-scope periods: those
  still active by their current phase, the others as ended. (Phases are not
  kept historically, so the phase is today's.)
- *Meetings per client and month*: realised meetings of the client's
  in-scope periods against the monthly target (``domain.meetings``); a month
  touched by two periods of one client adds their pro-rated targets, never
  above the monthly minimum.
- *Meeting kinds and statuses*: meetings of in-scope periods in the window.
- *Group attendance*: held (not cancelled) sessions in the window; the rate
  is present out of marked. With a worker filter only the marks of that
  worker's in-scope clients count, and a group none of them was marked in
  is left out.
- *Activity money*: per month, the sum over in-scope clients of
  ``activity_money_for_month`` (their in-scope periods' meetings and their
  present marks on those periods' days up to the report day,
  ``activity_money.PaidWindow``). Stored meetings and marks outside those days
  are counted apart (``left_out_marks``) so the page can say so. Sessions of a
  deleted group count nowhere.
- *Budget*: each worker in scope (all, or the filtered one) for every
  calendar year the window touches (``domain.budget``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sosku_desktop.domain import codes
from sosku_desktop.domain.activity_money import (
    activity_money_for_month,
    left_out_marks,
    paid_window,
)
from sosku_desktop.domain.attendance import Tally, session_tallies
from sosku_desktop.domain.budget import BudgetStatus, budget_status
from sosku_desktop.domain.meetings import counts_by_kind, counts_by_status, month_count
from sosku_desktop.domain.models import (
    Attendance,
    Client,
    Expense,
    Group,
    GroupSession,
    Meeting,
    Period,
    Worker,
)
from sosku_desktop.domain.periods import DateRange, month_range, months_of, period_range
from sosku_desktop.domain.rules_config import DEFAULT_RULES, Rules

Month = tuple[int, int]

#: The bucket for clients whose in-scope period has ended.
ENDED = codes.PERIOD_ENDED


@dataclass(frozen=True)
class ReportFilter:
    """Which months and whose clients the report covers."""

    first_month: Month
    last_month: Month
    worker_id: str | None = None

    def __post_init__(self) -> None:
        for _year, month in (self.first_month, self.last_month):
            if not 1 <= month <= 12:
                raise ValueError("month must be 1–12")
        if self.last_month < self.first_month:
            raise ValueError("the window must not end before it starts")

    @property
    def window(self) -> DateRange:
        return DateRange(month_range(*self.first_month).start, month_range(*self.last_month).end)

    @property
    def months(self) -> list[Month]:
        return months_of(self.window.start, self.window.end)


@dataclass
class TeamData:
    """Everything the report reads, as loaded from the store."""

    workers: Sequence[Worker] = ()
    clients: Sequence[Client] = ()
    periods: Sequence[Period] = ()
    meetings: Sequence[Meeting] = ()
    groups: Sequence[Group] = ()
    sessions: Sequence[GroupSession] = ()
    attendances: Sequence[Attendance] = ()
    expenses: Sequence[Expense] = ()
    rules: Rules = field(default_factory=lambda: DEFAULT_RULES)


@dataclass(frozen=True)
class ClientMonth:
    """One client's month: realised meetings against the target, and activity money."""

    client_id: str
    client_name: str
    worker_name: str
    year: int
    month: int
    realised: int
    target: int
    paid_days: int
    paid_cents: int

    @property
    def met(self) -> bool:
        return self.realised >= self.target


@dataclass(frozen=True)
class MeetingMonth:
    """The team's month: how many clients reached their meeting target."""

    year: int
    month: int
    realised: int
    clients_with_target: int
    clients_meeting_target: int
    #: The month has ended (before the report day); an open month may still fill up.
    closed: bool

    @property
    def share_met(self) -> float | None:
        if not self.clients_with_target:
            return None
        return self.clients_meeting_target / self.clients_with_target


@dataclass(frozen=True)
class GroupAttendance:
    """Present out of marked at one group's sessions in the window."""

    group_id: str
    name: str
    sessions: int
    tally: Tally

    @property
    def rate_percent(self) -> int | None:
        return self.tally.rate_percent


@dataclass(frozen=True)
class MoneyMonth:
    """Activity money the team's clients earned in one month."""

    year: int
    month: int
    clients: int
    days: int
    total_cents: int


@dataclass(frozen=True)
class BudgetLine:
    """A worker's own activity budget in one year."""

    worker_id: str
    worker_name: str
    role: str
    status: BudgetStatus


@dataclass(frozen=True)
class TeamReport:
    """All team figures of one window."""

    filter: ReportFilter
    today: date
    worker_name: str
    phases: dict[str, int]
    started: int
    ended: int
    meeting_months: tuple[MeetingMonth, ...]
    client_months: tuple[ClientMonth, ...]
    meeting_kinds: dict[str, int]
    meeting_statuses: dict[str, int]
    groups: tuple[GroupAttendance, ...]
    money_months: tuple[MoneyMonth, ...]
    budgets: tuple[BudgetLine, ...]
    #: The monthly meeting minimum the targets come from (``Rules``).
    min_meetings_per_month: int = DEFAULT_RULES.min_meetings_per_month
    #: Stored present marks in the window that earn nothing (outside the clients'
    #: in-scope periods, or on a day after the report day): left out of the money.
    left_out_marks: int = 0

    @property
    def clients_in_service(self) -> int:
        return sum(self.phases.values())

    @property
    def realised_meetings(self) -> int:
        return sum(m.realised for m in self.meeting_months)

    @property
    def money_total_cents(self) -> int:
        return sum(m.total_cents for m in self.money_months)

    @property
    def client_ids(self) -> list[str]:
        """Clients whose own rows the report shows, in row order (for the access log)."""
        return list(dict.fromkeys(row.client_id for row in self.client_months))

    @property
    def attendance_total(self) -> Tally:
        return _sum_tallies(g.tally for g in self.groups)


def _sum_tallies(tallies: Iterable[Tally]) -> Tally:
    present = absent = excused = 0
    for t in tallies:
        present, absent, excused = present + t.present, absent + t.absent, excused + t.excused
    return Tally(present=present, absent=absent, excused=excused)


# --- scope ------------------------------------------------------------------------


def periods_in_scope(data: TeamData, report_filter: ReportFilter) -> list[Period]:
    """Started, non-deleted periods of live clients overlapping the window (see module doc)."""
    deleted_clients = {c.id for c in data.clients if c.deleted}
    known_clients = {c.id for c in data.clients}
    window = report_filter.window
    found = []
    for p in data.periods:
        if p.deleted or p.client_id in deleted_clients or p.client_id not in known_clients:
            continue
        if p.status not in (codes.PERIOD_ACTIVE, codes.PERIOD_ENDED):
            continue
        if report_filter.worker_id is not None and p.worker_id != report_filter.worker_id:
            continue
        days = period_range(p, data.rules)
        if days is None or not days.overlaps(window):
            continue
        found.append(p)
    return sorted(found, key=lambda p: (p.start, p.id))


def _phase_counts(periods: Sequence[Period]) -> dict[str, int]:
    """Distinct clients by current phase (latest in-scope period wins); ended last."""
    latest: dict[str, Period] = {}
    for p in periods:
        latest[p.client_id] = p  # periods come sorted by start
    result = dict.fromkeys((*codes.PHASES, ENDED), 0)
    for p in latest.values():
        bucket = p.phase if p.status == codes.PERIOD_ACTIVE else ENDED
        result[bucket] = result.get(bucket, 0) + 1
    return result


# --- figures ----------------------------------------------------------------------


def _client_months(
    data: TeamData,
    report_filter: ReportFilter,
    periods: Sequence[Period],
    meetings_by_period: dict[str, list[Meeting]],
    today: date,
) -> tuple[list[ClientMonth], int]:
    """The rows of every client and month, and how many stored realised meetings and
    present marks in the window were left out of the money (outside the periods'
    days, or still to come)."""
    names = {c.id: c for c in data.clients}
    workers = {w.id: w.name for w in data.workers}
    session_by_id = {s.id: s for s in live_sessions(data)}
    marks_of: dict[str, list[Attendance]] = {}
    for a in data.attendances:
        marks_of.setdefault(a.client_id, []).append(a)
    by_client: dict[str, list[Period]] = {}
    for p in periods:
        by_client.setdefault(p.client_id, []).append(p)
    rows: list[ClientMonth] = []
    left_out = 0
    window, months = report_filter.window, report_filter.months  # computed: once, not per client
    for client_id, own in by_client.items():
        paid = paid_window(client_id, own, today, data.rules)
        # Each row goes to its month once: a month's figures then look at that month's
        # rows only (linear in the caseload and the window, not their product).
        of_period = {p.id: _by_month(meetings_by_period.get(p.id, [])) for p in own}
        own_meetings = [m for p in own for m in meetings_by_period.get(p.id, [])]
        meetings = _by_month(own_meetings)
        marks: dict[tuple[int, int], list[Attendance]] = {}
        sessions: dict[tuple[int, int], list[GroupSession]] = {}
        # Only the sessions this client was marked in: linear in the caseload.
        for a in marks_of.get(client_id, []):
            session = session_by_id.get(a.session_id)
            if session is not None:
                key = (session.on.year, session.on.month)
                marks.setdefault(key, []).append(a)
                sessions.setdefault(key, []).append(session)
        held = (s for of_month in sessions.values() for s in of_month)
        stored = left_out_marks(own_meetings, held, marks_of.get(client_id, []), paid, window)
        left_out += len(stored)
        for year, month in months:
            counts = [
                (p, month_count(p, of_period[p.id].get((year, month), []), year, month, data.rules))
                for p in own
            ]
            touching = [(p, c) for p, c in counts if c.target > 0]
            money = activity_money_for_month(
                year,
                month,
                meetings.get((year, month), []),
                sessions.get((year, month), []),
                marks.get((year, month), []),
                paid,
                data.rules,
            )
            realised = sum(c.realised for _, c in counts)
            if not touching and not realised and not money.day_count:
                continue
            target = min(data.rules.min_meetings_per_month, sum(c.target for _, c in touching))
            responsible = (touching or counts)[-1][0].worker_id
            rows.append(
                ClientMonth(
                    client_id=client_id,
                    client_name=_sort_name(names[client_id]),
                    worker_name=workers.get(responsible or "", ""),
                    year=year,
                    month=month,
                    realised=realised,
                    target=target,
                    paid_days=money.day_count,
                    paid_cents=money.total_cents,
                )
            )
    rows.sort(key=lambda r: (r.client_name.casefold(), r.client_id, r.year, r.month))
    return rows, left_out


def _by_month(meetings: Iterable[Meeting]) -> dict[tuple[int, int], list[Meeting]]:
    """Meetings by the (year, month) of their day, each list in the given order."""
    found: dict[tuple[int, int], list[Meeting]] = {}
    for m in meetings:
        day = m.starts_at.date()
        found.setdefault((day.year, day.month), []).append(m)
    return found


def live_sessions(data: TeamData) -> list[GroupSession]:
    """Sessions of groups that still exist (a deleted group's sessions count nowhere)."""
    live_groups = {g.id for g in data.groups if not g.deleted}
    return [s for s in data.sessions if not s.deleted and s.group_id in live_groups]


def _sort_name(client: Client) -> str:
    """ "Korhonen, Aino" — lists of people are read by last name."""
    return f"{client.last_name}, {client.first_name}".strip(", ")


def _meeting_months(
    report_filter: ReportFilter, rows: Sequence[ClientMonth], today: date
) -> list[MeetingMonth]:
    result = []
    for year, month in report_filter.months:
        of_month = [r for r in rows if (r.year, r.month) == (year, month)]
        with_target = [r for r in of_month if r.target > 0]
        result.append(
            MeetingMonth(
                year=year,
                month=month,
                realised=sum(r.realised for r in of_month),
                clients_with_target=len(with_target),
                clients_meeting_target=sum(1 for r in with_target if r.met),
                closed=month_range(year, month).end < today,
            )
        )
    return result


def _money_months(report_filter: ReportFilter, rows: Sequence[ClientMonth]) -> list[MoneyMonth]:
    result = []
    for year, month in report_filter.months:
        paid = [r for r in rows if (r.year, r.month) == (year, month) and r.paid_days]
        result.append(
            MoneyMonth(
                year=year,
                month=month,
                clients=len(paid),
                days=sum(r.paid_days for r in paid),
                total_cents=sum(r.paid_cents for r in paid),
            )
        )
    return result


def _groups(
    data: TeamData, report_filter: ReportFilter, client_ids: set[str] | None
) -> list[GroupAttendance]:
    window = report_filter.window
    held = [s for s in data.sessions if not s.deleted and not s.cancelled and window.contains(s.on)]
    marks = [
        a
        for a in data.attendances
        if not a.deleted and (client_ids is None or a.client_id in client_ids)
    ]
    tallies = session_tallies(held, marks)
    result = []
    for group in sorted(
        (g for g in data.groups if not g.deleted), key=lambda g: (g.name.casefold(), g.id)
    ):
        own = [s for s in held if s.group_id == group.id]
        if not own or (client_ids is not None and not _marked_in(own, marks)):
            # one worker's report lists only groups their clients were marked in:
            # another worker's group showed as sessions with 0/0/0 and no rate
            continue
        total = _sum_tallies(tallies[s.id] for s in own)
        result.append(GroupAttendance(group.id, group.name, len(own), total))
    return result


def _marked_in(sessions: Iterable[GroupSession], marks: Iterable[Attendance]) -> bool:
    """Whether any of ``marks`` is at one of ``sessions``."""
    ids = {s.id for s in sessions}
    return any(a.session_id in ids for a in marks)


def _budgets(data: TeamData, report_filter: ReportFilter) -> list[BudgetLine]:
    years = range(report_filter.first_month[0], report_filter.last_month[0] + 1)
    workers = sorted(
        (
            w
            for w in data.workers
            if not w.deleted
            and (report_filter.worker_id is None or w.id == report_filter.worker_id)
        ),
        key=lambda w: (w.name.casefold(), w.id),
    )
    return [
        BudgetLine(w.id, w.name, w.role, budget_status(w, data.expenses, year, data.rules))
        for year in years
        for w in workers
    ]


def _in_window(meetings: Iterable[Meeting], window: DateRange) -> list[Meeting]:
    return [m for m in meetings if not m.deleted and window.contains(m.day)]


def team_report(data: TeamData, report_filter: ReportFilter, today: date) -> TeamReport:
    """Every team figure for the window and worker of ``report_filter``."""
    periods = periods_in_scope(data, report_filter)
    period_ids = {p.id for p in periods}
    meetings_by_period: dict[str, list[Meeting]] = {}
    for m in data.meetings:
        if not m.deleted and m.period_id in period_ids:
            meetings_by_period.setdefault(m.period_id, []).append(m)
    rows, left_out = _client_months(data, report_filter, periods, meetings_by_period, today)
    window = report_filter.window
    window_meetings = _in_window((m for own in meetings_by_period.values() for m in own), window)
    scoped_clients = {p.client_id for p in periods} if report_filter.worker_id is not None else None
    worker_name = ""
    if report_filter.worker_id is not None:
        worker_name = next((w.name for w in data.workers if w.id == report_filter.worker_id), "")
    return TeamReport(
        filter=report_filter,
        today=today,
        worker_name=worker_name,
        phases=_phase_counts(periods),
        started=sum(1 for p in periods if window.contains(p.start)),
        ended=sum(
            1
            for p in periods
            if p.status == codes.PERIOD_ENDED
            and p.ended_on is not None
            and window.contains(p.ended_on)
        ),
        meeting_months=tuple(_meeting_months(report_filter, rows, today)),
        client_months=tuple(rows),
        meeting_kinds=counts_by_kind(window_meetings),
        meeting_statuses=counts_by_status(window_meetings),
        groups=tuple(_groups(data, report_filter, scoped_clients)),
        money_months=tuple(_money_months(report_filter, rows)),
        budgets=tuple(_budgets(data, report_filter)),
        min_meetings_per_month=data.rules.min_meetings_per_month,
        left_out_marks=left_out,
    )
