"""What ending a period on a day leaves behind: the dated things that reach past it.

A period ended early — before its planned end — still has dated things
running past the end day. domain.md's list, one by one:

- **Decisions** (§17, activity money, transport card): a positive one valid
  after the end stays in force in the city's client information system;
  the worker must make an ending decision there (``decisions_outliving``).
  Activity money is paid afterwards, for the days met up to the end only.
  Said in the end wizard, on the overview and the decisions tab, in the
  service-end text, and as a Today reminder until acknowledged or run out
  (``reminders.decision_outlives_period``).
- **Planned meetings** after the end: cancelled by the ending
  (``meetings.planned_after``); they stay in the history as cancelled.
- **Key dates** of the period's plan after the end (interim evaluations, the
  mid-point self-assessment, preparing the ending): removed by the ending
  (``period_plan.replan``); the end's self-assessment and the end itself
  move to the end day. Said in the end wizard (afterwards they are gone).
- **The implementation plan's review date** after the end: not held — the
  final evaluation takes its place. Said in the end wizard and on the
  overview (the plan is history and keeps its date).
- **Group memberships**: end on the end day.
- **The agreement** has no validity of its own (only the day it was
  signed): nothing of it outlives the period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from sosku_desktop.domain.decisions import decisions_outliving
from sosku_desktop.domain.lifecycle import current_plan
from sosku_desktop.domain.meetings import planned_after
from sosku_desktop.domain.models import (
    Decision,
    ImplementationPlan,
    Meeting,
    Period,
    PlannedEntry,
)
from sosku_desktop.domain.period_plan import key_dates, replan
from sosku_desktop.domain.rules_config import DEFAULT_RULES, Rules


@dataclass(frozen=True)
class EndingEffects:
    """The period's dated things past ``end`` (see the module doc)."""

    end: date
    #: positive decisions valid after the end: to be ended in the client information system
    decisions: tuple[Decision, ...] = ()
    #: planned meetings after the end: cancelled
    meetings: tuple[Meeting, ...] = ()
    #: planned key dates after the end: removed from the plan
    key_dates: tuple[PlannedEntry, ...] = ()
    #: the current plan's review date, when it falls after the end: not held
    review_on: date | None = None


def dropped_key_dates(
    period: Period,
    end: date,
    entries: Iterable[PlannedEntry],
    decisions: Iterable[Decision],
    rules: Rules = DEFAULT_RULES,
) -> list[PlannedEntry]:
    """The planned entries an ending on ``end`` removes (the same ``replan`` the ending runs)."""
    own = [e for e in entries if e.period_id == period.id]
    wanted = key_dates(replace(period, ended_on=end), decisions, rules)
    return sorted(replan(own, wanted).remove, key=lambda e: (e.on, e.kind, e.seq))


def review_after_end(plans: Iterable[ImplementationPlan], period_id: str, end: date) -> date | None:
    """The current plan's review date if it falls after ``end`` (a review never held)."""
    plan = current_plan(plans, period_id)
    if plan is None or plan.review_on is None or plan.review_on <= end:
        return None
    return plan.review_on


def ending_effects(
    period: Period,
    end: date,
    *,
    decisions: Iterable[Decision] = (),
    meetings: Iterable[Meeting] = (),
    entries: Iterable[PlannedEntry] = (),
    plans: Iterable[ImplementationPlan] = (),
    rules: Rules = DEFAULT_RULES,
) -> EndingEffects:
    """Everything of ``period`` that an ending on ``end`` leaves past it, or has left.

    For a period already ended, ``end`` is its end day: its meetings were
    cancelled and key dates removed then, so only decisions and the review
    date are still found.
    """
    own_decisions = [d for d in decisions if d.period_id == period.id]
    return EndingEffects(
        end=end,
        decisions=tuple(decisions_outliving(own_decisions, period.id, end)),
        meetings=tuple(planned_after(meetings, period.id, end)),
        key_dates=tuple(dropped_key_dates(period, end, entries, own_decisions, rules)),
        review_on=review_after_end(plans, period.id, end),
    )
