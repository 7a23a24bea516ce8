"""Paste-ready client-record entries: visit entry, service start and service end.

The worker re-enters these in the city's client-record system, whose
fields follow THL Sosmeta's client-record entries (meeting or contact,
service start, service end). Each entry is a ``TextDocument`` whose field
labels are those structures' fields in the worker's language, so pasting
is one block per entry. Shared pieces (service line, author, goal lines)
live here and are reused by ``period_records``.
"""

from __future__ import annotations

from datetime import timedelta

from sosku_desktop.documents.context import DocumentContext
from sosku_desktop.documents.decisions import service_task
from sosku_desktop.documents.errors import MissingDataError, NotApplicableError
from sosku_desktop.documents.kinds import SERVICE_END, SERVICE_START, TITLE_KEYS, VISIT_ENTRY
from sosku_desktop.documents.layout import PageInfo, build_pdf, styles, text_document_story
from sosku_desktop.documents.phrases import date_range, join_words, t
from sosku_desktop.documents.textdoc import Field, Section, TextDocument, render_text
from sosku_desktop.domain import codes
from sosku_desktop.domain.decisions import decisions_outliving, outlives_variant
from sosku_desktop.domain.lifecycle import current_plan
from sosku_desktop.domain.models import Meeting, Period, Worker
from sosku_desktop.domain.periods import positive_decisions
from sosku_desktop.i18n import code_label, format_date, format_datetime, format_time


def worker_line(worker: Worker | None, lang: str) -> str:
    """ "Sanna Virtanen, sosiaaliohjaaja" (empty when unknown)."""
    if worker is None:
        return ""
    return f"{worker.name}, {code_label('role', worker.role, lang)}"


def responsible_worker(ctx: DocumentContext, period: Period) -> Worker | None:
    return ctx.worker_by_id(period.worker_id) or ctx.worker


def service_fields(ctx: DocumentContext) -> tuple[Field, ...]:
    """Service task and service, the first lines of every record entry."""
    lang = ctx.lang
    return (
        Field(t("entry.service_task", lang), t("entry.service_task_value", lang)),
        Field(t("entry.service", lang), service_task(ctx)),
    )


def client_fields(ctx: DocumentContext, kind: str) -> tuple[Field, ...]:
    lang = ctx.lang
    client = ctx.need_client(kind)
    return (
        Field(t("client_name", lang), client.full_name),
        Field(t("identity_code", lang), client.identity_code),
    )


# -- visit entry ----------------------------------------------------------------


def _meeting(ctx: DocumentContext) -> Meeting:
    if ctx.meeting is None or ctx.meeting.deleted:
        raise MissingDataError(VISIT_ENTRY, "a meeting")
    return ctx.meeting


#: Meetings the client did not take part in: the entry records the worker's contact.
CLIENT_ABSENT = (codes.MEETING_NO_SHOW, codes.MEETING_CANCELLED)


def _participants(ctx: DocumentContext, meeting: Meeting) -> str:
    """The client (unless they did not come or the meeting was cancelled) and the worker."""
    lang = ctx.lang
    client = ctx.need_client(VISIT_ENTRY)
    people = []
    if meeting.status not in CLIENT_ABSENT:
        people.append(t("entry.participant_client", lang, name=client.full_name))
    worker = ctx.worker_by_id(meeting.worker_id)
    if worker is not None:
        people.append(worker_line(worker, lang))
    return join_words(people, lang)


def _description(ctx: DocumentContext, meeting: Meeting) -> str:
    lang = ctx.lang
    parts: list[str] = []
    if meeting.notes.strip():
        parts.append(meeting.notes.strip())
    if meeting.methods:
        labels = [code_label("method", m, lang) for m in meeting.methods]
        parts.append(t("entry.methods", lang, methods=join_words(labels, lang)))
    goals = {g.id: g.text for g in ctx.goals if not g.deleted}
    # each goal is a sentence of its own; in the list its full stop would double up
    worked_on = [goals[g].strip().rstrip(".").rstrip() for g in meeting.goal_ids if g in goals]
    if worked_on:
        parts.append(t("entry.goals_worked_on", lang, goals="; ".join(worked_on)))
    return "\n".join(parts)


def visit_entry_document(ctx: DocumentContext) -> TextDocument:
    """One meeting as Sosmeta's meeting entry: service, start–end, contact mode, place,
    participants, description, agreed matters, author."""
    lang = ctx.lang
    meeting = _meeting(ctx)
    end = meeting.starts_at + timedelta(minutes=meeting.duration_min)
    author = ctx.worker or ctx.worker_by_id(meeting.worker_id)
    status = (
        ""
        if meeting.status == codes.MEETING_REALISED
        else code_label("meeting_status", meeting.status, lang)
    )
    fields = [
        *service_fields(ctx),
        *client_fields(ctx, VISIT_ENTRY),
        Field(t("entry.start", lang), format_datetime(meeting.starts_at, lang)),
        Field(
            t("entry.end", lang),
            format_time(end) if end.date() == meeting.day else format_datetime(end, lang),
        ),
        Field(t("entry.contact_mode", lang), code_label("meeting_kind", meeting.kind, lang)),
        Field(t("entry.place", lang), meeting.place),
        Field(t("entry.participants", lang), _participants(ctx, meeting)),
    ]
    if status:
        fields.append(Field(t("entry.status", lang), status))
    return TextDocument(
        title=t("entry.visit_title", lang),
        sections=(
            Section(fields=tuple(fields)),
            Section(t("entry.description", lang), paragraphs=(_description(ctx, meeting) or "–",)),
            Section(t("entry.agreed", lang), paragraphs=(meeting.agreed_next.strip() or "–",)),
            Section(fields=(Field(t("entry.author", lang), worker_line(author, lang)),)),
        ),
    )


def visit_entry_text(ctx: DocumentContext) -> bytes:
    return render_text(visit_entry_document(ctx)).encode("utf-8")


# -- service start ----------------------------------------------------------------


def service_start_document(ctx: DocumentContext) -> TextDocument:
    """Opening the service episode: start date, decision, responsible worker, goals."""
    lang = ctx.lang
    period = ctx.need_period(SERVICE_START)
    rehab = positive_decisions(ctx.decisions, codes.DECISION_REHABILITATION, period.id)
    if period.status == codes.PERIOD_PLANNED and not rehab:
        raise NotApplicableError(SERVICE_START, "na.not_started")
    first = rehab[0] if rehab else None
    decision = (
        t(
            "entry.decision_line",
            lang,
            number=first.number or "–",
            validity=date_range(first.valid_from, first.valid_to, lang),
        )
        if first
        else t("entry.no_decision", lang)
    )
    goals = [g.text for g in ctx.main_goals(period) if g.status != codes.GOAL_DROPPED]
    plan = current_plan(ctx.plans, period.id)
    fields = [
        *service_fields(ctx),
        *client_fields(ctx, SERVICE_START),
        Field(t("entry.service_start", lang), format_date(period.start, lang)),
        Field(t("entry.planned_end", lang), format_date(period.planned_end, lang)),
        Field(t("entry.decision", lang), decision),
        Field(t("entry.responsible", lang), worker_line(responsible_worker(ctx, period), lang)),
    ]
    if plan is not None:
        fields.append(
            Field(
                t("entry.plan_made", lang),
                t("entry.plan_line", lang, date=format_date(plan.made_on, lang), rev=plan.revision),
            )
        )
    return TextDocument(
        title=t("entry.start_title", lang),
        sections=(
            Section(fields=tuple(fields)),
            Section(t("entry.goals", lang), items=tuple(goals) or ("–",), numbered=True),
        ),
    )


def service_start_text(ctx: DocumentContext) -> bytes:
    return render_text(service_start_document(ctx)).encode("utf-8")


# -- service end ------------------------------------------------------------------


def service_end_document(ctx: DocumentContext) -> TextDocument:
    """Closing the service episode: end date, reason, follow-on service."""
    lang = ctx.lang
    period = ctx.need_period(SERVICE_END)
    if period.status != codes.PERIOD_ENDED or period.ended_on is None:
        raise NotApplicableError(SERVICE_END, "na.not_ended")
    worker = ctx.worker or responsible_worker(ctx, period)
    return TextDocument(
        title=t("entry.end_title", lang),
        sections=(
            Section(
                fields=(
                    *service_fields(ctx),
                    *client_fields(ctx, SERVICE_END),
                    Field(
                        t("entry.service_period", lang),
                        date_range(period.start, period.ended_on, lang),
                    ),
                    Field(t("entry.service_end", lang), format_date(period.ended_on, lang)),
                    Field(
                        t("entry.end_reason", lang),
                        code_label("end_reason", period.end_reason, lang),
                    ),
                    Field(t("entry.follow_on", lang), period.follow_on_service),
                    Field(t("entry.author", lang), worker_line(worker, lang)),
                )
            ),
            Section(t("entry.next_steps", lang), paragraphs=(period.next_steps.strip() or "–",)),
            *_decisions_to_end(ctx, period),
        ),
    )


def _decisions_to_end(ctx: DocumentContext, period: Period) -> tuple[Section, ...]:
    """A decision (any kind) valid after the end must be ended in the client information
    system (``domain.ending_effects``)."""
    assert period.ended_on is not None
    outliving = decisions_outliving(list(ctx.decisions), period.id, period.ended_on)
    if not outliving:
        return ()
    lines = tuple(
        t(
            "entry.decision_outlives" + (f"_{outlives_variant(d)}" if outlives_variant(d) else ""),
            ctx.lang,
            number=d.number or "–",
            valid_to=format_date(d.valid_to, ctx.lang),
        )
        for d in outliving
    )
    return (Section(t("entry.decisions_to_end", ctx.lang), paragraphs=lines),)


def service_end_text(ctx: DocumentContext) -> bytes:
    return render_text(service_end_document(ctx)).encode("utf-8")


# -- PDFs for the paper file ----------------------------------------------------


def _pdf(ctx: DocumentContext, doc: TextDocument, kind: str) -> bytes:
    info = PageInfo(ctx.organisation, ctx.lang, t(TITLE_KEYS[kind], ctx.lang), ctx.printed_on)
    return build_pdf(info, text_document_story(doc, styles()))


def visit_entry_pdf(ctx: DocumentContext) -> bytes:
    return _pdf(ctx, visit_entry_document(ctx), VISIT_ENTRY)


def service_start_pdf(ctx: DocumentContext) -> bytes:
    return _pdf(ctx, service_start_document(ctx), SERVICE_START)


def service_end_pdf(ctx: DocumentContext) -> bytes:
    return _pdf(ctx, service_end_document(ctx), SERVICE_END)
