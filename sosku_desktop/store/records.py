"""Whole client records and organisation rules, read for a person to see.

Opening a client's record is an access under the client-data act
(703/2023), so ``open_client_record`` writes the access-log row in the same
step as it reads; code that shows client data to a person uses it rather
than raw queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.rules_config import DEFAULT_RULES, RatePeriod, Rules
from sosku_desktop.store.database import Store
from sosku_desktop.store.repositories import Reader


@dataclass
class ClientRecord:
    """Everything held about one client, as domain objects."""

    client: models.Client
    periods: list[models.Period]
    goals: list[models.Goal]
    meetings: list[models.Meeting]
    decisions: list[models.Decision]
    agreements: list[models.Agreement]
    memberships: list[models.GroupMember]
    groups: list[models.Group]
    sessions: list[models.GroupSession]
    attendances: list[models.Attendance]
    assessments: list[models.Assessment]
    goal_progress: list[models.GoalProgress] = field(default_factory=list)
    workers: dict[str, models.Worker] = field(default_factory=dict)
    needs: list[models.NeedsMapping] = field(default_factory=list)
    plans: list[models.ImplementationPlan] = field(default_factory=list)
    evaluations: list[models.Evaluation] = field(default_factory=list)
    planned_entries: list[models.PlannedEntry] = field(default_factory=list)

    @property
    def current_period(self) -> models.Period | None:
        active = [p for p in self.periods if p.status == codes.PERIOD_ACTIVE]
        if active:
            return active[-1]
        return self.periods[-1] if self.periods else None

    def goals_of(self, period_id: str) -> list[models.Goal]:
        return [g for g in self.goals if g.period_id == period_id]

    def meetings_of(self, period_id: str) -> list[models.Meeting]:
        return [m for m in self.meetings if m.period_id == period_id]

    def decisions_of(self, period_id: str) -> list[models.Decision]:
        return [d for d in self.decisions if d.period_id == period_id]


def load_client_record(reader: Reader, client_id: str) -> ClientRecord:
    """Read a client's whole record (no access-log row; see ``open_client_record``)."""
    client = reader.get(models.Client, client_id)
    periods = reader.periods_of(client_id)
    period_ids = [p.id for p in periods]
    goals = reader.list(models.Goal, order_by=("position", "id"), period_id=period_ids)
    memberships = reader.list(models.GroupMember, client_id=client_id)
    group_ids = sorted({m.group_id for m in memberships})
    attendances = reader.list(models.Attendance, client_id=client_id)
    session_ids = sorted({a.session_id for a in attendances})
    sessions = reader.list(models.GroupSession, order_by="on", group_id=group_ids)
    known = {s.id for s in sessions}
    sessions += [s for s in reader.list(models.GroupSession, id=session_ids) if s.id not in known]
    workers = {w.id: w for w in reader.list(models.Worker)}
    return ClientRecord(
        client=client,
        periods=periods,
        goals=goals,
        meetings=reader.meetings_of(period_ids),
        decisions=reader.decisions_of(period_ids),
        agreements=reader.list(models.Agreement, period_id=period_ids),
        memberships=memberships,
        groups=reader.list(models.Group, id=group_ids),
        sessions=sorted(sessions, key=lambda s: s.on),
        attendances=attendances,
        assessments=reader.list(models.Assessment, order_by="on", client_id=client_id),
        goal_progress=reader.list(
            models.GoalProgress, order_by="on", goal_id=[g.id for g in goals]
        ),
        workers=workers,
        needs=reader.list(models.NeedsMapping, period_id=period_ids),
        plans=reader.list(
            models.ImplementationPlan, order_by=("revision", "made_on"), period_id=period_ids
        ),
        evaluations=reader.list(models.Evaluation, order_by="on", period_id=period_ids),
        planned_entries=reader.list(models.PlannedEntry, order_by="on", period_id=period_ids),
    )


def open_client_record(
    store: Store, client_id: str, action: str = codes.AUDIT_VIEW, reason: str = ""
) -> ClientRecord:
    """Log the access and read the record in one transaction."""
    with store.write() as w:
        w.log_access(action, client_id, "clients", client_id, reason)
        return load_client_record(Reader(w.conn), client_id)


def load_rules(reader: Reader) -> Rules:
    """Organisation rules from the synced settings, defaults where unset."""
    d = DEFAULT_RULES
    rates_raw = reader.setting("activity_money_rates")
    rates = d.activity_money_rates
    if rates_raw:
        rates = tuple(
            RatePeriod(date.fromisoformat(r["valid_from"]), int(r["cents_per_day"]))
            for r in rates_raw
        )
    budgets = dict(d.budget_cents_by_role)
    budgets.update(reader.setting("budget_cents_by_role", {}) or {})
    ints = {
        name: int(reader.setting(name, getattr(d, name)))
        for name in (
            "max_period_months",
            "decision_block_months",
            "min_meetings_per_month",
            "transport_card_days",
            "decision_ending_days",
            "year_limit_warning_days",
            "evaluation_interval_months",
            "evaluation_warning_days",
            "consecutive_absences",
            "self_assessment_midpoint_months",
            "self_assessment_window_days",
            "ending_preparation_days",
        )
    }
    attainment = reader.setting("attainment_codes") or list(d.attainment_codes)
    return Rules(
        activity_money_rates=rates,
        budget_cents_by_role=budgets,
        attainment_codes=tuple(str(code) for code in attainment),
        **ints,
    )
