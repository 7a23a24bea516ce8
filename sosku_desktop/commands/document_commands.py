"""``sosku document KIND …``: any document as PDF, text, CSV or JSON from a script."""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from sosku_desktop import i18n
from sosku_desktop.commands import Command, data_dir_option, typed_args
from sosku_desktop.commands.common import command_line, open_store, write_private
from sosku_desktop.documents import FORMATS, KINDS, DocumentError, document_title
from sosku_desktop.documents.errors import NotApplicableError
from sosku_desktop.documents.kinds import DECISION_ACTIVITY_MONEY, VISIT_ENTRY
from sosku_desktop.operations.documents import build_and_log
from sosku_desktop.store.errors import NotFoundError


@dataclass(frozen=True)
class DocumentArgs:
    kind: str
    data_dir: Path
    client: str | None
    meeting: str | None
    month: tuple[int, int] | None
    lang: str
    fmt: str | None
    out: Path


def _month(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise argparse.ArgumentTypeError(i18n.tr("cli.bad_month", value=value))
    return int(match.group(1)), int(match.group(2))


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KINDS, help="which document")
    data_dir_option(parser)
    parser.add_argument("--client", metavar="ID", help="client id (sosku clients lists them)")
    parser.add_argument("--meeting", metavar="ID", help="meeting id (visit-entry)")
    parser.add_argument(
        "--month", type=_month, metavar="YYYY-MM", help="month of activity-money documents"
    )
    parser.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=i18n.DEFAULT_LANGUAGE,
        help="language of the text (fi, sv or en; default fi)",
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=("pdf", "csv", "txt", "json"),
        help="file type (default: the document's first, usually pdf)",
    )
    parser.add_argument("--out", type=Path, required=True, metavar="FILE", help="file to write")


def run(args: argparse.Namespace) -> int:
    a = typed_args(DocumentArgs, args)
    fmt = a.fmt or FORMATS[a.kind][0]
    if fmt not in FORMATS[a.kind]:
        print(
            i18n.tr("cli.format_not_available", kind=a.kind, formats=", ".join(FORMATS[a.kind])),
            file=sys.stderr,
        )
        return 2
    if a.kind == VISIT_ENTRY and not a.meeting:
        print(i18n.tr("cli.meeting_required", a.lang), file=sys.stderr)
        return 2
    if a.kind == DECISION_ACTIVITY_MONEY and a.month is None:
        # without a month there is nothing to draft; "data missing" would not say what
        print(i18n.tr("cli.month_required", a.lang), file=sys.stderr)
        return 2
    store = open_store(a.data_dir, lang=a.lang)
    try:
        data = build_and_log(
            store, a.kind, fmt, a.lang, a.client, a.month, meeting_id=a.meeting
        ).data
    except NotFoundError:
        if a.meeting:
            client = shlex.quote(a.client) if a.client else "ID"
            meetings = f"{command_line('meetings', a.data_dir)} --client {client}"
            print(i18n.tr("cli.meeting_not_found", a.lang, meetings=meetings), file=sys.stderr)
        else:
            clients = command_line("clients", a.data_dir)
            print(i18n.tr("cli.client_not_found", a.lang, clients=clients), file=sys.stderr)
        return 2
    except NotApplicableError as error:
        print(
            i18n.tr("cli.document_not_applicable", a.lang, title=document_title(a.kind, a.lang))
            + " "
            + i18n.tr(f"doc.{error.reason_key}", a.lang),
            file=sys.stderr,
        )
        return 3
    except DocumentError:
        print(
            i18n.tr("cli.document_missing", a.lang, title=document_title(a.kind, a.lang)),
            file=sys.stderr,
        )
        return 2
    finally:
        store.close()
    write_private(a.out, data)
    return 0


COMMANDS = (Command("document", "write a document (PDF, text, CSV or JSON)", configure, run),)
