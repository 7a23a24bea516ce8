"""Validation of what a worker types in: every problem at once, as keys."""

from __future__ import annotations

import math
from datetime import datetime, time

import pytest

from sosku_desktop import i18n
from sosku_desktop.domain import codes
from sosku_desktop.domain import validation as v
from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.domain.models import (
    Agreement,
    Attendance,
    GoalProgress,
    Group,
    GroupMember,
)
from sosku_desktop.domain.rules_config import Rules
from tests.domain.builders import (
    assessment,
    client,
    d,
    decision,
    expense,
    goal,
    meeting,
    period,
    session,
    worker,
)


def keys(problems):
    return {(p.field, p.message_key) for p in problems}


def raised(call, *args, **kwargs):
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return keys(info.value.problems)


# --- client and worker -------------------------------------------------------------


def test_valid_client_passes():
    v.validate_client(client())
    v.validate_client(
        client(identity_code="131052-308T", email="m@example.fi", phone="+358 40 123 4567")
    )


@pytest.mark.parametrize(
    "code",
    ["131052-308T", "131052a308t", " 131052-308T ", "010594Y9032", "010594Y9021", "020505A932N"],
)
def test_valid_identity_codes(code):
    # the 2023 century signs (Y, B…) and a temporary code (900–999) are accepted
    assert v.is_valid_identity_code(code)
    v.validate_client(client(identity_code=code))


@pytest.mark.parametrize("code", ["131052-308U", "310252-308Y", "131052-308", "abc", "131052-001H"])
def test_invalid_identity_code(code):
    assert raised(v.validate_client, client(identity_code=code)) == {
        ("identity_code", v.IDENTITY_CODE_INVALID)
    }


def test_identity_code_is_optional_and_normalised():
    v.validate_client(client(identity_code="   "))
    assert v.normalize_identity_code(" 131052a308t ") == "131052A308T"


def test_every_client_problem_at_once():
    bad = client(first_name="  ", last_name="", language="de", email="nope", phone="12")
    assert raised(v.validate_client, bad) == {
        ("first_name", v.REQUIRED),
        ("last_name", v.REQUIRED),
        ("language", v.CODE_UNKNOWN),
        ("email", v.EMAIL_INVALID),
        ("phone", v.PHONE_INVALID),
    }


def test_long_names_are_refused():
    problems = v.client_problems(client(first_name="x" * 101))
    assert problems[0].message_key == v.TOO_LONG
    assert problems[0].params == {"max": 100}


def test_worker_validation():
    v.validate_worker(worker())
    assert raised(v.validate_worker, worker(name="", role="boss", yearly_budget_cents=-1)) == {
        ("name", v.REQUIRED),
        ("role", v.CODE_UNKNOWN),
        ("yearly_budget_cents", v.NOT_NEGATIVE),
    }


# --- periods ---------------------------------------------------------------------------


def test_valid_period_passes_up_to_the_one_year_limit():
    v.validate_period(period("4.1.2024", "3.1.2025"))
    v.validate_period(period("29.2.2024", "28.2.2025"))


def test_period_longer_than_a_year():
    problems = v.period_problems(period("4.1.2024", "4.1.2025"))
    assert keys(problems) == {("planned_end", v.PERIOD_TOO_LONG)}
    assert problems[0].params == {"months": 12, "max_end": d("3.1.2025")}
    v.validate_period(period("4.1.2024", "3.7.2025"), Rules(max_period_months=18))


def test_period_dates_and_codes():
    bad = period(
        "4.1.2024",
        "3.1.2024",
        client_id="",
        phase="later",
        status="paused",
        intake={"wants_change": True, "bogus": True},
        ended_on=d("1.1.2024"),
        end_reason="tired",
        service_task=" ",
    )
    assert raised(v.validate_period, bad) == {
        ("client_id", v.REQUIRED),
        ("planned_end", v.END_BEFORE_START),
        ("phase", v.CODE_UNKNOWN),
        ("status", v.CODE_UNKNOWN),
        ("intake", v.CODE_UNKNOWN),
        ("ended_on", v.END_BEFORE_START),
        ("end_reason", v.CODE_UNKNOWN),
        ("service_task", v.REQUIRED),
    }


def test_ended_period_needs_its_end_date():
    assert raised(v.validate_period, period(status=codes.PERIOD_ENDED)) == {
        ("ended_on", v.ENDED_ON_REQUIRED)
    }
    v.validate_period(
        period(
            status=codes.PERIOD_ENDED, ended_on=d("1.6.2024"), end_reason=codes.END_GOALS_REACHED
        )
    )


# --- decisions -------------------------------------------------------------------------


def test_valid_decision_passes():
    p = period("4.1.2024", "3.1.2025")
    v.validate_decision(decision("4.1.2024", "3.4.2024"), p)
    v.validate_decision(decision("4.10.2024", "3.1.2025", continuation=True), p)
    v.validate_decision(decision("30.11.2024", "28.2.2025"))


def test_rehabilitation_decision_at_most_one_block():
    problems = v.decision_problems(decision("4.1.2024", "4.4.2024"))
    assert keys(problems) == {("valid_to", v.DECISION_TOO_LONG)}
    assert problems[0].params == {"months": 3, "max_end": d("3.4.2024")}
    # other decision kinds are not limited to a block
    v.validate_decision(decision("4.1.2024", "3.1.2025", kind=codes.DECISION_TRANSPORT_CARD))


def test_decision_dates_in_order():
    assert raised(v.validate_decision, decision("4.4.2024", "3.4.2024")) == {
        ("valid_to", v.END_BEFORE_START)
    }


def test_decision_inside_its_period():
    p = period("4.1.2024", "3.1.2025")
    problems = v.decision_problems(decision("1.1.2024", "31.3.2024"), p)
    assert keys(problems) == {("valid_from", v.DECISION_OUTSIDE_PERIOD)}
    assert problems[0].params == {"start": d("4.1.2024"), "end": d("3.1.2025")}
    assert keys(v.decision_problems(decision("4.12.2024", "4.1.2025"), p)) == {
        ("valid_from", v.DECISION_OUTSIDE_PERIOD)
    }
    assert keys(v.decision_problems(decision("4.1.2024", "3.4.2024", period_id="p9"), p)) == {
        ("period_id", v.PERIOD_MISMATCH)
    }


def test_overlapping_positive_rehabilitation_decisions():
    first = decision("4.1.2024", "3.4.2024")
    others = [
        first,
        decision("1.3.2024", "31.5.2024", deleted=True),
        decision("1.3.2024", "31.5.2024", outcome=codes.OUTCOME_NEGATIVE, reasoning="x"),
        decision("1.3.2024", "31.5.2024", period_id="p2"),
    ]
    v.validate_decision(decision("4.4.2024", "3.7.2024"), others=others)
    problems = v.decision_problems(decision("3.4.2024", "2.7.2024"), others=others)
    assert keys(problems) == {("valid_from", v.DECISION_OVERLAPS)}
    assert problems[0].params == {"start": d("4.1.2024"), "end": d("3.4.2024")}
    # re-validating a decision against a list that holds itself is fine
    v.validate_decision(first, others=others)


def test_decision_hearing_reasons_and_numbers():
    bad = decision(
        "4.1.2024",
        "3.4.2024",
        heard_how=" ",
        outcome=codes.OUTCOME_NEGATIVE,
        planned_meetings=-1,
        planned_group_sessions=-2,
        rate_cents=0,
        decided_on=d("4.4.2024"),
        kind="loan",
    )
    assert raised(v.validate_decision, bad) == {
        ("kind", v.CODE_UNKNOWN),
        ("heard_how", v.HEARD_HOW_REQUIRED),
        ("reasoning", v.REASONING_REQUIRED),
        ("planned_meetings", v.NOT_NEGATIVE),
        ("planned_group_sessions", v.NOT_NEGATIVE),
        ("rate_cents", v.AMOUNT_POSITIVE),
        ("decided_on", v.DECIDED_AFTER_END),
    }
    v.validate_decision(decision("4.1.2024", "3.4.2024", client_heard=False, heard_how=""))


# --- goals ----------------------------------------------------------------------------


def test_goal_text_and_progress():
    v.validate_goal(goal("m", progress=0))
    v.validate_goal(goal("m", progress=100, text="x" * 500))
    assert raised(v.validate_goal, goal("m", text="  ")) == {("text", v.REQUIRED)}
    assert raised(v.validate_goal, goal("m", text="x" * 501)) == {("text", v.TOO_LONG)}
    for progress in (-1, 101):
        problems = v.goal_problems(goal("m", progress=progress))
        assert keys(problems) == {("progress", v.PROGRESS_RANGE)}
        assert problems[0].params == {"min": 0, "max": 100}


def test_goal_levels_and_parents():
    main = goal("main")
    sub = goal("sub", "main", codes.GOAL_SUB)
    step = goal("step", "sub", codes.GOAL_STEP)
    v.validate_goal(sub, main)
    v.validate_goal(step, sub)
    v.validate_goal(sub)  # parent not at hand: only its presence is checked
    assert raised(v.validate_goal, goal("x", "main")) == {("parent_id", v.GOAL_MAIN_HAS_PARENT)}
    assert raised(v.validate_goal, goal("x", None, codes.GOAL_SUB)) == {
        ("parent_id", v.GOAL_PARENT_REQUIRED)
    }
    assert raised(v.validate_goal, goal("x", "main", codes.GOAL_STEP), main) == {
        ("parent_id", v.GOAL_PARENT_LEVEL)
    }
    assert raised(v.validate_goal, goal("x", "step", codes.GOAL_SUB), step) == {
        ("parent_id", v.GOAL_PARENT_LEVEL)
    }
    other_period = goal("main", period_id="p2")
    assert raised(v.validate_goal, sub, other_period) == {("parent_id", v.GOAL_PARENT_OTHER_PERIOD)}
    assert raised(v.validate_goal, goal("x", "x", codes.GOAL_SUB)) == {
        ("parent_id", v.GOAL_PARENT_SELF)
    }
    expected = v.goal_problems(goal("x", "main", codes.GOAL_STEP), main)[0].params
    assert expected == {"expected": codes.GOAL_SUB}


def test_goal_codes_and_achieved_date():
    assert raised(v.validate_goal, goal("m", level="top", status="done")) == {
        ("level", v.CODE_UNKNOWN),
        ("status", v.CODE_UNKNOWN),
    }
    assert raised(v.validate_goal, goal("m", achieved_on=d("1.2.2024"))) == {
        ("achieved_on", v.ACHIEVED_ON_WITHOUT_STATUS)
    }
    v.validate_goal(goal("m", status=codes.GOAL_ACHIEVED, achieved_on=d("1.2.2024")))


def test_goal_progress_rows():
    v.validate_goal_progress(GoalProgress("r", "g", d("4.1.2024"), 50), today=d("4.1.2024"))
    assert raised(
        v.validate_goal_progress, GoalProgress("r", "", d("5.1.2024"), 101), today=d("4.1.2024")
    ) == {("goal_id", v.REQUIRED), ("progress", v.PROGRESS_RANGE), ("on", v.DATE_IN_FUTURE)}


# --- meetings, groups, expenses ------------------------------------------------------


@pytest.mark.parametrize("minutes", [1, 60, 600])
def test_meeting_duration_in_range(minutes):
    v.validate_meeting(meeting("4.1.2024", duration_min=minutes))


@pytest.mark.parametrize("minutes", [0, -5, 601])
def test_meeting_duration_out_of_range(minutes):
    problems = v.meeting_problems(meeting("4.1.2024", duration_min=minutes))
    assert keys(problems) == {("duration_min", v.DURATION_RANGE)}
    assert problems[0].params == {"min": 1, "max": 600}


def test_meeting_codes_methods_and_time():
    bad = meeting(
        "4.1.2024", kind="sauna", status="maybe", methods=["diary", "tarot"], period_id=""
    )
    assert raised(v.validate_meeting, bad, allowed_methods=codes.METHODS) == {
        ("period_id", v.REQUIRED),
        ("kind", v.CODE_UNKNOWN),
        ("status", v.CODE_UNKNOWN),
        ("methods", v.CODE_UNKNOWN),
    }
    # without the organisation's list, any method is accepted
    v.validate_meeting(meeting("4.1.2024", methods=["tarot"]))
    now = datetime(2024, 1, 4, 12, 0)
    assert raised(v.validate_meeting, meeting("4.1.2024", at=time(13)), now=now) == {
        ("status", v.REALISED_IN_FUTURE)
    }
    v.validate_meeting(meeting("4.1.2024", at=time(13), status=codes.MEETING_PLANNED), now=now)
    v.validate_meeting(meeting("4.1.2024", at=time(12)), now=now)


def test_expense_amount_must_be_positive():
    v.validate_expense(expense("4.1.2024", 1))
    for cents in (0, -100):
        assert raised(v.validate_expense, expense("4.1.2024", cents)) == {
            ("amount_cents", v.AMOUNT_POSITIVE)
        }
    assert raised(
        v.validate_expense, expense("5.1.2024", 100, worker_id=""), today=d("4.1.2024")
    ) == {
        ("worker_id", v.REQUIRED),
        ("on", v.DATE_IN_FUTURE),
    }


def test_group_session_and_attendance():
    v.validate_group_session(session("4.1.2024", starts_at="13.30"))
    v.validate_group_session(session("4.1.2024", starts_at="9:05"))
    v.validate_group_session(session("4.1.2024", starts_at=""))
    assert v.is_valid_time("23.59") and not v.is_valid_time("24.00")
    bad = session("4.1.2024", group_id="", starts_at="half past", duration_min=0)
    assert raised(v.validate_group_session, bad) == {
        ("group_id", v.REQUIRED),
        ("starts_at", v.TIME_INVALID),
        ("duration_min", v.DURATION_RANGE),
    }
    v.validate_attendance(Attendance("a", "s", "c1"))
    assert raised(v.validate_attendance, Attendance("a", "s", "c1", status="late")) == {
        ("status", v.CODE_UNKNOWN)
    }
    v.validate_group(Group("g", "Kävelyryhmä"))
    assert raised(v.validate_group, Group("g", " ")) == {("name", v.REQUIRED)}
    v.validate_group_member(GroupMember("m", "g", "c1", d("1.1.2024"), d("1.2.2024")))
    assert raised(
        v.validate_group_member, GroupMember("m", "g", "c1", d("1.2.2024"), d("1.1.2024"))
    ) == {("left_on", v.END_BEFORE_START)}


# --- assessments and agreements -------------------------------------------------------


def test_assessment_answers_against_the_scale():
    scales = {"health": (0.0, 10.0), "home": (0.0, 10.0)}
    v.validate_assessment(assessment("4.1.2024", answers={"health": 0, "home": 10.0}), scales)
    bad = assessment("5.1.2024", answers={"health": 11, "home": math.nan, "pets": 3})
    assert raised(v.validate_assessment, bad, scales, today=d("4.1.2024")) == {
        ("answers", v.ANSWER_OUT_OF_RANGE),
        ("answers", v.ANSWER_NOT_NUMBER),
        ("answers", v.ANSWER_UNKNOWN_ITEM),
        ("on", v.DATE_IN_FUTURE),
    }
    # without a scale only the numbers themselves are checked
    v.validate_assessment(assessment("4.1.2024", answers={"anything": 42}))
    assert raised(v.validate_assessment, assessment("4.1.2024", answers={"x": True})) == {
        ("answers", v.ANSWER_NOT_NUMBER)
    }


def test_agreement_holds_at_most_three_goals():
    v.validate_agreement(Agreement("a", "p1", goal_ids=["g1", "g2", "g3", "g3"]))
    problems = v.agreement_problems(Agreement("a", "p1", goal_ids=["g1", "g2", "g3", "g4"]))
    assert keys(problems) == {("goal_ids", v.AGREEMENT_TOO_MANY_GOALS)}
    assert problems[0].params == {"max": 3}


def test_validation_error_carries_every_problem_per_field():
    with pytest.raises(ValidationError) as info:
        v.validate_client(client(first_name="", last_name=""))
    error = info.value
    assert len(error.problems) == 2
    assert [p.message_key for p in error.for_field("first_name")] == [v.REQUIRED]
    assert "Maija" not in str(error)


def test_every_message_key_is_translated_and_fills_its_params():
    all_keys = {
        value for name, value in vars(v).items() if name.isupper() and isinstance(value, str)
    }
    all_keys = {k for k in all_keys if k.startswith("validation.")}
    assert len(all_keys) > 25
    for lang in i18n.LANGUAGES:
        catalogue = i18n.catalogue(lang)
        for key in all_keys:
            assert key in catalogue, (lang, key)
    # a real problem with parameters renders without leftover braces
    from sosku_desktop.domain.messages import display_params

    problem = v.period_problems(period("4.1.2024", "4.1.2025"))[0]
    for lang in i18n.LANGUAGES:
        text = i18n.tr(problem.message_key, lang, **display_params(problem.params))
        assert "{" not in text and "3.1.2025" in text and "12" in text


def test_overlapping_activity_money_or_transport_card_decisions_are_refused_too():
    """QA walk: a second positive activity-money decision for the same month was saved
    (the same days paid twice), and two transport cards for the same days."""
    for kind in (codes.DECISION_ACTIVITY_MONEY, codes.DECISION_TRANSPORT_CARD):
        october = decision("1.10.2024", "31.10.2024", kind=kind)
        again = decision("15.10.2024", "31.10.2024", kind=kind)
        problems = v.decision_problems(again, others=[october])
        assert keys(problems) == {("valid_from", v.DECISION_OVERLAPS)}, kind
        # another kind, or the next month, is no overlap
        v.validate_decision(decision("1.11.2024", "30.11.2024", kind=kind), others=[october])
        v.validate_decision(decision("15.10.2024", "31.10.2024"), others=[october])


def test_a_decisions_texts_have_limits_like_every_form():
    """A pasted 50,000-character reasoning or number was saved and printed page after page."""
    long = decision(
        "4.1.2024",
        "3.4.2024",
        number="S" * 201,
        heard_how="h" * 201,
        details="d" * 201,
        reasoning="r" * 5001,
    )
    assert keys(v.decision_problems(long)) == {
        ("number", v.TOO_LONG),
        ("heard_how", v.TOO_LONG),
        ("details", v.TOO_LONG),
        ("reasoning", v.TOO_LONG),
    }
    v.validate_decision(decision("4.1.2024", "3.4.2024", reasoning="r" * 5000, number="S" * 200))
