"""Document kinds and the formats each comes in (data, so CLI and UI list them)."""

from __future__ import annotations

AGREEMENT = "agreement"
DECISION_REHABILITATION = "decision-rehabilitation"
DECISION_ACTIVITY_MONEY = "decision-activity-money"
DECISION_TRANSPORT = "decision-transport"
ACTIVITY_MONEY = "activity-money"
FEEDBACK = "feedback"
SUMMARY = "summary"
ACCESS_EXPORT = "access-export"
VISIT_ENTRY = "visit-entry"
IMPLEMENTATION_PLAN = "implementation-plan"
INTERIM_EVALUATION = "interim-evaluation"
FINAL_EVALUATION = "final-evaluation"
SERVICE_START = "service-start"
SERVICE_END = "service-end"

#: Paste-ready record entries for the city's client-record system (issue 9).
RECORD_ENTRIES: tuple[str, ...] = (
    VISIT_ENTRY,
    IMPLEMENTATION_PLAN,
    INTERIM_EVALUATION,
    FINAL_EVALUATION,
    SERVICE_START,
    SERVICE_END,
)

KINDS: tuple[str, ...] = (
    AGREEMENT,
    DECISION_REHABILITATION,
    DECISION_ACTIVITY_MONEY,
    DECISION_TRANSPORT,
    ACTIVITY_MONEY,
    FEEDBACK,
    SUMMARY,
    ACCESS_EXPORT,
    *RECORD_ENTRIES,
)

#: Formats per kind; the first is the default.
FORMATS: dict[str, tuple[str, ...]] = {
    AGREEMENT: ("pdf", "txt"),
    DECISION_REHABILITATION: ("pdf", "txt"),
    DECISION_ACTIVITY_MONEY: ("pdf", "txt"),
    DECISION_TRANSPORT: ("pdf", "txt"),
    ACTIVITY_MONEY: ("pdf", "csv", "txt"),
    FEEDBACK: ("pdf", "txt"),
    SUMMARY: ("pdf", "txt"),
    ACCESS_EXPORT: ("pdf", "json"),
    # paste-ready text first; the PDF is for the paper file
    VISIT_ENTRY: ("txt", "pdf"),
    IMPLEMENTATION_PLAN: ("txt", "pdf"),
    INTERIM_EVALUATION: ("txt", "pdf"),
    FINAL_EVALUATION: ("txt", "pdf"),
    SERVICE_START: ("txt", "pdf"),
    SERVICE_END: ("txt", "pdf"),
}

MIME_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}

#: Catalogue key (without the ``doc.`` prefix) of each kind's human title.
TITLE_KEYS: dict[str, str] = {
    AGREEMENT: "kind.agreement",
    DECISION_REHABILITATION: "kind.decision_rehabilitation",
    DECISION_ACTIVITY_MONEY: "kind.decision_activity_money",
    DECISION_TRANSPORT: "kind.decision_transport",
    ACTIVITY_MONEY: "kind.activity_money",
    FEEDBACK: "kind.feedback",
    SUMMARY: "kind.summary",
    ACCESS_EXPORT: "kind.access_export",
    **{kind: f"kind.{kind.replace('-', '_')}" for kind in RECORD_ENTRIES},
}

#: Catalogue key of each kind's file-name stem ("sopimus", "avtal", "agreement").
FILE_KEYS: dict[str, str] = {kind: f"file.{kind.replace('-', '_')}" for kind in KINDS}

#: What each kind needs in the ``DocumentContext`` (for UI enabling / CLI help).
REQUIREMENTS: dict[str, tuple[str, ...]] = {
    AGREEMENT: (),
    DECISION_REHABILITATION: ("client", "period", "decision"),
    DECISION_ACTIVITY_MONEY: ("client", "decision", "meetings"),
    DECISION_TRANSPORT: ("client", "decision"),
    ACTIVITY_MONEY: ("month", "caseload"),
    FEEDBACK: (),
    SUMMARY: ("client", "period"),
    ACCESS_EXPORT: ("client",),
    VISIT_ENTRY: ("client", "meeting"),
    IMPLEMENTATION_PLAN: ("client", "period", "plans"),
    INTERIM_EVALUATION: ("client", "period", "evaluations"),
    FINAL_EVALUATION: ("client", "period"),
    SERVICE_START: ("client", "period"),
    SERVICE_END: ("client", "period"),
}
