"""The calendar as an .ics file: meetings, group sessions and the periods' key dates.

Shared by the Calendar page and ``sosku calendar export`` so both write the
same file. The export leaves the encrypted store for good, so each client
it shows gets an *export* row in the access log, written in the same
transaction as the file: if the file cannot be written nothing is logged.
Clients are named by initials unless full names are chosen knowingly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sosku_desktop.documents import ics
from sosku_desktop.domain import codes, models
from sosku_desktop.store.database import Store
from sosku_desktop.store.repositories import Reader


@dataclass(frozen=True)
class CalendarExport:
    """What went into the file (the UI and CLI report it)."""

    meetings: int
    sessions: int
    key_dates: int
    clients: int


def _clients_by_period(r: Reader, period_ids: set[str]) -> dict[str, models.Client]:
    periods = r.list(models.Period, id=sorted(period_ids))
    clients = {c.id: c for c in r.list(models.Client, id=sorted({p.client_id for p in periods}))}
    return {p.id: clients[p.client_id] for p in periods if p.client_id in clients}


def export_calendar(
    store: Store,
    path: Path,
    start: date,
    end: date,
    lang: str,
    *,
    full_names: bool = False,
    worker_id: str | None = None,
    now: datetime | None = None,
) -> CalendarExport:
    """Write ``start``–``end`` (inclusive) to ``path``; only ``worker_id``'s meetings if given."""
    stamp = now or datetime.now(UTC)
    with store.write() as w:
        r = Reader(w.conn)
        meetings = [
            m
            for m in r.meetings_between(
                datetime.combine(start, time()), datetime.combine(end + timedelta(1), time())
            )
            if ics.is_exported(m) and (worker_id is None or m.worker_id == worker_id)
        ]
        planned = [
            e
            for e in r.list(models.PlannedEntry, order_by="on")
            if start <= e.on <= end and e.done_on is None
        ]
        open_periods = {
            p.id
            for p in r.list(models.Period, id=sorted({e.period_id for e in planned}))
            if p.status != codes.PERIOD_ENDED and (worker_id is None or p.worker_id == worker_id)
        }
        planned = [e for e in planned if e.period_id in open_periods]
        clients = _clients_by_period(r, {m.period_id for m in meetings} | open_periods)
        sessions = [s for s in r.sessions_between(start, end) if not s.cancelled]
        groups = {g.id: g for g in r.list(models.Group, id=sorted({s.group_id for s in sessions}))}
        entries = [
            ics.meeting_entry(m, clients.get(m.period_id), lang, full_names) for m in meetings
        ]
        entries += [ics.session_entry(s, groups.get(s.group_id), lang) for s in sessions]
        entries += [
            ics.planned_entry(e, clients.get(e.period_id), lang, full_names) for e in planned
        ]
        shown = sorted(
            {
                clients[pid].id
                for pid in {m.period_id for m in meetings} | open_periods
                if pid in clients
            }
        )
        for client_id in shown:
            w.log_access(
                codes.AUDIT_EXPORT,
                client_id,
                "calendar",
                reason=f"ics {start.isoformat()}–{end.isoformat()}",
            )
        data = ics.build_ics(entries, lang, stamp)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        path.chmod(0o600)
    return CalendarExport(len(meetings), len(sessions), len(planned), len(shown))
