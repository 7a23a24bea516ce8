"""Right of access (GDPR art. 15, client-data act 703/2023 ch. 8): all data of one client.

The PDF is for the client to read; the JSON is the same content for
machines. Both hold the client's access log (who, role, when, action,
which record) and the documents printed of them. Records are matched to
the client strictly by ownership (client id, or a period of the client),
so another client's data can never slip in; soft-deleted rows are still
held and therefore listed, marked as deleted.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reportlab.platypus import Flowable

from sosku_desktop.documents.assessment_text import score_text
from sosku_desktop.documents.context import DocumentContext
from sosku_desktop.documents.kinds import ACCESS_EXPORT, KINDS, TITLE_KEYS
from sosku_desktop.documents.layout import (
    PageInfo,
    Styles,
    build_pdf,
    data_table,
    heading,
    para,
    section_flowables,
    styles,
)
from sosku_desktop.documents.phrases import date_range, t, yes_no
from sosku_desktop.documents.textdoc import Field, Section
from sosku_desktop.domain import codes
from sosku_desktop.domain.instruments import Instrument
from sosku_desktop.domain.models import (
    Agreement,
    Assessment,
    Attendance,
    AuditEntry,
    Client,
    Decision,
    Goal,
    Meeting,
    Period,
)
from sosku_desktop.i18n import code_label, format_date, format_datetime, format_money

FORMAT_NAME = "sosku-access-export"
FORMAT_VERSION = 1
DOCUMENT_ACTIONS = (codes.AUDIT_PRINT, codes.AUDIT_EXPORT)
TABLE_KEYS = {
    "clients": "table.clients",
    "periods": "table.periods",
    "decisions": "table.decisions",
    "goals": "table.goals",
    "goal_progress": "table.goal_progress",
    "meetings": "table.meetings",
    "attendances": "table.attendances",
    "assessments": "table.assessments",
    "agreements": "table.agreements",
    "group_members": "table.group_members",
    "expenses": "table.expenses",
    "document": "table.document",
    "needs_mappings": "table.needs_mappings",
    "implementation_plans": "table.implementation_plans",
    "evaluations": "table.evaluations",
    "planned_entries": "table.planned_entries",
}


@dataclass(frozen=True)
class HeldData:
    """Everything held of one client, already filtered by ownership."""

    client: Client
    periods: list[Period]
    goals: list[Goal]
    meetings: list[Meeting]
    decisions: list[Decision]
    agreements: list[Agreement]
    attendances: list[Attendance]
    assessments: list[Assessment]
    access_log: list[AuditEntry]

    @property
    def documents(self) -> list[AuditEntry]:
        return [e for e in self.access_log if e.action in DOCUMENT_ACTIONS]


def held_data(ctx: DocumentContext) -> HeldData:
    client = ctx.need_client(ACCESS_EXPORT)
    periods = {p.id: p for p in ctx.periods if p.client_id == client.id}
    if ctx.period is not None and ctx.period.client_id == client.id:
        periods.setdefault(ctx.period.id, ctx.period)
    ids = set(periods)
    agreements = {a.id: a for a in ctx.agreements if a.period_id in ids}
    if ctx.agreement is not None and ctx.agreement.period_id in ids:
        agreements.setdefault(ctx.agreement.id, ctx.agreement)
    decisions = {d.id: d for d in ctx.decisions if d.period_id in ids}
    if ctx.decision is not None and ctx.decision.period_id in ids:
        decisions.setdefault(ctx.decision.id, ctx.decision)
    return HeldData(
        client=client,
        periods=sorted(periods.values(), key=lambda p: p.start),
        goals=sorted((g for g in ctx.goals if g.period_id in ids), key=lambda g: g.position),
        meetings=sorted((m for m in ctx.meetings if m.period_id in ids), key=lambda m: m.starts_at),
        decisions=sorted(decisions.values(), key=lambda d: d.valid_from),
        agreements=list(agreements.values()),
        attendances=[a for a in ctx.attendances if a.client_id == client.id],
        assessments=sorted(
            (a for a in ctx.assessments if a.client_id == client.id), key=lambda a: a.on
        ),
        access_log=sorted(
            (e for e in ctx.audit_entries if e.client_id == client.id), key=lambda e: e.at
        ),
    )


# -- shared labels ----------------------------------------------------------------


def _who(ctx: DocumentContext, worker_id: str | None) -> tuple[str, str]:
    """(name, role label) of a worker; unknown ids are shown as such."""
    worker = ctx.worker_by_id(worker_id)
    if worker is None:
        return (worker_id or t("unknown", ctx.lang), "")
    return worker.name, code_label("role", worker.role, ctx.lang)


def _record_label(ctx: DocumentContext, entry: AuditEntry) -> str:
    if entry.record_table == "document" and entry.record_id in KINDS:
        return t(TITLE_KEYS[entry.record_id], ctx.lang)
    key = TABLE_KEYS.get(entry.record_table)
    label = t(key, ctx.lang) if key else entry.record_table
    # The tail tells rows apart: ids are time-ordered, so their heads repeat for a day.
    short = entry.record_id[-8:]
    return f"{label} {short}".strip()


def _deleted(text: str, deleted: bool, lang: str) -> str:
    return f"{text} ({t('deleted', lang)})" if deleted else text


# -- PDF ----------------------------------------------------------------------------


def _client_section(ctx: DocumentContext, client: Client) -> Section:
    lang = ctx.lang
    return Section(
        t("access.client_heading", lang),
        fields=(
            Field(t("client_name", lang), _deleted(client.full_name, client.deleted, lang)),
            Field(t("identity_code", lang), client.identity_code),
            Field(t("access.language", lang), code_label("language", client.language, lang)),
            Field(t("access.phone", lang), client.phone),
            Field(t("access.email", lang), client.email),
            Field(t("access.address", lang), client.address),
            Field(t("access.notes", lang), client.notes),
            Field(
                t("access.key_worker", lang),
                _who(ctx, client.worker_id)[0] if client.worker_id else "",
            ),
        ),
    )


def _periods(ctx: DocumentContext, data: HeldData, st: Styles) -> list[Flowable]:
    lang = ctx.lang
    out: list[Flowable] = [heading(t("access.periods", lang), st)]
    if not data.periods:
        return [*out, para(t("summary.none", lang), st.body)]
    rows = [
        [
            _deleted(date_range(p.start, p.ended_on or p.planned_end, lang), p.deleted, lang),
            code_label("period_status", p.status, lang),
            code_label("phase", p.phase, lang),
            _who(ctx, p.worker_id)[0] if p.worker_id else "",
            code_label("end_reason", p.end_reason, lang) if p.end_reason else "",
        ]
        for p in data.periods
    ]
    header = [
        t("summary.period", lang),
        t("summary.status", lang),
        t("access.phase", lang),
        t("worker", lang),
        t("summary.end_reason", lang),
    ]
    out.append(data_table(header, rows, [30, 20, 30, 35, 35], st))
    for p in data.periods:
        intake = [code_label("intake", k, lang) for k, v in p.intake.items() if v]
        extra = [
            (t("access.intake", lang), "; ".join(intake)),
            (t("summary.evaluation", lang), p.final_evaluation),
            (t("summary.next_steps", lang), p.next_steps),
        ]
        fields = tuple(Field(label, value) for label, value in extra if value.strip())
        if fields:
            title = date_range(p.start, p.ended_on or p.planned_end, lang)
            out.extend(
                section_flowables(Section(f"{t('summary.period', lang)} {title}", fields), st)
            )
    return out


def _goals(ctx: DocumentContext, data: HeldData, st: Styles) -> list[Flowable]:
    lang = ctx.lang
    rows = [
        [
            _deleted(f"{code_label('goal_level', g.level, lang)}: {g.text}", g.deleted, lang),
            f"{g.progress} %",
            code_label("goal_status", g.status, lang),
            format_date(g.target_date, lang),
            format_date(g.achieved_on, lang),
        ]
        for g in data.goals
    ]
    header = [
        t("summary.goal", lang),
        t("summary.progress", lang),
        t("summary.goal_status", lang),
        t("access.target_date", lang),
        t("summary.achieved_on", lang),
    ]
    return _table_or_none(t("summary.goals", lang), header, rows, [80, 20, 24, 24, 24], st, lang)


def _meeting_notes(m: Meeting, lang: str) -> str:
    parts = []
    if m.methods:
        parts.append(
            f"{t('access.methods', lang)}: "
            + ", ".join(code_label("method", x, lang) for x in m.methods)
        )
    if m.notes.strip():
        parts.append(m.notes.strip())
    if m.agreed_next.strip():
        parts.append(f"{t('access.agreed_next', lang)}: {m.agreed_next.strip()}")
    return "\n".join(parts)


def _meetings(ctx: DocumentContext, data: HeldData, st: Styles) -> list[Flowable]:
    lang = ctx.lang
    rows = [
        [
            _deleted(format_datetime(m.starts_at, lang), m.deleted, lang),
            code_label("meeting_kind", m.kind, lang),
            code_label("meeting_status", m.status, lang),
            m.place,
            _who(ctx, m.worker_id)[0] if m.worker_id else "",
            _meeting_notes(m, lang),
        ]
        for m in data.meetings
    ]
    header = [
        t("access.time", lang),
        t("summary.meeting_kind", lang),
        t("summary.status", lang),
        t("access.place", lang),
        t("worker", lang),
        t("access.notes", lang),
    ]
    return _table_or_none(
        t("summary.meetings", lang), header, rows, [24, 22, 17, 20, 22, 69], st, lang
    )


def _decisions(ctx: DocumentContext, data: HeldData, st: Styles) -> list[Flowable]:
    lang = ctx.lang
    rows = []
    for d in data.decisions:
        details = [d.reasoning.strip(), d.details.strip()]
        if d.rate_cents is not None:
            details.append(t("per_day", lang, amount=format_money(d.rate_cents, lang)))
        heard = yes_no(d.client_heard, lang) + (f", {d.heard_how}" if d.heard_how else "")
        details.append(f"{t('decision.heard', lang)}: {heard}")
        rows.append(
            [
                _deleted(code_label("decision_kind", d.kind, lang), d.deleted, lang),
                d.number,
                date_range(d.valid_from, d.valid_to, lang),
                code_label("outcome", d.outcome, lang),
                "\n".join(x for x in details if x),
            ]
        )
    header = [
        t("access.decision_kind", lang),
        t("decision.number", lang),
        t("decision.validity", lang),
        t("decision.outcome", lang),
        t("access.content", lang),
    ]
    return _table_or_none(t("access.decisions", lang), header, rows, [34, 18, 28, 20, 74], st, lang)


def _agreements(ctx: DocumentContext, data: HeldData, st: Styles) -> list[Flowable]:
    lang = ctx.lang
    rows = [
        [
            _deleted(format_date(a.signed_on, lang), a.deleted, lang),
            a.meeting_times,
            a.contact,
            a.group_activity,
            a.other,
        ]
        for a in data.agreements
    ]
    header = [
        t("agreement.signed_on", lang),
        t("agreement.meeting_times", lang),
        t("agreement.contact", lang),
        t("agreement.group_activity", lang),
        t("agreement.other", lang),
    ]
    return _table_or_none(
        t("access.agreements", lang), header, rows, [22, 38, 38, 38, 38], st, lang
    )


def _attendance(ctx: DocumentContext, data: HeldData, st: Styles) -> list[Flowable]:
    lang = ctx.lang
    sessions = {s.id: s for s in ctx.sessions}
    groups = {g.id: g.name for g in ctx.groups}
    rows = []
    for a in sorted(data.attendances, key=lambda a: _session_day(sessions, a)):
        s = sessions.get(a.session_id)
        rows.append(
            [
                _deleted(groups.get(s.group_id, "") if s else "", a.deleted, lang),
                format_date(s.on, lang) if s else "",
                s.theme if s else "",
                code_label("attendance", a.status, lang),
                a.note,
            ]
        )
    header = [
        t("summary.group", lang),
        t("access.date", lang),
        t("access.theme", lang),
        t("summary.status", lang),
        t("access.notes", lang),
    ]
    return _table_or_none(t("summary.groups", lang), header, rows, [40, 20, 40, 24, 50], st, lang)


def _session_day(sessions: dict[str, Any], a: Attendance) -> date:
    s = sessions.get(a.session_id)
    return s.on if s else date.min


def _answer_labels(instrument: Instrument | None, lang: str) -> dict[str, str]:
    """Item id → what the client saw: the area's name when it has one item, else the question."""
    if instrument is None:
        return {}
    labels: dict[str, str] = {}
    for area in instrument.areas:
        for item in area.items:
            text = area.label if len(area.items) == 1 else item.text
            labels[item.id] = text.get(lang)
    return labels


def _assessment_row(ctx: DocumentContext, a: Assessment) -> list[str]:
    lang = ctx.lang
    instrument = ctx.instruments.get(a.instrument_id)
    labels = _answer_labels(instrument, lang)
    answers = "; ".join(f"{labels.get(k, k)} {score_text(v, lang)}" for k, v in a.answers.items())
    return [
        _deleted(format_date(a.on, lang), a.deleted, lang),
        instrument.name.get(lang) if instrument else a.instrument_id,
        answers,
        a.note,
    ]


def _assessments(ctx: DocumentContext, data: HeldData, st: Styles) -> list[Flowable]:
    lang = ctx.lang
    rows = [_assessment_row(ctx, a) for a in data.assessments]
    header = [
        t("access.date", lang),
        t("access.instrument", lang),
        t("access.answers", lang),
        t("access.notes", lang),
    ]
    return _table_or_none(
        t("summary.self_assessment", lang), header, rows, [20, 40, 80, 34], st, lang
    )


def _log_rows(ctx: DocumentContext, entries: list[AuditEntry]) -> list[list[str]]:
    lang = ctx.lang
    rows = []
    for e in entries:
        name, role = _who(ctx, e.worker_id)
        rows.append(
            [
                format_datetime(e.at, lang),
                name,
                role,
                code_label("audit_action", e.action, lang),
                _record_label(ctx, e),
                code_label("audit_reason", e.reason, lang) if e.reason else "",
            ]
        )
    return rows


def _log(ctx: DocumentContext, entries: list[AuditEntry], title: str, st: Styles) -> list[Flowable]:
    lang = ctx.lang
    header = [
        t("access.time", lang),
        t("access.who", lang),
        t("access.role", lang),
        t("access.action", lang),
        t("access.record", lang),
        t("access.reason", lang),
    ]
    return _table_or_none(
        title, header, _log_rows(ctx, entries), [42, 30, 26, 18, 36, 22], st, lang
    )


def _table_or_none(
    title: str,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    st: Styles,
    lang: str,
) -> list[Flowable]:
    out: list[Flowable] = [heading(title, st)]
    if rows:
        out.append(data_table(header, rows, widths, st))
    else:
        out.append(para(t("summary.none", lang), st.body))
    return out


def access_export_pdf(ctx: DocumentContext) -> bytes:
    lang = ctx.lang
    st = styles(8.5)
    data = held_data(ctx)
    story: list[Flowable] = [
        para(t("access.title", lang), st.title),
        para(t("access.intro", lang), st.body),
        *section_flowables(_client_section(ctx, data.client), st),
        *_periods(ctx, data, st),
        *_goals(ctx, data, st),
        *_meetings(ctx, data, st),
        *_decisions(ctx, data, st),
        *_agreements(ctx, data, st),
        *_attendance(ctx, data, st),
        *_assessments(ctx, data, st),
        *_log(ctx, data.documents, t("access.documents", lang), st),
        *_log(ctx, data.access_log, t("access.log", lang), st),
    ]
    info = PageInfo(ctx.organisation, lang, t("access.title", lang), ctx.printed_on)
    return build_pdf(info, story)


# -- JSON ----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Dataclasses, dates and tuples as JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _log_json(ctx: DocumentContext, entries: list[AuditEntry]) -> list[dict[str, Any]]:
    out = []
    for e in entries:
        worker = ctx.worker_by_id(e.worker_id)
        item = _plain(e)
        item["worker_name"] = worker.name if worker else None
        item["worker_role"] = worker.role if worker else None
        out.append(item)
    return out


def access_export_json(ctx: DocumentContext) -> bytes:
    """The same content for machines: codes, ISO dates, UTF-8, stable keys."""
    data = held_data(ctx)
    org = ctx.organisation
    session_ids = {a.session_id for a in data.attendances}
    sessions = [s for s in ctx.sessions if s.id in session_ids]
    group_ids = {s.group_id for s in sessions}
    worker_ids = {
        w
        for w in (
            data.client.worker_id,
            *(p.worker_id for p in data.periods),
            *(m.worker_id for m in data.meetings),
            *(e.worker_id for e in data.access_log),
        )
        if w
    }
    workers = [w for w in (ctx.worker_by_id(i) for i in sorted(worker_ids)) if w is not None]
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "generated_on": ctx.printed_on.isoformat(),
        "language": ctx.lang,
        "legal_basis": ["GDPR art. 15", "703/2023"],
        "controller": {
            "name": org.name,
            "unit": org.unit,
            "address": org.address,
            "phone": org.phone,
            "email": org.email,
        },
        "client": _plain(data.client),
        "periods": _plain(data.periods),
        "goals": _plain(data.goals),
        "meetings": _plain(data.meetings),
        "decisions": _plain(data.decisions),
        "agreements": _plain(data.agreements),
        "groups": [_plain(g) for g in ctx.groups if g.id in group_ids],
        "group_sessions": _plain(sorted(sessions, key=lambda s: s.on)),
        "group_attendance": _plain(data.attendances),
        "assessments": _plain(data.assessments),
        "workers": [{"id": w.id, "name": w.name, "role": w.role} for w in workers],
        "documents_printed": _log_json(ctx, data.documents),
        "access_log": _log_json(ctx, data.access_log),
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
