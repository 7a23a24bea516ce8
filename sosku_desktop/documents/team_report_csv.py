"""The team report as CSV for Finnish Excel.

``;`` as separator, decimal comma, UTF-8 with BOM (else Excel guesses the
encoding wrong and ä turns to Ã¤) and CRLF line ends. One block per figure,
each a title row, a header row and data rows, blocks separated by an empty
row; months are written as words ("tammikuu 2026") so that Excel does not
turn them into dates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from sosku_desktop.documents.csv_cells import as_text, free_text
from sosku_desktop.documents.team_report_text import (
    ATTENDANCE_COLUMNS,
    computed_text,
    kind_label,
    month_name,
    percent_number,
    phase_label,
    r,
    role_label,
    status_label,
    window_text,
    worker_text,
    yes_no,
)
from sosku_desktop.domain.team_report import TeamReport
from sosku_desktop.i18n import code_heading, format_amount

Cell = object  # str or int; csv writes both


def team_report_csv(report: TeamReport, lang: str, include_clients: bool = True) -> bytes:
    """Every figure of ``report``; per-client rows only with ``include_clients``."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([r("title", lang)])
    writer.writerow([r("window", lang), window_text(report.filter, lang)])
    writer.writerow([r("worker", lang), free_text(worker_text(report, lang))])
    writer.writerow([computed_text(report.today, lang)])
    for title, header, rows in _blocks(report, lang, include_clients):
        writer.writerow([])
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


Block = tuple[str, Sequence[str], Sequence[Sequence[Cell]]]


def _blocks(report: TeamReport, lang: str, include_clients: bool) -> list[Block]:
    """The file's sections in order; the per-client rows only when asked for."""
    blocks = [*_meeting_blocks(report, lang), _group_block(report, lang)]
    blocks += _money_blocks(report, lang)
    if include_clients:
        blocks.append(_client_block(report, lang))
    return blocks


def _meeting_blocks(report: TeamReport, lang: str) -> list[Block]:
    """Clients by phase, meetings by month, by kind and by status."""
    return [
        (
            r("section.phases", lang),
            [r("col.phase", lang), r("col.clients", lang)],
            [[phase_label(p, lang), n] for p, n in report.phases.items()]
            + [[r("col.total", lang), report.clients_in_service]],
        ),
        (
            r("section.meetings", lang),
            [
                r("col.month", lang),
                r("col.realised", lang),
                r("col.clients_with_target", lang),
                r("col.clients_met", lang),
                r("col.share_percent", lang),
                r("col.month_closed", lang),
            ],
            [
                [
                    as_text(month_name((m.year, m.month), lang)),
                    m.realised,
                    m.clients_with_target,
                    m.clients_meeting_target,
                    percent_number(m.share_met, lang),
                    yes_no(m.closed, lang),
                ]
                for m in report.meeting_months
            ],
        ),
        (
            r("section.kinds", lang),
            [r("col.kind", lang), r("col.count", lang)],
            [[kind_label(k, lang), n] for k, n in report.meeting_kinds.items()],
        ),
        (
            r("section.statuses", lang),
            [r("col.status", lang), r("col.count", lang)],
            [[status_label(s, lang), n] for s, n in report.meeting_statuses.items()],
        ),
    ]


def _group_block(report: TeamReport, lang: str) -> Block:
    """Attendance per group."""
    return (
        r("section.groups", lang),
        [
            r("col.group", lang),
            r("col.sessions", lang),
            *(code_heading("attendance", s, lang) for s in ATTENDANCE_COLUMNS),
            r("col.rate_percent", lang),
        ],
        [
            [
                free_text(g.name),
                g.sessions,
                g.tally.present,
                g.tally.absent,
                g.tally.excused,
                "" if g.rate_percent is None else g.rate_percent,
            ]
            for g in report.groups
        ],
    )


def _money_blocks(report: TeamReport, lang: str) -> list[Block]:
    """Activity money by month and each worker's budget."""
    return [
        (
            r("section.money", lang),
            [
                r("col.month", lang),
                r("col.clients", lang),
                r("col.days", lang),
                r("col.money_eur", lang),
            ],
            [
                [
                    as_text(month_name((m.year, m.month), lang)),
                    m.clients,
                    m.days,
                    format_amount(m.total_cents, lang),
                ]
                for m in report.money_months
            ]
            + [
                [
                    r("col.total", lang),
                    "",
                    sum(m.days for m in report.money_months),
                    format_amount(report.money_total_cents, lang),
                ]
            ],
        ),
        (
            r("section.budget", lang),
            [
                r("col.worker", lang),
                r("col.role", lang),
                r("col.year", lang),
                r("col.budget_eur", lang),
                r("col.spent_eur", lang),
                r("col.left_eur", lang),
                r("col.used_percent", lang),
            ],
            [
                [
                    free_text(b.worker_name),
                    role_label(b.role, lang),
                    b.status.year,
                    format_amount(b.status.budget_cents, lang),
                    format_amount(b.status.spent_cents, lang),
                    format_amount(b.status.left_cents, lang),
                    percent_number(
                        b.status.used_share if b.status.budget_cents > 0 else None, lang
                    ),
                ]
                for b in report.budgets
            ],
        ),
    ]


def _client_block(report: TeamReport, lang: str) -> Block:
    """One row per client and month (only in a file that may show clients)."""
    return (
        r("section.clients", lang),
        [
            r("col.client", lang),
            r("col.worker", lang),
            r("col.month", lang),
            r("col.realised", lang),
            r("col.target", lang),
            r("col.target_met", lang),
            r("col.days", lang),
            r("col.money_eur", lang),
        ],
        [
            [
                free_text(row.client_name),
                free_text(row.worker_name),
                as_text(month_name((row.year, row.month), lang)),
                row.realised,
                row.target,
                yes_no(row.met, lang) if row.target else "",
                row.paid_days,
                format_amount(row.paid_cents, lang),
            ]
            for row in report.client_months
        ],
    )
