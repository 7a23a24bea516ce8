"""The Today page's query: what the day looks like, read in one go (in the background).

The rules (which reminder, which month target) are the domain's
``compute_reminders``; this module only gathers the rows, narrows them to
the worker's own caseload and pairs ids with names for display.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.meetings import realised_meetings
from sosku_desktop.domain.reminders import Reminder, compute_reminders
from sosku_desktop.store.database import Store
from sosku_desktop.store.records import load_rules
from sosku_desktop.store.repositories import Reader

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


def load_today(
    store: Store, now: datetime, worker_id: str | None, only_mine: bool = True
) -> TodayData:
    """Agenda for today and the next days, reminders, and the sync backlog."""
    today = now.date()
    with store.read() as r:
        rules = load_rules(r)
        clients = {c.id: c for c in r.list(models.Client, include_deleted=True)}
        periods = r.list(models.Period)
        own = [p for p in periods if not only_mine or _mine(p, clients.get(p.client_id), worker_id)]
        own_ids = [p.id for p in own]
        meetings = r.meetings_of(own_ids)
        decisions = r.decisions_of(own_ids)
        client_ids = sorted({p.client_id for p in own})
        attendances = r.list(models.Attendance, client_id=client_ids)
        members = r.list(models.GroupMember, client_id=client_ids)
        assessments = r.list(models.Assessment, client_id=client_ids)
        key_dates = _open_key_dates(r, own, today)
        # planned visits whose day passed unrecorded: an SQL-filtered read, not a scan
        unrecorded = r.planned_before(datetime.combine(today, time(0, 0)))
        sessions = r.list(models.GroupSession, order_by="on")
        groups = {g.id: g for g in r.list(models.Group)}
        worker = r.find(models.Worker, worker_id)
        outbox = r.outbox_size()
    reminders = compute_reminders(
        today,
        own,
        decisions,
        meetings,
        sessions,
        attendances,
        assessments,
        clients.values(),
        rules,
        members=members,
        unrecorded=unrecorded,
    )
    period_client = {p.id: p.client_id for p in periods}
    names = {c.id: c.full_name for c in clients.values() if not c.deleted}
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
        if group is None:
            continue
        agenda.append(AgendaItem(_session_start(s), group.name, session=s))
    agenda += _key_date_items(key_dates, period_client, names)
    agenda.sort(key=lambda item: (item.when, item.title))
    realised = [
        m
        for m in realised_meetings(meetings)
        if m.day.year == today.year and m.day.month == today.month
    ]
    active = {p.client_id for p in own if p.status == codes.PERIOD_ACTIVE}
    return TodayData(
        today=today,
        worker=worker,
        agenda=agenda,
        reminders=reminders,
        client_names=names,
        group_names={g.id: g.name for g in groups.values()},
        outbox=outbox,
        realised_this_month=len(realised),
        active_clients=len(active),
    )


def _session_start(session: models.GroupSession) -> datetime:
    text = session.starts_at.strip().replace(":", ".")
    try:
        hour, minute = (int(part) for part in text.split(".", 1))
        return datetime.combine(session.on, time(hour, minute))
    except ValueError:
        return datetime.combine(session.on, time(0, 0))
