"""Self-assessment operations: filed under the current period; seeing and printing logged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.domain.scoring import compare
from sosku_desktop.operations.assessments import (
    NOTHING_ANSWERED,
    export_comparison_pdf,
    log_comparison_view,
    save_assessment,
)
from sosku_desktop.store.database import Store
from sosku_desktop.store.instrument_files import builtin_instrument

TODAY = date(2026, 3, 2)


def _draft(period: models.Period, **answers: float) -> models.Assessment:
    return models.Assessment(
        id="", client_id=period.client_id, instrument_id="sosku-generic", on=TODAY, answers=answers
    )


def test_a_new_assessment_gets_an_id_and_the_current_period(
    store: Store, period: models.Period
) -> None:
    generic = builtin_instrument("sosku-generic")
    saved = save_assessment(store, _draft(period, housing=6.0), None, generic, TODAY)
    assert saved.assessment.id and saved.assessment.period_id == period.id
    assert saved.changes.ids("assessments") == {saved.assessment.id}

    edited = models.Assessment(**{**saved.assessment.__dict__, "note": "hyvä päivä"})
    again = save_assessment(store, edited, saved.assessment, generic, TODAY)
    assert again.assessment.id == saved.assessment.id
    with store.read() as r:
        assert [a.note for a in r.list(models.Assessment)] == ["hyvä päivä"]


def test_nothing_answered_is_refused(store: Store, period: models.Period) -> None:
    with pytest.raises(ValidationError) as caught:
        save_assessment(store, _draft(period), None, builtin_instrument("sosku-generic"), TODAY)
    assert NOTHING_ANSWERED in {p.message_key for p in caught.value.problems}


def test_seeing_and_printing_the_comparison_are_logged(
    store: Store, period: models.Period, tmp_path: Path
) -> None:
    generic = builtin_instrument("sosku-generic")
    latest = save_assessment(store, _draft(period, housing=7.0), None, generic, TODAY).assessment
    comparison = compare(generic, None, latest)

    assert log_comparison_view(store, period.client_id, latest.id).accessed == {period.client_id}
    target = tmp_path / "vertailu.pdf"
    export_comparison_pdf(store, comparison, period.client_id, target, "fi", TODAY)
    assert target.read_bytes().startswith(b"%PDF")
    with store.read() as r:
        actions = [e.action for e in r.audit_of_client(period.client_id)]
    assert actions.count(codes.AUDIT_VIEW) == 1 and actions.count(codes.AUDIT_PRINT) == 1

    with pytest.raises(OSError):
        export_comparison_pdf(store, comparison, period.client_id, tmp_path, "fi", TODAY)
    with store.read() as r:
        actions = [e.action for e in r.audit_of_client(period.client_id)]
    assert actions.count(codes.AUDIT_PRINT) == 1  # a failed write logs nothing
