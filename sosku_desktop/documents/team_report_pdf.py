"""The team report as a PDF for the team lead: key figures, charts, then tables.

Charts come first because a team lead would rather look than read; every
chart has its numbers written on it and a table with the same numbers
follows, so nothing depends on telling greys apart. Per-client rows (names
of clients) come last and only when asked for; the caller logs an export
per client in them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from sosku_desktop.documents.context import Organisation
from sosku_desktop.documents.fonts import ensure_fonts
from sosku_desktop.documents.layout import (
    CONTENT_W,
    GRID,
    SHADE,
    PageInfo,
    Styles,
    boxed_fields,
    build_pdf,
    data_table,
    esc,
    heading,
    para,
    styles,
)
from sosku_desktop.documents.report_charts import bar_chart
from sosku_desktop.documents.team_report_text import (
    ATTENDANCE_COLUMNS,
    computed_text,
    kind_label,
    month_name,
    month_short,
    percent,
    phase_label,
    r,
    role_label,
    status_label,
    target_share,
    window_text,
    worker_text,
)
from sosku_desktop.domain.team_report import ClientMonth, Month, TeamReport
from sosku_desktop.i18n import code_heading, format_money, format_number

MONTHS_PER_TABLE = 12


def team_report_pdf(
    report: TeamReport,
    organisation: Organisation,
    lang: str,
    *,
    include_clients: bool = True,
    printed_on: date | None = None,
) -> bytes:
    """The whole report; per-client tables only with ``include_clients``."""
    st = styles()
    story: list[Flowable] = [
        para(r("title", lang), st.title),
        *boxed_fields(
            [
                [
                    (r("window", lang), window_text(report.filter, lang)),
                    (r("worker", lang), worker_text(report, lang)),
                ]
            ],
            st,
        ),
        para(computed_text(report.today, lang), st.small),
        Spacer(1, 2 * mm),
        *_key_figures(report, lang, st),
        _side_by_side(_phases(report, lang, st), _kinds(report, lang, st)),
        *_meetings(report, lang, st),
        *_groups(report, lang, st),
        *_money(report, lang, st),
        *_budget(report, lang, st),
    ]
    if include_clients:
        story += _clients(report, lang, st)
    info = PageInfo(organisation, lang, r("title", lang), printed_on or report.today)
    return build_pdf(info, story)


def _figure_style() -> ParagraphStyle:
    _, bold = ensure_fonts()
    return ParagraphStyle("figure", fontName=bold, fontSize=15, leading=18)


def _key_figures(report: TeamReport, lang: str, st: Styles) -> list[Flowable]:
    big = _figure_style()
    met, with_target = target_share(report)
    share = percent(met / with_target if with_target else None, lang)
    boxes = [
        (
            r("key.clients", lang),
            [
                para(str(report.clients_in_service), big),
                para(
                    r("key.started_ended", lang, started=report.started, ended=report.ended),
                    st.small,
                ),
            ],
        ),
        (r("key.meetings", lang), [para(str(report.realised_meetings), big)]),
        (
            r("key.target_met", lang),
            [
                para(share, big),
                para(r("client_months", lang, met=met, total=with_target), st.small),
            ],
        ),
        (r("key.money", lang), [para(format_money(report.money_total_cents, lang), big)]),
    ]
    return [*boxed_fields([boxes], st), Spacer(1, 1 * mm)]


def _side_by_side(left: list[Flowable], right: list[Flowable]) -> Table:
    half = CONTENT_W / 2
    table = Table([[left, right]], colWidths=[half, half])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), ensure_fonts()[0]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 3 * mm),
                ("RIGHTPADDING", (1, 0), (1, 0), 0),
                ("LEFTPADDING", (1, 0), (1, 0), 3 * mm),
            ]
        )
    )
    return table


def _phases(report: TeamReport, lang: str, st: Styles) -> list[Flowable]:
    width = CONTENT_W / 2 - 3 * mm
    labels = [phase_label(p, lang) for p in report.phases]
    chart = bar_chart(
        labels, [list(report.phases.values())], width, horizontal=True, height=40 * mm
    )
    return [heading(r("section.phases", lang), st), chart, para(r("phases_note", lang), st.small)]


def _kinds(report: TeamReport, lang: str, st: Styles) -> list[Flowable]:
    width = CONTENT_W / 2 - 3 * mm
    kinds = {k: n for k, n in report.meeting_kinds.items()}
    chart = bar_chart(
        [kind_label(k, lang) for k in kinds], [list(kinds.values())], width, horizontal=True
    )
    statuses = ", ".join(
        f"{status_label(s, lang).lower()} {n}" for s, n in report.meeting_statuses.items()
    )
    return [
        heading(r("section.kinds", lang), st),
        chart,
        para(f"{r('section.statuses', lang)}: {statuses}", st.small),
    ]


def _meetings(report: TeamReport, lang: str, st: Styles) -> list[Flowable]:
    months = report.meeting_months
    chart = bar_chart(
        [month_short((m.year, m.month)) for m in months],
        [[m.clients_with_target for m in months], [m.clients_meeting_target for m in months]],
        CONTENT_W,
        height=52 * mm,
        legend=(r("col.clients_with_target", lang), r("col.clients_met", lang)),
    )
    rows = [
        [
            month_name((m.year, m.month), lang)
            + ("" if m.closed else f" ({r('open_month', lang)})"),
            str(m.realised),
            str(m.clients_with_target),
            str(m.clients_meeting_target),
            percent(m.share_met, lang),
        ]
        for m in months
    ]
    header = [
        r("col.month", lang),
        r("col.realised", lang),
        r("col.clients_with_target", lang),
        r("col.clients_met", lang),
        r("col.share", lang),
    ]
    return [
        KeepTogether(
            [
                heading(r("section.meetings", lang), st),
                para(r("meetings_note", lang, min=report.min_meetings_per_month), st.small),
                chart,
            ]
        ),
        # A month table fits a page: whole, it never leaves one month alone overleaf.
        KeepTogether([data_table(header, rows, [46, 30, 34, 30, 22], st, right=(1, 2, 3, 4))]),
    ]


def _groups(report: TeamReport, lang: str, st: Styles) -> list[Flowable]:
    out: list[Flowable] = [heading(r("section.groups", lang), st)]
    if not report.groups:
        return [*out, para(r("no_groups", lang), st.body)]
    rates = [g.rate_percent or 0 for g in report.groups]
    chart = bar_chart(
        [g.name for g in report.groups],
        [rates],
        CONTENT_W,
        horizontal=True,
        value_max=100,
        value_label=lambda v: f"{v:.0f} %",
        axis_label=lambda v: f"{v:.0f} %",
        height=25 * mm,
    )
    rows = [
        [
            g.name,
            str(g.sessions),
            str(g.tally.present),
            str(g.tally.absent),
            str(g.tally.excused),
            "–" if g.rate_percent is None else f"{g.rate_percent} %",
        ]
        for g in report.groups
    ]
    header = [
        r("col.group", lang),
        r("col.sessions", lang),
        *(code_heading("attendance", s, lang) for s in ATTENDANCE_COLUMNS),
        r("col.rate", lang),
    ]
    return [
        KeepTogether([*out, para(r("groups_note", lang), st.small), chart]),
        data_table(header, rows, [60, 22, 20, 20, 30, 24], st, right=(1, 2, 3, 4, 5)),
    ]


def _money(report: TeamReport, lang: str, st: Styles) -> list[Flowable]:
    months = report.money_months
    chart = bar_chart(
        [month_short((m.year, m.month)) for m in months],
        [[m.total_cents / 100 for m in months]],
        CONTENT_W,
        height=48 * mm,
        value_label=lambda v: f"{format_number(round(v), lang)} €",
        axis_label=lambda v: f"{format_number(v, lang)} €",
    )
    rows = [
        [
            month_name((m.year, m.month), lang),
            str(m.clients),
            str(m.days),
            format_money(m.total_cents, lang),
        ]
        for m in months
    ]
    rows.append(
        [
            r("col.total", lang),
            "",
            str(sum(m.days for m in months)),
            format_money(report.money_total_cents, lang),
        ]
    )
    header = [
        r("col.month", lang),
        r("col.clients", lang),
        r("col.days", lang),
        r("col.total", lang),
    ]
    return [
        KeepTogether(
            [heading(r("section.money", lang), st), para(r("money_note", lang), st.small), chart]
        ),
        KeepTogether(
            [data_table(header, rows, [60, 30, 30, 40], st, right=(1, 2, 3), bold_last=True)]
        ),
    ]


def _budget(report: TeamReport, lang: str, st: Styles) -> list[Flowable]:
    rows = [
        [
            b.worker_name,
            role_label(b.role, lang),
            str(b.status.year),
            format_money(b.status.budget_cents, lang),
            format_money(b.status.spent_cents, lang),
            format_money(b.status.left_cents, lang),
            percent(b.status.used_share if b.status.budget_cents > 0 else None, lang),
        ]
        for b in report.budgets
    ]
    header = [
        r("col.worker", lang),
        r("col.role", lang),
        r("col.year", lang),
        r("col.budget", lang),
        r("col.spent", lang),
        r("col.left", lang),
        r("col.used", lang),
    ]
    return [
        KeepTogether(
            [
                heading(r("section.budget", lang), st),
                data_table(header, rows, [40, 34, 14, 22, 22, 22, 20], st, right=(2, 3, 4, 5, 6)),
            ]
        )
    ]


#: Room the per-client section needs at a page's foot: heading, note, header, a few rows.
CLIENTS_MIN_SPACE = 60 * mm


def _clients(report: TeamReport, lang: str, st: Styles) -> list[Flowable]:
    out: list[Flowable] = [
        # The heading, its note and a first client or two alone at a page's foot
        # (the rest overleaf) read as a finished table: start a page instead.
        CondPageBreak(CLIENTS_MIN_SPACE),
        heading(r("section.clients", lang), st),
        para(r("clients_note", lang), st.small),
    ]
    if not report.client_months:
        return [*out, para(r("no_clients", lang), st.body)]
    months = [(m.year, m.month) for m in report.meeting_months]
    for start in range(0, len(months), MONTHS_PER_TABLE):
        chunk = months[start : start + MONTHS_PER_TABLE]
        out += [_client_matrix(report.client_months, chunk, lang, st), Spacer(1, 3 * mm)]
    return out


def _client_matrix(
    rows: Sequence[ClientMonth], months: Sequence[Month], lang: str, st: Styles
) -> Table:
    """Clients down, months across; a cell is "held/target", grey with ! when not met."""
    by_client: dict[str, dict[Month, ClientMonth]] = {}
    names: dict[str, tuple[str, str]] = {}
    for row in rows:
        by_client.setdefault(row.client_id, {})[(row.year, row.month)] = row
        names[row.client_id] = (row.client_name, row.worker_name)
    cell = ParagraphStyle("matrix", parent=st.cell, fontSize=7.5, leading=9.5, alignment=1)
    head = ParagraphStyle(
        "matrix_head", parent=st.cell_bold, fontSize=7.5, leading=9.5, alignment=1
    )
    name_style = ParagraphStyle("matrix_name", parent=st.cell, fontSize=8, leading=10)
    data: list[list[Flowable]] = [
        [para(r("col.client", lang), st.cell_bold)] + [para(month_short(m), head) for m in months]
    ]
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), ensure_fonts()[0]),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (1, 0), (-1, -1), 1),
        ("RIGHTPADDING", (1, 0), (-1, -1), 1),
    ]
    shown = [cid for cid in by_client if any(m in by_client[cid] for m in months)]
    for line, client_id in enumerate(shown, start=1):
        name, worker = names[client_id]
        label = esc(name)
        if worker:
            label += f"<br/><font size=6.5 color='#555555'>{esc(worker)}</font>"
        cells: list[Flowable] = [para(label, name_style, markup=True)]
        for col, month in enumerate(months, start=1):
            found = by_client[client_id].get(month)
            if found is None:
                cells.append(para("", cell))
                continue
            if found.target:
                text = f"{found.realised}/{found.target}"
            else:  # listed for activity money only (e.g. a group before the period)
                text = str(found.realised) if found.realised else ""
            if found.target and not found.met:
                text += " !"
                commands.append(
                    ("BACKGROUND", (col, line), (col, line), colors.Color(0.8, 0.8, 0.8))
                )
            cells.append(para(text, cell))
        data.append(cells)
    name_w = 46 * mm
    month_w = (CONTENT_W - name_w) / MONTHS_PER_TABLE
    table = Table(data, colWidths=[name_w] + [month_w] * len(months), repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table
