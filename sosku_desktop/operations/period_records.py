"""Writing the records of a period's phases: needs mapping, agreement, plan, evaluation.

Each operation re-reads the period inside its own transaction and refuses
a change to an ended period (``domain.lifecycle``), so a form that stayed
open while another laptop ended the period cannot slip a change in. An
implementation plan is never overwritten by a new version: ``save_plan``
with ``new_revision`` adds a row and keeps the earlier one; editing the
current revision in place keeps its earlier values in the value history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sosku_desktop.domain import models
from sosku_desktop.domain.lifecycle import ensure_writable, next_revision
from sosku_desktop.domain.lifecycle_validation import (
    agreement_details_problems,
    evaluation_problems,
    implementation_plan_problems,
    needs_mapping_problems,
)
from sosku_desktop.domain.period_plan import mark_evaluation_done
from sosku_desktop.operations import Changes, changes_of, raise_problems
from sosku_desktop.store.database import Store
from sosku_desktop.store.records import load_rules
from sosku_desktop.store.repositories import Reader
from sosku_desktop.store.writer import Writer, new_id


def _live_period(w: Writer, period_id: str) -> models.Period:
    return Reader(w.conn).get(models.Period, period_id)


def _goal_ids(w: Writer, period_id: str) -> set[str]:
    return {g.id for g in Reader(w.conn).goals_of(period_id)}


def _add_or_update(w: Writer, row: Any) -> None:
    """Insert a new row, or write the columns that differ from the stored one."""
    existing = Reader(w.conn).find(type(row), row.id)
    if existing is None:
        w.add(row)
    else:
        w.update(row, base=existing)


def save_needs_mapping(store: Store, needs: models.NeedsMapping, today: date) -> Changes:
    """Add or update the period's needs mapping (made at intake, editable later)."""
    with store.write() as w:
        period = _live_period(w, needs.period_id)
        raise_problems(needs_mapping_problems(needs, period, today))
        _add_or_update(w, needs)
        return changes_of(w)


def save_agreement(store: Store, agreement: models.Agreement) -> Changes:
    """Add or update the agreement's details (meeting times, contact, goals, signed on)."""
    with store.write() as w:
        period = _live_period(w, agreement.period_id)
        raise_problems(agreement_details_problems(agreement, period, _goal_ids(w, period.id)))
        _add_or_update(w, agreement)
        return changes_of(w)


@dataclass(frozen=True)
class SavedPlan:
    """The plan revision written (its id and number are what the UI shows) and the changes."""

    plan: models.ImplementationPlan
    changes: Changes


def save_plan(
    store: Store, plan: models.ImplementationPlan, new_revision: bool = False
) -> SavedPlan:
    """Save the implementation plan; with ``new_revision`` as a new version after the latest."""
    with store.write() as w:
        period = _live_period(w, plan.period_id)
        row = plan
        if new_revision:
            latest = Reader(w.conn).list(models.ImplementationPlan, period_id=period.id)
            top = max((p.revision for p in latest), default=0)
            row = next_revision(plan, new_id(), plan.made_on)
            row.revision = top + 1
        raise_problems(implementation_plan_problems(row, period, _goal_ids(w, period.id)))
        _add_or_update(w, row)
        return SavedPlan(row, changes_of(w))


def record_evaluation(store: Store, evaluation: models.Evaluation, today: date) -> Changes:
    """Record (or correct) an interim evaluation; marks the planned evaluation it fulfils done."""
    with store.write() as w:
        reader = Reader(w.conn)
        period = _live_period(w, evaluation.period_id)
        rules = load_rules(reader)
        raise_problems(
            evaluation_problems(evaluation, period, _goal_ids(w, period.id), today, rules)
        )
        _add_or_update(w, evaluation)
        entries = reader.list(models.PlannedEntry, period_id=period.id)
        done = mark_evaluation_done(entries, evaluation)
        if done is not None:
            before = next(e for e in entries if e.id == done.id)
            w.update(done, base=before)
        return changes_of(w)


def delete_record(store: Store, cls: type[Any], row_id: str) -> Changes:
    """Soft-delete a needs mapping, plan revision or evaluation of a period still open."""
    with store.write() as w:
        row = Reader(w.conn).get(cls, row_id)
        ensure_writable(_live_period(w, row.period_id))
        w.delete(cls, row_id)
        return changes_of(w)
