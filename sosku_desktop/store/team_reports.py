"""Loading the team report's inputs.

The figures themselves are pure (``domain.team_report``); this module reads
the local, synced data they need. The access-log rows a report writes are
operations (``operations.reports``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sosku_desktop.domain import models
from sosku_desktop.domain.team_report import ReportFilter, TeamData, TeamReport, team_report
from sosku_desktop.store.database import Store
from sosku_desktop.store.records import load_rules
from sosku_desktop.store.repositories import Reader


@dataclass(frozen=True)
class OrganisationInfo:
    """The organisation's name and contact line from the synced settings."""

    name: str
    unit: str
    contact: str


def load_team_data(reader: Reader) -> TeamData:
    """Every row the team figures read (deleted rows are left out)."""
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


def build_team_report(store: Store, report_filter: ReportFilter, today: date) -> TeamReport:
    """The report from this device's data (reading logs nothing by itself)."""
    with store.read() as r:
        data = load_team_data(r)
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
