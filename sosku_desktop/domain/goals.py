"""The goal tree: main goal → sub-goal → everyday step, and its progress.

One figure per goal: ``progress_figures`` (and ``progress_of``) is THE
progress of a goal wherever it is shown — the goals list, the slider, the
meeting entry, the overview, the summaries and the documents. Progress is
typed in only on a goal without counted children (``takes_own_progress``);
a goal with children shows the roll-up of theirs. A goal counts as reached
("Saavutettu n / m") when its figure is 100.

Roll-up: a goal with no (counted) children shows its own progress; a goal
with children shows the mean of its children's rolled-up progress, rounded
half up. Dropped children are left out of the mean, an achieved goal counts
as 100 whatever number was last typed in. A dropped goal keeps its own
number. Deleted goals are never part of the tree; a goal whose parent is
missing or deleted is shown at the top level rather than lost.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from sosku_desktop.domain import codes
from sosku_desktop.domain.models import Goal, GoalProgress

CHILD_LEVEL: dict[str, str] = {codes.GOAL_MAIN: codes.GOAL_SUB, codes.GOAL_SUB: codes.GOAL_STEP}
PARENT_LEVEL: dict[str, str] = {child: parent for parent, child in CHILD_LEVEL.items()}


@dataclass
class GoalNode:
    """A goal with its children, ordered by position."""

    goal: Goal
    children: list[GoalNode] = field(default_factory=list)

    @property
    def progress(self) -> int:
        """Rolled-up progress 0–100 (see the module docstring)."""
        return rolled_up_progress(self)

    def walk(self, depth: int = 0) -> Iterator[tuple[int, GoalNode]]:
        """This node and every descendant, depth first, with their depth."""
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)


def _order_key(goal: Goal) -> tuple[int, str]:
    return (goal.position, goal.id)


def build_tree(goals: Iterable[Goal], period_id: str | None = None) -> list[GoalNode]:
    """Top-level nodes of the goal tree built from a flat list.

    Siblings are ordered by ``position`` (then id). Deleted goals are
    skipped; a goal whose parent is not in the list becomes a top-level
    node. The members of a parent loop (corrupt data) become top-level
    nodes, so every goal still appears exactly once.
    """
    live = [g for g in goals if not g.deleted and (period_id is None or g.period_id == period_id)]
    by_id = {g.id: g for g in live}
    nodes = {g.id: GoalNode(g) for g in live}

    def in_loop(goal: Goal) -> bool:
        seen: set[str] = set()
        parent_id = goal.parent_id
        while parent_id is not None and parent_id in by_id and parent_id not in seen:
            if parent_id == goal.id:
                return True
            seen.add(parent_id)
            parent_id = by_id[parent_id].parent_id
        return False

    roots: list[GoalNode] = []
    for goal in sorted(live, key=_order_key):
        parent = goal.parent_id
        if parent is None or parent not in nodes or in_loop(goal):
            roots.append(nodes[goal.id])
        else:
            nodes[parent].children.append(nodes[goal.id])
    return roots


def flatten(tree: Iterable[GoalNode]) -> list[tuple[int, Goal]]:
    """(depth, goal) for every goal of the tree in display order."""
    return [(depth, node.goal) for root in tree for depth, node in root.walk()]


def _clamp(value: int) -> int:
    return max(0, min(100, value))


def _own_progress(goal: Goal) -> int:
    return 100 if goal.status == codes.GOAL_ACHIEVED else _clamp(goal.progress)


def rolled_up_progress(node: GoalNode) -> int:
    """Mean of the non-dropped children's rolled-up progress, or the goal's own."""
    if node.goal.status == codes.GOAL_ACHIEVED:
        return 100
    counted = [c for c in node.children if c.goal.status != codes.GOAL_DROPPED]
    if not counted:
        return _own_progress(node.goal)
    total = sum(rolled_up_progress(c) for c in counted)
    # round half up, in integers
    return (2 * total + len(counted)) // (2 * len(counted))


def progress_of(goal_id: str, goals: Iterable[Goal]) -> int | None:
    """Rolled-up progress of one goal from a flat list; ``None`` if not found."""
    for root in build_tree(goals):
        for _, node in root.walk():
            if node.goal.id == goal_id:
                return node.progress
    return None


def progress_figures(goals: Iterable[Goal]) -> dict[str, int]:
    """The one progress figure (0–100) of every goal in the tree, by goal id."""
    figures: dict[str, int] = {}

    def visit(node: GoalNode) -> int:
        counted = [visit(c) for c in node.children if c.goal.status != codes.GOAL_DROPPED]
        for child in node.children:
            if child.goal.status == codes.GOAL_DROPPED:
                visit(child)
        if node.goal.status == codes.GOAL_ACHIEVED:
            value = 100
        elif not counted:
            value = _own_progress(node.goal)
        else:  # the mean, rounded half up in integers (as rolled_up_progress)
            value = (2 * sum(counted) + len(counted)) // (2 * len(counted))
        figures[node.goal.id] = value
        return value

    for root in build_tree(goals):
        visit(root)
    return figures


def takes_own_progress(goal_id: str, goals: Iterable[Goal]) -> bool:
    """True when the goal's progress is typed in (it has no counted children).

    A goal with sub-goals or steps that count shows their roll-up instead, so
    its own stored number is never shown and is not offered for editing.
    """
    live = [g for g in goals if not g.deleted]
    return not any(
        g.parent_id == goal_id and g.status != codes.GOAL_DROPPED and g.id != goal_id for g in live
    )


def with_progress(goals: Iterable[Goal], changes: Mapping[str, int]) -> list[Goal]:
    """The goals with some own progress numbers changed (e.g. a meeting's nudges).

    Used to show what the figures will be once the change is saved.
    """
    return [
        dataclasses.replace(g, progress=_clamp(changes[g.id])) if g.id in changes else g
        for g in goals
    ]


def smart_missing(goal: Goal) -> list[str]:
    """SMART flags not yet ticked, in ``codes.SMART_FLAGS`` order."""
    flags = goal.smart_flags
    return [flag for flag in codes.SMART_FLAGS if not flags[flag]]


def with_smart_flags(goal: Goal, flags: Mapping[str, bool]) -> Goal:
    """The goal with its SMART check set from ``flags`` (names as in ``Goal.smart_flags``)."""
    unknown = set(flags) - set(goal.smart_flags)
    if unknown:
        raise ValueError(f"not SMART flags: {sorted(unknown)}")
    now = {**goal.smart_flags, **flags}
    return dataclasses.replace(
        goal,
        specific=now["specific"],
        measurable=now["measurable"],
        achievable=now["achievable"],
        relevant=now["relevant"],
        timed=now["timed"],
    )


def is_smart(goal: Goal) -> bool:
    return not smart_missing(goal)


def mark_achieved(goal: Goal, on: date) -> Goal:
    """A copy of ``goal`` marked achieved on ``on`` with progress 100."""
    return dataclasses.replace(goal, status=codes.GOAL_ACHIEVED, achieved_on=on, progress=100)


def reopen(goal: Goal) -> Goal:
    """A copy of ``goal`` back at work: status open, no achieved date, progress kept."""
    return dataclasses.replace(goal, status=codes.GOAL_OPEN, achieved_on=None)


def child_level(level: str) -> str | None:
    """Level a child of a ``level`` goal has (main → sub → step); ``None`` under a step."""
    return CHILD_LEVEL.get(level)


def descendants(goal_id: str, goals: Iterable[Goal]) -> list[Goal]:
    """Every non-deleted goal below ``goal_id`` (e.g. to delete them together)."""
    for root in build_tree(goals):
        for _, node in root.walk():
            if node.goal.id == goal_id:
                return [n.goal for _, n in node.walk() if n is not node]
    return []


def next_position(goals: Iterable[Goal], parent_id: str | None, period_id: str) -> int:
    """Position for a new last child of ``parent_id`` (top level when ``None``)."""
    siblings = [
        g.position
        for g in goals
        if not g.deleted and g.period_id == period_id and g.parent_id == parent_id
    ]
    return max(siblings, default=-1) + 1


def progress_history(history: Iterable[GoalProgress], goal_id: str) -> list[GoalProgress]:
    """Recorded progress steps of one goal, oldest first (deleted ones left out)."""
    rows = [p for p in history if not p.deleted and p.goal_id == goal_id]
    return sorted(rows, key=lambda p: (p.on, p.id))


def achieved_count(goals: Iterable[Goal]) -> tuple[int, int]:
    """(reached, counted) over non-deleted, non-dropped goals.

    A goal is reached when its progress figure is 100 (marked achieved, typed
    in as 100, or all its counted children at 100) — the same figure the
    list shows, so "2 / 5" never sits beside two goals at 100 %.
    """
    goals = list(goals)
    figures = progress_figures(goals)
    counted = [g for g in goals if not g.deleted and g.status != codes.GOAL_DROPPED]
    return sum(1 for g in counted if figures.get(g.id) == 100), len(counted)
