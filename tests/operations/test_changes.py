"""The ``Changes`` value: what an operation reports to the views."""

from __future__ import annotations

import pytest

from sosku_desktop.domain import models
from sosku_desktop.operations import NO_CHANGES, Changes, changes_in, changes_of
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id


def test_changes_merge_and_answer_what_they_concern() -> None:
    a = Changes.of("meetings", "m1", clients=["c1"])
    b = Changes.of("goals", "g1", "g2")
    both = a | b
    assert both.tables == {"meetings", "goals"}
    assert both.ids("goals") == {"g1", "g2"}
    assert both.concerns("goals") and not both.concerns("groups")
    assert both.concerns_client("c1") and not both.concerns_client("c2")
    assert not NO_CHANGES and both
    assert (a | Changes.all()).concerns("anything")


def test_changes_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Changes().everything = True  # type: ignore[misc]


def test_changes_of_a_transaction_name_rows_and_clients(
    store: Store, period: models.Period
) -> None:
    goal = models.Goal(id=new_id(), period_id=period.id, text="Käyn kaupassa")
    with store.write() as w:
        w.add(goal)
        changes = changes_of(w)
    assert changes.tables == {"goals"}
    assert changes.ids("goals") == {goal.id}
    assert changes.clients == {period.client_id}
    assert changes_in(changes) is changes
    assert changes_in(None) == NO_CHANGES
