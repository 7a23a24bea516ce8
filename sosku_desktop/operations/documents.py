"""Documents: load what one needs into a ``DocumentContext``; build, log and hand it on.

Shared by ``sosku document`` and the client's Documents tab, so the CLI and
the UI print exactly the same thing. Reading a client's data for a
document is an access; ``build_and_log`` writes the print/export row in
the same transaction as it reads, and ``export_document`` writes the file
inside that transaction too, so the log never claims an export whose file
could not be written.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sosku_desktop import documents
from sosku_desktop.documents import CaseloadEntry, DocumentContext, Organisation
from sosku_desktop.documents.kinds import ACCESS_EXPORT
from sosku_desktop.domain import codes, models
from sosku_desktop.domain.periods import period_end, period_range
from sosku_desktop.domain.scoring import compare, start_and_latest
from sosku_desktop.operations import Changes, changes_of
from sosku_desktop.store import permissions
from sosku_desktop.store.database import Store
from sosku_desktop.store.instrument_files import load_instruments
from sosku_desktop.store.records import load_client_record, load_rules
from sosku_desktop.store.repositories import Reader
from sosku_desktop.store.writer import Writer

_DECISION_KIND = {
    "decision-rehabilitation": codes.DECISION_REHABILITATION,
    "decision-activity-money": codes.DECISION_ACTIVITY_MONEY,
    "decision-transport": codes.DECISION_TRANSPORT_CARD,
}


def organisation(reader: Reader) -> Organisation:
    """The organisation named in Settings (a neutral default until it is set)."""
    logo = reader.setting("organisation_logo") or ""
    return Organisation(
        name=reader.setting("organisation_name") or "Sosiaalinen kuntoutus",
        address=reader.setting("organisation_contact") or "",
        logo_path=Path(logo) if logo and Path(logo).is_file() else None,
    )


def client_of_meeting(reader: Reader, meeting_id: str) -> tuple[models.Meeting, str]:
    """The meeting and its client's id (``NotFoundError`` when either is unknown)."""
    meeting = reader.get(models.Meeting, meeting_id)
    period = reader.get(models.Period, meeting.period_id)
    return meeting, period.client_id


def context_for(
    reader: Reader,
    kind: str,
    lang: str,
    client_id: str | None = None,
    month: tuple[int, int] | None = None,
    worker_id: str | None = None,
    today: date | None = None,
    meeting_id: str | None = None,
    data_dir: Path | None = None,
    *,
    period_id: str | None = None,
) -> DocumentContext:
    """Everything ``kind`` needs; ``month`` picks the activity-money month.

    ``meeting_id`` picks the meeting of a visit entry (its client follows);
    ``period_id`` the client's period the document is about (else the current
    one: an ended period's final evaluation could not be had once a new period
    had started); ``data_dir`` lets the self-assessment comparison use the
    organisation's own instrument definitions.
    """
    today = today or date.today()
    meeting: models.Meeting | None = None
    if meeting_id is not None:
        meeting, client_id = client_of_meeting(reader, meeting_id)
    ctx = DocumentContext(
        organisation=organisation(reader),
        lang=lang,
        printed_on=today,
        rules=load_rules(reader),
        month=month,
        workers=reader.list(models.Worker),
        worker=reader.find(models.Worker, worker_id),
    )
    if kind == "activity-money":
        return _caseload_context(reader, ctx, worker_id, month or (today.year, today.month))
    if client_id is None:
        return ctx
    record = load_client_record(reader, client_id)
    period = record.current_period
    if period_id is not None:
        period = next((p for p in record.periods if p.id == period_id), period)
    if meeting is not None:
        period = next((p for p in record.periods if p.id == meeting.period_id), period)
    ctx = replace(
        ctx,
        client=record.client,
        period=period,
        periods=record.periods,
        goals=record.goals,
        meetings=record.meetings,
        decisions=record.decisions,
        agreements=record.agreements,
        agreement=_agreement_of(record.agreements, period),
        groups=record.groups,
        sessions=record.sessions,
        attendances=record.attendances,
        assessments=record.assessments,
        audit_entries=reader.audit_of_client(client_id),
        worker=ctx.worker
        or (record.workers.get(period.worker_id) if period and period.worker_id else None),
        needs=record.needs,
        plans=record.plans,
        evaluations=record.evaluations,
        planned_entries=record.planned_entries,
        meeting=meeting,
    )
    ctx = _with_self_assessment(ctx, data_dir)
    if kind == ACCESS_EXPORT and ctx.assessments:
        # The client reads area names and the instrument's name, not their codes.
        loaded = load_instruments(data_dir).loaded
        ctx = replace(ctx, instruments={i: loaded[i].instrument for i in loaded})
    if kind in _DECISION_KIND:
        ctx = replace(ctx, decision=_decision_for(ctx, _DECISION_KIND[kind], month))
    return ctx


def _agreement_of(
    agreements: list[models.Agreement], period: models.Period | None
) -> models.Agreement | None:
    if period is None:
        return None
    own = [a for a in agreements if a.period_id == period.id]
    return own[-1] if own else None


def _decision_for(
    ctx: DocumentContext, kind: str, month: tuple[int, int] | None
) -> models.Decision | None:
    """The stored decision of this kind, or a draft for the month / period start."""
    candidates = [d for d in ctx.decisions if d.kind == kind and not d.deleted]
    if month is not None:
        first = date(month[0], month[1], 1)
        last = date(month[0], month[1], calendar.monthrange(*month)[1])
        covering = [d for d in candidates if d.valid_from <= last and d.valid_to >= first]
        if covering:
            return covering[-1]
        if kind == codes.DECISION_ACTIVITY_MONEY and ctx.period is not None:
            return _activity_money_draft(ctx, ctx.period, first, last)
    if candidates:
        return max(candidates, key=lambda d: d.valid_from)
    if ctx.period is None:
        return None
    if kind == codes.DECISION_TRANSPORT_CARD:
        start = ctx.period.start
        # the card's days (90 by default), never past the period's own end
        end = min(
            date.fromordinal(start.toordinal() + ctx.rules.transport_card_days - 1),
            period_end(ctx.period, ctx.rules),
        )
        heard, how = _hearing_of(ctx, start)
        return models.Decision(
            id="draft",
            period_id=ctx.period.id,
            kind=kind,
            valid_from=start,
            valid_to=end,
            client_heard=heard,
            heard_how=how,
        )
    return None


def _hearing_of(ctx: DocumentContext, day: date) -> tuple[bool, str]:
    """How the client was heard, for a draft with no decision of its own.

    Taken from the §17 decision in force on ``day`` (the client is heard
    for the service as a whole). Without one the draft must not claim a
    hearing nobody recorded: "heard: yes, how: –" is a contradiction the
    decision form itself refuses.
    """
    rehab = [
        d
        for d in ctx.decisions
        if d.kind == codes.DECISION_REHABILITATION
        and not d.deleted
        and d.valid_from <= day <= d.valid_to
    ]
    if rehab and rehab[-1].client_heard and rehab[-1].heard_how.strip():
        return True, rehab[-1].heard_how
    return False, ""


def _activity_money_draft(
    ctx: DocumentContext, period: models.Period, first: date, last: date
) -> models.Decision | None:
    """A month's activity-money draft, its validity cut to the period's own days.

    A period starting 22.8. gets a first draft valid 22.8.–31.8., not from
    1.8.; the same at the end; a month outside the period has nothing to
    decide (``None``: the document says the decision is missing).
    Without a rate of its own each day is paid at the rate in force that
    day, exactly as the monthly statement computes it.
    """
    days = period_range(period, ctx.rules)
    if days is None or last < days.start or first > days.end:
        return None
    start, end = max(first, days.start), min(last, days.end)
    heard, how = _hearing_of(ctx, start)
    return models.Decision(
        id="draft",
        period_id=period.id,
        kind=codes.DECISION_ACTIVITY_MONEY,
        valid_from=start,
        valid_to=end,
        client_heard=heard,
        heard_how=how,
    )


def _caseload_context(
    reader: Reader, ctx: DocumentContext, worker_id: str | None, month: tuple[int, int]
) -> DocumentContext:
    clients = [c for c in reader.clients() if worker_id is None or c.worker_id == worker_id]
    entries = []
    for client in clients:
        periods = reader.periods_of(client.id)
        meetings = reader.meetings_of([p.id for p in periods])
        entries.append(CaseloadEntry(client=client, meetings=meetings, periods=periods))
    client_ids = [c.id for c in clients]
    attendances = reader.list(models.Attendance, client_id=client_ids)
    session_ids = sorted({a.session_id for a in attendances})
    return replace(
        ctx,
        month=month,
        caseload=entries,
        attendances=attendances,
        sessions=reader.list(models.GroupSession, id=session_ids),
    )


def _with_self_assessment(ctx: DocumentContext, data_dir: Path | None) -> DocumentContext:
    """Start-vs-latest area scores of the period's self-assessments (summary, final evaluation)."""
    own = [a for a in ctx.assessments if not a.deleted]
    if ctx.period is not None:
        in_period = [a for a in own if a.period_id == ctx.period.id]
        own = in_period or own
    pair = start_and_latest(own)
    if pair is None or pair[0] is None:
        return ctx
    start, latest = pair
    loaded = load_instruments(data_dir).loaded.get(latest.instrument_id)
    if loaded is None:
        return ctx
    comparison = compare(loaded.instrument, start, latest)
    scores = comparison.labelled_scores(ctx.lang)
    if not scores:
        return ctx
    return replace(ctx, area_scores=scores, area_scale_max=loaded.instrument.scale.max)


@dataclass(frozen=True)
class BuiltDocument:
    """The document's bytes and the access-log rows written for it."""

    data: bytes
    changes: Changes


def _build_logged(
    w: Writer,
    kind: str,
    fmt: str,
    lang: str,
    client_id: str | None,
    month: tuple[int, int] | None,
    today: date | None,
    meeting_id: str | None = None,
    data_dir: Path | None = None,
    period_id: str | None = None,
) -> bytes:
    action = codes.AUDIT_PRINT if fmt == "pdf" else codes.AUDIT_EXPORT
    reader = Reader(w.conn)
    ctx = context_for(
        reader,
        kind,
        lang,
        client_id,
        month,
        w.actor.worker_id,
        today,
        meeting_id=meeting_id,
        data_dir=data_dir,
        period_id=period_id,
    )
    data = documents.build_document(kind, ctx, fmt)  # the builders load on first use
    shown = [e.client.id for e in ctx.caseload] or ([ctx.client.id] if ctx.client else [])
    for shown_id in shown:
        w.log_access(action, shown_id, "document", kind)
    return data


def build_and_log(
    store: Store,
    kind: str,
    fmt: str,
    lang: str,
    client_id: str | None = None,
    month: tuple[int, int] | None = None,
    today: date | None = None,
    meeting_id: str | None = None,
    period_id: str | None = None,
) -> BuiltDocument:
    """Build the document and log the print/export for every client it shows
    (``period_id``: about that period of the client, see ``context_for``)."""
    return _logged(store, kind, fmt, lang, client_id, month, today, meeting_id, None, period_id)


def export_document(
    store: Store,
    path: Path,
    kind: str,
    lang: str,
    client_id: str | None = None,
    month: tuple[int, int] | None = None,
    today: date | None = None,
    meeting_id: str | None = None,
    period_id: str | None = None,
) -> BuiltDocument:
    """Write the PDF to ``path``; the log rows commit only if the file was written."""
    return _logged(store, kind, "pdf", lang, client_id, month, today, meeting_id, path, period_id)


def _logged(
    store: Store,
    kind: str,
    fmt: str,
    lang: str,
    client_id: str | None,
    month: tuple[int, int] | None,
    today: date | None,
    meeting_id: str | None,
    path: Path | None,
    period_id: str | None = None,
) -> BuiltDocument:
    """One transaction: build, log, and (with ``path``) write the file before
    the commit, so a failed write leaves no access-log row claiming an export."""
    with store.write() as w:
        data = _build_logged(
            w, kind, fmt, lang, client_id, month, today, meeting_id, store.data_dir, period_id
        )
        if path is not None:
            permissions.write_private(path, data)
        return BuiltDocument(data, changes_of(w))
