"""Loading the team report's inputs.

The figures themselves are pure (``domain.team_report``); this module reads
the local, synced data they need. The access-log rows a report writes are
operations (``operations.reports``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from sosku_desktop.domain import models
from sosku_desktop.domain.team_report import ReportFilter, TeamData, TeamReport, team_report
from sosku_desktop.store import codec
from sosku_desktop.store.database import Store
from sosku_desktop.store.records import load_rules
from sosku_desktop.store.repositories import Reader
from sosku_desktop.store.schema import ENTITY

#: Meeting columns the team report does not need (see ``load_team_data``).
_TEXT_COLUMNS = frozenset({"place", "methods", "goal_ids", "notes", "agreed_next"})


@dataclass(frozen=True)
class OrganisationInfo:
    """The organisation's name and contact line from the synced settings."""

    name: str
    unit: str
    contact: str


def load_team_data(reader: Reader, report_filter: ReportFilter | None = None) -> TeamData:
    """Every row the team figures read (deleted rows are left out).

    With ``report_filter`` only the rows the window can touch are read:
    periods overlapping it (a superset: the domain decides exactly), their
    meetings inside the window, the window's sessions and their marks. Ten
    years of history then cost nothing for a report of this year.
    """
    if report_filter is None:
        return TeamData(
            workers=reader.list(models.Worker, order_by="name"),
            clients=reader.list(models.Client, order_by=("last_name", "first_name")),
            periods=reader.list(models.Period, order_by="start"),
            meetings=reader.list(models.Meeting, order_by="starts_at"),
            groups=reader.list(models.Group, order_by="name"),
            sessions=reader.list(models.GroupSession, order_by="on"),
            attendances=reader.list(models.Attendance),
            expenses=reader.list(models.Expense, order_by="on"),
            rules=load_rules(reader),
        )
    window = report_filter.window
    periods_t, meetings_t = ENTITY["periods"], ENTITY["meetings"]
    overlapping = (
        sa.select(periods_t)
        .where(periods_t.c.deleted.is_(False))
        .where(periods_t.c.start <= window.end)
        .where(sa.func.coalesce(periods_t.c.ended_on, periods_t.c.planned_end) >= window.start)
        .order_by(periods_t.c.start)
    )
    if report_filter.worker_id is not None:
        overlapping = overlapping.where(periods_t.c.worker_id == report_filter.worker_id)
    periods = codec.from_rows(models.Period, reader.conn.execute(overlapping))
    first = datetime.combine(window.start, time())
    after = datetime.combine(window.end + timedelta(days=1), time())
    # The figures never look at a meeting's texts, methods or goals: those columns
    # stay unread (the dataclass defaults stand in), which halves the decoding.
    in_window = (
        sa.select(*(c for c in meetings_t.c if c.name not in _TEXT_COLUMNS))
        .where(meetings_t.c.deleted.is_(False))
        .where(meetings_t.c.period_id.in_(overlapping.with_only_columns(periods_t.c.id)))
        .where(meetings_t.c.starts_at >= first)
        .where(meetings_t.c.starts_at < after)
        .order_by(meetings_t.c.starts_at)
    )
    meetings = codec.from_rows(models.Meeting, reader.conn.execute(in_window))
    sessions = reader.sessions_between(window.start, window.end)
    return TeamData(
        workers=reader.list(models.Worker, order_by="name"),
        clients=reader.list(
            models.Client,
            order_by=("last_name", "first_name"),
            id=sorted({p.client_id for p in periods}),
        ),
        periods=periods,
        meetings=meetings,
        groups=reader.list(models.Group, order_by="name"),
        sessions=sessions,
        attendances=reader.list(models.Attendance, session_id=[s.id for s in sessions]),
        expenses=reader.list(models.Expense, order_by="on"),
        rules=load_rules(reader),
    )


def build_team_report(store: Store, report_filter: ReportFilter, today: date) -> TeamReport:
    """The report from this device's data (reading logs nothing by itself)."""
    with store.read() as r:
        data = load_team_data(r, report_filter)
    return team_report(data, report_filter, today)


def organisation_info(reader: Reader) -> OrganisationInfo:
    return OrganisationInfo(
        name=str(reader.setting("organisation_name", "") or ""),
        unit=str(reader.setting("organisation_unit", "") or ""),
        contact=str(reader.setting("organisation_contact", "") or ""),
    )


def workers(reader: Reader) -> list[models.Worker]:
    """Workers for a filter list, by name."""
    return sorted(reader.list(models.Worker), key=lambda w: (w.name.casefold(), w.id))
