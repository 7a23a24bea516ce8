"""Validation of every entity a worker types in.

Each ``validate_<entity>`` collects *all* problems and raises one
``ValidationError`` (or returns ``None`` when all is well), so a form can
mark every field at once. ``<entity>_problems`` returns the list without
raising, for live checks while typing. A problem names the field (the
entity's attribute), a translation key ``validation.*`` and parameters;
date parameters are ``date`` objects for the edge to format (``d.M.yyyy``).
Only genuinely needed fields are required.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from stdnum.fi import hetu

from sosku_desktop.domain import codes
from sosku_desktop.domain.errors import Problem, ValidationError
from sosku_desktop.domain.models import (
    Agreement,
    Assessment,
    Attendance,
    Client,
    Decision,
    Expense,
    Goal,
    GoalProgress,
    Group,
    GroupMember,
    GroupSession,
    Meeting,
    Period,
    Worker,
)
from sosku_desktop.domain.periods import block_end, max_end, period_end, period_range
from sosku_desktop.domain.rules_config import DEFAULT_RULES, Rules

NAME_MAX = 100
GOAL_TEXT_MAX = 500
SHORT_TEXT_MAX = 200
#: A decision's reasoning: as long as the period's other record texts may be.
DECISION_TEXT_MAX = 5000
DURATION_MIN = 1
DURATION_MAX = 600
PROGRESS_MIN = 0
PROGRESS_MAX = 100
AGREEMENT_GOALS_MAX = 3

REQUIRED = "validation.required"
TOO_LONG = "validation.too_long"
CODE_UNKNOWN = "validation.code_unknown"
#: Another client already has this personal identity code.
DUPLICATE_IDENTITY = "ui.wizard.duplicate_identity"
IDENTITY_CODE_INVALID = "validation.identity_code_invalid"
EMAIL_INVALID = "validation.email_invalid"
PHONE_INVALID = "validation.phone_invalid"
END_BEFORE_START = "validation.end_before_start"
PERIOD_TOO_LONG = "validation.period_too_long"
ENDED_ON_REQUIRED = "validation.ended_on_required"
DECISION_TOO_LONG = "validation.decision_too_long"
DECISION_OUTSIDE_PERIOD = "validation.decision_outside_period"
DECISION_OVERLAPS = "validation.decision_overlaps"
HEARD_HOW_REQUIRED = "validation.heard_how_required"
REASONING_REQUIRED = "validation.reasoning_required"
NOT_NEGATIVE = "validation.not_negative"
AMOUNT_POSITIVE = "validation.amount_positive"
DURATION_RANGE = "validation.duration_range"
PROGRESS_RANGE = "validation.progress_range"
GOAL_MAIN_HAS_PARENT = "validation.goal_main_has_parent"
GOAL_PARENT_REQUIRED = "validation.goal_parent_required"
GOAL_PARENT_LEVEL = "validation.goal_parent_level"
GOAL_PARENT_OTHER_PERIOD = "validation.goal_parent_other_period"
GOAL_PARENT_SELF = "validation.goal_parent_self"
ACHIEVED_ON_WITHOUT_STATUS = "validation.achieved_on_without_status"
TIME_INVALID = "validation.time_invalid"
DATE_IN_FUTURE = "validation.date_in_future"
REALISED_IN_FUTURE = "validation.realised_in_future"
MEETING_OUTSIDE_PERIOD = "validation.meeting_outside_period"
PLANNED_OUTSIDE_PERIOD = "validation.planned_outside_period"
ANSWER_OUT_OF_RANGE = "validation.answer_out_of_range"
ANSWER_NOT_NUMBER = "validation.answer_not_number"
ANSWER_UNKNOWN_ITEM = "validation.answer_unknown_item"
AGREEMENT_TOO_MANY_GOALS = "validation.agreement_too_many_goals"
PERIOD_MISMATCH = "validation.period_mismatch"
DECIDED_AFTER_END = "validation.decided_after_end"

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE_RE = re.compile(r"^\+?[0-9 ()\-]+$")
_TIME_RE = re.compile(r"^([01]?\d|2[0-3])[.:]([0-5]\d)$")


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise ValidationError(problems)


def _text(problems: list[Problem], name: str, value: str, maximum: int, required: bool) -> None:
    stripped = value.strip()
    if required and not stripped:
        problems.append(Problem(name, REQUIRED))
    elif len(stripped) > maximum:
        problems.append(Problem(name, TOO_LONG, {"max": maximum}))


def _code(problems: list[Problem], name: str, value: str, allowed: Iterable[str]) -> None:
    if value not in tuple(allowed):
        problems.append(Problem(name, CODE_UNKNOWN, {"value": value}))


def _required_id(problems: list[Problem], name: str, value: str | None) -> None:
    if not value or not value.strip():
        problems.append(Problem(name, REQUIRED))


def _range(problems: list[Problem], name: str, value: int, low: int, high: int, key: str) -> None:
    if not low <= value <= high:
        problems.append(Problem(name, key, {"min": low, "max": high}))


def normalize_identity_code(value: str) -> str:
    """A personal identity code in its stored form: trimmed, upper case."""
    return str(hetu.compact(value))


def is_valid_identity_code(value: str) -> bool:
    """Finnish personal identity code check (date, century sign, checksum).

    Accepts the 2023 century signs (Y X W V U / B C D E F) and temporary
    codes (individual number 900–999) that some organisations hand out.
    """
    return bool(hetu.is_valid(value, allow_temporary=True))


# --- worker and client ------------------------------------------------------


def worker_problems(worker: Worker) -> list[Problem]:
    problems: list[Problem] = []
    _text(problems, "name", worker.name, NAME_MAX, required=True)
    _code(problems, "role", worker.role, codes.ROLES)
    if worker.yearly_budget_cents is not None and worker.yearly_budget_cents < 0:
        problems.append(Problem("yearly_budget_cents", NOT_NEGATIVE))
    _contact(problems, worker.email, worker.phone)
    return problems


def validate_worker(worker: Worker) -> None:
    _raise_if(worker_problems(worker))


def _contact(problems: list[Problem], email: str, phone: str) -> None:
    if email.strip() and not _EMAIL_RE.match(email.strip()):
        problems.append(Problem("email", EMAIL_INVALID))
    phone = phone.strip()
    if phone and (not _PHONE_RE.match(phone) or sum(ch.isdigit() for ch in phone) < 5):
        problems.append(Problem("phone", PHONE_INVALID))


def client_problems(client: Client) -> list[Problem]:
    problems: list[Problem] = []
    _text(problems, "first_name", client.first_name, NAME_MAX, required=True)
    _text(problems, "last_name", client.last_name, NAME_MAX, required=True)
    if client.identity_code.strip() and not is_valid_identity_code(client.identity_code):
        problems.append(Problem("identity_code", IDENTITY_CODE_INVALID))
    _code(problems, "language", client.language, codes.LANGUAGES)
    _contact(problems, client.email, client.phone)
    _text(problems, "address", client.address, SHORT_TEXT_MAX, required=False)
    return problems


def validate_client(client: Client) -> None:
    """Names given; identity code (optional) valid; language known; contacts sane."""
    _raise_if(client_problems(client))


# --- period and decisions ---------------------------------------------------


def period_problems(period: Period, rules: Rules = DEFAULT_RULES) -> list[Problem]:
    problems: list[Problem] = []
    _required_id(problems, "client_id", period.client_id)
    if period.planned_end < period.start:
        problems.append(Problem("planned_end", END_BEFORE_START))
    elif period.planned_end > max_end(period.start, rules):
        problems.append(
            Problem(
                "planned_end",
                PERIOD_TOO_LONG,
                {"months": rules.max_period_months, "max_end": max_end(period.start, rules)},
            )
        )
    _code(problems, "phase", period.phase, codes.PHASES)
    _code(problems, "status", period.status, codes.PERIOD_STATUSES)
    for item in period.intake:
        if item not in codes.CODE_LISTS["intake"]:
            problems.append(Problem("intake", CODE_UNKNOWN, {"value": item}))
    if period.ended_on is not None and period.ended_on < period.start:
        problems.append(Problem("ended_on", END_BEFORE_START))
    if period.status == codes.PERIOD_ENDED and period.ended_on is None:
        problems.append(Problem("ended_on", ENDED_ON_REQUIRED))
    if period.end_reason:
        _code(problems, "end_reason", period.end_reason, codes.END_REASONS)
    _text(problems, "service_task", period.service_task, SHORT_TEXT_MAX, required=True)
    return problems


def validate_period(period: Period, rules: Rules = DEFAULT_RULES) -> None:
    """Client set; start ≤ planned end ≤ 1-year limit; codes known; an ended period has its date."""
    _raise_if(period_problems(period, rules))


def decision_problems(
    decision: Decision,
    period: Period | None = None,
    others: Iterable[Decision] = (),
    rules: Rules = DEFAULT_RULES,
) -> list[Problem]:
    problems: list[Problem] = []
    _required_id(problems, "period_id", decision.period_id)
    _code(problems, "kind", decision.kind, codes.DECISION_KINDS)
    _code(problems, "outcome", decision.outcome, codes.OUTCOMES)
    dates_ok = decision.valid_from <= decision.valid_to
    if not dates_ok:
        problems.append(Problem("valid_to", END_BEFORE_START))
    rehab = decision.kind == codes.DECISION_REHABILITATION
    if dates_ok and rehab:
        longest = block_end(decision.valid_from, rules.decision_block_months)
        if decision.valid_to > longest:
            problems.append(
                Problem(
                    "valid_to",
                    DECISION_TOO_LONG,
                    {"months": rules.decision_block_months, "max_end": longest},
                )
            )
    if period is not None:
        if decision.period_id and decision.period_id != period.id:
            problems.append(Problem("period_id", PERIOD_MISMATCH))
        end = period_end(period, rules)
        if dates_ok and (decision.valid_from < period.start or decision.valid_to > end):
            problems.append(
                Problem("valid_from", DECISION_OUTSIDE_PERIOD, {"start": period.start, "end": end})
            )
    # positive decisions of one kind never overlap: §17 blocks follow each other, and
    # a second activity-money or transport-card decision would pay the same days twice
    if dates_ok and decision.outcome == codes.OUTCOME_POSITIVE:
        for other in others:
            if (
                other.id != decision.id
                and not other.deleted
                and other.period_id == decision.period_id
                and other.kind == decision.kind
                and other.outcome == codes.OUTCOME_POSITIVE
                and other.valid_from <= decision.valid_to
                and decision.valid_from <= other.valid_to
            ):
                problems.append(
                    Problem(
                        "valid_from",
                        DECISION_OVERLAPS,
                        {"start": other.valid_from, "end": other.valid_to},
                    )
                )
                break
    if decision.client_heard and not decision.heard_how.strip():
        problems.append(Problem("heard_how", HEARD_HOW_REQUIRED))
    if decision.outcome == codes.OUTCOME_NEGATIVE and not decision.reasoning.strip():
        problems.append(Problem("reasoning", REASONING_REQUIRED))
    if decision.planned_meetings < 0:
        problems.append(Problem("planned_meetings", NOT_NEGATIVE))
    if decision.planned_group_sessions < 0:
        problems.append(Problem("planned_group_sessions", NOT_NEGATIVE))
    if decision.rate_cents is not None and decision.rate_cents <= 0:
        problems.append(Problem("rate_cents", AMOUNT_POSITIVE))
    if decision.decided_on is not None and decision.decided_on > decision.valid_to:
        problems.append(Problem("decided_on", DECIDED_AFTER_END))
    for name in ("number", "heard_how", "details"):
        _text(problems, name, getattr(decision, name), SHORT_TEXT_MAX, required=False)
    _text(problems, "reasoning", decision.reasoning, DECISION_TEXT_MAX, required=False)
    return problems


def validate_decision(
    decision: Decision,
    period: Period | None = None,
    others: Iterable[Decision] = (),
    rules: Rules = DEFAULT_RULES,
) -> None:
    """Dates in order; a §17 decision at most one block long, inside its period
    and not overlapping another positive decision of its kind in ``others``; how the
    client was heard; reasons for a negative decision; counts not negative.
    """
    _raise_if(decision_problems(decision, period, others, rules))


# --- goals ------------------------------------------------------------------


def goal_problems(goal: Goal, parent: Goal | None = None) -> list[Problem]:
    problems: list[Problem] = []
    _required_id(problems, "period_id", goal.period_id)
    _text(problems, "text", goal.text, GOAL_TEXT_MAX, required=True)
    _code(problems, "level", goal.level, codes.GOAL_LEVELS)
    _code(problems, "status", goal.status, codes.GOAL_STATUSES)
    _range(problems, "progress", goal.progress, PROGRESS_MIN, PROGRESS_MAX, PROGRESS_RANGE)
    if goal.parent_id is not None and goal.parent_id == goal.id:
        problems.append(Problem("parent_id", GOAL_PARENT_SELF))
    elif goal.level == codes.GOAL_MAIN and goal.parent_id is not None:
        problems.append(Problem("parent_id", GOAL_MAIN_HAS_PARENT))
    elif goal.level in (codes.GOAL_SUB, codes.GOAL_STEP):
        expected = codes.GOAL_MAIN if goal.level == codes.GOAL_SUB else codes.GOAL_SUB
        if goal.parent_id is None:
            problems.append(Problem("parent_id", GOAL_PARENT_REQUIRED, {"expected": expected}))
        elif parent is not None:
            if parent.level != expected:
                problems.append(Problem("parent_id", GOAL_PARENT_LEVEL, {"expected": expected}))
            if parent.period_id != goal.period_id:
                problems.append(Problem("parent_id", GOAL_PARENT_OTHER_PERIOD))
    if goal.achieved_on is not None and goal.status != codes.GOAL_ACHIEVED:
        problems.append(Problem("achieved_on", ACHIEVED_ON_WITHOUT_STATUS))
    return problems


def validate_goal(goal: Goal, parent: Goal | None = None) -> None:
    """Text 1–500 characters; codes known; progress 0–100; a sub-goal sits under
    a main goal and an everyday step under a sub-goal (checked against
    ``parent`` when given), a main goal has no parent.
    """
    _raise_if(goal_problems(goal, parent))


def goal_progress_problems(row: GoalProgress, today: date | None = None) -> list[Problem]:
    problems: list[Problem] = []
    _required_id(problems, "goal_id", row.goal_id)
    _range(problems, "progress", row.progress, PROGRESS_MIN, PROGRESS_MAX, PROGRESS_RANGE)
    if today is not None and row.on > today:
        problems.append(Problem("on", DATE_IN_FUTURE))
    return problems


def validate_goal_progress(row: GoalProgress, today: date | None = None) -> None:
    _raise_if(goal_progress_problems(row, today))


# --- meetings, groups, money ------------------------------------------------


def meeting_problems(
    meeting: Meeting,
    now: datetime | None = None,
    allowed_methods: Iterable[str] | None = None,
) -> list[Problem]:
    problems: list[Problem] = []
    _required_id(problems, "period_id", meeting.period_id)
    _range(
        problems, "duration_min", meeting.duration_min, DURATION_MIN, DURATION_MAX, DURATION_RANGE
    )
    _code(problems, "kind", meeting.kind, codes.MEETING_KINDS)
    _code(problems, "status", meeting.status, codes.MEETING_STATUSES)
    if allowed_methods is not None:
        allowed = tuple(allowed_methods)
        for method in meeting.methods:
            if method not in allowed:
                problems.append(Problem("methods", CODE_UNKNOWN, {"value": method}))
    _text(problems, "place", meeting.place, SHORT_TEXT_MAX, required=False)
    if now is not None and meeting.status == codes.MEETING_REALISED and meeting.starts_at > now:
        problems.append(Problem("status", REALISED_IN_FUTURE))
    return problems


def meeting_period_problems(
    meeting: Meeting, period: Period, rules: Rules = DEFAULT_RULES, field: str = "starts_at"
) -> list[Problem]:
    """A realised or planned meeting falls on one of its period's days.

    Activity money pays every realised day and the monthly figures count
    them, so a held meeting typed as 10.1. for a period that starts 16.8.
    would be paid and counted in a month the client was not in service.
    A planned meeting after the period's end would never take place (ending
    the period cancels it) yet would sit in the calendar and the client
    list. Cancelled and no-show entries are left alone. ``field`` names the
    entry field the problem belongs to (the next meeting has its own).
    """
    if meeting.status not in (codes.MEETING_REALISED, codes.MEETING_PLANNED):
        return []
    days = period_range(period, rules)
    if days is None or days.contains(meeting.starts_at.date()):
        return []
    key = (
        MEETING_OUTSIDE_PERIOD
        if meeting.status == codes.MEETING_REALISED
        else PLANNED_OUTSIDE_PERIOD
    )
    return [Problem(field, key, {"start": days.start, "end": days.end})]


def validate_meeting(
    meeting: Meeting,
    now: datetime | None = None,
    allowed_methods: Iterable[str] | None = None,
) -> None:
    """Duration 1–600 minutes; kind and status known; methods in the organisation's
    list (when given); a realised meeting does not start after ``now`` (when given).
    """
    _raise_if(meeting_problems(meeting, now, allowed_methods))


def expense_problems(expense: Expense, today: date | None = None) -> list[Problem]:
    problems: list[Problem] = []
    _required_id(problems, "worker_id", expense.worker_id)
    if expense.amount_cents <= 0:
        problems.append(Problem("amount_cents", AMOUNT_POSITIVE))
    _text(problems, "purpose", expense.purpose, SHORT_TEXT_MAX, required=False)
    if today is not None and expense.on > today:
        problems.append(Problem("on", DATE_IN_FUTURE))
    return problems


def validate_expense(expense: Expense, today: date | None = None) -> None:
    """Worker set; amount above zero; not dated in the future (when ``today`` given)."""
    _raise_if(expense_problems(expense, today))


def group_problems(group: Group) -> list[Problem]:
    problems: list[Problem] = []
    _text(problems, "name", group.name, NAME_MAX, required=True)
    return problems


def validate_group(group: Group) -> None:
    _raise_if(group_problems(group))


def group_member_problems(member: GroupMember) -> list[Problem]:
    problems: list[Problem] = []
    _required_id(problems, "group_id", member.group_id)
    _required_id(problems, "client_id", member.client_id)
    if member.joined_on and member.left_on and member.left_on < member.joined_on:
        problems.append(Problem("left_on", END_BEFORE_START))
    return problems


def validate_group_member(member: GroupMember) -> None:
    _raise_if(group_member_problems(member))


def is_valid_time(value: str) -> bool:
    """``13.30`` or ``13:30`` (also ``9.05``)."""
    return bool(_TIME_RE.match(value.strip()))


def group_session_problems(session: GroupSession) -> list[Problem]:
    problems: list[Problem] = []
    _required_id(problems, "group_id", session.group_id)
    _range(
        problems, "duration_min", session.duration_min, DURATION_MIN, DURATION_MAX, DURATION_RANGE
    )
    if session.starts_at.strip() and not is_valid_time(session.starts_at):
        problems.append(Problem("starts_at", TIME_INVALID))
    _text(problems, "theme", session.theme, SHORT_TEXT_MAX, required=False)
    return problems


def validate_group_session(session: GroupSession) -> None:
    """Group set; duration 1–600 minutes; start time (optional) like 13.30."""
    _raise_if(group_session_problems(session))


def attendance_problems(attendance: Attendance) -> list[Problem]:
    problems: list[Problem] = []
    _required_id(problems, "session_id", attendance.session_id)
    _required_id(problems, "client_id", attendance.client_id)
    _code(problems, "status", attendance.status, codes.ATTENDANCE_STATUSES)
    return problems


def validate_attendance(attendance: Attendance) -> None:
    _raise_if(attendance_problems(attendance))


# --- assessments and agreements ---------------------------------------------


def assessment_problems(
    assessment: Assessment,
    scales: Mapping[str, tuple[float, float]] | None = None,
    today: date | None = None,
) -> list[Problem]:
    """``scales``: the instrument's items, item id → (lowest, highest) answer."""
    problems: list[Problem] = []
    _required_id(problems, "client_id", assessment.client_id)
    _required_id(problems, "instrument_id", assessment.instrument_id)
    if today is not None and assessment.on > today:
        problems.append(Problem("on", DATE_IN_FUTURE))
    for item, value in assessment.answers.items():
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            problems.append(Problem("answers", ANSWER_NOT_NUMBER, {"item": item}))
            continue
        if scales is None:
            continue
        if item not in scales:
            problems.append(Problem("answers", ANSWER_UNKNOWN_ITEM, {"item": item}))
            continue
        low, high = scales[item]
        if not low <= value <= high:
            problems.append(
                Problem("answers", ANSWER_OUT_OF_RANGE, {"item": item, "min": low, "max": high})
            )
    return problems


def validate_assessment(
    assessment: Assessment,
    scales: Mapping[str, tuple[float, float]] | None = None,
    today: date | None = None,
) -> None:
    """Client and instrument set; answers are numbers inside the item's scale
    (when ``scales`` is given); not dated in the future (when ``today`` given).
    """
    _raise_if(assessment_problems(assessment, scales, today))


def agreement_problems(agreement: Agreement) -> list[Problem]:
    problems: list[Problem] = []
    _required_id(problems, "period_id", agreement.period_id)
    if len(dict.fromkeys(agreement.goal_ids)) > AGREEMENT_GOALS_MAX:
        problems.append(Problem("goal_ids", AGREEMENT_TOO_MANY_GOALS, {"max": AGREEMENT_GOALS_MAX}))
    return problems


def validate_agreement(agreement: Agreement) -> None:
    """Period set; at most three initial goals."""
    _raise_if(agreement_problems(agreement))
