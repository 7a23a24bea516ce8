"""Validation of the period's phase records: needs mapping, plan, evaluation, expense.

Same shape as ``domain.validation``: ``<record>_problems`` lists every
problem (field, translation key, parameters) so a form marks all fields at
once, ``validate_<record>`` raises one ``ValidationError``. Writes to an
ended period are refused here too, so no form can forget it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sosku_desktop.domain import codes
from sosku_desktop.domain.errors import Problem, ValidationError
from sosku_desktop.domain.lifecycle import (
    PERIOD_ENDED,
    PLAN_GOAL_FIELDS,
    evaluation_blocks,
    is_read_only,
)
from sosku_desktop.domain.models import (
    Agreement,
    Evaluation,
    ImplementationPlan,
    NeedsMapping,
    Period,
    PlannedEntry,
)
from sosku_desktop.domain.periods import max_end
from sosku_desktop.domain.rules_config import DEFAULT_RULES, Rules
from sosku_desktop.domain.validation import agreement_problems

LONG_TEXT_MAX = 5000
SHORT_TEXT_MAX = 200
REQUIRED = "validation.required"
TOO_LONG = "validation.too_long"
CODE_UNKNOWN = "validation.code_unknown"
DATE_IN_FUTURE = "validation.date_in_future"
OUTSIDE_PERIOD = "validation.outside_period"
NOT_A_BLOCK = "validation.not_a_block"
GOAL_NOT_IN_PERIOD = "validation.goal_not_in_period"
REVIEW_BEFORE_PLAN = "validation.review_before_plan"
REVISION_POSITIVE = "validation.revision_positive"


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise ValidationError(problems)


def _texts(problems: list[Problem], record: object, names: Iterable[str], maximum: int) -> None:
    for name in names:
        if len(str(getattr(record, name)).strip()) > maximum:
            problems.append(Problem(name, TOO_LONG, {"max": maximum}))


def _period(problems: list[Problem], record_period_id: str, period: Period | None) -> None:
    if not record_period_id.strip():
        problems.append(Problem("period_id", REQUIRED))
    if period is not None and is_read_only(period):
        problems.append(Problem("period_id", PERIOD_ENDED))


def needs_mapping_problems(
    needs: NeedsMapping, period: Period | None = None, today: date | None = None
) -> list[Problem]:
    """Something mapped (services had, what helped or wishes); no date in the future."""
    problems: list[Problem] = []
    _period(problems, needs.period_id, period)
    if not any(
        getattr(needs, n).strip() for n in ("services_had", "what_helped", "wants_to_change")
    ):
        problems.append(Problem("wants_to_change", REQUIRED))
    _texts(
        problems,
        needs,
        ("services_had", "what_helped", "wants_to_change", "first_goal", "schedule"),
        LONG_TEXT_MAX,
    )
    if today is not None and needs.mapped_on is not None and needs.mapped_on > today:
        problems.append(Problem("mapped_on", DATE_IN_FUTURE))
    return problems


def validate_needs_mapping(
    needs: NeedsMapping, period: Period | None = None, today: date | None = None
) -> None:
    _raise_if(needs_mapping_problems(needs, period, today))


def implementation_plan_problems(
    plan: ImplementationPlan, period: Period | None = None, goal_ids: Iterable[str] | None = None
) -> list[Problem]:
    """Content and responsible person given; review after the plan; goals of this period."""
    problems: list[Problem] = []
    _period(problems, plan.period_id, period)
    if plan.revision < 1:
        problems.append(Problem("revision", REVISION_POSITIVE))
    if not plan.content.strip():
        problems.append(Problem("content", REQUIRED))
    if not plan.responsible.strip():
        problems.append(Problem("responsible", REQUIRED))
    _texts(problems, plan, ("content", "previous_goals_reached"), LONG_TEXT_MAX)
    _texts(problems, plan, ("responsible",), SHORT_TEXT_MAX)
    if plan.review_on is not None and plan.review_on < plan.made_on:
        problems.append(Problem("review_on", REVIEW_BEFORE_PLAN))
    known = set(goal_ids) if goal_ids is not None else None
    for row in plan.goal_plans:
        goal_id = row.get("goal_id", "")
        if known is not None and goal_id not in known:
            problems.append(Problem("goal_plans", GOAL_NOT_IN_PERIOD))
        for name in PLAN_GOAL_FIELDS:
            if len(row.get(name, "").strip()) > LONG_TEXT_MAX:
                problems.append(Problem("goal_plans", TOO_LONG, {"max": LONG_TEXT_MAX}))
    return problems


def validate_implementation_plan(
    plan: ImplementationPlan, period: Period | None = None, goal_ids: Iterable[str] | None = None
) -> None:
    _raise_if(implementation_plan_problems(plan, period, goal_ids))


def evaluation_problems(
    evaluation: Evaluation,
    period: Period | None = None,
    goal_ids: Iterable[str] | None = None,
    today: date | None = None,
    rules: Rules = DEFAULT_RULES,
) -> list[Problem]:
    """Held inside the period for one of its blocks; attainment codes from the list;
    the client's view recorded (it is their evaluation)."""
    problems: list[Problem] = []
    _period(problems, evaluation.period_id, period)
    if today is not None and evaluation.on > today:
        problems.append(Problem("on", DATE_IN_FUTURE))
    if period is not None:
        if not period.start <= evaluation.on <= max_end(period.start, rules):
            problems.append(Problem("on", OUTSIDE_PERIOD))
        blocks = {(b.start, b.end) for b in evaluation_blocks(period, rules)}
        if (evaluation.block_start, evaluation.block_end) not in blocks:
            problems.append(Problem("block_start", NOT_A_BLOCK))
    known = set(goal_ids) if goal_ids is not None else None
    for goal_id, code in evaluation.attainment.items():
        if code not in rules.attainment_codes:
            problems.append(Problem("attainment", CODE_UNKNOWN, {"value": code}))
        if known is not None and goal_id not in known:
            problems.append(Problem("attainment", GOAL_NOT_IN_PERIOD))
    if not evaluation.client_view.strip():
        problems.append(Problem("client_view", REQUIRED))
    _texts(problems, evaluation, ("client_view", "what_worked", "changes"), LONG_TEXT_MAX)
    return problems


def validate_evaluation(
    evaluation: Evaluation,
    period: Period | None = None,
    goal_ids: Iterable[str] | None = None,
    today: date | None = None,
    rules: Rules = DEFAULT_RULES,
) -> None:
    _raise_if(evaluation_problems(evaluation, period, goal_ids, today, rules))


def planned_entry_problems(entry: PlannedEntry, period: Period | None = None) -> list[Problem]:
    """A known kind, inside the period's year; the note short."""
    problems: list[Problem] = []
    _period(problems, entry.period_id, period)
    if entry.kind not in codes.PLAN_KINDS:
        problems.append(Problem("kind", CODE_UNKNOWN, {"value": entry.kind}))
    if period is not None and not period.start <= entry.on <= max_end(period.start):
        problems.append(Problem("on", OUTSIDE_PERIOD))
    if len(entry.note.strip()) > SHORT_TEXT_MAX:
        problems.append(Problem("note", TOO_LONG, {"max": SHORT_TEXT_MAX}))
    return problems


def validate_planned_entry(entry: PlannedEntry, period: Period | None = None) -> None:
    _raise_if(planned_entry_problems(entry, period))


def agreement_details_problems(
    agreement: Agreement, period: Period | None = None, goal_ids: Iterable[str] | None = None
) -> list[Problem]:
    """The agreement's rules (at most three goals) plus: goals of this period, texts
    not overlong, the period not ended."""
    problems = agreement_problems(agreement)
    _period(problems, agreement.period_id, period)
    if goal_ids is not None and set(agreement.goal_ids) - set(goal_ids):
        problems.append(Problem("goal_ids", GOAL_NOT_IN_PERIOD))
    _texts(
        problems, agreement, ("meeting_times", "contact", "group_activity", "other"), LONG_TEXT_MAX
    )
    return problems


def validate_agreement_details(
    agreement: Agreement, period: Period | None = None, goal_ids: Iterable[str] | None = None
) -> None:
    _raise_if(agreement_details_problems(agreement, period, goal_ids))
