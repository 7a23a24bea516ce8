"""The period from intake to ending: records of each phase and their rules.

domain.md describes six phases; each leaves a record behind (needs mapping,
agreement, implementation plan, meetings, interim evaluations, group
membership, the ending). This module says when a phase counts as done from
those records, which 3-month block an evaluation belongs to, what ending a
period means (it becomes read-only but stays readable) and which
implementation-plan revision is the current one. Pure functions only; the
operations layer writes what they return.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sosku_desktop.domain import codes
from sosku_desktop.domain.activity_money import PaidWindow, activity_days, realised_days
from sosku_desktop.domain.errors import Problem, ValidationError
from sosku_desktop.domain.models import (
    Agreement,
    Attendance,
    Decision,
    Evaluation,
    GroupMember,
    GroupSession,
    ImplementationPlan,
    Meeting,
    NeedsMapping,
    Period,
)
from sosku_desktop.domain.periods import (
    DateRange,
    blocks_between,
    evaluation_due_dates,
    max_end,
    next_block,
    period_end,
)
from sosku_desktop.domain.rules_config import DEFAULT_RULES, Rules
from sosku_desktop.domain.validation import period_problems

PERIOD_ENDED = "validation.period_ended"
ACTIVITY_BEFORE_START = "validation.activity_before_start"
ACTIVITY_AFTER_END = "validation.activity_after_end"
OPEN_PERIOD_EXISTS = "validation.open_period_exists"
PERIOD_OVERLAPS = "validation.period_overlaps"
PLANNED_AFTER_END = "validation.planned_after_end"
#: A moved start or end would leave a decision's validity outside the period.
DECISION_OUTSIDE_NEW_DATES = "validation.decision_outside_new_dates"


class PeriodEndedError(ValidationError):
    """A change to a period that has ended (its records are read-only)."""

    def __init__(self) -> None:
        super().__init__([Problem("period_id", PERIOD_ENDED)])


def is_read_only(period: Period) -> bool:
    """An ended period is kept as it was: readable, never changed again."""
    return period.status == codes.PERIOD_ENDED


def ensure_writable(period: Period) -> None:
    """Raise ``PeriodEndedError`` for a change to an ended period's records."""
    if is_read_only(period):
        raise PeriodEndedError()


# --- ending -----------------------------------------------------------------


@dataclass(frozen=True)
class Ending:
    """What the worker records in the guided "End period" step."""

    ended_on: date
    end_reason: str
    final_evaluation: str
    follow_on_service: str = ""
    next_steps: str = ""
    feedback: dict[str, str] | None = None


ENDING_TEXT_MAX = 5000


def activity_outside(
    activity: Iterable[date], start: date, end: date, start_field: str, end_field: str
) -> list[Problem]:
    """Days the client was met or was in a group must stay inside the period's dates.

    They are the period's activity-money days and its history: an ending, or a moved
    start or end, that left one outside was accepted, and the day was still paid
    after the period. The message names the day, so the worker knows how far to go.
    """
    days = sorted(set(activity))
    problems: list[Problem] = []
    if days and days[0] < start:
        problems.append(Problem(start_field, ACTIVITY_BEFORE_START, {"date": days[0]}))
    if days and days[-1] > end:
        problems.append(Problem(end_field, ACTIVITY_AFTER_END, {"date": days[-1]}))
    return problems


def period_activity(
    period: Period,
    meetings: Iterable[Meeting],
    sessions: Iterable[GroupSession],
    attendances: Iterable[Attendance],
    rules: Rules = DEFAULT_RULES,
) -> list[date]:
    """The days ``period`` must keep inside: its held meetings, and the group sessions
    the client attended while it ran (an attendance mark belongs to the client, not to
    a period, so only the days within its present dates are its own). Its meetings
    count wherever they fall: one stored outside its dates must still be reported."""
    own = realised_days(m for m in meetings if m.period_id == period.id)
    ran = PaidWindow(
        period.client_id, (DateRange(period.start, period_end(period, rules)),), date.max
    )
    return sorted(set(own) | set(activity_days((), sessions, attendances, ran)))


def ending_problems(
    period: Period,
    ending: Ending,
    today: date | None = None,
    rules: Rules = DEFAULT_RULES,
    activity: Iterable[date] = (),
) -> list[Problem]:
    """End date inside the period (not in the future, not before a day in ``activity``:
    held meetings and attended group sessions), a known reason, a final evaluation."""
    problems: list[Problem] = []
    if is_read_only(period):
        problems.append(Problem("period_id", PERIOD_ENDED))
    problems += activity_outside(activity, date.min, ending.ended_on, "ended_on", "ended_on")
    if ending.ended_on < period.start:
        problems.append(Problem("ended_on", "validation.end_before_start"))
    elif ending.ended_on > max_end(period.start, rules):
        problems.append(
            Problem(
                "ended_on",
                "validation.period_too_long",
                {"months": rules.max_period_months, "max_end": max_end(period.start, rules)},
            )
        )
    if today is not None and ending.ended_on > today:
        problems.append(Problem("ended_on", "validation.date_in_future"))
    if not ending.end_reason:
        problems.append(Problem("end_reason", "validation.required"))
    elif ending.end_reason not in codes.END_REASONS:
        problems.append(
            Problem("end_reason", "validation.code_unknown", {"value": ending.end_reason})
        )
    if not ending.final_evaluation.strip():
        problems.append(Problem("final_evaluation", "validation.required"))
    for name in ("final_evaluation", "follow_on_service", "next_steps"):
        if len(str(getattr(ending, name)).strip()) > ENDING_TEXT_MAX:
            problems.append(Problem(name, "validation.too_long", {"max": ENDING_TEXT_MAX}))
    return problems


def end_period(
    period: Period,
    ending: Ending,
    today: date | None = None,
    rules: Rules = DEFAULT_RULES,
    activity: Iterable[date] = (),
) -> Period:
    """The period as ended: status *ended*, phase *ending*, the ending's fields set."""
    problems = ending_problems(period, ending, today, rules, activity)
    if problems:
        raise ValidationError(problems)
    return replace(
        period,
        status=codes.PERIOD_ENDED,
        phase=codes.PHASE_ENDING,
        ended_on=ending.ended_on,
        end_reason=ending.end_reason,
        final_evaluation=ending.final_evaluation.strip(),
        follow_on_service=ending.follow_on_service.strip(),
        next_steps=ending.next_steps.strip(),
        feedback=dict(ending.feedback or {}),
    )


def can_start_new_period(periods: Iterable[Period]) -> bool:
    """A client may start a new period once no period of theirs is open."""
    return all(p.deleted or p.status == codes.PERIOD_ENDED for p in periods)


def may_start_new_period_from(period: Period, periods: Iterable[Period]) -> bool:
    """Whether "start a new period" belongs on ``period``: the client's latest period,
    once every period of theirs has ended. On an older ended period beside a newer
    one the offer could only be refused (a newer one runs, or the new one would be
    the newer one's follow-on, which is offered there)."""
    theirs = [p for p in periods if p.client_id == period.client_id and not p.deleted]
    latest = max(theirs, key=lambda p: (p.start, p.id), default=period)
    return can_start_new_period(theirs) and latest.id == period.id


def period_overlaps(
    period: Period, others: Iterable[Period], rules: Rules = DEFAULT_RULES
) -> list[Problem]:
    """A client's periods never share a day (dates inclusive, an ended one to its end
    day): a day in two periods would sit under two sets of decisions and plans."""
    end = period_end(period, rules)
    for other in others:
        if other.deleted or other.id == period.id or other.client_id != period.client_id:
            continue
        other_end = period_end(other, rules)
        if other.start <= end and period.start <= other_end:
            return [Problem("start", PERIOD_OVERLAPS, {"start": other.start, "end": other_end})]
    return []


def new_period_problems(
    period: Period, others: Iterable[Period], rules: Rules = DEFAULT_RULES
) -> list[Problem]:
    """A new period of a client who has ``others``: only once those have all ended, and
    not over their days (a second open period could be written beside the first)."""
    theirs = [p for p in others if p.client_id == period.client_id and p.id != period.id]
    problems = [] if can_start_new_period(theirs) else [Problem("start", OPEN_PERIOD_EXISTS)]
    return problems + period_overlaps(period, theirs, rules)


def next_period_start(periods: Iterable[Period], today: date, rules: Rules = DEFAULT_RULES) -> date:
    """Where "start a new period" begins: today, or the day after the latest period's
    last day when that is today (a period ended today keeps today)."""
    ends = [period_end(p, rules) for p in periods if not p.deleted]
    return max([today, *(e + timedelta(days=1) for e in ends)])


# --- editing basic details --------------------------------------------------


def period_edit_problems(
    before: Period,
    after: Period,
    rules: Rules = DEFAULT_RULES,
    activity: Iterable[date] = (),
    meetings: Iterable[Meeting] = (),
    decisions: Iterable[Decision] = (),
) -> list[Problem]:
    """An edit of responsible worker or dates, validated as at creation, keeping every day
    in ``activity`` (held meetings, attended sessions), every planned meeting of
    ``meetings`` and every decision of ``decisions`` inside; ended is read-only."""
    if is_read_only(before):
        return [Problem("period_id", PERIOD_ENDED)]
    problems = period_problems(after, rules)
    problems += activity_outside(activity, after.start, after.planned_end, "start", "planned_end")
    planned = [
        m.day
        for m in meetings
        if m.period_id == before.id and not m.deleted and m.status == codes.MEETING_PLANNED
    ]
    if planned and max(planned) > after.planned_end:
        problems.append(Problem("planned_end", PLANNED_AFTER_END, {"date": max(planned)}))
    problems += decisions_outside(decisions, before.id, after.start, after.planned_end)
    if after.client_id != before.client_id:
        problems.append(Problem("client_id", "validation.period_mismatch"))
    return problems


def decisions_outside(
    decisions: Iterable[Decision], period_id: str, start: date, end: date
) -> list[Problem]:
    """The period's decisions must stay valid only within its days, as the decision
    form requires when one is saved: a moved start or end that left one outside was
    accepted, and the decision then covered days with no period. The message names
    the decision's dates, so the worker knows which one to correct or how far to go."""
    own = [d for d in decisions if d.period_id == period_id and not d.deleted]
    problems: list[Problem] = []
    early = [d for d in own if d.valid_from < start]
    if early:
        first = min(early, key=lambda d: d.valid_from)
        params: dict[str, object] = {"start": first.valid_from, "end": first.valid_to}
        problems.append(Problem("start", DECISION_OUTSIDE_NEW_DATES, params))
    late = [d for d in own if d.valid_to > end]
    if late:
        last = max(late, key=lambda d: d.valid_to)
        params = {"start": last.valid_from, "end": last.valid_to}
        problems.append(Problem("planned_end", DECISION_OUTSIDE_NEW_DATES, params))
    return problems


# --- implementation plan ----------------------------------------------------


def current_plan(plans: Iterable[ImplementationPlan], period_id: str) -> ImplementationPlan | None:
    """The latest revision of the period's plan (highest revision, then latest date)."""
    own = [p for p in plans if not p.deleted and p.period_id == period_id]
    if not own:
        return None
    return max(own, key=lambda p: (p.revision, p.made_on, p.id))


def plan_revisions(plans: Iterable[ImplementationPlan], period_id: str) -> list[ImplementationPlan]:
    """Every revision of the period's plan, oldest first."""
    own = [p for p in plans if not p.deleted and p.period_id == period_id]
    return sorted(own, key=lambda p: (p.revision, p.made_on, p.id))


def next_revision(previous: ImplementationPlan, new_id: str, made_on: date) -> ImplementationPlan:
    """A new revision that starts as a copy of ``previous`` (which is kept unchanged)."""
    return replace(
        previous,
        id=new_id,
        revision=previous.revision + 1,
        made_on=made_on,
        goal_plans=[dict(g) for g in previous.goal_plans],
        deleted=False,
    )


def review_default(period: Period, made_on: date, rules: Rules = DEFAULT_RULES) -> date:
    """When a plan made on ``made_on`` is reviewed, unless the worker says otherwise.

    The rule: at the next interim evaluation due on or after ``made_on``
    (``periods.evaluation_due_dates``) — the plan is looked at again when
    the period is — or, with no interim evaluation left, at the period's
    end (the final evaluation).
    """
    upcoming = [due for due in evaluation_due_dates(period, rules) if due >= made_on]
    return upcoming[0] if upcoming else period_end(period, rules)


def with_review_default(
    plan: ImplementationPlan, period: Period, rules: Rules = DEFAULT_RULES
) -> ImplementationPlan:
    """``plan`` with ``review_default`` when it has no review date still ahead of it.

    An empty review date, or one copied from the previous revision that is
    not after the new revision's date, is replaced; a chosen later one stays.
    """
    if plan.review_on is not None and plan.review_on > plan.made_on:
        return plan
    return replace(plan, review_on=review_default(period, plan.made_on, rules))


def goal_plan(plan: ImplementationPlan, goal_id: str) -> dict[str, str]:
    """The plan's means / timetable / responsible for one goal (empty strings if none)."""
    for row in plan.goal_plans:
        if row.get("goal_id") == goal_id:
            return {k: row.get(k, "") for k in ("goal_id", *PLAN_GOAL_FIELDS)}
    return {"goal_id": goal_id, **dict.fromkeys(PLAN_GOAL_FIELDS, "")}


PLAN_GOAL_FIELDS = ("means", "timetable", "responsible")


# --- interim evaluation -----------------------------------------------------


def evaluation_blocks(period: Period, rules: Rules = DEFAULT_RULES) -> list[DateRange]:
    """The period's 3-month blocks (anchored to its start, cut at its end)."""
    return blocks_between(period.start, period_end(period, rules), rules)


def block_for_evaluation(
    period: Period, on: date, rules: Rules = DEFAULT_RULES
) -> DateRange | None:
    """The block an evaluation held on ``on`` evaluates: the one whose end is nearest."""
    blocks = evaluation_blocks(period, rules)
    if not blocks:
        return None
    return min(blocks, key=lambda b: (abs((b.end - on).days), b.start))


def evaluation_of_block(
    evaluations: Iterable[Evaluation], period_id: str, block: DateRange
) -> Evaluation | None:
    """The latest evaluation recorded for one block of the period."""
    own = [
        e
        for e in evaluations
        if not e.deleted and e.period_id == period_id and e.block_start == block.start
    ]
    return max(own, key=lambda e: (e.on, e.id)) if own else None


def continuation_block(
    period: Period, evaluation: Evaluation, rules: Rules = DEFAULT_RULES
) -> DateRange | None:
    """The block a continuation decision after ``evaluation`` covers (None at the year's end)."""
    if not evaluation.continue_service:
        return None
    block = next_block(evaluation.block_end, rules, period.start)
    if block is None:
        return None
    cut = block.cut(period_end(period, rules))
    return cut


def attainment_summary(evaluation: Evaluation, codes_in_order: Sequence[str]) -> dict[str, int]:
    """How many goals got each attainment code (every code present, zero if none)."""
    counts = dict.fromkeys(codes_in_order, 0)
    for code in evaluation.attainment.values():
        counts[code] = counts.get(code, 0) + 1
    return counts


# --- phases done ------------------------------------------------------------


@dataclass(frozen=True)
class PeriodRecords:
    """The records of one period that tell which phases are done."""

    period: Period
    needs: Sequence[NeedsMapping] = ()
    agreements: Sequence[Agreement] = ()
    plans: Sequence[ImplementationPlan] = ()
    meetings: Sequence[Meeting] = ()
    evaluations: Sequence[Evaluation] = ()
    memberships: Sequence[GroupMember] = ()


def phases_done(records: PeriodRecords) -> dict[str, bool]:
    """Per phase, whether its record exists (the overview's timeline marks it done).

    before start: a needs mapping and a signed agreement; start: an
    implementation plan; intensive work: a realised meeting; interim
    evaluation: an evaluation; group activity: the client joined a group;
    ending: the period has ended.
    """
    pid = records.period.id
    live_needs = [n for n in records.needs if not n.deleted and n.period_id == pid]
    signed = [
        a
        for a in records.agreements
        if not a.deleted and a.period_id == pid and a.signed_on is not None
    ]
    realised = [
        m
        for m in records.meetings
        if not m.deleted and m.period_id == pid and m.status == codes.MEETING_REALISED
    ]
    return {
        codes.PHASE_BEFORE_START: bool(live_needs) and bool(signed),
        codes.PHASE_START: current_plan(records.plans, pid) is not None,
        codes.PHASE_INTENSIVE: bool(realised),
        codes.PHASE_EVALUATION: any(
            not e.deleted and e.period_id == pid for e in records.evaluations
        ),
        codes.PHASE_GROUP: any(not m.deleted for m in records.memberships),
        codes.PHASE_ENDING: is_read_only(records.period),
    }


def needs_of(needs: Iterable[NeedsMapping], period_id: str) -> NeedsMapping | None:
    """The period's needs mapping (the latest if two laptops both made one)."""
    own = [n for n in needs if not n.deleted and n.period_id == period_id]
    return max(own, key=lambda n: (n.mapped_on or date.min, n.id)) if own else None
