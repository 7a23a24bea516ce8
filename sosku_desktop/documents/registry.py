"""One entry point for every document: ``build_document(kind, ctx, fmt)``.

The CLI (``sosku document …``) and the client's Documents tab only need
this module: the kinds, their formats, a title and a file name for each
(those two from ``titles``, which screens import without the builders).
"""

from __future__ import annotations

from collections.abc import Callable

from sosku_desktop.documents import (
    access_export,
    agreement,
    decisions,
    feedback,
    period_records,
    record_entries,
    statement,
    summary,
)
from sosku_desktop.documents.context import DocumentContext
from sosku_desktop.documents.errors import UnknownKindError, UnsupportedFormatError
from sosku_desktop.documents.kinds import (
    ACCESS_EXPORT,
    ACTIVITY_MONEY,
    AGREEMENT,
    DECISION_ACTIVITY_MONEY,
    DECISION_REHABILITATION,
    DECISION_TRANSPORT,
    FEEDBACK,
    FINAL_EVALUATION,
    FORMATS,
    IMPLEMENTATION_PLAN,
    INTERIM_EVALUATION,
    KINDS,
    SERVICE_END,
    SERVICE_START,
    SUMMARY,
    VISIT_ENTRY,
)
from sosku_desktop.documents.titles import document_title, suggested_filename

__all__ = ["BUILDERS", "build_document", "document_title", "suggested_filename"]

Builder = Callable[[DocumentContext], bytes]

BUILDERS: dict[tuple[str, str], Builder] = {
    (AGREEMENT, "pdf"): agreement.agreement_pdf,
    (AGREEMENT, "txt"): agreement.agreement_text,
    (DECISION_REHABILITATION, "pdf"): decisions.rehabilitation_pdf,
    (DECISION_REHABILITATION, "txt"): decisions.rehabilitation_text,
    (DECISION_ACTIVITY_MONEY, "pdf"): decisions.activity_money_pdf,
    (DECISION_ACTIVITY_MONEY, "txt"): decisions.activity_money_text,
    (DECISION_TRANSPORT, "pdf"): decisions.transport_pdf,
    (DECISION_TRANSPORT, "txt"): decisions.transport_text,
    (ACTIVITY_MONEY, "pdf"): statement.statement_pdf,
    (ACTIVITY_MONEY, "csv"): statement.statement_csv,
    (ACTIVITY_MONEY, "txt"): statement.statement_text,
    (FEEDBACK, "pdf"): feedback.feedback_pdf,
    (FEEDBACK, "txt"): feedback.feedback_text,
    (SUMMARY, "pdf"): summary.summary_pdf,
    (SUMMARY, "txt"): summary.summary_text,
    (ACCESS_EXPORT, "pdf"): access_export.access_export_pdf,
    (ACCESS_EXPORT, "json"): access_export.access_export_json,
    (VISIT_ENTRY, "txt"): record_entries.visit_entry_text,
    (VISIT_ENTRY, "pdf"): record_entries.visit_entry_pdf,
    (SERVICE_START, "txt"): record_entries.service_start_text,
    (SERVICE_START, "pdf"): record_entries.service_start_pdf,
    (SERVICE_END, "txt"): record_entries.service_end_text,
    (SERVICE_END, "pdf"): record_entries.service_end_pdf,
    (IMPLEMENTATION_PLAN, "txt"): period_records.implementation_plan_text,
    (IMPLEMENTATION_PLAN, "pdf"): period_records.implementation_plan_pdf,
    (INTERIM_EVALUATION, "txt"): period_records.interim_evaluation_text,
    (INTERIM_EVALUATION, "pdf"): period_records.interim_evaluation_pdf,
    (FINAL_EVALUATION, "txt"): period_records.final_evaluation_text,
    (FINAL_EVALUATION, "pdf"): period_records.final_evaluation_pdf,
}


def build_document(kind: str, ctx: DocumentContext, fmt: str = "pdf") -> bytes:
    """The document ``kind`` in format ``fmt`` (pdf, txt, csv, json) as bytes.

    Raises ``UnknownKindError``, ``UnsupportedFormatError`` or
    ``MissingDataError`` (all ``DocumentError``) for input the worker can fix.
    """
    if kind not in KINDS:
        raise UnknownKindError(f"unknown document kind {kind!r}; known: {', '.join(KINDS)}")
    if fmt not in FORMATS[kind]:
        raise UnsupportedFormatError(f"{kind!r} comes as {', '.join(FORMATS[kind])}, not {fmt!r}")
    return BUILDERS[(kind, fmt)](ctx)
