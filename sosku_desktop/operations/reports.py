"""The team report: logging who saw which client in it, and exporting it as CSV or PDF.

The figures are pure (``domain.team_report``) and read by
``store.team_reports``; what this module adds are the access-log rows the
client-data act asks for: one row per client whose own rows a person saw
(``AUDIT_VIEW``) or exported (``AUDIT_EXPORT``). The Reports page and
``sosku report team`` call the same ``export_team_report``, so a file
written from the app and one written from a script are the same and are
logged the same way, in the transaction that writes the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sosku_desktop.documents.context import Organisation
from sosku_desktop.domain import codes
from sosku_desktop.domain.team_report import TeamReport
from sosku_desktop.operations import NO_CHANGES, Changes, changes_of
from sosku_desktop.store import permissions
from sosku_desktop.store.database import Store
from sosku_desktop.store.team_reports import organisation_info

#: ``reason`` of the access-log rows, so the per-client log says where the access came from.
AUDIT_REASON = "team_report"
FORMATS = ("csv", "pdf")


@dataclass(frozen=True)
class Logged:
    """How many clients were logged, and the ``Changes``."""

    clients: int
    changes: Changes


def report_organisation(store: Store) -> Organisation:
    """The page header's organisation, from the synced settings."""
    with store.read() as r:
        info = organisation_info(r)
    return Organisation(name=info.name, unit=info.unit, address=info.contact)


def render(
    report: TeamReport, fmt: str, lang: str, org: Organisation, include_clients: bool = True
) -> bytes:
    """The report as CSV or PDF bytes.

    The writers are imported here, on the export's background thread: at module level
    they brought reportlab into every screen that imports this module (a client's
    view, through the assessments' organisation header).
    """
    from sosku_desktop.documents.team_report_csv import team_report_csv
    from sosku_desktop.documents.team_report_pdf import team_report_pdf

    if fmt == "csv":
        return team_report_csv(report, lang, include_clients)
    if fmt == "pdf":
        return team_report_pdf(report, org, lang, include_clients=include_clients)
    raise ValueError(f"unknown report format {fmt!r}")


def log_clients(store: Store, client_ids: Iterable[str], action: str) -> Logged:
    """One access-log row per client (``AUDIT_VIEW``, ``AUDIT_EXPORT`` or ``AUDIT_PRINT``)."""
    if action not in (codes.AUDIT_VIEW, codes.AUDIT_EXPORT, codes.AUDIT_PRINT):
        raise ValueError(f"not a report access action: {action}")
    unique = list(dict.fromkeys(client_ids))
    if not unique:
        return Logged(0, NO_CHANGES)
    with store.write() as w:
        for client_id in unique:
            w.log_access(action, client_id, "clients", client_id, AUDIT_REASON)
        return Logged(len(unique), changes_of(w))


def export_with_log(store: Store, client_ids: Iterable[str], write: Callable[[], None]) -> Logged:
    """Log one ``AUDIT_EXPORT`` row per client and run ``write`` in the same transaction.

    If writing the file fails, the log rows roll back with it; if logging
    fails, no file is written: an export is never left unlogged.
    """
    unique = list(dict.fromkeys(client_ids))
    with store.write() as w:
        for client_id in unique:
            w.log_access(codes.AUDIT_EXPORT, client_id, "clients", client_id, AUDIT_REASON)
        write()
        return Logged(len(unique), changes_of(w))


def _replace_file(out: Path, data: bytes) -> None:
    """Write ``out`` whole or not at all (a temporary file renamed over it)."""
    permissions.write_private(out, data, atomic=True)


def export_team_report(
    store: Store,
    report: TeamReport,
    fmt: str,
    lang: str,
    out: Path,
    include_clients: bool = True,
) -> Logged:
    """Write the report to ``out`` and log the export per client in it."""
    data = render(report, fmt, lang, report_organisation(store), include_clients)
    clients = report.client_ids if include_clients else []
    return export_with_log(store, clients, lambda: _replace_file(out, data))
