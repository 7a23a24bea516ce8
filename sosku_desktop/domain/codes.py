"""Code lists as data, not enums scattered in code.

Each list is a tuple of stable string codes (stored in the database and sent
in sync bundles). Human labels live in the translation catalogues under the
key ``code.<list>.<code>`` (see ``sosku_desktop.i18n``), so a later export to
the national structures (THL Sosmeta) can map codes one-to-one.
"""

from __future__ import annotations

# Worker roles
ROLE_SOCIAL_INSTRUCTOR = "social_instructor"
ROLE_SOCIAL_WORKER = "social_worker"
ROLE_OTHER = "other"
ROLES = (ROLE_SOCIAL_INSTRUCTOR, ROLE_SOCIAL_WORKER, ROLE_OTHER)

# Period phases, in order (domain.md "The service, as a process")
PHASE_BEFORE_START = "before_start"
PHASE_START = "start"
PHASE_INTENSIVE = "intensive"
PHASE_EVALUATION = "evaluation"
PHASE_GROUP = "group"
PHASE_ENDING = "ending"
PHASES = (
    PHASE_BEFORE_START,
    PHASE_START,
    PHASE_INTENSIVE,
    PHASE_EVALUATION,
    PHASE_GROUP,
    PHASE_ENDING,
)

# Period status
PERIOD_PLANNED = "planned"
PERIOD_ACTIVE = "active"
PERIOD_ENDED = "ended"
PERIOD_STATUSES = (PERIOD_PLANNED, PERIOD_ACTIVE, PERIOD_ENDED)

# Reasons a service ends (domain.md)
END_NOT_NEEDED = "not_needed"
END_GOALS_REACHED = "goals_reached"
END_NO_LEGAL_BASIS = "no_legal_basis"
END_CLIENT_DECLINES = "client_declines"
END_MOVED_TO_SERVICE = "moved_to_service"
END_REASONS = (
    END_NOT_NEEDED,
    END_GOALS_REACHED,
    END_NO_LEGAL_BASIS,
    END_CLIENT_DECLINES,
    END_MOVED_TO_SERVICE,
)

# Goal attainment at an evaluation: the default code list. An organisation
# may set its own list (org setting ``attainment_codes``, ``Rules.attainment_codes``).
ATTAINMENT_REACHED = "reached"
ATTAINMENT_PARTLY = "partly"
ATTAINMENT_NOT_REACHED = "not_reached"
ATTAINMENT_CHANGED = "changed"
ATTAINMENT_NOT_ASSESSED = "not_assessed"
ATTAINMENT_DEFAULT = (
    ATTAINMENT_REACHED,
    ATTAINMENT_PARTLY,
    ATTAINMENT_NOT_REACHED,
    ATTAINMENT_CHANGED,
    ATTAINMENT_NOT_ASSESSED,
)

# Key dates planned at the start of a period (planned entries)
PLAN_DECISION_END = "decision_end"
PLAN_EVALUATION = "evaluation"
PLAN_SELF_ASSESSMENT_START = "self_assessment_start"
PLAN_SELF_ASSESSMENT_MID = "self_assessment_mid"
PLAN_SELF_ASSESSMENT_END = "self_assessment_end"
PLAN_PREPARE_ENDING = "prepare_ending"
PLAN_PERIOD_END = "period_end"
PLAN_KINDS = (
    PLAN_DECISION_END,
    PLAN_EVALUATION,
    PLAN_SELF_ASSESSMENT_START,
    PLAN_SELF_ASSESSMENT_MID,
    PLAN_SELF_ASSESSMENT_END,
    PLAN_PREPARE_ENDING,
    PLAN_PERIOD_END,
)

# Decision kinds
DECISION_REHABILITATION = "rehabilitation"
DECISION_ACTIVITY_MONEY = "activity_money"
DECISION_TRANSPORT_CARD = "transport_card"
DECISION_KINDS = (DECISION_REHABILITATION, DECISION_ACTIVITY_MONEY, DECISION_TRANSPORT_CARD)

OUTCOME_POSITIVE = "positive"
OUTCOME_NEGATIVE = "negative"
OUTCOMES = (OUTCOME_POSITIVE, OUTCOME_NEGATIVE)

# Goals
GOAL_MAIN = "main"
GOAL_SUB = "sub"
GOAL_STEP = "step"
GOAL_LEVELS = (GOAL_MAIN, GOAL_SUB, GOAL_STEP)

GOAL_OPEN = "open"
GOAL_ACHIEVED = "achieved"
GOAL_DROPPED = "dropped"
GOAL_STATUSES = (GOAL_OPEN, GOAL_ACHIEVED, GOAL_DROPPED)

SMART_FLAGS = ("specific", "measurable", "achievable", "relevant", "timed")

# Meeting kinds = contact modes (asiointitapa)
MEETING_HOME_VISIT = "home_visit"
MEETING_WALK = "walk"
MEETING_CAFE = "cafe"
MEETING_OFFICE = "office"
MEETING_REMOTE = "remote"
MEETING_PHONE = "phone"
MEETING_ERRAND = "errand"
MEETING_NETWORK = "network"
MEETING_OTHER = "other"
MEETING_KINDS = (
    MEETING_HOME_VISIT,
    MEETING_WALK,
    MEETING_CAFE,
    MEETING_OFFICE,
    MEETING_REMOTE,
    MEETING_PHONE,
    MEETING_ERRAND,
    MEETING_NETWORK,
    MEETING_OTHER,
)

MEETING_PLANNED = "planned"
MEETING_REALISED = "realised"
MEETING_CANCELLED = "cancelled"
MEETING_NO_SHOW = "no_show"
MEETING_STATUSES = (MEETING_PLANNED, MEETING_REALISED, MEETING_CANCELLED, MEETING_NO_SHOW)

# Group attendance
ATTENDANCE_PRESENT = "present"
ATTENDANCE_ABSENT = "absent"
ATTENDANCE_EXCUSED = "excused"
ATTENDANCE_STATUSES = (ATTENDANCE_PRESENT, ATTENDANCE_ABSENT, ATTENDANCE_EXCUSED)

# Methods pick-list (extendable by the organisation)
METHODS = (
    "life_line",
    "eco_map",
    "network_map",
    "game_story",
    "dream_map",
    "letter_to_future",
    "weekly_schedule",
    "diary",
    "budget_calculator",
    "strengths_cards",
    "walks_nature",
    "cultural_visit",
    "joint_errand",
    "escorting",
    "study_visit",
    "network_meeting",
    "multiprofessional_consultation",
    "self_assessment",
)

# Intake checklist (domain.md "Who is offered the service")
INTAKE_OFFER = (
    "wants_change",
    "can_commit",
    "no_acute_crisis",
    "basic_services_not_enough",
    "needs_multiprofessional_support",
    "risk_of_dropping_out",
    "everyday_skill_difficulties",
    "needs_resources",
)
INTAKE_NOT_NOW = (
    "no_motivation",
    "acute_crisis",
    "too_many_services",
    "cannot_commit",
    "only_rent_debt",
)

# Audit actions
AUDIT_VIEW = "view"
AUDIT_CREATE = "create"
AUDIT_UPDATE = "update"
AUDIT_DELETE = "delete"
AUDIT_PRINT = "print"
AUDIT_EXPORT = "export"
AUDIT_RESOLVE_CONFLICT = "resolve_conflict"
AUDIT_ACTIONS = (
    AUDIT_VIEW,
    AUDIT_CREATE,
    AUDIT_UPDATE,
    AUDIT_DELETE,
    AUDIT_PRINT,
    AUDIT_EXPORT,
    AUDIT_RESOLVE_CONFLICT,
)

LANGUAGES = ("fi", "sv", "en")

CODE_LISTS: dict[str, tuple[str, ...]] = {
    "role": ROLES,
    "phase": PHASES,
    "period_status": PERIOD_STATUSES,
    "end_reason": END_REASONS,
    "attainment": ATTAINMENT_DEFAULT,
    "plan_kind": PLAN_KINDS,
    "decision_kind": DECISION_KINDS,
    "outcome": OUTCOMES,
    "goal_level": GOAL_LEVELS,
    "goal_status": GOAL_STATUSES,
    "meeting_kind": MEETING_KINDS,
    "meeting_status": MEETING_STATUSES,
    "attendance": ATTENDANCE_STATUSES,
    "method": METHODS,
    "intake": INTAKE_OFFER + INTAKE_NOT_NOW,
    "audit_action": AUDIT_ACTIONS,
    "language": LANGUAGES,
}


def label_key(list_name: str, code: str) -> str:
    """Translation key of a code's label."""
    return f"code.{list_name}.{code}"
