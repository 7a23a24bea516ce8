"""``sosku document KIND …``: any document as PDF, text, CSV or JSON from a script."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from sosku_desktop import i18n
from sosku_desktop.commands import Command, data_dir_option
from sosku_desktop.commands.common import open_store
from sosku_desktop.documents import FORMATS, KINDS, DocumentError, document_title
from sosku_desktop.documents.errors import NotApplicableError
from sosku_desktop.documents.kinds import VISIT_ENTRY
from sosku_desktop.operations.documents import build_and_log
from sosku_desktop.store.errors import NotFoundError


def _month(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise argparse.ArgumentTypeError(i18n.tr("cli.bad_month", value=value))
    return int(match.group(1)), int(match.group(2))


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KINDS)
    data_dir_option(parser)
    parser.add_argument("--client", metavar="ID", help="client id (sosku clients lists them)")
    parser.add_argument("--meeting", metavar="ID", help="meeting id (visit-entry)")
    parser.add_argument("--month", type=_month, metavar="YYYY-MM")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=i18n.DEFAULT_LANGUAGE)
    parser.add_argument("--format", dest="fmt", choices=("pdf", "csv", "txt", "json"))
    parser.add_argument("--out", type=Path, required=True, metavar="FILE")


def run(args: argparse.Namespace) -> int:
    fmt = args.fmt or FORMATS[args.kind][0]
    if fmt not in FORMATS[args.kind]:
        print(
            i18n.tr(
                "cli.format_not_available", kind=args.kind, formats=", ".join(FORMATS[args.kind])
            ),
            file=sys.stderr,
        )
        return 2
    if args.kind == VISIT_ENTRY and not args.meeting:
        print(i18n.tr("cli.meeting_required", args.lang), file=sys.stderr)
        return 2
    store = open_store(args.data_dir)
    try:
        data = build_and_log(
            store, args.kind, fmt, args.lang, args.client, args.month, meeting_id=args.meeting
        ).data
    except NotFoundError:
        key = "cli.meeting_not_found" if args.meeting else "cli.client_not_found"
        print(i18n.tr(key, args.lang), file=sys.stderr)
        return 2
    except NotApplicableError as error:
        print(
            i18n.tr(
                "cli.document_not_applicable", args.lang, title=document_title(args.kind, args.lang)
            )
            + " "
            + i18n.tr(f"doc.{error.reason_key}", args.lang),
            file=sys.stderr,
        )
        return 3
    except DocumentError:
        print(
            i18n.tr("cli.document_missing", args.lang, title=document_title(args.kind, args.lang)),
            file=sys.stderr,
        )
        return 2
    finally:
        store.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    return 0


COMMANDS = (Command("document", "write a document (PDF, text, CSV or JSON)", configure, run),)
