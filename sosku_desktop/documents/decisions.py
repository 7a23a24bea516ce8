"""Decision drafts: rehabilitation (§17), activity money, transport card.

Workers copy these into the municipality's client-record system, so each
draft is first a ``TextDocument`` of headed sections; the PDF (for review
and the paper file) and the paste-ready text are both rendered from it.
"""

from __future__ import annotations

from datetime import date

from sosku_desktop.documents.context import DocumentContext
from sosku_desktop.documents.errors import MissingDataError
from sosku_desktop.documents.kinds import (
    DECISION_ACTIVITY_MONEY,
    DECISION_REHABILITATION,
    DECISION_TRANSPORT,
    TITLE_KEYS,
)
from sosku_desktop.documents.layout import PageInfo, build_pdf, styles, text_document_story
from sosku_desktop.documents.phrases import (
    date_list,
    date_range,
    day_count,
    money_calculation,
    t,
    yes_no,
)
from sosku_desktop.documents.textdoc import Field, Section, TextDocument, render_text
from sosku_desktop.domain import codes
from sosku_desktop.domain.activity_money import PaidDay, activity_days, paid_window
from sosku_desktop.domain.models import Decision
from sosku_desktop.i18n import code_label, format_date, format_money

DEFAULT_SERVICE_TASK = "sosiaalinen kuntoutus"


def pick_decision(ctx: DocumentContext, decision_kind: str, doc_kind: str) -> Decision:
    """``ctx.decision`` if it is of the kind, else the latest such decision given."""
    if ctx.decision is not None and ctx.decision.kind == decision_kind:
        return ctx.decision
    candidates = [d for d in ctx.decisions if d.kind == decision_kind and not d.deleted]
    if not candidates:
        raise MissingDataError(doc_kind, f"a decision of kind {decision_kind!r}")
    return max(candidates, key=lambda d: (d.valid_from, d.decided_on or date.min))


def service_task(ctx: DocumentContext) -> str:
    task = ctx.period.service_task if ctx.period else DEFAULT_SERVICE_TASK
    if task.strip().lower() == DEFAULT_SERVICE_TASK:
        return t("service_task", ctx.lang)
    return task


def _preparer(ctx: DocumentContext) -> str:
    worker = ctx.worker or (ctx.worker_by_id(ctx.period.worker_id) if ctx.period else None)
    if worker is None:
        return ""
    return f"{worker.name}, {code_label('role', worker.role, ctx.lang)}"


def _client_section(ctx: DocumentContext, decision: Decision, doc_kind: str) -> Section:
    lang = ctx.lang
    client = ctx.need_client(doc_kind)
    return Section(
        t("decision.client_heading", lang),
        fields=(
            Field(t("client_name", lang), client.full_name),
            Field(t("identity_code", lang), client.identity_code),
            Field(t("decision.service_task", lang), service_task(ctx)),
            Field(t("decision.number", lang), decision.number),
            Field(t("decision.date", lang), format_date(decision.decided_on, lang)),
            Field(t("decision.preparer", lang), _preparer(ctx)),
        ),
    )


def _opinion_section(ctx: DocumentContext, decision: Decision) -> Section:
    lang = ctx.lang
    return Section(
        t("decision.opinion_heading", lang),
        fields=(
            Field(t("decision.heard", lang), yes_no(decision.client_heard, lang)),
            Field(t("decision.heard_how", lang), decision.heard_how),
        ),
    )


def _outcome_section(ctx: DocumentContext, decision: Decision, default_reason: str) -> Section:
    lang = ctx.lang
    reasons = tuple(p for p in (decision.reasoning.strip(), default_reason) if p)
    return Section(
        t("decision.outcome_heading", lang),
        fields=(Field(t("decision.outcome", lang), code_label("outcome", decision.outcome, lang)),),
        paragraphs=reasons,
    )


def _rate_cents(ctx: DocumentContext, decision: Decision, day: date) -> int:
    return decision.rate_cents if decision.rate_cents is not None else ctx.rules.rate_on(day)


# -- §17 rehabilitation ---------------------------------------------------------


def rehabilitation_document(ctx: DocumentContext) -> TextDocument:
    kind = DECISION_REHABILITATION
    lang = ctx.lang
    decision = pick_decision(ctx, codes.DECISION_REHABILITATION, kind)
    period = ctx.need_period(kind)
    goals = [g.text for g in ctx.main_goals(period) if g.status != codes.GOAL_DROPPED]
    rate = _rate_cents(ctx, decision, decision.valid_from)
    return TextDocument(
        title=t("decision.rehabilitation.title", lang),
        note=t("decision.draft_note", lang),
        sections=(
            _client_section(ctx, decision, kind),
            Section(
                t("decision.decision_heading", lang),
                fields=(
                    Field(t("decision.legal_basis", lang), t("law.social_welfare_17", lang)),
                    Field(
                        t("decision.validity", lang),
                        date_range(decision.valid_from, decision.valid_to, lang),
                    ),
                    Field(t("decision.continuation", lang), yes_no(decision.continuation, lang)),
                    Field(
                        t("decision.period", lang),
                        date_range(period.start, period.planned_end, lang),
                    ),
                    Field(t("decision.planned_meetings", lang), str(decision.planned_meetings)),
                    Field(
                        t("decision.planned_group_sessions", lang),
                        str(decision.planned_group_sessions),
                    ),
                    Field(
                        t("decision.activity_money_rate", lang),
                        t("per_day", lang, amount=format_money(rate, lang)),
                    ),
                ),
            ),
            Section(t("decision.goals_heading", lang), items=tuple(goals), numbered=True),
            _outcome_section(ctx, decision, ""),
            _opinion_section(ctx, decision),
        ),
    )


# -- activity money ---------------------------------------------------------------


def paid_days(ctx: DocumentContext, decision: Decision, doc_kind: str) -> list[PaidDay]:
    """Realised activity days within the decision's validity, at their rates."""
    client = ctx.need_client(doc_kind)
    paid = paid_window(client.id, ctx.all_periods(), ctx.printed_on, ctx.rules)
    days = activity_days(ctx.client_meetings(), ctx.sessions, ctx.attendances, paid)
    return [
        PaidDay(day=d, cents=_rate_cents(ctx, decision, d), meeting=m, group_session=g)
        for d, (m, g) in sorted(days.items())
        if decision.valid_from <= d <= decision.valid_to
    ]


def activity_money_document(ctx: DocumentContext) -> TextDocument:
    kind = DECISION_ACTIVITY_MONEY
    lang = ctx.lang
    decision = pick_decision(ctx, codes.DECISION_ACTIVITY_MONEY, kind)
    days = paid_days(ctx, decision, kind)
    total = sum(d.cents for d in days)
    return TextDocument(
        title=t("decision.activity_money.title", lang),
        note=t("decision.draft_note", lang),
        sections=(
            _client_section(ctx, decision, kind),
            Section(
                t("decision.decision_heading", lang),
                fields=(
                    Field(t("decision.legal_basis", lang), t("law.social_assistance_13", lang)),
                    Field(t("decision.support_type", lang), t("preventive_income_support", lang)),
                    Field(
                        t("decision.validity", lang),
                        date_range(decision.valid_from, decision.valid_to, lang),
                    ),
                ),
            ),
            Section(
                t("decision.activity_days_heading", lang),
                fields=(
                    Field(
                        t("decision.activity_dates", lang), date_list([d.day for d in days], lang)
                    ),
                    Field(t("decision.calculation", lang), money_calculation(days, lang)),
                    Field(t("decision.amount", lang), format_money(total, lang)),
                    Field(t("decision.payment", lang), t("decision.payment_afterwards", lang)),
                ),
            ),
            _outcome_section(ctx, decision, t("decision.activity_money.reason", lang)),
            _opinion_section(ctx, decision),
        ),
    )


# -- transport card -------------------------------------------------------------------


def transport_document(ctx: DocumentContext) -> TextDocument:
    kind = DECISION_TRANSPORT
    lang = ctx.lang
    decision = pick_decision(ctx, codes.DECISION_TRANSPORT_CARD, kind)
    length = (decision.valid_to - decision.valid_from).days + 1
    validity = date_range(decision.valid_from, decision.valid_to, lang)
    return TextDocument(
        title=t("decision.transport.title", lang),
        note=t("decision.draft_note", lang),
        sections=(
            _client_section(ctx, decision, kind),
            Section(
                t("decision.decision_heading", lang),
                fields=(
                    Field(t("decision.legal_basis", lang), t("law.social_assistance_13", lang)),
                    Field(t("decision.support_type", lang), t("preventive_income_support", lang)),
                    Field(t("decision.validity", lang), f"{validity} ({day_count(length, lang)})"),
                    Field(t("decision.transport.details", lang), decision.details),
                ),
            ),
            _outcome_section(ctx, decision, t("decision.transport.reason", lang)),
            _opinion_section(ctx, decision),
        ),
    )


# -- output -------------------------------------------------------------------------


def _pdf(ctx: DocumentContext, doc: TextDocument, kind: str) -> bytes:
    info = PageInfo(ctx.organisation, ctx.lang, t(TITLE_KEYS[kind], ctx.lang), ctx.printed_on)
    return build_pdf(info, text_document_story(doc, styles()))


def rehabilitation_pdf(ctx: DocumentContext) -> bytes:
    return _pdf(ctx, rehabilitation_document(ctx), DECISION_REHABILITATION)


def rehabilitation_text(ctx: DocumentContext) -> bytes:
    return render_text(rehabilitation_document(ctx)).encode("utf-8")


def activity_money_pdf(ctx: DocumentContext) -> bytes:
    return _pdf(ctx, activity_money_document(ctx), DECISION_ACTIVITY_MONEY)


def activity_money_text(ctx: DocumentContext) -> bytes:
    return render_text(activity_money_document(ctx)).encode("utf-8")


def transport_pdf(ctx: DocumentContext) -> bytes:
    return _pdf(ctx, transport_document(ctx), DECISION_TRANSPORT)


def transport_text(ctx: DocumentContext) -> bytes:
    return render_text(transport_document(ctx)).encode("utf-8")
