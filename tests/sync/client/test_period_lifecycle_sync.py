"""An ended period and its phase records reach the other laptop through a real relay."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.lifecycle import Ending
from sosku_desktop.operations.period_lifecycle import end_period, plan_period
from sosku_desktop.operations.period_records import (
    record_evaluation,
    save_needs_mapping,
    save_plan,
)
from sosku_desktop.store.records import load_client_record
from sosku_desktop.store.writer import new_id
from tests.sync.client.helpers import TeamRelay, snapshot

START = date(2026, 1, 5)
TODAY = date(2026, 11, 20)


def test_an_ended_period_shows_on_the_other_laptop(team: TeamRelay, tmp_path: Path) -> None:
    a = team.laptop(tmp_path, "a")
    b = team.laptop(tmp_path, "b")
    client = models.Client(id=new_id(), first_name="Aino", last_name="Korhonen")
    period = models.Period(
        id=new_id(),
        client_id=client.id,
        worker_id=None,
        start=START,
        planned_end=date(2027, 1, 4),
        status=codes.PERIOD_ACTIVE,
    )
    goal = models.Goal(id=new_id(), period_id=period.id, text="Käyn ulkona joka päivä")
    with a.store.write() as w:
        w.add(client)
        w.add(period)
        w.add(goal)
    save_needs_mapping(
        a.store,
        models.NeedsMapping(id=new_id(), period_id=period.id, wants_to_change="Arki rytmiin"),
        TODAY,
    )
    plan_period(a.store, period.id)
    save_plan(
        a.store,
        models.ImplementationPlan(
            id=new_id(), period_id=period.id, made_on=START, content="Yksilötyö", responsible="S"
        ),
    )
    record_evaluation(
        a.store,
        models.Evaluation(
            id=new_id(),
            period_id=period.id,
            on=date(2026, 4, 1),
            block_start=START,
            block_end=date(2026, 4, 4),
            attainment={goal.id: codes.ATTAINMENT_REACHED},
            client_view="Hyvä",
        ),
        TODAY,
    )
    end_period(
        a.store,
        period.id,
        Ending(
            ended_on=date(2026, 11, 13),
            end_reason=codes.END_GOALS_REACHED,
            final_evaluation="Tavoitteet saavutettiin.",
            follow_on_service="Työtoiminta",
            feedback={"feedback.q_help": "5"},
        ),
        TODAY,
    )
    assert a.sync().pushed >= 1
    assert b.sync().applied >= 1
    with b.store.read() as r:
        record = load_client_record(r, client.id)
    ended = record.periods[0]
    assert (ended.status, ended.ended_on, ended.end_reason) == (
        codes.PERIOD_ENDED,
        date(2026, 11, 13),
        codes.END_GOALS_REACHED,
    )
    assert ended.final_evaluation == "Tavoitteet saavutettiin."
    assert ended.follow_on_service == "Työtoiminta"
    assert ended.feedback == {"feedback.q_help": "5"}
    assert [n.wants_to_change for n in record.needs] == ["Arki rytmiin"]
    assert [p.content for p in record.plans] == ["Yksilötyö"]
    assert record.evaluations[0].attainment == {goal.id: codes.ATTAINMENT_REACHED}
    assert record.planned_entries and all(e.period_id == period.id for e in record.planned_entries)
    assert snapshot(a.store) == snapshot(b.store)
