"""``sosku meetings`` (a client's meeting ids, for visit entries) and ``sosku calendar export``."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

from sosku_desktop import i18n
from sosku_desktop.commands import Command, data_dir_option
from sosku_desktop.commands.common import open_store
from sosku_desktop.domain import codes
from sosku_desktop.operations.calendar import export_calendar
from sosku_desktop.store.errors import NotFoundError
from sosku_desktop.store.records import open_client_record


def _day(value: str) -> date:
    """``2026-01-31`` or ``31.1.2026``."""
    try:
        if "." in value:
            d, m, y = (int(p) for p in value.split("."))
            return date(y, m, d)
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(i18n.tr("cli.bad_date", value=value)) from exc


def configure_meetings(parser: argparse.ArgumentParser) -> None:
    data_dir_option(parser)
    parser.add_argument(
        "--client", metavar="ID", required=True, help="client id (sosku clients lists them)"
    )
    parser.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=i18n.DEFAULT_LANGUAGE,
        help="language of the text (fi, sv or en; default fi)",
    )


def run_meetings(args: argparse.Namespace) -> int:
    """One meeting a line: id, start, contact mode, status (logged as a view of the record)."""
    store = open_store(args.data_dir, lang=args.lang)
    try:
        record = open_client_record(store, args.client, codes.AUDIT_VIEW, "meetings list")
    except NotFoundError:
        print(i18n.tr("cli.client_not_found", args.lang), file=sys.stderr)
        return 2
    finally:
        store.close()
    for m in sorted(record.meetings, key=lambda m: m.starts_at):
        print(
            "\t".join(
                (
                    m.id,
                    i18n.format_datetime(m.starts_at, args.lang),
                    i18n.code_label("meeting_kind", m.kind, args.lang),
                    i18n.code_label("meeting_status", m.status, args.lang),
                )
            )
        )
    return 0


def configure_calendar(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("export",), help="export: write an .ics file")
    data_dir_option(parser)
    parser.add_argument(
        "--from", dest="start", type=_day, metavar="DATE", help="first day (default today)"
    )
    parser.add_argument(
        "--to", dest="end", type=_day, metavar="DATE", help="last day (default a year on)"
    )
    parser.add_argument(
        "--names",
        choices=("initials", "full"),
        default="initials",
        help="clients' names in the events (default initials)",
    )
    parser.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=i18n.DEFAULT_LANGUAGE,
        help="language of the text (fi, sv or en; default fi)",
    )
    parser.add_argument(
        "--out", type=Path, required=True, metavar="FILE.ics", help="calendar file to write"
    )


def run_calendar(args: argparse.Namespace) -> int:
    """Meetings, group sessions and key dates from --from (default today) to --to (+1 year)."""
    start = args.start or date.today()
    end = args.end or start + timedelta(days=365)
    if end < start:
        print(i18n.tr("cli.bad_range", args.lang), file=sys.stderr)
        return 2
    store = open_store(args.data_dir, lang=args.lang)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    try:
        result = export_calendar(
            store, args.out, start, end, args.lang, full_names=args.names == "full"
        )
    finally:
        store.close()
    print(
        i18n.tr(
            "cli.calendar_exported",
            args.lang,
            meetings=result.meetings,
            sessions=result.sessions,
            dates=result.key_dates,
        )
    )
    return 0


COMMANDS = (
    Command(
        "meetings", "a client's meetings, one a line, id first", configure_meetings, run_meetings
    ),
    Command("calendar", "export the calendar as an .ics file", configure_calendar, run_calendar),
)
