"""The Today page's query: what the day looks like, read in one go (in the background).

The rules (which reminder, which month target) are the domain's
``compute_reminders``; this module only gathers the rows, narrows them to
the worker's own caseload and pairs ids with names for display.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.reminders import Reminder, compute_reminders
from sosku_desktop.store import codec
from sosku_desktop.store.database import Store
from sosku_desktop.store.records import load_rules
from sosku_desktop.store.repositories import Reader
from sosku_desktop.store.schema import ENTITY

AGENDA_DAYS = 7


@dataclass(frozen=True)
class AgendaItem:
    """A planned meeting or a group session on the agenda."""

    when: datetime
    title: str
    meeting: models.Meeting | None = None
    session: models.GroupSession | None = None
    client_id: str | None = None
    #: A key date of a period planned at its start (evaluation, decision end …).
    key_date: models.PlannedEntry | None = None


@dataclass
class TodayData:
    today: date
    worker: models.Worker | None
    agenda: list[AgendaItem] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)
    client_names: dict[str, str] = field(default_factory=dict)
    group_names: dict[str, str] = field(default_factory=dict)
    outbox: int = 0
    realised_this_month: int = 0
    active_clients: int = 0


def _mine(period: models.Period, client: models.Client | None, worker_id: str | None) -> bool:
    if worker_id is None:
        return True
    if period.worker_id is not None:
        return period.worker_id == worker_id
    return client is not None and client.worker_id == worker_id


def _open_key_dates(r: Reader, own: list[models.Period], today: date) -> list[models.PlannedEntry]:
    """Key dates of the worker's open periods due in the agenda's days, not yet done."""
    open_ids = [p.id for p in own if p.status != codes.PERIOD_ENDED]
    return [
        e
        for e in r.list(models.PlannedEntry, period_id=open_ids)
        if e.done_on is None and today <= e.on < today + timedelta(days=AGENDA_DAYS)
    ]


def _key_date_items(
    key_dates: list[models.PlannedEntry], period_client: dict[str, str], names: dict[str, str]
) -> list[AgendaItem]:
    items = []
    for e in key_dates:
        client_id = period_client.get(e.period_id)
        if client_id in names:
            when = datetime.combine(e.on, time(0, 0))
            items.append(AgendaItem(when, names[client_id], client_id=client_id, key_date=e))
    return items


def _realised_this_month(r: Reader, today: date, worker_id: str | None) -> int:
    """Realised meetings this month in the worker's periods (ended ones too), counted in SQL."""
    meetings, periods, clients = ENTITY["meetings"], ENTITY["periods"], ENTITY["clients"]
    first = datetime.combine(today.replace(day=1), time(0, 0))
    following = datetime.combine((today.replace(day=28) + timedelta(days=4)).replace(day=1), time())
    query = (
        sa.select(sa.func.count())
        .select_from(meetings.join(periods, periods.c.id == meetings.c.period_id))
        .where(meetings.c.deleted.is_(False), meetings.c.status == codes.MEETING_REALISED)
        .where(meetings.c.starts_at >= first, meetings.c.starts_at < following)
        .where(periods.c.deleted.is_(False))
    )
    if worker_id is not None:
        owner = sa.func.coalesce(
            periods.c.worker_id,
            sa.select(clients.c.worker_id)
            .where(clients.c.id == periods.c.client_id)
            .scalar_subquery(),
        )
        query = query.where(owner == worker_id)
    return int(r.conn.execute(query).scalar_one())


def _open_periods(r: Reader) -> list[models.Period]:
    """Periods not ended (planned or active): the few a day's reminders concern."""
    table = ENTITY["periods"]
    query = sa.select(table).where(table.c.deleted.is_(False), table.c.status != codes.PERIOD_ENDED)
    return codec.from_rows(models.Period, r.conn.execute(query))


def _ended_with_decision_left(r: Reader, today: date) -> list[models.Period]:
    """Ended periods with a decision (any kind) still valid today or later (SQL-filtered).

    Their decision may outlive the period (``reminders.decision_outlives_period``);
    the few such periods are read, not the years of closed cases.
    """
    periods, decisions = ENTITY["periods"], ENTITY["decisions"]
    valid = sa.select(decisions.c.period_id).where(
        decisions.c.deleted.is_(False),
        decisions.c.outcome == codes.OUTCOME_POSITIVE,
        decisions.c.valid_to >= today,
    )
    query = sa.select(periods).where(
        periods.c.deleted.is_(False),
        periods.c.status == codes.PERIOD_ENDED,
        periods.c.id.in_(valid),
    )
    return codec.from_rows(models.Period, r.conn.execute(query))


def load_today(
    store: Store, now: datetime, worker_id: str | None, only_mine: bool = True
) -> TodayData:
    """Agenda for today and the next days, reminders, and the sync backlog.

    Only the open periods' rows are read (reminders concern active periods;
    the agenda looks a week ahead), plus the ended periods whose decision is
    still valid: ten years of closed cases stay on disk.
    """
    today = now.date()
    mine_only = worker_id if only_mine else None
    with store.read() as r:
        rules = load_rules(r)
        periods = _open_periods(r)
        ended = _ended_with_decision_left(r, today)
        clients = {
            c.id: c
            for c in r.list(
                models.Client,
                include_deleted=True,
                id=sorted({p.client_id for p in [*periods, *ended]}),
            )
        }
        own = [p for p in periods if _mine(p, clients.get(p.client_id), mine_only)]
        own_ended = [p for p in ended if _mine(p, clients.get(p.client_id), mine_only)]
        own_ids = [p.id for p in own]
        meetings = r.meetings_of(own_ids)
        decisions = r.decisions_of(own_ids + [p.id for p in own_ended])
        client_ids = sorted({p.client_id for p in own})
        attendances = r.list(models.Attendance, client_id=client_ids)
        members = r.list(models.GroupMember, client_id=client_ids)
        assessments = r.list(models.Assessment, client_id=client_ids)
        key_dates = _open_key_dates(r, own, today)
        # planned visits whose day passed unrecorded: an SQL-filtered read, not a scan
        unrecorded = r.planned_before(datetime.combine(today, time(0, 0)))
        marked = sorted({a.session_id for a in attendances})
        sessions = {s.id: s for s in r.list(models.GroupSession, id=marked)}
        week = r.sessions_between(today, today + timedelta(days=AGENDA_DAYS - 1))
        sessions.update({s.id: s for s in week})
        groups = {g.id: g for g in r.list(models.Group)}
        worker = r.find(models.Worker, worker_id)
        outbox = r.outbox_size()
        realised = _realised_this_month(r, today, mine_only)
    reminders = compute_reminders(
        today,
        own,
        decisions,
        meetings,
        sorted(sessions.values(), key=lambda s: (s.on, s.id)),
        attendances,
        assessments,
        clients.values(),
        rules,
        members=members,
        unrecorded=unrecorded,
        ended=own_ended,
    )
    period_client = {p.id: p.client_id for p in periods}
    names = {c.id: c.full_name for c in clients.values() if not c.deleted}
    agenda = _agenda(today, meetings, week, groups, period_client, names)
    agenda += _key_date_items(key_dates, period_client, names)
    agenda.sort(key=lambda item: (item.when, item.title))
    active = {p.client_id for p in own if p.status == codes.PERIOD_ACTIVE}
    return TodayData(
        today=today,
        worker=worker,
        agenda=agenda,
        reminders=reminders,
        client_names=names,
        group_names={g.id: g.name for g in groups.values()},
        outbox=outbox,
        realised_this_month=realised,
        active_clients=len(active),
    )


def _agenda(
    today: date,
    meetings: list[models.Meeting],
    sessions: list[models.GroupSession],
    groups: dict[str, models.Group],
    period_client: dict[str, str],
    names: dict[str, str],
) -> list[AgendaItem]:
    """Planned meetings of the coming days (and today's of any status), and sessions."""
    start = datetime.combine(today, time(0, 0))
    end = start + timedelta(days=AGENDA_DAYS)
    agenda: list[AgendaItem] = []
    for m in meetings:
        if not start <= m.starts_at < end:
            continue
        if m.status != codes.MEETING_PLANNED and m.day != today:
            continue
        client_id = period_client.get(m.period_id)
        if client_id not in names:
            continue
        agenda.append(AgendaItem(m.starts_at, names[client_id], meeting=m, client_id=client_id))
    for s in sessions:
        if s.cancelled or not today <= s.on < today + timedelta(days=AGENDA_DAYS):
            continue
        group = groups.get(s.group_id)
        if group is not None:
            agenda.append(AgendaItem(_session_start(s), group.name, session=s))
    return agenda


def _session_start(session: models.GroupSession) -> datetime:
    text = session.starts_at.strip().replace(":", ".")
    try:
        hour, minute = (int(part) for part in text.split(".", 1))
        return datetime.combine(session.on, time(hour, minute))
    except ValueError:
        return datetime.combine(session.on, time(0, 0))
