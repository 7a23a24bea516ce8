"""The calendar: what happens in a span of days, and exporting it as an .ics file.

The week view and the export read the same way (``span``), so what the
worker sees is what Outlook gets. The export writes one access-log row per
client in the file, in the same transaction that writes the file: if the
file cannot be written, the log never claims an export that did not happen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sosku_desktop.documents import ics
from sosku_desktop.domain import codes
from sosku_desktop.domain.models import Client, Group, GroupSession, Meeting, Period
from sosku_desktop.operations import Changes, changes_of
from sosku_desktop.store.database import Store
from sosku_desktop.store.repositories import Reader


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


def export_calendar(
    store: Store,
    path: Path,
    start: date,
    end: date,
    lang: str,
    *,
    full_names: bool = False,
    only_mine: bool = False,
) -> CalendarExport:
    """Write meetings and sessions of ``start``–``end`` to ``path``, logging the export."""
    with store.write() as w:
        found = span(Reader(w.conn), start, end, store.worker_id if only_mine else None)
        meetings = [m for m in found.meetings if ics.is_exported(m)]
        sessions = [s for s in found.sessions if not s.cancelled]
        entries = [
            ics.meeting_entry(m, found.clients.get(m.period_id), lang, full_names) for m in meetings
        ]
        entries += [ics.session_entry(s, found.groups.get(s.group_id), lang) for s in sessions]
        included = sorted(
            {found.clients[m.period_id].id for m in meetings if m.period_id in found.clients}
        )
        for client_id in included:
            w.log_access(
                codes.AUDIT_EXPORT,
                client_id,
                "meetings",
                reason=f"ics {start.isoformat()}–{end.isoformat()}",
            )
        path.write_bytes(ics.build_ics(entries, lang, datetime.now()))
        return CalendarExport(len(meetings), len(sessions), len(included), changes_of(w))
