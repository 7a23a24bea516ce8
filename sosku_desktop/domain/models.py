"""Domain entities of social rehabilitation work.

Plain dataclasses with no I/O so that rules, documents and tests can use
them without a database. Field names equal the store's column names: the
repository maps rows to these one-to-one. Identifiers are UUID strings
(time-ordered v7, made by the store). Money is integer cents so that sums
are exact; formatting happens at the edges (``domain.formatting``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sosku_desktop.domain import codes


@dataclass
class Worker:
    """A social instructor, social worker or other team member."""

    id: str
    name: str
    role: str = codes.ROLE_SOCIAL_INSTRUCTOR
    team: str = ""
    email: str = ""
    phone: str = ""
    #: Yearly activity budget override in cents; ``None`` uses the role's default.
    yearly_budget_cents: int | None = None
    deleted: bool = False


@dataclass
class Client:
    """A person in (or considered for) social rehabilitation."""

    id: str
    first_name: str
    last_name: str
    identity_code: str = ""
    language: str = "fi"
    phone: str = ""
    email: str = ""
    address: str = ""
    notes: str = ""
    #: The named key worker (omatyöntekijä).
    worker_id: str | None = None
    deleted: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass
class Period:
    """One rehabilitation period (kuntoutusjakso) of a client."""

    id: str
    client_id: str
    worker_id: str | None
    start: date
    planned_end: date
    phase: str = codes.PHASE_BEFORE_START
    status: str = codes.PERIOD_ACTIVE
    #: Intake checklist answers: item code -> bool (see ``codes.INTAKE_*``).
    intake: dict[str, bool] = field(default_factory=dict)
    service_task: str = "sosiaalinen kuntoutus"
    ended_on: date | None = None
    end_reason: str = ""
    final_evaluation: str = ""
    next_steps: str = ""
    #: The service the client moves on to (secured at the ending).
    follow_on_service: str = ""
    #: The feedback form's answers: question key -> answer text or grade.
    feedback: dict[str, str] = field(default_factory=dict)
    deleted: bool = False


@dataclass
class Decision:
    """A decision draft: rehabilitation (§17), activity money or transport card."""

    id: str
    period_id: str
    kind: str
    valid_from: date
    valid_to: date
    number: str = ""
    continuation: bool = False
    outcome: str = codes.OUTCOME_POSITIVE
    reasoning: str = ""
    client_heard: bool = True
    heard_how: str = ""
    planned_meetings: int = 0
    planned_group_sessions: int = 0
    #: Activity money rate in cents per day for this decision, if it sets one.
    rate_cents: int | None = None
    #: Free text, e.g. transport card zones or discount.
    details: str = ""
    decided_on: date | None = None
    deleted: bool = False


@dataclass
class Goal:
    """A goal in the client's own words: main goal → sub-goal → everyday step."""

    id: str
    period_id: str
    text: str
    parent_id: str | None = None
    level: str = codes.GOAL_MAIN
    specific: bool = False
    measurable: bool = False
    achievable: bool = False
    relevant: bool = False
    timed: bool = False
    #: Progress 0–100 as the client and worker see it.
    progress: int = 0
    status: str = codes.GOAL_OPEN
    target_date: date | None = None
    achieved_on: date | None = None
    position: int = 0
    deleted: bool = False

    @property
    def smart_flags(self) -> dict[str, bool]:
        return {
            "specific": self.specific,
            "measurable": self.measurable,
            "achievable": self.achievable,
            "relevant": self.relevant,
            "timed": self.timed,
        }


@dataclass
class GoalProgress:
    """One recorded step of progress; append-only so the history is kept."""

    id: str
    goal_id: str
    on: date
    progress: int
    meeting_id: str | None = None
    note: str = ""
    deleted: bool = False


@dataclass
class Meeting:
    """An individual meeting: planned, realised, cancelled or a no-show."""

    id: str
    period_id: str
    starts_at: datetime
    worker_id: str | None = None
    duration_min: int = 60
    kind: str = codes.MEETING_HOME_VISIT
    place: str = ""
    #: Method codes from the pick-list (``codes.METHODS`` or the organisation's own).
    methods: list[str] = field(default_factory=list)
    goal_ids: list[str] = field(default_factory=list)
    notes: str = ""
    agreed_next: str = ""
    status: str = codes.MEETING_REALISED
    deleted: bool = False

    @property
    def day(self) -> date:
        return self.starts_at.date()


@dataclass
class Group:
    """A group activity a client can join."""

    id: str
    name: str
    leaders: str = ""
    place: str = ""
    schedule: str = ""
    description: str = ""
    deleted: bool = False


@dataclass
class GroupMember:
    """A client's membership of a group."""

    id: str
    group_id: str
    client_id: str
    joined_on: date | None = None
    left_on: date | None = None
    deleted: bool = False


@dataclass
class GroupSession:
    """One meeting of a group (ryhmäkerta)."""

    id: str
    group_id: str
    on: date
    starts_at: str = ""
    duration_min: int = 90
    theme: str = ""
    cancelled: bool = False
    deleted: bool = False


@dataclass
class Attendance:
    """A client's attendance at a group session; keyed by (session, client)."""

    id: str
    session_id: str
    client_id: str
    status: str = codes.ATTENDANCE_PRESENT
    note: str = ""
    guest: bool = False
    deleted: bool = False


@dataclass
class Expense:
    """Money the worker spent from their own activity budget."""

    id: str
    worker_id: str
    on: date
    amount_cents: int
    purpose: str = ""
    client_id: str | None = None
    deleted: bool = False


@dataclass
class Assessment:
    """A filled self-assessment: answers per item of an instrument."""

    id: str
    client_id: str
    instrument_id: str
    on: date
    period_id: str | None = None
    #: item id -> numeric answer
    answers: dict[str, float] = field(default_factory=dict)
    note: str = ""
    deleted: bool = False


@dataclass
class Agreement:
    """The agreement on social rehabilitation signed at the start."""

    id: str
    period_id: str
    meeting_times: str = ""
    contact: str = ""
    group_activity: str = ""
    other: str = ""
    #: Up to three initial goals (goal ids of the period).
    goal_ids: list[str] = field(default_factory=list)
    signed_on: date | None = None
    deleted: bool = False


@dataclass
class NeedsMapping:
    """The needs mapping made before the start: services had, what helped, wishes."""

    id: str
    period_id: str
    mapped_on: date | None = None
    services_had: str = ""
    what_helped: str = ""
    wants_to_change: str = ""
    first_goal: str = ""
    schedule: str = ""
    deleted: bool = False


@dataclass
class ImplementationPlan:
    """One revision of the implementation plan (toteuttamissuunnitelma).

    Field names follow THL Sosmeta's implementation plan. A new revision is
    a new row with a higher ``revision``; earlier ones stay as they were.
    ``goal_plans`` holds per goal ``{"goal_id", "means", "timetable",
    "responsible"}``.
    """

    id: str
    period_id: str
    made_on: date
    revision: int = 1
    content: str = ""
    responsible: str = ""
    previous_goals_reached: str = ""
    review_on: date | None = None
    goal_plans: list[dict[str, str]] = field(default_factory=list)
    deleted: bool = False


@dataclass
class Evaluation:
    """An interim evaluation held with the client for one 3-month block."""

    id: str
    period_id: str
    on: date
    block_start: date
    block_end: date
    #: goal id -> attainment code (the organisation's code list, ``Rules.attainment_codes``).
    attainment: dict[str, str] = field(default_factory=dict)
    client_view: str = ""
    what_worked: str = ""
    changes: str = ""
    continue_service: bool = True
    deleted: bool = False


@dataclass
class PlannedEntry:
    """A key date of the period planned at its start (decision end, evaluation …).

    ``kind`` is one of ``codes.PLAN_KINDS``; ``seq`` numbers entries of the
    same kind (1st, 2nd evaluation) so a re-plan moves the right one.
    """

    id: str
    period_id: str
    kind: str
    on: date
    seq: int = 0
    done_on: date | None = None
    note: str = ""
    deleted: bool = False


@dataclass
class AuditEntry:
    """One access-log line: who did what to which client's record, and when."""

    id: str
    at: datetime
    action: str
    worker_id: str | None
    device_id: str
    client_id: str | None = None
    record_table: str = ""
    record_id: str = ""
    reason: str = ""
