"""The input of every document: domain objects plus organisation and language.

Builders never reach into the store; the CLI/UI loads what a document
needs into a ``DocumentContext`` and hands it over. Only the fields a kind
uses need to be filled (see ``registry.REQUIREMENTS``), so one context type
serves every kind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sosku_desktop.documents.errors import MissingDataError
from sosku_desktop.domain import codes
from sosku_desktop.domain.instruments import Instrument
from sosku_desktop.domain.models import (
    Agreement,
    Assessment,
    Attendance,
    AuditEntry,
    Client,
    Decision,
    Evaluation,
    Goal,
    Group,
    GroupSession,
    ImplementationPlan,
    Meeting,
    NeedsMapping,
    Period,
    PlannedEntry,
    Worker,
)
from sosku_desktop.domain.rules_config import DEFAULT_RULES, Rules


@dataclass(frozen=True)
class Organisation:
    """Who issues the document; shown in every page header and footer."""

    name: str
    unit: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    #: PNG or JPEG drawn at the left of the header, if given.
    logo_path: Path | None = None


@dataclass(frozen=True)
class CaseloadEntry:
    """One client of a worker's caseload with that client's own meetings and periods.

    Group sessions and attendances come from the context (shared by all
    clients); attendances are matched to the client by id, and paid only on
    the days of ``periods`` (``activity_money.PaidWindow``).
    """

    client: Client
    meetings: Sequence[Meeting] = ()
    periods: Sequence[Period] = ()


@dataclass
class DocumentContext:
    """Everything a document may show. Fill what the kind needs."""

    organisation: Organisation
    lang: str = "fi"
    #: The date printed in every header ("Tulostettu 4.1.2024").
    printed_on: date = field(default_factory=date.today)
    client: Client | None = None
    period: Period | None = None
    #: The worker preparing the document (agreement, decisions, statement).
    worker: Worker | None = None
    #: Other workers whose names appear (meetings, access log).
    workers: Sequence[Worker] = ()
    #: All periods of the client (access export); ``period`` is added if missing.
    periods: Sequence[Period] = ()
    goals: Sequence[Goal] = ()
    meetings: Sequence[Meeting] = ()
    decisions: Sequence[Decision] = ()
    #: The decision to draft; if ``None`` the latest of the kind in ``decisions``.
    decision: Decision | None = None
    agreement: Agreement | None = None
    #: All agreements of the client (access export); ``agreement`` is added.
    agreements: Sequence[Agreement] = ()
    groups: Sequence[Group] = ()
    sessions: Sequence[GroupSession] = ()
    attendances: Sequence[Attendance] = ()
    assessments: Sequence[Assessment] = ()
    #: Self-assessment per area: label -> (score at start, latest score).
    area_scores: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    #: Top of the self-assessment scale (e.g. 10); ``None`` = fit to the data.
    area_scale_max: float | None = None
    #: Self-assessment definitions by id (access export: area names, not codes).
    instruments: Mapping[str, Instrument] = field(default_factory=dict)
    audit_entries: Sequence[AuditEntry] = ()
    caseload: Sequence[CaseloadEntry] = ()
    #: Phase records of the client's periods (needs mapping, plan revisions, evaluations …).
    needs: Sequence[NeedsMapping] = ()
    plans: Sequence[ImplementationPlan] = ()
    evaluations: Sequence[Evaluation] = ()
    planned_entries: Sequence[PlannedEntry] = ()
    #: The one meeting of a visit entry.
    meeting: Meeting | None = None
    #: (year, month) of the activity-money statement.
    month: tuple[int, int] | None = None
    rules: Rules = DEFAULT_RULES
    #: Print personal identity codes on the activity-money statement.
    show_identity_codes: bool = True

    # -- lookups shared by the builders -------------------------------------

    def need_client(self, kind: str) -> Client:
        if self.client is None:
            raise MissingDataError(kind, "a client")
        return self.client

    def need_period(self, kind: str) -> Period:
        if self.period is None:
            raise MissingDataError(kind, "a period")
        return self.period

    def worker_by_id(self, worker_id: str | None) -> Worker | None:
        if worker_id is None:
            return None
        for w in (self.worker, *self.workers):
            if w is not None and w.id == worker_id:
                return w
        return None

    def all_periods(self) -> list[Period]:
        """The client's periods (plus ``period``), oldest first, no deleted ones."""
        found = {p.id: p for p in self.periods if not p.deleted}
        if self.period is not None and not self.period.deleted:
            found.setdefault(self.period.id, self.period)
        client_id = self.client.id if self.client else None
        return sorted(
            (p for p in found.values() if client_id is None or p.client_id == client_id),
            key=lambda p: p.start,
        )

    def all_agreements(self) -> list[Agreement]:
        found = {a.id: a for a in self.agreements if not a.deleted}
        if self.agreement is not None and not self.agreement.deleted:
            found.setdefault(self.agreement.id, self.agreement)
        return list(found.values())

    def period_goals(self, period: Period) -> list[tuple[int, Goal]]:
        """(depth, goal) of a period in tree order: main goal, its sub-goals, steps."""
        live = [g for g in self.goals if not g.deleted and g.period_id == period.id]
        ids = {g.id for g in live}
        children: dict[str | None, list[Goal]] = {}
        for g in live:
            parent = g.parent_id if g.parent_id in ids and g.parent_id != g.id else None
            children.setdefault(parent, []).append(g)
        out: list[tuple[int, Goal]] = []
        seen: set[str] = set()

        def walk(parent: str | None, depth: int) -> None:
            for g in sorted(children.get(parent, []), key=lambda x: (x.position, x.id)):
                if g.id in seen:
                    continue
                seen.add(g.id)
                out.append((depth, g))
                walk(g.id, depth + 1)

        walk(None, 0)
        # goals caught in a parent loop still appear, at the top level
        out.extend((0, g) for g in sorted(live, key=lambda x: x.position) if g.id not in seen)
        return out

    def main_goals(self, period: Period) -> list[Goal]:
        return [g for d, g in self.period_goals(period) if d == 0 and g.level == codes.GOAL_MAIN]

    def client_meetings(self) -> list[Meeting]:
        """Meetings of the client's periods (all given ones if no period is known)."""
        period_ids = {p.id for p in self.all_periods()}
        return sorted(
            (
                m
                for m in self.meetings
                if not m.deleted and (not period_ids or m.period_id in period_ids)
            ),
            key=lambda m: m.starts_at,
        )

    def period_meetings(self, period: Period) -> list[Meeting]:
        return sorted(
            (m for m in self.meetings if not m.deleted and m.period_id == period.id),
            key=lambda m: m.starts_at,
        )
