"""The period's phase records: ending, read-only, phases done, plan revisions, evaluations."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from sosku_desktop.domain import codes
from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.domain.lifecycle import (
    Ending,
    PeriodEndedError,
    PeriodRecords,
    block_for_evaluation,
    can_start_new_period,
    continuation_block,
    current_plan,
    end_period,
    ending_problems,
    ensure_writable,
    goal_plan,
    next_revision,
    period_edit_problems,
    phases_done,
)
from sosku_desktop.domain.lifecycle_validation import (
    evaluation_problems,
    implementation_plan_problems,
    needs_mapping_problems,
    planned_entry_problems,
)
from sosku_desktop.domain.models import (
    Agreement,
    Evaluation,
    GroupMember,
    ImplementationPlan,
    Meeting,
    NeedsMapping,
    Period,
    PlannedEntry,
)
from sosku_desktop.domain.periods import DateRange
from sosku_desktop.domain.rules_config import Rules


def _period(**kw: object) -> Period:
    base: dict[str, object] = {
        "id": "p1",
        "client_id": "c1",
        "worker_id": "w1",
        "start": date(2024, 1, 4),
        "planned_end": date(2025, 1, 3),
    }
    base.update(kw)
    return Period(**base)  # type: ignore[arg-type]


def _fields(problems: list[object]) -> set[str]:
    return {p.field for p in problems}  # type: ignore[attr-defined]


def test_ending_sets_status_reason_and_makes_the_period_read_only() -> None:
    period = _period()
    ending = Ending(
        ended_on=date(2024, 12, 20),
        end_reason=codes.END_GOALS_REACHED,
        final_evaluation="  Tavoitteet saavutettiin.  ",
        follow_on_service="Työkokeilu",
        feedback={"feedback.q_help": "5"},
    )
    ended = end_period(period, ending, today=date(2024, 12, 31))
    assert ended.status == codes.PERIOD_ENDED
    assert ended.phase == codes.PHASE_ENDING
    assert ended.ended_on == date(2024, 12, 20)
    assert ended.final_evaluation == "Tavoitteet saavutettiin."
    assert ended.feedback == {"feedback.q_help": "5"}
    assert period.status == codes.PERIOD_ACTIVE  # the original is not changed
    with pytest.raises(PeriodEndedError):
        ensure_writable(ended)
    ensure_writable(period)
    assert can_start_new_period([ended])
    assert not can_start_new_period([ended, _period(id="p2")])
    # an ended period cannot be ended again
    assert "period_id" in _fields(ending_problems(ended, ending))


def test_ending_needs_reason_evaluation_and_a_date_inside_the_year() -> None:
    period = _period()
    bad = Ending(ended_on=date(2023, 12, 1), end_reason="", final_evaluation=" ")
    assert _fields(ending_problems(period, bad)) == {"ended_on", "end_reason", "final_evaluation"}
    late = Ending(date(2025, 1, 4), "bogus", "ok")
    problems = ending_problems(period, late)
    assert {p.message_key for p in problems} == {
        "validation.period_too_long",
        "validation.code_unknown",
    }
    future = Ending(date(2024, 6, 2), codes.END_CLIENT_DECLINES, "ok")
    assert _fields(ending_problems(period, future, today=date(2024, 6, 1))) == {"ended_on"}
    with pytest.raises(ValidationError):
        end_period(period, bad)


def test_editing_a_period_is_validated_as_at_creation_and_refused_once_ended() -> None:
    period = _period()
    handed_over = _period(worker_id="w2", planned_end=date(2024, 12, 31))
    assert period_edit_problems(period, handed_over) == []
    too_long = _period(planned_end=date(2025, 1, 4))
    assert _fields(period_edit_problems(period, too_long)) == {"planned_end"}
    ended = _period(status=codes.PERIOD_ENDED, ended_on=date(2024, 6, 1))
    assert _fields(period_edit_problems(ended, ended)) == {"period_id"}


def test_plan_revisions_keep_the_old_one_and_the_latest_is_current() -> None:
    first = ImplementationPlan(
        id="a",
        period_id="p1",
        made_on=date(2024, 1, 10),
        content="Yksilötyö",
        responsible="Sanna",
        goal_plans=[{"goal_id": "g1", "means": "kävelyt", "timetable": "3 kk", "responsible": "S"}],
    )
    second = next_revision(first, "b", date(2024, 4, 5))
    second.goal_plans[0]["means"] = "ryhmä"
    assert first.goal_plans[0]["means"] == "kävelyt"
    assert second.revision == 2
    assert current_plan([second, first], "p1") is second
    assert current_plan([first], "other") is None
    assert goal_plan(second, "g1")["means"] == "ryhmä"
    assert goal_plan(second, "g9") == {
        "goal_id": "g9",
        "means": "",
        "timetable": "",
        "responsible": "",
    }


def test_plan_validation_names_missing_and_foreign_fields() -> None:
    plan = ImplementationPlan(
        id="a",
        period_id="p1",
        made_on=date(2024, 2, 1),
        review_on=date(2024, 1, 1),
        goal_plans=[{"goal_id": "elsewhere", "means": "x"}],
    )
    problems = implementation_plan_problems(plan, _period(), goal_ids={"g1"})
    assert _fields(problems) == {"content", "responsible", "review_on", "goal_plans"}
    ended = _period(status=codes.PERIOD_ENDED, ended_on=date(2024, 6, 1))
    ok = ImplementationPlan(
        id="a", period_id="p1", made_on=date(2024, 2, 1), content="c", responsible="r"
    )
    assert implementation_plan_problems(ok, _period()) == []
    assert _fields(implementation_plan_problems(ok, ended)) == {"period_id"}


def test_evaluation_belongs_to_the_block_whose_end_is_nearest() -> None:
    period = _period()
    assert block_for_evaluation(period, date(2024, 3, 28)) == DateRange(
        date(2024, 1, 4), date(2024, 4, 3)
    )
    # a week after the block ended still evaluates that block
    assert block_for_evaluation(period, date(2024, 4, 10)) == DateRange(
        date(2024, 1, 4), date(2024, 4, 3)
    )
    evaluation = Evaluation(
        id="e",
        period_id="p1",
        on=date(2024, 3, 28),
        block_start=date(2024, 1, 4),
        block_end=date(2024, 4, 3),
        attainment={"g1": codes.ATTAINMENT_PARTLY},
        client_view="Hyvä",
    )
    assert evaluation_problems(evaluation, period, {"g1"}, date(2024, 4, 1)) == []
    assert continuation_block(period, evaluation) == DateRange(date(2024, 4, 4), date(2024, 7, 3))
    evaluation.continue_service = False
    assert continuation_block(period, evaluation) is None


def test_evaluation_attainment_codes_come_from_the_organisations_list() -> None:
    period = _period()
    evaluation = Evaluation(
        id="e",
        period_id="p1",
        on=date(2024, 3, 28),
        block_start=date(2024, 1, 5),
        block_end=date(2024, 4, 3),
        attainment={"g1": "excellent"},
        client_view="",
    )
    problems = evaluation_problems(evaluation, period, {"g1"})
    assert _fields(problems) == {"block_start", "attainment", "client_view"}
    own_list = Rules(attainment_codes=("excellent", "poor"))
    evaluation.block_start = date(2024, 1, 4)
    evaluation.client_view = "Asiakkaan mielestä hyvä"
    assert evaluation_problems(evaluation, period, {"g1"}, rules=own_list) == []


def test_needs_mapping_and_planned_entry_validation() -> None:
    empty = NeedsMapping(id="n", period_id="p1", mapped_on=date(2024, 2, 1))
    assert _fields(needs_mapping_problems(empty, _period(), today=date(2024, 1, 1))) == {
        "wants_to_change",
        "mapped_on",
    }
    filled = NeedsMapping(id="n", period_id="p1", services_had="Aikuissosiaalityö")
    assert needs_mapping_problems(filled, _period()) == []
    entry = PlannedEntry(id="x", period_id="p1", kind="nonsense", on=date(2026, 1, 1))
    assert _fields(planned_entry_problems(entry, _period())) == {"kind", "on"}


def test_phases_are_done_when_their_records_exist() -> None:
    period = _period()
    empty = phases_done(PeriodRecords(period))
    assert not any(empty.values())
    records = PeriodRecords(
        period=_period(status=codes.PERIOD_ENDED, ended_on=date(2024, 12, 1)),
        needs=[NeedsMapping(id="n", period_id="p1", services_had="x")],
        agreements=[Agreement(id="a", period_id="p1", signed_on=date(2024, 1, 4))],
        plans=[
            ImplementationPlan(
                id="i", period_id="p1", made_on=date(2024, 1, 10), content="c", responsible="r"
            )
        ],
        meetings=[Meeting(id="m", period_id="p1", starts_at=datetime(2024, 1, 11, 10))],
        evaluations=[
            Evaluation(
                id="e",
                period_id="p1",
                on=date(2024, 4, 1),
                block_start=date(2024, 1, 4),
                block_end=date(2024, 4, 3),
            )
        ],
        memberships=[GroupMember(id="g", group_id="grp", client_id="c1")],
    )
    assert all(phases_done(records).values())
    unsigned = PeriodRecords(
        period=period,
        needs=records.needs,
        agreements=[Agreement(id="a", period_id="p1")],
    )
    assert not phases_done(unsigned)[codes.PHASE_BEFORE_START]


def test_the_plan_is_reviewed_at_the_next_interim_evaluation_by_default() -> None:
    """QA walk: the implementation plan's review date had no default."""
    from sosku_desktop.domain.lifecycle import review_default, with_review_default
    from tests.domain.builders import d, period

    p = period(start="4.1.2026", planned_end="3.1.2027")
    assert review_default(p, d("10.1.2026")) == d("3.4.2026")
    assert review_default(p, d("3.4.2026")) == d("3.4.2026")
    assert review_default(p, d("4.4.2026")) == d("3.7.2026")
    assert review_default(p, d("20.10.2026")) == d("3.1.2027")  # none left: the end
    plan = ImplementationPlan(id="pl", period_id=p.id, made_on=d("10.1.2026"))
    assert with_review_default(plan, p).review_on == d("3.4.2026")
    chosen = dataclasses.replace(plan, review_on=d("1.3.2026"))
    assert with_review_default(chosen, p) == chosen  # the worker's own date stays
    revision = dataclasses.replace(plan, made_on=d("5.4.2026"), review_on=d("3.4.2026"))
    assert with_review_default(revision, p).review_on == d("3.7.2026")  # copied, passed


def test_an_ending_or_an_edit_never_leaves_a_held_meeting_outside_the_period() -> None:
    """QA walk: a period ended on 1.11. though the client was met on 17.11. and 23.11.;
    those days stayed outside the period and were still paid as activity money."""
    from sosku_desktop.domain.lifecycle import ACTIVITY_AFTER_END, ACTIVITY_BEFORE_START

    period = _period()
    held = [date(2024, 3, 5), date(2024, 11, 17), date(2024, 11, 23)]
    early = Ending(date(2024, 11, 1), codes.END_GOALS_REACHED, "ok")
    (problem,) = ending_problems(period, early, activity=held)
    assert (problem.field, problem.message_key) == ("ended_on", ACTIVITY_AFTER_END)
    assert problem.params == {"date": date(2024, 11, 23)}
    on_last_day = Ending(date(2024, 11, 23), codes.END_GOALS_REACHED, "ok")
    assert ending_problems(period, on_last_day, activity=held) == []
    moved = _period(start=date(2024, 3, 6), planned_end=date(2024, 11, 20))
    problems = period_edit_problems(period, moved, activity=held)
    assert {(p.field, p.message_key) for p in problems} == {
        ("start", ACTIVITY_BEFORE_START),
        ("planned_end", ACTIVITY_AFTER_END),
    }
    assert {p.params["date"] for p in problems} == {date(2024, 3, 5), date(2024, 11, 23)}


def test_a_clients_periods_never_overlap_and_only_one_is_open() -> None:
    """QA walk: a second active period could be written for a client (Elina) beside her
    open one, and a new period could start inside an ended one's days."""
    from sosku_desktop.domain.lifecycle import (
        OPEN_PERIOD_EXISTS,
        PERIOD_OVERLAPS,
        new_period_problems,
        next_period_start,
    )

    ended = _period(status=codes.PERIOD_ENDED, ended_on=date(2024, 11, 19))
    inside = _period(id="p2", start=date(2024, 6, 1), planned_end=date(2025, 5, 31))
    (problem,) = new_period_problems(inside, [ended])
    assert (problem.field, problem.message_key) == ("start", PERIOD_OVERLAPS)
    assert problem.params == {"start": date(2024, 1, 4), "end": date(2024, 11, 19)}
    same_day = _period(id="p2", start=date(2024, 11, 19), planned_end=date(2025, 11, 18))
    assert [p.message_key for p in new_period_problems(same_day, [ended])] == [PERIOD_OVERLAPS]
    after = _period(id="p2", start=date(2024, 11, 20), planned_end=date(2025, 11, 19))
    assert new_period_problems(after, [ended]) == []
    open_one = _period()
    keys = [p.message_key for p in new_period_problems(after, [open_one])]
    assert keys == [OPEN_PERIOD_EXISTS, PERIOD_OVERLAPS]
    # "start a new period" the day one ended begins it the next day, else today
    assert next_period_start([ended], date(2024, 11, 19)) == date(2024, 11, 20)
    assert next_period_start([ended], date(2024, 12, 1)) == date(2024, 12, 1)
    assert next_period_start([], date(2024, 12, 1)) == date(2024, 12, 1)


def test_moving_the_planned_end_before_a_planned_meeting_is_refused() -> None:
    """The meeting stayed planned after the new end: on Today, yet never recordable."""
    from sosku_desktop.domain.lifecycle import PLANNED_AFTER_END

    period = _period()
    planned = Meeting(
        id="m1", period_id="p1", starts_at=datetime(2024, 11, 25, 10), status=codes.MEETING_PLANNED
    )
    cancelled = dataclasses.replace(planned, id="m2", status=codes.MEETING_CANCELLED)
    shorter = _period(planned_end=date(2024, 11, 20))
    (problem,) = period_edit_problems(period, shorter, meetings=[planned, cancelled])
    assert (problem.field, problem.message_key) == ("planned_end", PLANNED_AFTER_END)
    assert problem.params == {"date": date(2024, 11, 25)}
    assert period_edit_problems(period, shorter, meetings=[cancelled]) == []


def test_a_new_period_is_started_only_from_the_clients_latest_period_once_all_ended() -> None:
    """QA walk: an older ended period offered "start a new period" beside a newer one."""
    from sosku_desktop.domain.lifecycle import may_start_new_period_from

    older = _period(status=codes.PERIOD_ENDED, ended_on=date(2024, 11, 19))
    assert may_start_new_period_from(older, [older])
    assert not may_start_new_period_from(_period(), [_period()])  # still open
    newer = _period(id="p2", start=date(2024, 12, 1), planned_end=date(2025, 11, 30))
    assert not may_start_new_period_from(older, [older, newer])
    ended_newer = dataclasses.replace(newer, status=codes.PERIOD_ENDED, ended_on=date(2025, 3, 1))
    assert not may_start_new_period_from(older, [older, ended_newer])
    assert may_start_new_period_from(ended_newer, [older, ended_newer])
    gone = dataclasses.replace(newer, deleted=True)
    assert may_start_new_period_from(older, [older, gone])
