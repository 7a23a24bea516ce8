"""Decision drafts (§17 rehabilitation, activity money, transport card): save one.

The check against the period's other decisions (three-month blocks that
must not overlap) reads those decisions inside the write transaction, so a
decision synced in a moment ago counts too.
"""

from __future__ import annotations

from datetime import date

from sosku_desktop.domain import models
from sosku_desktop.domain.decisions import continuation_draft
from sosku_desktop.domain.errors import Problem
from sosku_desktop.domain.lifecycle import ensure_writable
from sosku_desktop.domain.rules_config import Rules
from sosku_desktop.domain.validation import decision_problems
from sosku_desktop.operations import Changes, changes_of, raise_problems
from sosku_desktop.store.database import Store
from sosku_desktop.store.records import load_rules
from sosku_desktop.store.repositories import Reader
from sosku_desktop.store.writer import new_id


def decision_check(
    decision: models.Decision,
    period: models.Period | None,
    others: list[models.Decision],
    rules: Rules,
) -> list[Problem]:
    """Every problem of the draft, against the period and its other decisions."""
    return decision_problems(decision, period, [d for d in others if d.id != decision.id], rules)


def save_decision(store: Store, decision: models.Decision, base: models.Decision | None) -> Changes:
    """Add a new decision (``base`` is None) or write the edited one; raises ``ValidationError``."""
    with store.write() as w:
        r = Reader(w.conn)
        period = r.find(models.Period, decision.period_id)
        if period is not None:
            ensure_writable(period)  # an ended period is read-only
        others = r.list(models.Decision, period_id=decision.period_id)
        raise_problems(decision_check(decision, period, others, load_rules(r)))
        if base is None:
            w.add(decision)
        else:
            w.update(decision, base=base)
        return changes_of(w)


def draft_continuation(
    period: models.Period,
    decisions: list[models.Decision],
    rules: Rules,
    today: date,
    heard_how: str,
    after: models.Decision | None = None,
) -> models.Decision | None:
    """A new decision draft for the next block (see ``domain.decisions``), not yet saved."""
    return continuation_draft(period, decisions, rules, today, heard_how, new_id(), after)
