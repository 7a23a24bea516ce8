"""``sosku report team …``: the team figures as CSV or PDF, from this device's data.

The export is the operation ``operations.reports.export_team_report``, the
same one the Reports page's Export buttons run, so a file written from the
app and one written from a script are the same and are logged the same way:
one ``AUDIT_EXPORT`` row per client whose own rows are in the file, in the
transaction that writes it.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sosku_desktop import i18n
from sosku_desktop.commands import Command, data_dir_option, typed_args
from sosku_desktop.commands.common import open_store
from sosku_desktop.domain.team_report import Month, ReportFilter
from sosku_desktop.operations.reports import FORMATS, export_team_report
from sosku_desktop.store.database import Store
from sosku_desktop.store.team_reports import build_team_report, workers

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True)
class TeamReportArgs:
    data_dir: Path
    first_month: Month | None
    last_month: Month | None
    worker: str | None
    report_format: str
    out: Path
    lang: str
    include_clients: bool
    today: date | None


def parse_month(text: str) -> Month:
    """ "2026-01" → (2026, 1); argparse shows the translated message on error."""
    found = _MONTH.match(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise argparse.ArgumentTypeError(i18n.tr("report.cli.bad_month", value=text))
    return int(found.group(1)), int(found.group(2))


def default_window(today: date) -> tuple[Month, Month]:
    """This year so far: January to the current month (``--to`` alone: its year so far)."""
    return (today.year, 1), (today.year, today.month)


def configure(parser: argparse.ArgumentParser) -> None:
    kinds = parser.add_subparsers(dest="report_kind", metavar="KIND", required=True)
    team = kinds.add_parser("team", help="team figures: clients, meetings, groups, money, budget")
    data_dir_option(team)
    team.add_argument(
        "--from",
        dest="first_month",
        type=parse_month,
        metavar="YYYY-MM",
        help="first month (default January of --to's year)",
    )
    team.add_argument(
        "--to",
        dest="last_month",
        type=parse_month,
        metavar="YYYY-MM",
        help="last month (default this month)",
    )
    team.add_argument("--worker", metavar="ID", help="only this worker's clients (id or name)")
    team.add_argument(
        "--format",
        dest="report_format",
        choices=FORMATS,
        required=True,
        help="csv (opens in Excel) or pdf",
    )
    team.add_argument("--out", type=Path, required=True, metavar="FILE", help="file to write")
    team.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=i18n.DEFAULT_LANGUAGE,
        help="language of the text (fi, sv or en; default fi)",
    )
    team.add_argument(
        "--no-clients",
        dest="include_clients",
        action="store_false",
        help="leave out the per-client rows (then no client is in the file)",
    )
    team.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)


def _worker_id(store: Store, wanted: str | None) -> str | None:
    if wanted is None:
        return None
    with store.read() as r:
        known = workers(r)
    for w in known:
        if wanted in (w.id, w.name) or wanted.casefold() == w.name.casefold():
            return w.id
    raise LookupError(wanted)


def run(args: argparse.Namespace) -> int:
    a = typed_args(TeamReportArgs, args)
    lang = a.lang
    today = a.today or date.today()
    last = a.last_month or default_window(today)[1]
    first = a.first_month or (last[0], 1)
    if last < first:
        print(i18n.tr("report.window_invalid", lang), file=sys.stderr)
        return 2
    store = open_store(a.data_dir, lang=a.lang)
    try:
        try:
            worker_id = _worker_id(store, a.worker)
        except LookupError:
            print(i18n.tr("report.cli.unknown_worker", lang, value=a.worker), file=sys.stderr)
            return 2
        report = build_team_report(store, ReportFilter(first, last, worker_id), today)
        logged = export_team_report(
            store, report, a.report_format, lang, a.out, a.include_clients
        ).clients
    finally:
        store.close()
    print(i18n.tr("report.cli.written", lang, path=str(a.out), clients=logged))
    return 0


COMMANDS = (Command("report", "reports: sosku report team …", configure, run),)
