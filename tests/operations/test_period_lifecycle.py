"""Operations of the period's life on the real encrypted store: records, plan, edits, ending."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.domain.lifecycle import PERIOD_ENDED, Ending, PeriodEndedError
from sosku_desktop.operations.expenses import budget_view, delete_expense, save_expense
from sosku_desktop.operations.period_lifecycle import (
    earlier_values,
    edit_client,
    edit_period,
    end_period,
    plan_period,
    start_new_period,
)
from sosku_desktop.operations.period_records import (
    record_evaluation,
    save_agreement,
    save_needs_mapping,
    save_plan,
)
from sosku_desktop.store.database import Store
from sosku_desktop.store.schema import value_history
from sosku_desktop.store.writer import new_id
from tests.operations.conftest import START

TODAY = date(2026, 6, 1)


def _entries(store: Store, period_id: str) -> list[models.PlannedEntry]:
    with store.read() as r:
        return r.list(models.PlannedEntry, order_by=("on", "kind"), period_id=period_id)


def _goal(store: Store, period: models.Period) -> models.Goal:
    goal = models.Goal(id=new_id(), period_id=period.id, text="Käyn kaupassa itse")
    with store.write() as w:
        w.add(goal)
    return goal


def test_plan_period_puts_the_key_dates_in_and_moves_them_with_the_end(
    store: Store, period: models.Period
) -> None:
    changes = plan_period(store, period.id)
    assert changes.concerns("planned_entries")
    entries = _entries(store, period.id)
    kinds = [e.kind for e in entries]
    assert kinds.count(codes.PLAN_EVALUATION) == 3
    assert codes.PLAN_SELF_ASSESSMENT_MID in kinds
    assert not plan_period(store, period.id)  # nothing to do twice
    shorter = dataclasses.replace(period, planned_end=date(2026, 8, 31))
    edit_period(store, shorter)
    after = {(e.kind, e.seq): e.on for e in _entries(store, period.id)}
    assert after[(codes.PLAN_PERIOD_END, 0)] == date(2026, 8, 31)
    assert (codes.PLAN_EVALUATION, 3) not in after


def test_needs_agreement_plan_revisions_and_evaluation(store: Store, period: models.Period) -> None:
    goal = _goal(store, period)
    needs = models.NeedsMapping(id=new_id(), period_id=period.id, services_had="Aikuissosiaalityö")
    save_needs_mapping(store, needs, TODAY)
    with pytest.raises(ValidationError) as bad:
        save_agreement(
            store, models.Agreement(id=new_id(), period_id=period.id, goal_ids=["elsewhere"])
        )
    assert bad.value.for_field("goal_ids")
    agreement = models.Agreement(
        id=new_id(),
        period_id=period.id,
        meeting_times="Tiistaisin klo 10",
        goal_ids=[goal.id],
        signed_on=START,
    )
    save_agreement(store, agreement)
    first = save_plan(
        store,
        models.ImplementationPlan(
            id=new_id(),
            period_id=period.id,
            made_on=START,
            content="Yksilötyö",
            responsible="Sanna",
            goal_plans=[{"goal_id": goal.id, "means": "kävelyt", "timetable": "3 kk"}],
        ),
    ).plan
    second = save_plan(
        store, dataclasses.replace(first, made_on=date(2026, 4, 1), content="Ryhmä"), True
    ).plan
    assert (first.revision, second.revision) == (1, 2)
    with store.read() as r:
        plans = r.list(models.ImplementationPlan, order_by="revision", period_id=period.id)
    assert [p.content for p in plans] == ["Yksilötyö", "Ryhmä"]
    plan_period(store, period.id)
    evaluation = models.Evaluation(
        id=new_id(),
        period_id=period.id,
        on=date(2026, 4, 2),
        block_start=START,
        block_end=date(2026, 4, 4),
        attainment={goal.id: codes.ATTAINMENT_PARTLY},
        client_view="Hyvä suunta",
    )
    record_evaluation(store, evaluation, TODAY)
    done = [e for e in _entries(store, period.id) if e.done_on is not None]
    assert [(e.kind, e.seq) for e in done] == [(codes.PLAN_EVALUATION, 1)]


def test_ending_makes_the_period_read_only_and_a_new_one_can_start(
    store: Store, period: models.Period
) -> None:
    plan_period(store, period.id)
    later = models.Meeting(
        id=new_id(),
        period_id=period.id,
        starts_at=datetime(2026, 7, 1, 10),
        status=codes.MEETING_PLANNED,
    )
    with store.write() as w:
        w.add(later)
    ending = Ending(
        ended_on=date(2026, 5, 29),
        end_reason=codes.END_CLIENT_DECLINES,
        final_evaluation="Asiakas ei halua jatkaa.",
        follow_on_service="Aikuissosiaalityö",
        feedback={"feedback.q_help": "3"},
    )
    with pytest.raises(ValidationError):
        start_new_period(store, period.client_id, TODAY, date(2027, 5, 31), None, TODAY)
    end_period(store, period.id, ending, TODAY)
    with store.read() as r:
        ended = r.get(models.Period, period.id)
        meeting = r.get(models.Meeting, later.id)
    assert (ended.status, ended.end_reason, ended.feedback) == (
        codes.PERIOD_ENDED,
        codes.END_CLIENT_DECLINES,
        {"feedback.q_help": "3"},
    )
    assert meeting.status == codes.MEETING_CANCELLED
    assert max(e.on for e in _entries(store, period.id)) == date(2026, 5, 29)
    with pytest.raises(ValidationError) as refused:
        save_needs_mapping(
            store, models.NeedsMapping(id=new_id(), period_id=period.id, services_had="x"), TODAY
        )
    assert [p.message_key for p in refused.value.problems] == [PERIOD_ENDED]
    with pytest.raises(ValidationError):
        edit_period(store, dataclasses.replace(ended, worker_id=None))
    with pytest.raises(ValidationError):
        end_period(store, period.id, ending, TODAY)
    new = start_new_period(store, period.client_id, TODAY, date(2027, 5, 31), None, TODAY).period
    assert new.status == codes.PERIOD_ACTIVE and _entries(store, new.id)


def test_editing_a_client_is_validated_and_keeps_the_earlier_value(
    store: Store, period: models.Period
) -> None:
    with store.read() as r:
        client = r.get(models.Client, period.client_id)
    with pytest.raises(ValidationError) as bad:
        edit_client(store, dataclasses.replace(client, identity_code="010101-1234", first_name=""))
    assert {p.field for p in bad.value.problems} == {"identity_code", "first_name"}
    edit_client(store, dataclasses.replace(client, last_name=" Virtanen ", language="sv"))
    with store.read() as r:
        assert r.get(models.Client, client.id).last_name == "Virtanen"
        old = r.conn.execute(
            sa.select(value_history.c.value).where(
                value_history.c.row_id == client.id, value_history.c.col == "last_name"
            )
        ).scalar()
    assert old == "Meikäläinen"


def test_expenses_and_the_budget_left(store: Store, period: models.Period) -> None:
    worker_id = store.worker_id
    assert worker_id is not None
    for amount, client in ((1250, period.client_id), (800, None)):
        save_expense(
            store,
            models.Expense(
                id=new_id(),
                worker_id=worker_id,
                on=date(2026, 3, 2),
                amount_cents=amount,
                purpose="Kahvit",
                client_id=client,
            ),
            TODAY,
        )
    with pytest.raises(ValidationError):
        save_expense(
            store,
            models.Expense(id=new_id(), worker_id=worker_id, on=TODAY, amount_cents=0),
            TODAY,
        )
    view = budget_view(store, worker_id, 2026)
    assert view.status.budget_cents == 30000  # a social instructor's 300 €
    assert view.status.left_cents == 30000 - 2050
    assert list(view.client_names.values()) == ["Meikäläinen, Maija"]
    delete_expense(store, view.expenses[0].id)
    assert budget_view(store, worker_id, 2026).status.left_cents == 30000 - 800


def test_the_record_history_lists_earlier_values(store: Store, period: models.Period) -> None:
    with store.read() as r:
        client = r.get(models.Client, period.client_id)
    edit_client(store, dataclasses.replace(client, phone="040 123 4567"))
    edit_client(store, dataclasses.replace(client, phone="050 765 4321"))
    earlier = [(e.column, e.value) for e in earlier_values(store, "clients", client.id)]
    assert ("phone", "040 123 4567") in earlier and ("phone", "") in earlier


def test_nothing_new_is_written_into_an_ended_period(store: Store, period: models.Period) -> None:
    from sosku_desktop.operations.decisions import save_decision
    from sosku_desktop.operations.goals import save_goal
    from sosku_desktop.operations.meetings import MeetingDraft, save_meeting

    ending = Ending(date(2026, 5, 29), codes.END_GOALS_REACHED, "Tavoitteet saavutettiin.")
    end_period(store, period.id, ending, TODAY)
    draft = MeetingDraft(
        period_id=period.id,
        starts_at=datetime(2026, 5, 20, 10),
        duration_min=60,
        kind=codes.MEETING_WALK,
    )
    decision = models.Decision(
        id=new_id(),
        period_id=period.id,
        kind=codes.DECISION_TRANSPORT_CARD,
        valid_from=START,
        valid_to=date(2026, 4, 4),
        heard_how="puhelimessa",
    )
    goal = models.Goal(id=new_id(), period_id=period.id, text="Uusi tavoite")
    with pytest.raises(PeriodEndedError):
        save_meeting(store, draft, datetime(2026, 6, 1, 12), list(codes.METHODS))
    with pytest.raises(PeriodEndedError):
        save_decision(store, decision, None)
    with pytest.raises(PeriodEndedError):
        save_goal(store, goal, None, None)
    with store.read() as r:
        assert r.meetings_of([period.id]) == [] and r.goals_of(period.id) == []


def test_ending_the_period_ends_the_clients_group_membership(
    store: Store, period: models.Period
) -> None:
    """QA walk: an ended client stayed on the group's sheets, and a day marked
    present after the end was paid as activity money."""
    from sosku_desktop.domain.attendance import members_on

    group = models.Group(id=new_id(), name="Arjen taidot")
    member = models.GroupMember(
        id=new_id(), group_id=group.id, client_id=period.client_id, joined_on=START
    )
    with store.write() as w:
        w.add(group)
        w.add(member)
    ending = Ending(date(2026, 5, 29), codes.END_GOALS_REACHED, "Tavoitteet saavutettiin.")
    end_period(store, period.id, ending, TODAY)
    with store.read() as r:
        members = r.list(models.GroupMember, group_id=group.id)
    assert members_on(members, group.id, date(2026, 5, 29)) == [period.client_id]
    assert members_on(members, group.id, date(2026, 5, 30)) == []


def test_a_period_cannot_end_before_a_day_the_client_was_met_or_in_a_group(
    store: Store, period: models.Period
) -> None:
    """Held meetings and attended group sessions are activity-money days: an end (or a
    moved start or end) that left one outside the period is refused, naming the day."""
    group = models.Group(id=new_id(), name="Arjen taidot")
    session = models.GroupSession(id=new_id(), group_id=group.id, on=date(2026, 6, 4))
    met = models.Meeting(
        id=new_id(),
        period_id=period.id,
        starts_at=datetime(2026, 5, 20, 10),
        status=codes.MEETING_REALISED,
    )
    with store.write() as w:
        w.add(group)
        w.add(session)
        w.add(
            models.GroupMember(
                id=new_id(), group_id=group.id, client_id=period.client_id, joined_on=START
            )
        )
        w.add(
            models.Attendance(
                id=new_id(),
                session_id=session.id,
                client_id=period.client_id,
                status=codes.ATTENDANCE_PRESENT,
            )
        )
        w.add(met)
    ending = Ending(date(2026, 5, 29), codes.END_GOALS_REACHED, "Tavoitteet saavutettiin.")
    with pytest.raises(ValidationError) as refused:
        end_period(store, period.id, ending, date(2026, 6, 30))
    assert [(p.field, p.params) for p in refused.value.problems] == [
        ("ended_on", {"date": date(2026, 6, 4)})
    ]
    with pytest.raises(ValidationError) as moved:
        edit_period(store, dataclasses.replace(period, start=date(2026, 5, 21)))
    assert [(p.field, p.params) for p in moved.value.problems] == [
        ("start", {"date": date(2026, 5, 20)})
    ]
    end_period(
        store, period.id, dataclasses.replace(ending, ended_on=date(2026, 6, 4)), date(2026, 6, 30)
    )
    with store.read() as r:
        assert r.get(models.Period, period.id).ended_on == date(2026, 6, 4)


def test_a_second_open_period_or_one_over_an_ended_ones_days_is_refused(
    store: Store, period: models.Period
) -> None:
    from sosku_desktop.domain.lifecycle import OPEN_PERIOD_EXISTS, PERIOD_OVERLAPS
    from sosku_desktop.operations.clients import start_period

    second = dataclasses.replace(period, id="", start=TODAY, planned_end=date(2027, 5, 31))
    with pytest.raises(ValidationError) as refused:
        start_period(store, second)
    assert OPEN_PERIOD_EXISTS in [p.message_key for p in refused.value.problems]
    ending = Ending(date(2026, 5, 29), codes.END_GOALS_REACHED, "Tavoitteet saavutettiin.")
    end_period(store, period.id, ending, TODAY)
    inside = dataclasses.replace(second, start=date(2026, 5, 1), planned_end=date(2027, 4, 30))
    with pytest.raises(ValidationError) as overlapping:
        start_period(store, inside)
    assert [p.message_key for p in overlapping.value.problems] == [PERIOD_OVERLAPS]
    with pytest.raises(ValidationError):
        start_new_period(store, period.client_id, date(2026, 5, 29), date(2027, 5, 28), None, TODAY)
    start_period(store, dataclasses.replace(inside, start=date(2026, 5, 30)))
    with store.read() as r:
        starts = sorted(p.start for p in r.periods_of(period.client_id))
    assert starts == [START, date(2026, 5, 30)]


def test_moving_the_period_dates_never_leaves_a_decision_outside(
    store: Store, period: models.Period
) -> None:
    """QA walk: the planned end moved to 31.3. although a §17 decision ran to 4.4.; the
    decision stayed valid outside the period, which the decision form itself refuses."""
    from sosku_desktop.domain.lifecycle import DECISION_OUTSIDE_NEW_DATES
    from sosku_desktop.operations.decisions import save_decision

    decision = models.Decision(
        id=new_id(),
        period_id=period.id,
        kind=codes.DECISION_REHABILITATION,
        valid_from=START,
        valid_to=date(2026, 4, 4),
        heard_how="Tavattiin kasvokkain",
    )
    save_decision(store, decision, None)
    shorter = dataclasses.replace(period, planned_end=date(2026, 3, 31))
    with pytest.raises(ValidationError) as refused:
        edit_period(store, shorter)
    (problem,) = refused.value.problems
    assert (problem.field, problem.message_key) == ("planned_end", DECISION_OUTSIDE_NEW_DATES)
    assert problem.params == {"start": START, "end": date(2026, 4, 4)}
    later = dataclasses.replace(period, start=date(2026, 1, 6))
    with pytest.raises(ValidationError) as refused:
        edit_period(store, later)
    assert [p.field for p in refused.value.problems] == ["start"]
    edit_period(store, dataclasses.replace(period, planned_end=date(2026, 4, 4)))
    with store.write() as w:
        w.update(dataclasses.replace(decision, deleted=True))
    edit_period(store, dataclasses.replace(period, planned_end=date(2026, 3, 31)))
