"""Monthly activity-money statement for a worker's caseload: PDF, CSV, text.

Activity money is paid monthly, afterwards; the office needs one list per
worker and month to pay from. The CSV is for Finnish Excel: ``;``
separator, decimal comma, UTF-8 with BOM (else Excel guesses the wrong
encoding) and CRLF line ends.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from sosku_desktop.documents.context import DocumentContext
from sosku_desktop.documents.csv_cells import as_text, free_text
from sosku_desktop.documents.errors import MissingDataError
from sosku_desktop.documents.layout import (
    PageInfo,
    boxed_fields,
    build_pdf,
    data_table,
    para,
    styles,
    write_lines,
)
from sosku_desktop.documents.phrases import date_list, day_count, money_calculation, rates_text, t
from sosku_desktop.documents.textdoc import Field, Section, TextDocument, render_text
from sosku_desktop.domain.activity_money import (
    ActivityMoneyMonth,
    activity_money_for_month,
    paid_window,
)
from sosku_desktop.domain.models import Client
from sosku_desktop.i18n import code_label, format_amount, format_money, format_month

KIND = "activity-money"


@dataclass(frozen=True)
class StatementRow:
    client: Client
    month: ActivityMoneyMonth


def _month(ctx: DocumentContext) -> tuple[int, int]:
    if ctx.month is None:
        raise MissingDataError(KIND, "a month")
    return ctx.month


def statement_rows(ctx: DocumentContext) -> list[StatementRow]:
    """One row per caseload client (zero days too), sorted by last name."""
    year, month = _month(ctx)
    rows = [
        StatementRow(
            entry.client,
            activity_money_for_month(
                year,
                month,
                entry.meetings,
                ctx.sessions,
                ctx.attendances,
                paid_window(entry.client.id, entry.periods, ctx.printed_on, ctx.rules),
                ctx.rules,
            ),
        )
        for entry in ctx.caseload
        if not entry.client.deleted
    ]
    return sorted(rows, key=lambda r: (r.client.last_name.lower(), r.client.first_name.lower()))


def _title(ctx: DocumentContext) -> str:
    return t("statement.title", ctx.lang, month=format_month(*_month(ctx), ctx.lang))


def _identity(ctx: DocumentContext, client: Client) -> str:
    return client.identity_code if ctx.show_identity_codes else ""


def _header(ctx: DocumentContext) -> list[str]:
    lang = ctx.lang
    return [
        t("client", lang),
        t("identity_code", lang),
        t("statement.days", lang),
        t("statement.dates", lang),
        t("statement.rate", lang),
        t("statement.total", lang),
    ]


def _worker_text(ctx: DocumentContext) -> str:
    if ctx.worker is None:
        return ""
    return f"{ctx.worker.name}, {code_label('role', ctx.worker.role, ctx.lang)}"


def statement_pdf(ctx: DocumentContext) -> bytes:
    lang = ctx.lang
    st = styles()
    rows = statement_rows(ctx)
    show_id = any(_identity(ctx, r.client) for r in rows)
    header = _header(ctx)
    widths = [42, 26, 12, 50, 18, 24]  # totals like "1 207,00 €" in bold on one line
    body: list[list[str]] = [
        [
            r.client.full_name,
            _identity(ctx, r.client),
            str(r.month.day_count),
            date_list(r.month.dates, lang),
            rates_text(r.month.days, lang),
            format_money(r.month.total_cents, lang),
        ]
        for r in rows
    ]
    body.append(
        [
            t("total", lang),
            "",
            str(sum(r.month.day_count for r in rows)),
            "",
            "",
            format_money(sum(r.month.total_cents for r in rows), lang),
        ]
    )
    if not show_id:
        header.pop(1)
        widths.pop(1)
        for line in body:
            line.pop(1)
    right = (1, 3, 4) if not show_id else (2, 4, 5)
    story: list[Flowable] = [
        para(_title(ctx), st.title),
        *boxed_fields(
            [
                [
                    (t("worker", lang), _worker_text(ctx)),
                    (t("statement.month", lang), format_month(*_month(ctx), lang)),
                    (t("statement.unit", lang), ctx.organisation.unit or ctx.organisation.name),
                ]
            ],
            st,
        ),
        Spacer(1, 4 * mm),
        data_table(header, body, widths, st, right=right, bold_last=True),
        Spacer(1, 3 * mm),
        para(t("statement.note", lang), st.small),
        Spacer(1, 8 * mm),
        *boxed_fields(
            [
                [
                    (t("statement.prepared_by", lang), [write_lines(1, 80 * mm, 9 * mm)]),
                    (t("statement.approved_by", lang), [write_lines(1, 80 * mm, 9 * mm)]),
                ]
            ],
            st,
        ),
    ]
    info = PageInfo(ctx.organisation, lang, _title(ctx), ctx.printed_on)
    return build_pdf(info, story)


def statement_csv(ctx: DocumentContext) -> bytes:
    """Semicolon CSV with BOM for Finnish Excel; last row is the total."""
    lang = ctx.lang
    rows = statement_rows(ctx)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(_header(ctx))
    for r in rows:
        writer.writerow(
            [
                free_text(r.client.full_name),
                _identity(ctx, r.client),
                r.month.day_count,
                as_text(date_list(r.month.dates, lang)),
                as_text(
                    " / ".join(
                        format_amount(c, lang) for c in sorted({d.cents for d in r.month.days})
                    )
                ),
                format_amount(r.month.total_cents, lang),
            ]
        )
    writer.writerow(
        [
            t("total", lang),
            "",
            sum(r.month.day_count for r in rows),
            "",
            "",
            format_amount(sum(r.month.total_cents for r in rows), lang),
        ]
    )
    return out.getvalue().encode("utf-8-sig")


def statement_document(ctx: DocumentContext) -> TextDocument:
    lang = ctx.lang
    rows = statement_rows(ctx)
    items = []
    for r in rows:
        ident = _identity(ctx, r.client)
        name = f"{r.client.full_name} ({ident})" if ident else r.client.full_name
        dates = date_list(r.month.dates, lang)
        calc = money_calculation(r.month.days, lang)
        items.append(f"{name}: {dates}; {calc}" if dates else f"{name}: {calc}")
    total_days = sum(r.month.day_count for r in rows)
    total = sum(r.month.total_cents for r in rows)
    return TextDocument(
        title=_title(ctx),
        sections=(
            Section(
                fields=(
                    Field(t("worker", lang), _worker_text(ctx)),
                    Field(t("statement.month", lang), format_month(*_month(ctx), lang)),
                )
            ),
            Section(t("statement.clients", lang), items=tuple(items)),
            Section(
                fields=(
                    Field(
                        t("total", lang),
                        f"{day_count(total_days, lang)}, {format_money(total, lang)}",
                    ),
                )
            ),
            Section(paragraphs=(t("statement.note", lang),)),
        ),
    )


def statement_text(ctx: DocumentContext) -> bytes:
    return render_text(statement_document(ctx)).encode("utf-8")
