"""Goal operations: the history row and the current value always agree."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.operations.goals import (
    blank_goal,
    delete_goal,
    record_progress,
    save_goal,
    toggle_achieved,
)
from sosku_desktop.store.database import Store

TODAY = date(2026, 3, 2)


def _goals(store: Store) -> dict[str, models.Goal]:
    with store.read() as r:
        return {g.id: g for g in r.list(models.Goal)}


def _history(store: Store, goal_id: str) -> list[int]:
    with store.read() as r:
        return [p.progress for p in r.list(models.GoalProgress, goal_id=goal_id, order_by="on")]


def test_a_goal_tree_is_saved_and_deleted_as_one(store: Store, period: models.Period) -> None:
    main = dataclasses.replace(blank_goal(period.id, None, codes.GOAL_MAIN, []), text="Oma koti")
    assert save_goal(store, main, None, None).ids("goals") == {main.id}
    sub = dataclasses.replace(
        blank_goal(period.id, main.id, codes.GOAL_SUB, [main]), text="Kaupassa käynti"
    )
    save_goal(store, sub, None, main)
    assert sub.position == 0 and set(_goals(store)) == {main.id, sub.id}

    changes = delete_goal(store, main)

    assert changes.ids("goals") == {main.id, sub.id}
    assert _goals(store) == {}


def test_an_empty_goal_is_refused(store: Store, period: models.Period) -> None:
    empty = blank_goal(period.id, None, codes.GOAL_MAIN, [])
    with pytest.raises(ValidationError) as caught:
        save_goal(store, empty, None, None)
    assert [p.field for p in caught.value.problems] == ["text"]
    assert _goals(store) == {}


def test_progress_and_achievement_keep_history_and_value_together(
    store: Store, period: models.Period
) -> None:
    goal = dataclasses.replace(blank_goal(period.id, None, codes.GOAL_MAIN, []), text="Oma koti")
    save_goal(store, goal, None, None)

    record_progress(store, goal, 40, TODAY)
    goal = _goals(store)[goal.id]
    assert goal.progress == 40 and _history(store, goal.id) == [40]
    with pytest.raises(ValidationError):
        record_progress(store, goal, 140, TODAY)

    toggle_achieved(store, goal, TODAY)
    achieved = _goals(store)[goal.id]
    assert achieved.status == codes.GOAL_ACHIEVED and achieved.achieved_on == TODAY
    assert _history(store, goal.id) == [40, 100]
    toggle_achieved(store, achieved, TODAY)
    assert _goals(store)[goal.id].status != codes.GOAL_ACHIEVED
