"""Agreement on social rehabilitation: one A4 sheet, signed on paper.

Workers print it on the spot, so blank parts get ruled lines to write on
and the whole form is shrunk into a single page however long the goals
are. The same content, without the blank lines, is given as paste-ready
text.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from sosku_desktop.documents.context import DocumentContext
from sosku_desktop.documents.layout import (
    CONTENT_W,
    FRAME_H,
    GRID,
    PageInfo,
    Styles,
    boxed_fields,
    build_pdf,
    heading,
    para,
    story_height,
    styles,
    table_style,
    write_lines,
)
from sosku_desktop.documents.phrases import t
from sosku_desktop.documents.textdoc import Field, Section, TextDocument, render_text
from sosku_desktop.domain import codes
from sosku_desktop.domain.models import Goal
from sosku_desktop.i18n import code_label, format_date, format_datetime

MAX_GOALS = 3
MAX_LISTED_MEETINGS = 4
BOX_PAD = 8  # left + right padding of a form box, in points


@dataclass(frozen=True)
class AgreementContent:
    """The agreement's filled-in values; empty strings are left to write by hand."""

    client_name: str
    start_date: str
    worker_name: str
    worker: str
    worker_contact: str
    meeting_times: str
    goals: tuple[str, ...]
    contact: str
    group_activity: str
    other: str
    signed_on: str


def initial_goals(ctx: DocumentContext) -> list[Goal]:
    """Agreement.goal_ids in order, else the period's first main goals (at most 3)."""
    if ctx.period is None:
        return []
    by_id = {g.id: g for g in ctx.goals if not g.deleted and g.period_id == ctx.period.id}
    if ctx.agreement is not None and ctx.agreement.goal_ids:
        chosen = [by_id[i] for i in ctx.agreement.goal_ids if i in by_id]
    else:
        chosen = [g for g in ctx.main_goals(ctx.period) if g.status != codes.GOAL_DROPPED]
    return chosen[:MAX_GOALS]


def _meeting_times(ctx: DocumentContext) -> str:
    """The agreed times as written, else the planned meetings of the period."""
    if ctx.agreement is not None and ctx.agreement.meeting_times.strip():
        return ctx.agreement.meeting_times.strip()
    if ctx.period is None:
        return ""
    planned = [m for m in ctx.period_meetings(ctx.period) if m.status == codes.MEETING_PLANNED][
        :MAX_LISTED_MEETINGS
    ]
    return ", ".join(format_datetime(m.starts_at, ctx.lang) for m in planned)


def agreement_content(ctx: DocumentContext) -> AgreementContent:
    lang = ctx.lang
    worker = ctx.worker or (ctx.worker_by_id(ctx.period.worker_id) if ctx.period else None)
    worker_text = ""
    worker_contact = ""
    if worker is not None:
        worker_text = f"{worker.name}, {code_label('role', worker.role, lang)}"
        worker_contact = ", ".join(v for v in (worker.phone, worker.email) if v)
    agreement = ctx.agreement
    return AgreementContent(
        client_name=ctx.client.full_name if ctx.client else "",
        start_date=format_date(ctx.period.start, lang) if ctx.period else "",
        worker_name=worker.name if worker else "",
        worker=worker_text,
        worker_contact=worker_contact,
        meeting_times=_meeting_times(ctx),
        goals=tuple(g.text.strip() for g in initial_goals(ctx)),
        contact=agreement.contact.strip() if agreement else "",
        group_activity=agreement.group_activity.strip() if agreement else "",
        other=agreement.other.strip() if agreement else "",
        signed_on=format_date(agreement.signed_on, lang) if agreement else "",
    )


def _preamble(ctx: DocumentContext) -> str:
    rules = ctx.rules
    return t(
        "agreement.preamble",
        ctx.lang,
        block=rules.decision_block_months,
        max=rules.max_period_months,
        evaluation=rules.evaluation_interval_months,
    )


# -- PDF ----------------------------------------------------------------------


def _value_or_lines(value: str, st: Styles, width: float, lines: int) -> Flowable | list[Flowable]:
    if value:
        return para(value, st.cell)
    return [write_lines(lines, width - BOX_PAD, 6.5 * mm)]


def _goal_rows(content: AgreementContent, st: Styles) -> Table:
    rows = []
    for i in range(MAX_GOALS):
        text = content.goals[i] if i < len(content.goals) else ""
        value: Flowable = (
            para(text, st.cell) if text else write_lines(1, CONTENT_W - 12 * mm - BOX_PAD, 7 * mm)
        )
        rows.append([para(f"{i + 1}.", st.cell_bold), value])
    table = Table(rows, colWidths=[12 * mm, CONTENT_W - 12 * mm])
    table.setStyle(
        table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _signatures(ctx: DocumentContext, content: AgreementContent, st: Styles) -> Table:
    lang = ctx.lang
    col = (CONTENT_W - 10 * mm) / 2
    place = t("agreement.place_date", lang)
    rows = [
        [para(content.signed_on, st.cell), "", para(content.signed_on, st.cell)],
        [para(place, st.label), "", para(place, st.label)],
        ["", "", ""],
        [
            para(t("agreement.sign_client", lang), st.label),
            "",
            para(t("agreement.sign_worker", lang), st.label),
        ],
        [
            para(content.client_name, st.cell),
            "",
            para(content.worker_name, st.cell),
        ],
    ]
    heights = [9 * mm, None, 13 * mm, None, None]
    table = Table(rows, colWidths=[col, 10 * mm, col], rowHeights=heights)
    table.setStyle(
        table_style(
            [
                ("LINEBELOW", (0, 0), (0, 0), 0.7, GRID),
                ("LINEBELOW", (2, 0), (2, 0), 0.7, GRID),
                ("LINEBELOW", (0, 2), (0, 2), 0.7, GRID),
                ("LINEBELOW", (2, 2), (2, 2), 0.7, GRID),
                ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 1), (-1, -1), "TOP"),
            ]
        )
    )
    return table


#: Base font sizes tried in turn; below the last the whole page is shrunk to fit.
FONT_SIZES = (9.5, 9.0, 8.5, 8.0)


def agreement_pdf(ctx: DocumentContext) -> bytes:
    """The signed-on-paper form; always exactly one A4 page.

    Long goals first get a smaller font at full width; only if that is not
    enough is the whole form scaled down (``one_page``).
    """
    content = agreement_content(ctx)
    for size in FONT_SIZES:
        story = _story(ctx, content, styles(size))
        if story_height(story) <= FRAME_H:
            break
    info = PageInfo(ctx.organisation, ctx.lang, t("agreement.title", ctx.lang), ctx.printed_on)
    return build_pdf(info, story, one_page=True)


def _story(ctx: DocumentContext, c: AgreementContent, st: Styles) -> list[Flowable]:
    lang = ctx.lang
    third = CONTENT_W / 3
    half = CONTENT_W / 2
    return [
        para(t("agreement.title", lang), st.title),
        para(_preamble(ctx), st.body),
        Spacer(1, 2 * mm),
        *boxed_fields(
            [
                [
                    (t("client_name", lang), _value_or_lines(c.client_name, st, half, 1)),
                    (t("agreement.start_date", lang), _value_or_lines(c.start_date, st, half, 1)),
                ],
                [
                    (t("worker", lang), _value_or_lines(c.worker, st, half, 1)),
                    (t("worker_contact", lang), _value_or_lines(c.worker_contact, st, half, 1)),
                ],
                [
                    (
                        t("agreement.meeting_times", lang),
                        _value_or_lines(c.meeting_times, st, CONTENT_W, 1),
                    )
                ],
            ],
            st,
        ),
        heading(t("agreement.goals", lang), st),
        _goal_rows(c, st),
        Spacer(1, 2 * mm),
        *boxed_fields(
            [
                [
                    (t("agreement.contact", lang), _value_or_lines(c.contact, st, third, 3)),
                    (
                        t("agreement.group_activity", lang),
                        _value_or_lines(c.group_activity, st, third, 3),
                    ),
                    (t("agreement.other", lang), _value_or_lines(c.other, st, third, 3)),
                ]
            ],
            st,
        ),
        heading(t("agreement.commitments", lang), st),
        para(t("agreement.worker_commits", lang), st.body),
        para(t("agreement.client_commits", lang), st.body),
        heading(t("agreement.confidentiality_heading", lang), st),
        para(t("agreement.confidentiality", lang), st.body),
        para(t("agreement.partners", lang), st.body),
        write_lines(1, CONTENT_W, 6.5 * mm),
        Spacer(1, 4 * mm),
        heading(t("agreement.signatures", lang), st),
        _signatures(ctx, c, st),
        Spacer(1, 3 * mm),
        para(t("agreement.copies", lang), st.small),
    ]


# -- text -----------------------------------------------------------------------


def agreement_document(ctx: DocumentContext) -> TextDocument:
    lang = ctx.lang
    c = agreement_content(ctx)
    return TextDocument(
        title=t("agreement.title", lang),
        sections=(
            Section(paragraphs=(_preamble(ctx),)),
            Section(
                fields=(
                    Field(t("client_name", lang), c.client_name),
                    Field(t("agreement.start_date", lang), c.start_date),
                    Field(t("worker", lang), c.worker),
                    Field(t("agreement.meeting_times", lang), c.meeting_times),
                )
            ),
            Section(t("agreement.goals", lang), items=c.goals, numbered=True),
            Section(
                fields=(
                    Field(t("agreement.contact", lang), c.contact),
                    Field(t("agreement.group_activity", lang), c.group_activity),
                    Field(t("agreement.other", lang), c.other),
                )
            ),
            Section(
                t("agreement.commitments", lang),
                paragraphs=(
                    t("agreement.worker_commits", lang),
                    t("agreement.client_commits", lang),
                    t("agreement.confidentiality", lang),
                ),
            ),
            Section(fields=(Field(t("agreement.signed_on", lang), c.signed_on),)),
        ),
    )


def agreement_text(ctx: DocumentContext) -> bytes:
    return render_text(agreement_document(ctx)).encode("utf-8")
