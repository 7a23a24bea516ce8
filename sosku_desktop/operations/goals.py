"""Goals of a period: save words and SMART check, record progress, achieve, delete.

Progress is kept twice on purpose: an append-only ``GoalProgress`` row (the
history that shows how far the client has come) and the goal's current
value. Every operation writes both in the same transaction, so the two
never disagree.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.goals import descendants, mark_achieved, next_position, reopen
from sosku_desktop.domain.lifecycle import ensure_writable
from sosku_desktop.domain.validation import goal_problems, goal_progress_problems
from sosku_desktop.operations import Changes, changes_of, raise_problems
from sosku_desktop.store.database import Store
from sosku_desktop.store.repositories import Reader
from sosku_desktop.store.writer import new_id


def blank_goal(
    period_id: str, parent_id: str | None, level: str, goals: list[models.Goal]
) -> models.Goal:
    """A new goal, not yet saved, placed after its siblings."""
    return models.Goal(
        id=new_id(),
        period_id=period_id,
        text="",
        parent_id=parent_id,
        level=level,
        position=next_position(goals, parent_id, period_id),
    )


def save_goal(
    store: Store, goal: models.Goal, base: models.Goal | None, parent: models.Goal | None
) -> Changes:
    """Add a new goal (``base`` is None) or write the edited one; raises ``ValidationError``."""
    raise_problems(goal_problems(goal, parent))
    with store.write() as w:
        ensure_writable(Reader(w.conn).get(models.Period, goal.period_id))  # ended: read-only
        if base is None:
            w.add(goal)
        else:
            w.update(goal, base=base)
        return changes_of(w)


def progress_row(goal: models.Goal, value: int, on: date) -> models.GoalProgress:
    """The history row a progress entry becomes (validate it with ``progress_problems``)."""
    return models.GoalProgress(id=new_id(), goal_id=goal.id, on=on, progress=value)


def record_progress(store: Store, goal: models.Goal, value: int, today: date) -> Changes:
    """A progress entry: a history row and the goal's current value."""
    row = progress_row(goal, value, today)
    raise_problems(goal_progress_problems(row, today))
    with store.write() as w:
        w.add(row)
        if goal.progress != value:
            w.update(dataclasses.replace(goal, progress=value), base=goal)
        return changes_of(w)


def toggle_achieved(store: Store, goal: models.Goal, today: date) -> Changes:
    """Mark an open goal achieved (progress 100 in the history too), or reopen it."""
    changed = reopen(goal) if goal.status == codes.GOAL_ACHIEVED else mark_achieved(goal, today)
    with store.write() as w:
        w.update(changed, base=goal)
        if changed.status == codes.GOAL_ACHIEVED and goal.progress != 100:
            w.add(models.GoalProgress(id=new_id(), goal_id=goal.id, on=today, progress=100))
        return changes_of(w)


def delete_goal(store: Store, goal: models.Goal) -> Changes:
    """Soft-delete the goal and everything under it (sync carries the flags).

    The tree is read inside the transaction, so a sub-goal added on this
    device a moment ago is not left without its parent.
    """
    with store.write() as w:
        period_goals = Reader(w.conn).list(models.Goal, period_id=goal.period_id)
        for row_id in [goal.id] + [g.id for g in descendants(goal.id, period_goals)]:
            w.delete(models.Goal, row_id)
        return changes_of(w)
