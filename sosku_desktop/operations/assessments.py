"""Self-assessments: save one, log that the comparison was seen, hand the client a copy.

A new assessment belongs to the client's current period, looked up in the
write transaction (the form does not know periods). Showing the scores is
an access, and so is printing the comparison; both are logged.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sosku_desktop.domain import codes
from sosku_desktop.domain.errors import Problem
from sosku_desktop.domain.instruments import Instrument
from sosku_desktop.domain.models import Assessment, Client
from sosku_desktop.domain.scoring import Comparison, answer_problems
from sosku_desktop.domain.validation import assessment_problems
from sosku_desktop.operations import Changes, changes_of, raise_problems
from sosku_desktop.operations.reports import report_organisation
from sosku_desktop.store import permissions
from sosku_desktop.store.database import Store
from sosku_desktop.store.repositories import Reader
from sosku_desktop.store.writer import new_id

NOTHING_ANSWERED = "assessment.nothing_answered"


@dataclass(frozen=True)
class SavedAssessment:
    """The assessment as stored (with its period) and the ``Changes``."""

    assessment: Assessment
    changes: Changes


def entry_problems(assessment: Assessment, instrument: Instrument, today: date) -> list[Problem]:
    """What stops saving: the assessment's own rules, the instrument's, and no answers at all."""
    found = assessment_problems(assessment, instrument.scales(), today)
    found += answer_problems(instrument, assessment.answers)
    if not assessment.answers:
        found.append(Problem("answers", NOTHING_ANSWERED))
    return found


def save_assessment(
    store: Store,
    assessment: Assessment,
    base: Assessment | None,
    instrument: Instrument,
    today: date,
) -> SavedAssessment:
    """Write a new (``base`` None, filed under the current period) or edited assessment.

    A new assessment gets its id here (the form's draft has none).
    """
    raise_problems(entry_problems(assessment, instrument, today))
    with store.write() as w:
        if base is None:
            period = Reader(w.conn).current_period(assessment.client_id)
            assessment = dataclasses.replace(
                assessment, id=new_id(), period_id=period.id if period else None
            )
            w.add(assessment)
        else:
            w.update(assessment, base=base)
        return SavedAssessment(assessment, changes_of(w))


def log_comparison_view(store: Store, client_id: str, assessment_id: str) -> Changes:
    """Showing the scores is an access to the client's record."""
    with store.write() as w:
        w.log_access(codes.AUDIT_VIEW, client_id, "assessments", assessment_id)
        return changes_of(w)


def export_comparison_pdf(
    store: Store, comparison: Comparison, client_id: str, path: Path, lang: str, today: date
) -> Changes:
    """Write the one-page comparison for the client to ``path`` and log the print.

    The PDF maker (reportlab) is imported here, on the export's background thread, not
    by the client's view that imports this module.
    """
    from sosku_desktop.documents.assessment_pdf import assessment_comparison_pdf

    with store.read() as r:
        client = r.get(Client, client_id)
    data = assessment_comparison_pdf(comparison, client, report_organisation(store), lang, today)
    with store.write() as w:
        w.log_access(codes.AUDIT_PRINT, client_id, "assessments", comparison.latest.id)
        permissions.write_private(path, data)
        return changes_of(w)


def assessments_of(store: Store, client_id: str) -> list[Assessment]:
    """The client's self-assessments, oldest first (the comparison's query)."""
    with store.read() as r:
        return r.list(Assessment, order_by=("on", "id"), client_id=client_id)
