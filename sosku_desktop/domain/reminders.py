"""Reminders for the Today view, computed from the records alone.

``compute_reminders`` looks only at *active*, non-deleted periods of
non-deleted clients and returns a deterministic list ordered by due date,
then kind (in ``KINDS`` order), then client, period and reference.

A reminder carries ids, dates and numbers only, never a client's name: the
edge looks names up and translates ``title_key`` / ``text_key`` with
``params`` (dates in params are ``date`` objects to format as ``d.M.yyyy``).
``key`` is stable across runs, so the UI can remember a dismissal.

Severity: ``urgent`` when something is already late, ``warning`` when it is
coming soon, ``info`` for a gentle heads-up.

The kinds and the choices made
------------------------------
decision_ending
    A positive §17 decision ends within ``rules.decision_ending_days`` and no
    later positive decision continues it without a gap (``urgent`` once it
    has ended and nothing covers today). A decision that ends on or after
    the period's own end needs no continuation and is not reported.
evaluation_due
    Interim evaluations fall due on the last day of every
    ``rules.evaluation_interval_months`` interval from the start (4.1.2024 →
    3.4., 3.7., 3.10.2024); the period's end is the final evaluation, not an
    interim one. Only the latest due date whose warning window
    (``rules.evaluation_warning_days`` before it) has begun is considered.
    It counts as done when a rehabilitation decision marked *continuation*
    (positive or negative — either way the evaluation was held) starts
    inside the window or later, up to the next due date: the continuation
    decision is the record of the interim evaluation. While the period's
    phase is *evaluation* the reminder stays, lowered to ``info``, because
    the evaluation is under way but not yet recorded.
too_few_meetings
    Realised meetings of the current calendar month below the month's target
    (``meetings.meetings_target_for_month``: 2, pro-rated in the period's
    first and last month; no target before the period starts). Before the
    month's last 7 days it is ``info``, and it is not shown at all when
    planned meetings later this month would make up the difference; in the
    last 7 days it is a ``warning`` unless planned meetings cover the gap.
group_absences
    The client's ``rules.consecutive_absences`` latest marks in one group
    (non-cancelled sessions up to today) are all *absent*; an *excused*
    absence or a *present* mark breaks the run. Not shown if ``members``
    says the client has left that group.
year_limit
    The period's 1-year maximum (``periods.max_end``) is within
    ``rules.year_limit_warning_days`` (``urgent`` once passed).
unrecorded_meeting
    A planned meeting whose day has passed and which is still *planned*: it
    was held (or not) but never recorded, so it neither counts nor shows on
    the agenda any more. ``warning`` for ``UNRECORDED_URGENT_DAYS`` days,
    then ``urgent``. The caller passes only such meetings (``planned``,
    before today, not deleted), read with an SQL filter — never every
    meeting of the caseload.
decision_outlives_period
    An *ended* period whose positive decision — §17, activity money or
    transport card (``domain.ending_effects``) — is valid after its end
    day: the decision must be ended in the city's client information
    system. ``warning`` until the decision's own end, then it is moot and
    not shown; dismissing it is how the worker marks it handled. The caller
    passes only such ended periods (``ended=``), read with an SQL filter.
self_assessment_due
    Checkpoints at the start, at ``rules.self_assessment_midpoint_months``
    (only if its window overlaps neither the start's nor the end's) and at
    the period's end. Within ``rules.self_assessment_window_days`` either
    side of a checkpoint, with no assessment of the client (for this period
    or for no period) within that window of it: ``info`` until the
    checkpoint day, ``warning`` after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from sosku_desktop.domain import codes
from sosku_desktop.domain.decisions import decisions_outliving, outlives_variant
from sosku_desktop.domain.meetings import meetings_target_for_month, realised_in_month
from sosku_desktop.domain.models import (
    Assessment,
    Attendance,
    Client,
    Decision,
    GroupMember,
    GroupSession,
    Meeting,
    Period,
)
from sosku_desktop.domain.periods import (
    add_months,
    continuation_of,
    days_in_month,
    days_left,
    evaluation_due_dates,
    is_active,
    is_covered,
    max_end,
    period_end,
    positive_decisions,
)
from sosku_desktop.domain.rules_config import DEFAULT_RULES, Rules

DECISION_ENDING = "decision_ending"
EVALUATION_DUE = "evaluation_due"
TOO_FEW_MEETINGS = "too_few_meetings"
GROUP_ABSENCES = "group_absences"
YEAR_LIMIT = "year_limit"
SELF_ASSESSMENT_DUE = "self_assessment_due"
UNRECORDED_MEETING = "unrecorded_meeting"
DECISION_OUTLIVES_PERIOD = "decision_outlives_period"
KINDS = (
    DECISION_ENDING,
    EVALUATION_DUE,
    TOO_FEW_MEETINGS,
    GROUP_ABSENCES,
    YEAR_LIMIT,
    SELF_ASSESSMENT_DUE,
    UNRECORDED_MEETING,
    DECISION_OUTLIVES_PERIOD,
)

INFO = "info"
WARNING = "warning"
URGENT = "urgent"
SEVERITIES = (INFO, WARNING, URGENT)

CHECKPOINT_START = "start"
CHECKPOINT_MIDPOINT = "midpoint"
CHECKPOINT_END = "end"
CHECKPOINTS = (CHECKPOINT_START, CHECKPOINT_MIDPOINT, CHECKPOINT_END)

#: How many days before the month's end "the last week" begins.
LAST_WEEK_DAYS = 7
#: An unrecorded planned meeting is a warning for this many days, then urgent.
UNRECORDED_URGENT_DAYS = 7


@dataclass(frozen=True)
class Reminder:
    """One thing the worker should act on."""

    kind: str
    severity: str
    client_id: str
    period_id: str
    due: date
    #: Translation key of the body text (``reminder.<kind>.text…``).
    text_key: str
    #: Values for the text: ids, dates, numbers — never names.
    params: Mapping[str, object] = field(default_factory=dict, hash=False)
    #: What the reminder is about (a decision id, group id, checkpoint, month…).
    ref: str = ""

    @property
    def title_key(self) -> str:
        return f"reminder.{self.kind}.title"

    @property
    def severity_key(self) -> str:
        return f"reminder.severity.{self.severity}"

    @property
    def key(self) -> str:
        """Stable identity for remembering that the worker dismissed it."""
        return f"{self.kind}:{self.period_id}:{self.ref}:{self.due.isoformat()}"

    @property
    def sort_key(self) -> tuple[date, int, str, str, str]:
        return (self.due, KINDS.index(self.kind), self.client_id, self.period_id, self.ref)


def _text_key(kind: str, variant: str = "") -> str:
    return f"reminder.{kind}.text" + (f"_{variant}" if variant else "")


# --- one rule per kind ------------------------------------------------------


def decision_ending(
    today: date, period: Period, decisions: Iterable[Decision], rules: Rules = DEFAULT_RULES
) -> list[Reminder]:
    rehab = positive_decisions(decisions, codes.DECISION_REHABILITATION, period.id)
    if not rehab:
        return []
    end_of_period = period_end(period, rules)
    latest_end = max(d.valid_to for d in rehab)
    found: list[Reminder] = []
    for d in rehab:
        if d.valid_to >= end_of_period or continuation_of(d, rehab) is not None:
            continue
        left = days_left(d.valid_to, today)
        if 0 <= left <= rules.decision_ending_days:
            severity, variant = WARNING, ""
        elif left < 0 and d.valid_to == latest_end and not is_covered(rehab, today):
            severity, variant = URGENT, "overdue"
        else:
            continue
        found.append(
            Reminder(
                kind=DECISION_ENDING,
                severity=severity,
                client_id=period.client_id,
                period_id=period.id,
                due=d.valid_to,
                text_key=_text_key(DECISION_ENDING, variant),
                params={"end": d.valid_to, "days": left, "decision_id": d.id},
                ref=d.id,
            )
        )
    return found


def _evaluation_recorded(
    period: Period, decisions: Iterable[Decision], window_start: date, until: date
) -> bool:
    return any(
        not d.deleted
        and d.period_id == period.id
        and d.kind == codes.DECISION_REHABILITATION
        and d.continuation
        and window_start <= d.valid_from <= until
        for d in decisions
    )


def evaluation_due(
    today: date, period: Period, decisions: Iterable[Decision], rules: Rules = DEFAULT_RULES
) -> list[Reminder]:
    dues = evaluation_due_dates(period, rules)
    window = timedelta(days=rules.evaluation_warning_days)
    started = [i for i, due in enumerate(dues) if due - window <= today]
    if not started:
        return []
    index = started[-1]
    due = dues[index]
    until = dues[index + 1] if index + 1 < len(dues) else period_end(period, rules) + timedelta(1)
    if _evaluation_recorded(period, list(decisions), due - window + timedelta(1), until):
        return []
    overdue = today > due
    severity = URGENT if overdue else WARNING
    if period.phase == codes.PHASE_EVALUATION:
        severity = INFO
    return [
        Reminder(
            kind=EVALUATION_DUE,
            severity=severity,
            client_id=period.client_id,
            period_id=period.id,
            due=due,
            text_key=_text_key(EVALUATION_DUE, "overdue" if overdue else ""),
            params={"due": due, "number": index + 1, "days": days_left(due, today)},
            ref=str(index + 1),
        )
    ]


def too_few_meetings(
    today: date, period: Period, meetings: Iterable[Meeting], rules: Rules = DEFAULT_RULES
) -> list[Reminder]:
    if today < period.start:
        return []
    target = meetings_target_for_month(period, today.year, today.month, rules)
    if target <= 0:
        return []
    meeting_list = list(meetings)
    realised = len(realised_in_month(meeting_list, today.year, today.month, period.id))
    if realised >= target:
        return []
    month_last = date(today.year, today.month, days_in_month(today.year, today.month))
    planned = sum(
        1
        for m in meeting_list
        if not m.deleted
        and m.period_id == period.id
        and m.status == codes.MEETING_PLANNED
        and today <= m.day <= month_last
    )
    covered = planned >= target - realised
    last_week = today.day > month_last.day - LAST_WEEK_DAYS
    if covered and not last_week:
        return []
    severity = WARNING if last_week and not covered else INFO
    due = min(month_last, period_end(period, rules))
    return [
        Reminder(
            kind=TOO_FEW_MEETINGS,
            severity=severity,
            client_id=period.client_id,
            period_id=period.id,
            due=due,
            text_key=_text_key(TOO_FEW_MEETINGS),
            params={
                "realised": realised,
                "target": target,
                "planned": planned,
                "year": today.year,
                "month": today.month,
            },
            ref=f"{today.year:04d}-{today.month:02d}",
        )
    ]


def group_absences(
    today: date,
    period: Period,
    sessions: Iterable[GroupSession],
    attendances: Iterable[Attendance],
    members: Iterable[GroupMember] = (),
    rules: Rules = DEFAULT_RULES,
) -> list[Reminder]:
    needed = rules.consecutive_absences
    if needed < 1:
        return []
    held = {s.id: s for s in sessions if not s.deleted and not s.cancelled and s.on <= today}
    marks: dict[str, list[tuple[GroupSession, str]]] = {}
    for a in attendances:
        if a.deleted or a.client_id != period.client_id or a.session_id not in held:
            continue
        session = held[a.session_id]
        marks.setdefault(session.group_id, []).append((session, a.status))
    memberships: dict[str, list[GroupMember]] = {}
    for m in members:
        if not m.deleted and m.client_id == period.client_id:
            memberships.setdefault(m.group_id, []).append(m)
    found: list[Reminder] = []
    for group_id in sorted(marks):
        rows = memberships.get(group_id)
        if rows and all(m.left_on is not None and m.left_on <= today for m in rows):
            continue
        ordered = sorted(marks[group_id], key=lambda x: (x[0].on, x[0].starts_at, x[0].id))
        latest = ordered[-needed:]
        if len(latest) < needed or any(status != codes.ATTENDANCE_ABSENT for _, status in latest):
            continue
        last_session = latest[-1][0]
        found.append(
            Reminder(
                kind=GROUP_ABSENCES,
                severity=WARNING,
                client_id=period.client_id,
                period_id=period.id,
                due=last_session.on,
                text_key=_text_key(GROUP_ABSENCES),
                params={"count": needed, "last": last_session.on, "group_id": group_id},
                ref=f"{group_id}:{last_session.id}",
            )
        )
    return found


def year_limit(today: date, period: Period, rules: Rules = DEFAULT_RULES) -> list[Reminder]:
    limit = max_end(period.start, rules)
    left = days_left(limit, today)
    if left > rules.year_limit_warning_days:
        return []
    overdue = left < 0
    return [
        Reminder(
            kind=YEAR_LIMIT,
            severity=URGENT if overdue else WARNING,
            client_id=period.client_id,
            period_id=period.id,
            due=limit,
            text_key=_text_key(YEAR_LIMIT, "overdue" if overdue else ""),
            params={"limit": limit, "days": left, "months": rules.max_period_months},
            ref=limit.isoformat(),
        )
    ]


def self_assessment_checkpoints(
    period: Period, rules: Rules = DEFAULT_RULES
) -> list[tuple[str, date]]:
    """(checkpoint, day) pairs when a self-assessment is expected."""
    window = timedelta(days=rules.self_assessment_window_days)
    end = period_end(period, rules)
    points = [(CHECKPOINT_START, period.start)]
    middle = add_months(period.start, rules.self_assessment_midpoint_months)
    if middle - window > period.start + window and middle + window < end - window:
        points.append((CHECKPOINT_MIDPOINT, middle))
    if end - window > period.start + window:
        points.append((CHECKPOINT_END, end))
    return points


def self_assessment_due(
    today: date,
    period: Period,
    assessments: Iterable[Assessment],
    rules: Rules = DEFAULT_RULES,
) -> list[Reminder]:
    window = timedelta(days=rules.self_assessment_window_days)
    own = [
        a.on
        for a in assessments
        if not a.deleted
        and a.client_id == period.client_id
        and (a.period_id is None or a.period_id == period.id)
    ]
    found: list[Reminder] = []
    for checkpoint, day in self_assessment_checkpoints(period, rules):
        if abs(today - day) > window:
            continue
        if any(abs(on - day) <= window for on in own):
            continue
        found.append(
            Reminder(
                kind=SELF_ASSESSMENT_DUE,
                severity=INFO if today <= day else WARNING,
                client_id=period.client_id,
                period_id=period.id,
                due=day,
                text_key=_text_key(SELF_ASSESSMENT_DUE, checkpoint),
                params={"checkpoint": checkpoint, "due": day},
                ref=checkpoint,
            )
        )
    return found


def unrecorded_meetings(
    today: date, period: Period, unrecorded: Iterable[Meeting]
) -> list[Reminder]:
    """One reminder per planned meeting of ``period`` whose day has passed unrecorded."""
    found = []
    for m in unrecorded:
        if m.deleted or m.period_id != period.id or m.status != codes.MEETING_PLANNED:
            continue
        if m.day >= today:
            continue
        late = (today - m.day).days > UNRECORDED_URGENT_DAYS
        found.append(
            Reminder(
                kind=UNRECORDED_MEETING,
                severity=URGENT if late else WARNING,
                client_id=period.client_id,
                period_id=period.id,
                due=m.day,
                text_key=_text_key(UNRECORDED_MEETING),
                params={"date": m.day, "time": f"{m.starts_at:%H.%M}", "meeting_id": m.id},
                ref=m.id,
            )
        )
    return found


def decision_outlives_period(
    today: date, period: Period, decisions: Iterable[Decision], rules: Rules = DEFAULT_RULES
) -> list[Reminder]:
    """An ended period's decisions (every kind) still valid after its end (see the module doc)."""
    if period.status != codes.PERIOD_ENDED or period.deleted:
        return []
    end = period_end(period, rules)
    return [
        Reminder(
            kind=DECISION_OUTLIVES_PERIOD,
            severity=WARNING,
            client_id=period.client_id,
            period_id=period.id,
            due=end,
            text_key=_text_key(DECISION_OUTLIVES_PERIOD, outlives_variant(d)),
            params={"number": d.number or "–", "valid_to": d.valid_to, "ended_on": end},
            ref=d.id,
        )
        for d in decisions_outliving(list(decisions), period.id, end)
        if d.valid_to >= today
    ]


# --- all together -----------------------------------------------------------


def active_periods(periods: Iterable[Period], clients: Iterable[Client] = ()) -> list[Period]:
    """Active, non-deleted periods whose client is not deleted, by start then id."""
    deleted_clients = {c.id for c in clients if c.deleted}
    found = [p for p in periods if is_active(p) and p.client_id not in deleted_clients]
    return sorted(found, key=lambda p: (p.start, p.id))


def compute_reminders(
    today: date,
    periods: Iterable[Period],
    decisions: Iterable[Decision],
    meetings: Iterable[Meeting],
    sessions: Iterable[GroupSession],
    attendances: Iterable[Attendance],
    assessments: Iterable[Assessment],
    clients: Iterable[Client] = (),
    rules: Rules = DEFAULT_RULES,
    *,
    members: Iterable[GroupMember] = (),
    unrecorded: Iterable[Meeting] = (),
    ended: Iterable[Period] = (),
) -> list[Reminder]:
    """Every reminder of every active period, by due date then kind.

    Group absences are reported once per client, under the client's
    earliest active period. ``unrecorded``: the planned meetings before
    today (SQL-filtered by the caller, see ``unrecorded_meeting`` above).
    ``ended``: ended periods whose decision may outlive them (their
    decisions in ``decisions``; see ``decision_outlives_period``).
    """
    decision_list = list(decisions)
    client_list = list(clients)
    meeting_list = list(meetings)
    session_list = list(sessions)
    attendance_list = list(attendances)
    assessment_list = list(assessments)
    member_list = list(members)
    by_period_decisions: dict[str, list[Decision]] = {}
    for d in decision_list:
        by_period_decisions.setdefault(d.period_id, []).append(d)
    by_period_meetings: dict[str, list[Meeting]] = {}
    for m in meeting_list:
        by_period_meetings.setdefault(m.period_id, []).append(m)
    # Each client's own rows, grouped once: the per-period rules then look at
    # a handful of rows instead of the whole caseload (linear, not quadratic).
    session_by_id = {s.id: s for s in session_list}
    by_client_attendances = _by_client(attendance_list)
    by_client_members = _by_client(member_list)
    by_client_assessments = _by_client(assessment_list)
    by_period_unrecorded: dict[str, list[Meeting]] = {}
    for m in unrecorded:
        by_period_unrecorded.setdefault(m.period_id, []).append(m)

    result: list[Reminder] = []
    clients_done: set[str] = set()
    for period in active_periods(periods, client_list):
        own_decisions = by_period_decisions.get(period.id, [])
        own_meetings = by_period_meetings.get(period.id, [])
        result += decision_ending(today, period, own_decisions, rules)
        result += evaluation_due(today, period, own_decisions, rules)
        result += too_few_meetings(today, period, own_meetings, rules)
        if period.client_id not in clients_done:
            clients_done.add(period.client_id)
            marks = by_client_attendances.get(period.client_id, [])
            own_sessions = [
                session_by_id[a.session_id] for a in marks if a.session_id in session_by_id
            ]
            result += group_absences(
                today,
                period,
                own_sessions,
                marks,
                by_client_members.get(period.client_id, []),
                rules,
            )
        result += year_limit(today, period, rules)
        own_assessments = by_client_assessments.get(period.client_id, [])
        result += self_assessment_due(today, period, own_assessments, rules)
        result += unrecorded_meetings(today, period, by_period_unrecorded.get(period.id, []))
    gone = {c.id for c in client_list if c.deleted}
    for period in (p for p in ended if p.client_id not in gone):
        result += decision_outlives_period(
            today, period, by_period_decisions.get(period.id, []), rules
        )
    return sorted(result, key=lambda r: r.sort_key)


_WithClient = TypeVar("_WithClient", Attendance, GroupMember, Assessment)


def _by_client(rows: list[_WithClient]) -> dict[str, list[_WithClient]]:
    grouped: dict[str, list[_WithClient]] = {}
    for row in rows:
        grouped.setdefault(row.client_id, []).append(row)
    return grouped
