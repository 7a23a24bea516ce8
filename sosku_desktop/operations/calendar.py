"""The calendar: what happens in a span of days, and exporting it as an .ics file.

The week view and the export read the same way (``span``), so what the
worker sees is what Outlook gets. The export writes one access-log row per
client in the file, in the same transaction that writes the file: if the
file cannot be written, the log never claims an export that did not happen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa

from sosku_desktop.domain import codes
from sosku_desktop.domain.models import Client, Group, GroupSession, Meeting, Period, PlannedEntry
from sosku_desktop.operations import Changes, changes_of
from sosku_desktop.store import codec, permissions
from sosku_desktop.store.database import Store
from sosku_desktop.store.repositories import Reader
from sosku_desktop.store.schema import ENTITY


@dataclass(frozen=True)
class Span:
    """Meetings and group sessions of some days, with whom and which group they concern."""

    meetings: list[Meeting]
    #: period id -> the client of that period
    clients: dict[str, Client]
    sessions: list[GroupSession]
    groups: dict[str, Group]


@dataclass(frozen=True)
class CalendarExport:
    """How much went into the file, and the access-log rows written for it."""

    meetings: int
    sessions: int
    clients: int
    changes: Changes
    #: Key dates of open periods (evaluations, decision ends …) in the file.
    key_dates: int = 0


def span(r: Reader, start: date, end: date, worker_id: str | None = None) -> Span:
    """Meetings (of ``worker_id`` only, if given) and sessions from ``start`` to ``end``."""
    meetings = [
        m
        for m in r.meetings_between(
            datetime.combine(start, time()), datetime.combine(end + timedelta(1), time())
        )
        if worker_id is None or m.worker_id == worker_id
    ]
    periods = r.list(Period, id=sorted({m.period_id for m in meetings}))
    clients = {c.id: c for c in r.list(Client, id=sorted({p.client_id for p in periods}))}
    by_period = {p.id: clients[p.client_id] for p in periods if p.client_id in clients}
    sessions = r.sessions_between(start, end)
    groups = {g.id: g for g in r.list(Group, id=sorted({s.group_id for s in sessions}))}
    return Span(meetings, by_period, sessions, groups)


def key_dates_between(
    r: Reader, start: date, end: date, worker_id: str | None
) -> tuple[list[PlannedEntry], dict[str, Client]]:
    """Open key dates of periods not ended (of ``worker_id``'s periods, if given)."""
    table = ENTITY["planned_entries"]
    query = (
        sa.select(table)
        .where(table.c.deleted.is_(False), table.c.done_on.is_(None))
        .where(table.c.on >= start, table.c.on <= end)
        .order_by(table.c.on, table.c.id)
    )
    planned = codec.from_rows(PlannedEntry, r.conn.execute(query))
    periods = [
        p
        for p in r.list(Period, id=sorted({e.period_id for e in planned}))
        if p.status != codes.PERIOD_ENDED and (worker_id is None or p.worker_id == worker_id)
    ]
    clients = {c.id: c for c in r.list(Client, id=sorted({p.client_id for p in periods}))}
    by_period = {p.id: clients[p.client_id] for p in periods if p.client_id in clients}
    return [e for e in planned if e.period_id in by_period], by_period


def export_calendar(
    store: Store,
    path: Path,
    start: date,
    end: date,
    lang: str,
    *,
    full_names: bool = False,
    only_mine: bool = False,
    now: datetime | None = None,
) -> CalendarExport:
    """Write meetings, sessions and key dates of ``start``–``end`` to ``path``, logging it.

    Cancelled meetings and sessions are written as cancelled events (so a
    calendar that imported them earlier drops them); no-shows are left out.
    The file is private (0600) and every event's DTSTAMP is the export time in
    true UTC (``now``, default the machine's clock). The .ics writer (icalendar) is
    imported here, on the export's background thread, not with the Calendar page.
    """
    from sosku_desktop.documents import ics

    stamp = now or datetime.now(UTC)
    with store.write() as w:
        r = Reader(w.conn)
        worker_id = store.worker_id if only_mine else None
        found = span(r, start, end, worker_id)
        meetings = [m for m in found.meetings if ics.is_exported(m)]
        # Cancelled sessions go out as cancelled events (see documents/ics.py).
        sessions = found.sessions
        planned, planned_clients = key_dates_between(r, start, end, worker_id)
        entries = [
            ics.meeting_entry(m, found.clients.get(m.period_id), lang, full_names) for m in meetings
        ]
        entries += [ics.session_entry(s, found.groups.get(s.group_id), lang) for s in sessions]
        entries += [
            ics.planned_entry(e, planned_clients.get(e.period_id), lang, full_names)
            for e in planned
        ]
        included = sorted(
            {found.clients[m.period_id].id for m in meetings if m.period_id in found.clients}
            | {c.id for c in planned_clients.values()}
        )
        for client_id in included:
            w.log_access(
                codes.AUDIT_EXPORT,
                client_id,
                "meetings",
                reason=f"ics {start.isoformat()}–{end.isoformat()}",
            )
        permissions.write_private(path, ics.build_ics(entries, lang, stamp))
        return CalendarExport(
            len(meetings), len(sessions), len(included), changes_of(w), len(planned)
        )
