"""Small builders for domain objects so tests state only what matters."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time

from sosku_desktop.domain import codes
from sosku_desktop.domain.models import (
    Assessment,
    Attendance,
    Client,
    Decision,
    Expense,
    Goal,
    GroupSession,
    Meeting,
    Period,
    Worker,
)

_ids = itertools.count(1)


def new_id(prefix: str = "id") -> str:
    return f"{prefix}-{next(_ids):05d}"


def d(text: str) -> date:
    """``d("4.1.2024")`` — dates as the users write them."""
    day, month, year = (int(part) for part in text.split("."))
    return date(year, month, day)


def client(client_id: str = "c1", **kw: object) -> Client:
    base: dict[str, object] = {"id": client_id, "first_name": "Maija", "last_name": "Meikäläinen"}
    base.update(kw)
    return Client(**base)  # type: ignore[arg-type]


def worker(worker_id: str = "w1", role: str = codes.ROLE_SOCIAL_INSTRUCTOR, **kw: object) -> Worker:
    base: dict[str, object] = {"id": worker_id, "name": "Sanna Ohjaaja", "role": role}
    base.update(kw)
    return Worker(**base)  # type: ignore[arg-type]


def period(
    start: str = "4.1.2024",
    planned_end: str = "3.1.2025",
    period_id: str = "p1",
    client_id: str = "c1",
    **kw: object,
) -> Period:
    base: dict[str, object] = {
        "id": period_id,
        "client_id": client_id,
        "worker_id": "w1",
        "start": d(start),
        "planned_end": d(planned_end),
        "phase": codes.PHASE_INTENSIVE,
        "status": codes.PERIOD_ACTIVE,
    }
    base.update(kw)
    return Period(**base)  # type: ignore[arg-type]


def decision(
    valid_from: str,
    valid_to: str,
    period_id: str = "p1",
    kind: str = codes.DECISION_REHABILITATION,
    decision_id: str | None = None,
    **kw: object,
) -> Decision:
    base: dict[str, object] = {
        "id": decision_id or new_id("dec"),
        "period_id": period_id,
        "kind": kind,
        "valid_from": d(valid_from),
        "valid_to": d(valid_to),
        "heard_how": "tavattu henkilökohtaisesti",
    }
    base.update(kw)
    return Decision(**base)  # type: ignore[arg-type]


def meeting(
    day: str,
    status: str = codes.MEETING_REALISED,
    period_id: str = "p1",
    at: time = time(10, 0),
    meeting_id: str | None = None,
    **kw: object,
) -> Meeting:
    base: dict[str, object] = {
        "id": meeting_id or new_id("m"),
        "period_id": period_id,
        "starts_at": datetime.combine(d(day), at),
        "status": status,
    }
    base.update(kw)
    return Meeting(**base)  # type: ignore[arg-type]


def session(
    day: str, group_id: str = "g1", session_id: str | None = None, **kw: object
) -> GroupSession:
    base: dict[str, object] = {
        "id": session_id or new_id("s"),
        "group_id": group_id,
        "on": d(day),
    }
    base.update(kw)
    return GroupSession(**base)  # type: ignore[arg-type]


def attendance(
    group_session: GroupSession,
    status: str = codes.ATTENDANCE_PRESENT,
    client_id: str = "c1",
    **kw: object,
) -> Attendance:
    base: dict[str, object] = {
        "id": new_id("a"),
        "session_id": group_session.id,
        "client_id": client_id,
        "status": status,
    }
    base.update(kw)
    return Attendance(**base)  # type: ignore[arg-type]


def expense(day: str, cents: int, worker_id: str = "w1", **kw: object) -> Expense:
    base: dict[str, object] = {
        "id": new_id("e"),
        "worker_id": worker_id,
        "on": d(day),
        "amount_cents": cents,
    }
    base.update(kw)
    return Expense(**base)  # type: ignore[arg-type]


def goal(
    goal_id: str,
    parent_id: str | None = None,
    level: str = codes.GOAL_MAIN,
    progress: int = 0,
    position: int = 0,
    **kw: object,
) -> Goal:
    base: dict[str, object] = {
        "id": goal_id,
        "period_id": "p1",
        "text": f"Tavoite {goal_id}",
        "parent_id": parent_id,
        "level": level,
        "progress": progress,
        "position": position,
    }
    base.update(kw)
    return Goal(**base)  # type: ignore[arg-type]


def assessment(day: str, client_id: str = "c1", **kw: object) -> Assessment:
    base: dict[str, object] = {
        "id": new_id("as"),
        "client_id": client_id,
        "instrument_id": "generic",
        "on": d(day),
    }
    base.update(kw)
    return Assessment(**base)  # type: ignore[arg-type]
