"""Planning the whole period at its start, and moving the plan when dates move."""

from __future__ import annotations

from datetime import date

from sosku_desktop.domain import codes
from sosku_desktop.domain.models import Decision, Evaluation, Period, PlannedEntry
from sosku_desktop.domain.period_plan import (
    KeyDate,
    key_dates,
    mark_evaluation_done,
    replan,
    upcoming,
)


def _period(end: date = date(2025, 1, 3)) -> Period:
    return Period(id="p1", client_id="c1", worker_id="w", start=date(2024, 1, 4), planned_end=end)


def _entries(dates: list[KeyDate]) -> list[PlannedEntry]:
    return [
        PlannedEntry(id=f"e{i}", period_id="p1", kind=k.kind, on=k.on, seq=k.seq)
        for i, k in enumerate(dates)
    ]


def test_a_full_year_plans_every_key_date() -> None:
    dates = key_dates(_period())
    by_kind: dict[str, list[date]] = {}
    for k in dates:
        by_kind.setdefault(k.kind, []).append(k.on)
    assert by_kind[codes.PLAN_DECISION_END] == [
        date(2024, 4, 3),
        date(2024, 7, 3),
        date(2024, 10, 3),
    ]
    assert by_kind[codes.PLAN_EVALUATION] == [date(2024, 4, 3), date(2024, 7, 3), date(2024, 10, 3)]
    assert by_kind[codes.PLAN_SELF_ASSESSMENT_START] == [date(2024, 1, 4)]
    assert by_kind[codes.PLAN_SELF_ASSESSMENT_MID] == [date(2024, 7, 4)]
    assert by_kind[codes.PLAN_SELF_ASSESSMENT_END] == [date(2025, 1, 3)]
    assert by_kind[codes.PLAN_PREPARE_ENDING] == [date(2024, 12, 4)]
    assert by_kind[codes.PLAN_PERIOD_END] == [date(2025, 1, 3)]
    assert [k.on for k in dates] == sorted(k.on for k in dates)


def test_decision_ends_follow_the_stored_decisions() -> None:
    decision = Decision(
        id="d",
        period_id="p1",
        kind=codes.DECISION_REHABILITATION,
        valid_from=date(2024, 1, 4),
        valid_to=date(2024, 3, 31),
    )
    ends = [k.on for k in key_dates(_period(), [decision]) if k.kind == codes.PLAN_DECISION_END]
    assert ends == [date(2024, 3, 31)]


def test_a_short_period_has_no_midpoint_assessment() -> None:
    kinds = {k.kind for k in key_dates(_period(date(2024, 5, 31)))}
    assert codes.PLAN_SELF_ASSESSMENT_MID not in kinds


def test_replan_moves_open_entries_keeps_done_ones_and_removes_extra() -> None:
    stored = _entries(key_dates(_period()))
    # the worker already held the first evaluation; it must stay where it was
    first_eval = next(e for e in stored if e.kind == codes.PLAN_EVALUATION and e.seq == 1)
    first_eval.done_on = date(2024, 4, 2)
    shorter = key_dates(_period(date(2024, 8, 31)))
    change = replan(stored, shorter)
    moved = {(e.kind, e.seq): e.on for e in change.move}
    assert moved[(codes.PLAN_PERIOD_END, 0)] == date(2024, 8, 31)
    assert moved[(codes.PLAN_PREPARE_ENDING, 0)] == date(2024, 8, 1)
    removed = {(e.kind, e.seq) for e in change.remove}
    assert (codes.PLAN_EVALUATION, 3) in removed
    assert (codes.PLAN_EVALUATION, 1) not in removed
    assert all(e.id != first_eval.id for e in change.move)
    assert replan(_entries(shorter), shorter).empty


def test_an_evaluation_record_marks_the_planned_evaluation_done() -> None:
    stored = _entries(key_dates(_period()))
    evaluation = Evaluation(
        id="ev",
        period_id="p1",
        on=date(2024, 7, 1),
        block_start=date(2024, 4, 4),
        block_end=date(2024, 7, 3),
    )
    done = mark_evaluation_done(stored, evaluation)
    assert done is not None
    assert (done.kind, done.seq, done.done_on) == (codes.PLAN_EVALUATION, 2, date(2024, 7, 1))
    soon = upcoming(stored, date(2024, 3, 25), days=10)
    assert {e.kind for e in soon} >= {codes.PLAN_EVALUATION, codes.PLAN_DECISION_END}
