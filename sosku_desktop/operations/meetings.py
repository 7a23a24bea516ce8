"""Saving a meeting entry, taking it back (undo) and marking a planned meeting.

The meeting dialog collects a ``MeetingDraft``; ``save_meeting`` turns it
into domain objects, lets the domain validate them and writes the meeting,
the goal progress nudges and the next planned meeting together, so a
half-saved entry never exists. The returned ``SavedMeeting`` remembers
exactly what was written, which is what undo reverses (soft deletes and
restored values — sync carries both).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.errors import Problem
from sosku_desktop.domain.lifecycle import ensure_writable
from sosku_desktop.domain.meetings import NEXT_MEETING_IN_PAST, next_meeting_ok
from sosku_desktop.domain.rules_config import DEFAULT_RULES, Rules
from sosku_desktop.domain.validation import (
    goal_progress_problems,
    meeting_period_problems,
    meeting_problems,
)
from sosku_desktop.operations import NO_CHANGES, Changes, changes_of, raise_problems
from sosku_desktop.store.database import Store
from sosku_desktop.store.records import load_rules
from sosku_desktop.store.repositories import Reader
from sosku_desktop.store.writer import Writer, new_id


@dataclass
class MeetingDraft:
    """What the worker typed, before it becomes rows."""

    period_id: str
    starts_at: datetime
    duration_min: int
    kind: str
    place: str = ""
    methods: list[str] = field(default_factory=list)
    goal_ids: list[str] = field(default_factory=list)
    notes: str = ""
    agreed_next: str = ""
    status: str = codes.MEETING_REALISED
    #: goal id -> new progress (0–100) for goals nudged in this meeting
    nudges: dict[str, int] = field(default_factory=dict)
    next_meeting_at: datetime | None = None
    #: The planned (or earlier) meeting this entry completes, if any.
    existing: models.Meeting | None = None


@dataclass
class SavedMeeting:
    """What one save wrote, so that undo can reverse exactly that."""

    meeting_id: str
    status: str
    previous: models.Meeting | None = None
    next_meeting_id: str | None = None
    progress_ids: list[str] = field(default_factory=list)
    goals_before: list[models.Goal] = field(default_factory=list)
    changes: Changes = NO_CHANGES
    #: When the entry's meeting is (for the undo link: "Undo: meeting 3.12.2026").
    starts_at: datetime | None = None


def build_meeting(draft: MeetingDraft, worker_id: str | None) -> models.Meeting:
    """The meeting row a draft becomes (keeping the id of the entry it completes)."""
    goal_ids = list(dict.fromkeys([*draft.goal_ids, *draft.nudges]))
    base = draft.existing
    return models.Meeting(
        id=base.id if base else new_id(),
        period_id=draft.period_id,
        starts_at=draft.starts_at,
        worker_id=(base.worker_id if base and base.worker_id else worker_id),
        duration_min=draft.duration_min,
        kind=draft.kind,
        place=draft.place.strip(),
        methods=list(dict.fromkeys(draft.methods)),
        goal_ids=goal_ids,
        notes=draft.notes.strip(),
        agreed_next=draft.agreed_next.strip(),
        status=draft.status,
    )


def draft_problems(
    draft: MeetingDraft,
    now: datetime,
    allowed_methods: list[str],
    period: models.Period | None = None,
    rules: Rules = DEFAULT_RULES,
) -> list[Problem]:
    """Every problem of the entry, each tied to a dialog field.

    With ``period``, a realised or planned meeting, and the next meeting
    agreed in it, must also fall on the period's days.
    """
    meeting = build_meeting(draft, None)
    problems = meeting_problems(meeting, now=now, allowed_methods=allowed_methods)
    if period is not None:
        problems += meeting_period_problems(meeting, period, rules)
        if draft.next_meeting_at is not None:
            following = dataclasses.replace(
                meeting, starts_at=draft.next_meeting_at, status=codes.MEETING_PLANNED
            )
            problems += meeting_period_problems(following, period, rules, field="next_meeting")
    for goal_id, progress in draft.nudges.items():
        row = models.GoalProgress(
            id="draft", goal_id=goal_id, on=draft.starts_at.date(), progress=progress
        )
        problems += [
            dataclasses.replace(p, field="goals")
            for p in goal_progress_problems(row, today=now.date())
        ]
    if not next_meeting_ok(draft.starts_at, draft.next_meeting_at):
        problems.append(Problem("next_meeting", NEXT_MEETING_IN_PAST))
    return problems


def _write_nudges(
    w: Writer, draft: MeetingDraft, meeting: models.Meeting, saved: SavedMeeting
) -> None:
    """Goal progress rows for the nudged goals, and the goals' new progress."""
    goals = {g.id: g for g in Reader(w.conn).list(models.Goal, id=list(draft.nudges))}
    for goal_id, progress in draft.nudges.items():
        goal = goals.get(goal_id)
        if goal is None:
            continue
        saved.goals_before.append(dataclasses.replace(goal))
        row = models.GoalProgress(
            id=new_id(), goal_id=goal_id, on=meeting.day, progress=progress, meeting_id=meeting.id
        )
        w.add(row)
        saved.progress_ids.append(row.id)
        w.update(dataclasses.replace(goal, progress=progress), base=goal)


def save_meeting(
    store: Store, draft: MeetingDraft, now: datetime, allowed_methods: list[str]
) -> SavedMeeting:
    """Validate and write the entry in one transaction; raises ``ValidationError``."""
    with store.read() as r:
        period = r.get(models.Period, draft.period_id)
        rules = load_rules(r)
    raise_problems(draft_problems(draft, now, allowed_methods, period, rules))
    meeting = build_meeting(draft, store.worker_id)
    saved = SavedMeeting(
        meeting_id=meeting.id,
        status=meeting.status,
        previous=draft.existing,
        starts_at=meeting.starts_at,
    )
    with store.write() as w:
        ensure_writable(Reader(w.conn).get(models.Period, draft.period_id))  # ended: read-only
        if draft.existing is not None:
            w.update(meeting, base=draft.existing)
        else:
            w.add(meeting)
        if draft.nudges and meeting.status == codes.MEETING_REALISED:
            _write_nudges(w, draft, meeting, saved)
        if draft.next_meeting_at is not None:
            planned = models.Meeting(
                id=new_id(),
                period_id=draft.period_id,
                starts_at=draft.next_meeting_at,
                worker_id=meeting.worker_id,
                duration_min=meeting.duration_min,
                kind=meeting.kind,
                place=meeting.place,
                status=codes.MEETING_PLANNED,
            )
            w.add(planned)
            saved.next_meeting_id = planned.id
        saved.changes = changes_of(w)
    return saved


def undo_meeting(store: Store, saved: SavedMeeting) -> Changes:
    """Reverse one save: soft-delete what it created, restore what it changed."""
    with store.write() as w:
        if saved.previous is not None:
            w.update(saved.previous)
        else:
            w.delete(models.Meeting, saved.meeting_id)
        if saved.next_meeting_id:
            w.delete(models.Meeting, saved.next_meeting_id)
        for row_id in saved.progress_ids:
            w.delete(models.GoalProgress, row_id)
        for goal in saved.goals_before:
            w.update(goal)
        return changes_of(w)


def mark_planned_meeting(store: Store, meeting: models.Meeting, status: str) -> Changes:
    """A planned meeting becomes cancelled or a no-show; other meetings stay as they are."""
    if meeting.status != codes.MEETING_PLANNED:
        return NO_CHANGES
    with store.write() as w:
        w.update(dataclasses.replace(meeting, status=status), base=meeting)
        return changes_of(w)


def meeting_and_client(store: Store, meeting_id: str) -> tuple[models.Meeting, str] | None:
    """A meeting and the id of its client (the calendar opens it); ``None`` if gone."""
    with store.read() as r:
        meeting = r.find(models.Meeting, meeting_id)
        period = r.find(models.Period, meeting.period_id) if meeting else None
    if meeting is None or period is None:
        return None
    return meeting, period.client_id
