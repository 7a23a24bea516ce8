"""Reminders for the Today view."""

from __future__ import annotations

import dataclasses
import random
from datetime import time

import pytest

from sosku_desktop import i18n
from sosku_desktop.domain import codes
from sosku_desktop.domain import reminders as r
from sosku_desktop.domain.messages import display_params
from sosku_desktop.domain.models import GroupMember
from sosku_desktop.domain.rules_config import Rules
from tests.domain.builders import (
    assessment,
    attendance,
    client,
    d,
    decision,
    meeting,
    period,
    session,
)

P = period("4.1.2024", "3.1.2025")
FIRST = decision("4.1.2024", "3.4.2024", decision_id="dec-1")
SECOND = decision("4.4.2024", "3.7.2024", decision_id="dec-2", continuation=True)


def kinds(reminders):
    return [(x.kind, x.severity, x.due) for x in reminders]


# --- decision ending --------------------------------------------------------------


def test_decision_ending_within_fourteen_days():
    assert r.decision_ending(d("19.3.2024"), P, [FIRST]) == []
    found = r.decision_ending(d("20.3.2024"), P, [FIRST])
    assert kinds(found) == [(r.DECISION_ENDING, r.WARNING, d("3.4.2024"))]
    assert found[0].params == {"end": d("3.4.2024"), "days": 14, "decision_id": "dec-1"}
    assert found[0].text_key == "reminder.decision_ending.text"
    assert kinds(r.decision_ending(d("3.4.2024"), P, [FIRST]))[0][1] == r.WARNING


def test_continuation_silences_the_decision_ending():
    assert r.decision_ending(d("25.3.2024"), P, [FIRST, SECOND]) == []
    overlapping = decision("1.4.2024", "30.6.2024")
    assert r.decision_ending(d("25.3.2024"), P, [FIRST, overlapping]) == []


def test_deleted_or_negative_continuation_does_not_count():
    deleted = decision("4.4.2024", "3.7.2024", deleted=True)
    negative = decision("4.4.2024", "3.7.2024", outcome=codes.OUTCOME_NEGATIVE, reasoning="x")
    assert len(r.decision_ending(d("25.3.2024"), P, [FIRST, deleted, negative])) == 1


def test_ended_decision_without_continuation_is_urgent():
    found = r.decision_ending(d("5.4.2024"), P, [FIRST])
    assert kinds(found) == [(r.DECISION_ENDING, r.URGENT, d("3.4.2024"))]
    assert found[0].text_key == "reminder.decision_ending.text_overdue"
    assert found[0].params["days"] == -2
    # only the latest decision of the chain is reported
    later = r.decision_ending(d("10.7.2024"), P, [FIRST, SECOND])
    assert [x.ref for x in later] == ["dec-2"]


def test_decision_ending_with_the_period_needs_no_continuation():
    last = decision("4.10.2024", "3.1.2025")
    assert r.decision_ending(d("25.12.2024"), P, [last]) == []
    short = period("4.1.2024", "3.4.2024")
    assert r.decision_ending(d("25.3.2024"), short, [FIRST]) == []


def test_gap_after_the_decision_is_not_reported_as_overdue_for_the_old_one():
    after_gap = decision("10.4.2024", "9.7.2024")
    assert r.decision_ending(d("5.4.2024"), P, [FIRST, after_gap]) == []


# --- evaluation due ---------------------------------------------------------------


def test_evaluation_due_window_and_overdue():
    assert r.evaluation_due(d("19.3.2024"), P, [FIRST]) == []
    found = r.evaluation_due(d("20.3.2024"), P, [FIRST])
    assert kinds(found) == [(r.EVALUATION_DUE, r.WARNING, d("3.4.2024"))]
    assert found[0].params == {"due": d("3.4.2024"), "number": 1, "days": 14}
    late = r.evaluation_due(d("5.4.2024"), P, [FIRST])
    assert kinds(late) == [(r.EVALUATION_DUE, r.URGENT, d("3.4.2024"))]
    assert late[0].text_key == "reminder.evaluation_due.text_overdue"


def test_continuation_decision_records_the_evaluation():
    assert r.evaluation_due(d("25.3.2024"), P, [FIRST, SECOND]) == []
    negative = decision(
        "4.4.2024", "3.7.2024", continuation=True, outcome=codes.OUTCOME_NEGATIVE, reasoning="x"
    )
    assert r.evaluation_due(d("5.4.2024"), P, [FIRST, negative]) == []
    deleted = decision("4.4.2024", "3.7.2024", continuation=True, deleted=True)
    assert len(r.evaluation_due(d("5.4.2024"), P, [FIRST, deleted])) == 1
    # a follow-on decision not marked as a continuation is not taken as an evaluation
    unmarked = decision("4.4.2024", "3.7.2024")
    assert len(r.evaluation_due(d("5.4.2024"), P, [FIRST, unmarked])) == 1


def test_the_previous_continuation_does_not_count_for_the_next_evaluation():
    found = r.evaluation_due(d("25.6.2024"), P, [FIRST, SECOND])
    assert kinds(found) == [(r.EVALUATION_DUE, r.WARNING, d("3.7.2024"))]
    assert found[0].params["number"] == 2
    third = decision("4.7.2024", "3.10.2024", continuation=True)
    assert r.evaluation_due(d("25.6.2024"), P, [FIRST, SECOND, third]) == []


def test_evaluation_phase_lowers_the_severity():
    in_evaluation = period("4.1.2024", "3.1.2025", phase=codes.PHASE_EVALUATION)
    assert kinds(r.evaluation_due(d("5.4.2024"), in_evaluation, [FIRST])) == [
        (r.EVALUATION_DUE, r.INFO, d("3.4.2024"))
    ]


def test_the_period_end_is_no_interim_evaluation():
    short = period("4.1.2024", "3.4.2024")
    assert r.evaluation_due(d("30.3.2024"), short, [FIRST]) == []


# --- too few meetings -------------------------------------------------------------


def test_too_few_meetings_is_info_early_in_the_month():
    found = r.too_few_meetings(d("10.1.2024"), P, [meeting("4.1.2024")])
    assert kinds(found) == [(r.TOO_FEW_MEETINGS, r.INFO, d("31.1.2024"))]
    assert found[0].params == {"realised": 1, "target": 2, "planned": 0, "year": 2024, "month": 1}
    assert found[0].ref == "2024-01"


def test_planned_meetings_make_up_the_difference_early_on():
    meetings = [meeting("4.1.2024"), meeting("20.1.2024", status=codes.MEETING_PLANNED)]
    assert r.too_few_meetings(d("10.1.2024"), P, meetings) == []


def test_last_week_is_a_warning_unless_planned_meetings_cover_it():
    meetings = [meeting("4.1.2024")]
    assert kinds(r.too_few_meetings(d("25.1.2024"), P, meetings))[0][1] == r.WARNING
    assert kinds(r.too_few_meetings(d("24.1.2024"), P, meetings))[0][1] == r.INFO
    planned = [*meetings, meeting("30.1.2024", status=codes.MEETING_PLANNED)]
    assert kinds(r.too_few_meetings(d("25.1.2024"), P, planned))[0][1] == r.INFO


def test_last_week_in_february():
    leap = period("1.1.2024", "31.12.2024")
    assert kinds(r.too_few_meetings(d("23.2.2024"), leap, []))[0][1:] == (r.WARNING, d("29.2.2024"))
    assert kinds(r.too_few_meetings(d("22.2.2024"), leap, []))[0][1] == r.INFO
    common = period("1.1.2023", "31.12.2023")
    assert kinds(r.too_few_meetings(d("22.2.2023"), common, []))[0][1:] == (
        r.WARNING,
        d("28.2.2023"),
    )


def test_enough_realised_meetings_even_on_the_same_day():
    same_day = [meeting("4.1.2024", at=time(9)), meeting("4.1.2024", at=time(14))]
    assert r.too_few_meetings(d("28.1.2024"), P, same_day) == []


def test_cancelled_no_show_planned_in_the_past_and_deleted_do_not_count():
    meetings = [
        meeting("4.1.2024"),
        meeting("8.1.2024", status=codes.MEETING_CANCELLED),
        meeting("9.1.2024", status=codes.MEETING_NO_SHOW),
        meeting("10.1.2024", deleted=True),
        meeting("11.1.2024", status=codes.MEETING_PLANNED),  # planned, never marked done
    ]
    found = r.too_few_meetings(d("28.1.2024"), P, meetings)
    assert found[0].params["realised"] == 1
    assert found[0].params["planned"] == 0


def test_only_months_of_the_period_and_pro_rated_at_its_start():
    late_start = period("25.1.2024", "24.1.2025")
    assert r.too_few_meetings(d("24.1.2024"), late_start, []) == []
    found = r.too_few_meetings(d("26.1.2024"), late_start, [])
    assert found[0].params["target"] == 1
    assert r.too_few_meetings(d("26.1.2024"), late_start, [meeting("25.1.2024")]) == []
    assert r.too_few_meetings(d("10.2.2025"), P, []) == []  # after the period


# --- group absences ---------------------------------------------------------------


def group_records(statuses, group_id="g1", start_day=1):
    sessions = [session(f"{start_day + 7 * i}.2.2024", group_id) for i in range(len(statuses))]
    attendances = [attendance(s, status) for s, status in zip(sessions, statuses, strict=True)]
    return sessions, attendances


A, E, PR = codes.ATTENDANCE_ABSENT, codes.ATTENDANCE_EXCUSED, codes.ATTENDANCE_PRESENT


def test_two_absences_in_a_row():
    sessions, attendances = group_records([PR, A, A])
    found = r.group_absences(d("20.2.2024"), P, sessions, attendances)
    assert kinds(found) == [(r.GROUP_ABSENCES, r.WARNING, d("15.2.2024"))]
    assert found[0].params == {"count": 2, "last": d("15.2.2024"), "group_id": "g1"}


@pytest.mark.parametrize("statuses", [[A, E, A], [A, A, PR], [A], [E, E], [A, E]])
def test_no_reminder_without_two_consecutive_plain_absences(statuses):
    sessions, attendances = group_records(statuses)
    assert r.group_absences(d("28.2.2024"), P, sessions, attendances) == []


def test_unmarked_cancelled_future_and_deleted_marks_are_skipped():
    sessions, attendances = group_records([A, A, PR])
    # the "present" session is still to come on 15.2.
    assert len(r.group_absences(d("14.2.2024"), P, sessions, attendances)) == 1
    cancelled = session("5.2.2024", cancelled=True)
    extra = [attendance(cancelled, PR)]
    assert (
        len(r.group_absences(d("14.2.2024"), P, [*sessions, cancelled], attendances + extra)) == 1
    )
    attendances[1].deleted = True
    assert r.group_absences(d("14.2.2024"), P, sessions, attendances) == []


def test_groups_are_judged_separately():
    s1, a1 = group_records([A, A], "g1")
    s2, a2 = group_records([A, PR], "g2", start_day=2)
    found = r.group_absences(d("28.2.2024"), P, s1 + s2, a1 + a2)
    assert [x.params["group_id"] for x in found] == ["g1"]


def test_other_clients_marks_do_not_mix_in():
    sessions, _ = group_records([A, A])
    others = [attendance(s, A, client_id="c2") for s in sessions]
    assert r.group_absences(d("28.2.2024"), P, sessions, others) == []


def test_a_client_who_left_the_group_is_not_chased():
    sessions, attendances = group_records([A, A])
    left = [GroupMember("gm", "g1", "c1", d("1.1.2024"), d("20.2.2024"))]
    assert r.group_absences(d("28.2.2024"), P, sessions, attendances, left) == []
    still = [GroupMember("gm", "g1", "c1", d("1.1.2024"), None)]
    assert len(r.group_absences(d("28.2.2024"), P, sessions, attendances, still)) == 1


def test_consecutive_absences_follow_the_rules():
    sessions, attendances = group_records([PR, A, A])
    rules = Rules(consecutive_absences=3)
    assert r.group_absences(d("28.2.2024"), P, sessions, attendances, rules=rules) == []
    sessions, attendances = group_records([A, A, A])
    assert len(r.group_absences(d("28.2.2024"), P, sessions, attendances, rules=rules)) == 1


# --- year limit ---------------------------------------------------------------------


def test_year_limit_within_thirty_days():
    assert r.year_limit(d("3.12.2024"), P) == []
    found = r.year_limit(d("4.12.2024"), P)
    assert kinds(found) == [(r.YEAR_LIMIT, r.WARNING, d("3.1.2025"))]
    assert found[0].params == {"limit": d("3.1.2025"), "days": 30, "months": 12}
    late = r.year_limit(d("4.1.2025"), P)
    assert kinds(late) == [(r.YEAR_LIMIT, r.URGENT, d("3.1.2025"))]
    assert late[0].text_key == "reminder.year_limit.text_overdue"


def test_year_limit_of_a_leap_day_start():
    leap = period("29.2.2024", "28.2.2025")
    assert kinds(r.year_limit(d("29.1.2025"), leap)) == [(r.YEAR_LIMIT, r.WARNING, d("28.2.2025"))]
    assert r.year_limit(d("28.1.2025"), leap) == []


# --- self-assessment ----------------------------------------------------------------


def test_checkpoints():
    assert r.self_assessment_checkpoints(P) == [
        (r.CHECKPOINT_START, d("4.1.2024")),
        (r.CHECKPOINT_MIDPOINT, d("4.7.2024")),
        (r.CHECKPOINT_END, d("3.1.2025")),
    ]
    assert r.self_assessment_checkpoints(period("4.1.2024", "3.4.2024")) == [
        (r.CHECKPOINT_START, d("4.1.2024")),
        (r.CHECKPOINT_END, d("3.4.2024")),
    ]
    assert r.self_assessment_checkpoints(period("4.1.2024", "15.2.2024")) == [
        (r.CHECKPOINT_START, d("4.1.2024"))
    ]


def test_self_assessment_at_the_start():
    found = r.self_assessment_due(d("4.1.2024"), P, [])
    assert kinds(found) == [(r.SELF_ASSESSMENT_DUE, r.INFO, d("4.1.2024"))]
    assert found[0].text_key == "reminder.self_assessment_due.text_start"
    assert kinds(r.self_assessment_due(d("10.1.2024"), P, []))[0][1] == r.WARNING
    assert r.self_assessment_due(d("4.2.2024"), P, []) == []  # window over: no nagging
    assert r.self_assessment_due(d("10.1.2024"), P, [assessment("2.1.2024")]) == []
    assert r.self_assessment_due(d("10.1.2024"), P, [assessment("2.1.2024", period_id="p1")]) == []


def test_self_assessments_that_do_not_count():
    not_counting = [
        assessment("5.1.2024", client_id="c2"),
        assessment("5.1.2024", period_id="p-old"),
        assessment("5.1.2024", deleted=True),
        assessment("4.11.2023"),  # too long before the start
    ]
    assert len(r.self_assessment_due(d("10.1.2024"), P, not_counting)) == 1


def test_self_assessment_midpoint_and_end():
    mid = r.self_assessment_due(d("10.6.2024"), P, [assessment("4.1.2024")])
    assert kinds(mid) == [(r.SELF_ASSESSMENT_DUE, r.INFO, d("4.7.2024"))]
    assert mid[0].params == {"checkpoint": "midpoint", "due": d("4.7.2024")}
    assert r.self_assessment_due(d("10.6.2024"), P, [assessment("5.6.2024")]) == []
    assert len(r.self_assessment_due(d("10.6.2024"), P, [assessment("3.6.2024")])) == 1
    end = r.self_assessment_due(d("10.12.2024"), P, [assessment("4.1.2024")])
    assert [x.text_key for x in end] == ["reminder.self_assessment_due.text_end"]


# --- all together -------------------------------------------------------------------


def busy_records():
    """A client whose first decision is ending with no meetings, assessments or continuation."""
    s1, s2 = session("14.3.2024"), session("21.3.2024")
    return {
        "periods": [P],
        "decisions": [FIRST],
        "meetings": [meeting("5.3.2024")],
        "sessions": [s1, s2],
        "attendances": [attendance(s1, A), attendance(s2, A)],
        "assessments": [assessment("4.1.2024")],
        "clients": [client()],
    }


def test_compute_reminders_orders_by_due_date_then_kind():
    found = r.compute_reminders(d("25.3.2024"), **busy_records())
    assert kinds(found) == [
        (r.GROUP_ABSENCES, r.WARNING, d("21.3.2024")),
        (r.TOO_FEW_MEETINGS, r.WARNING, d("31.3.2024")),
        (r.DECISION_ENDING, r.WARNING, d("3.4.2024")),
        (r.EVALUATION_DUE, r.WARNING, d("3.4.2024")),
    ]


def test_compute_reminders_is_deterministic_whatever_the_input_order():
    second_client = period("1.2.2024", "31.1.2025", period_id="p2", client_id="c2")
    records = busy_records()
    records["periods"] = [P, second_client]
    records["clients"] = [client(), client("c2")]
    expected = r.compute_reminders(d("25.3.2024"), **records)
    assert {x.client_id for x in expected} == {"c1", "c2"}
    rng = random.Random(4)
    for _ in range(5):
        shuffled = {k: rng.sample(v, len(v)) for k, v in records.items()}
        assert r.compute_reminders(d("25.3.2024"), **shuffled) == expected
    assert [x.sort_key for x in expected] == sorted(x.sort_key for x in expected)


@pytest.mark.parametrize(
    "changes",
    [
        {"status": codes.PERIOD_ENDED, "ended_on": d("1.3.2024")},
        {"status": codes.PERIOD_PLANNED},
        {"deleted": True},
    ],
)
def test_only_active_periods(changes):
    records = busy_records()
    records["periods"] = [period("4.1.2024", "3.1.2025", **changes)]
    assert r.compute_reminders(d("25.3.2024"), **records) == []


def test_deleted_client_gets_no_reminders():
    records = busy_records()
    records["clients"] = [client(deleted=True)]
    assert r.compute_reminders(d("25.3.2024"), **records) == []


def test_group_absences_once_per_client_and_members_are_passed_on():
    records = busy_records()
    records["periods"] = [P, period("1.3.2024", "28.2.2025", period_id="p2")]
    found = r.compute_reminders(d("25.3.2024"), **records)
    absences = [x for x in found if x.kind == r.GROUP_ABSENCES]
    assert [x.period_id for x in absences] == ["p1"]
    left = [GroupMember("gm", "g1", "c1", d("1.1.2024"), d("22.3.2024"))]
    found = r.compute_reminders(d("25.3.2024"), **records, members=left)
    assert not [x for x in found if x.kind == r.GROUP_ABSENCES]


def test_a_decision_valid_after_an_ended_period_is_reminded_until_it_runs_out():
    """QA walk: decision to 28.12., period ended 19.11.: nothing said to end the decision."""
    p = period("4.1.2024", "3.1.2025", client_id="c1")
    ended = dataclasses.replace(p, status=codes.PERIOD_ENDED, ended_on=d("1.3.2024"))
    # a continuation already decided for later must be ended too
    found, later = r.decision_outlives_period(d("5.3.2024"), ended, [FIRST, SECOND])
    assert later.ref == "dec-2"
    assert (found.kind, found.severity, found.due, found.ref) == (
        r.DECISION_OUTLIVES_PERIOD,
        r.WARNING,
        d("1.3.2024"),
        "dec-1",
    )
    assert found.params["valid_to"] == d("3.4.2024")
    assert r.decision_outlives_period(d("4.4.2024"), ended, [FIRST]) == []  # ran out
    assert r.decision_outlives_period(d("5.3.2024"), p, [FIRST]) == []  # still active
    on_time = dataclasses.replace(ended, ended_on=d("3.4.2024"))
    assert r.decision_outlives_period(d("3.4.2024"), on_time, [FIRST]) == []
    records = busy_records()
    found_all = r.compute_reminders(d("5.3.2024"), **records, ended=[ended])
    assert [x.ref for x in found_all if x.kind == r.DECISION_OUTLIVES_PERIOD] == ["dec-1"]


def test_reminder_keys_are_stable_and_distinct():
    records = busy_records()
    found = r.compute_reminders(d("25.3.2024"), **records)
    again = r.compute_reminders(d("26.3.2024"), **records)
    assert [x.key for x in found] == [x.key for x in again]
    assert len({x.key for x in found}) == len(found)
    assert len(set(found)) == len(found)  # hashable despite the params dict


def every_kind_of_reminder():
    """Reminders of every kind and text variant."""
    p = period("4.1.2024", "3.1.2025", client_id="c1")
    s1, s2 = session("14.3.2024"), session("21.3.2024")
    found = [
        *r.decision_ending(d("25.3.2024"), p, [FIRST]),
        *r.decision_ending(d("5.4.2024"), p, [FIRST]),
        *r.evaluation_due(d("25.3.2024"), p, [FIRST]),
        *r.evaluation_due(d("5.4.2024"), p, [FIRST]),
        *r.too_few_meetings(d("25.3.2024"), p, []),
        *r.group_absences(d("25.3.2024"), p, [s1, s2], [attendance(s1, A), attendance(s2, A)]),
        *r.year_limit(d("10.12.2024"), p),
        *r.year_limit(d("5.1.2025"), p),
        *r.self_assessment_due(d("4.1.2024"), p, []),
        *r.self_assessment_due(d("10.6.2024"), p, []),
        *r.self_assessment_due(d("10.12.2024"), p, []),
        *r.unrecorded_meetings(
            d("25.3.2024"), p, [meeting("20.3.2024", codes.MEETING_PLANNED, meeting_id="u1")]
        ),
        *r.decision_outlives_period(
            d("5.3.2024"),
            dataclasses.replace(p, status=codes.PERIOD_ENDED, ended_on=d("1.3.2024")),
            [FIRST],
        ),
    ]
    assert {x.kind for x in found} == set(r.KINDS)
    return found


def test_reminder_texts_exist_and_fill_in_every_language():
    for reminder in every_kind_of_reminder():
        for lang in i18n.LANGUAGES:
            catalogue = i18n.catalogue(lang)
            for key in (reminder.title_key, reminder.text_key, reminder.severity_key):
                assert key in catalogue, (lang, key)
            text = i18n.tr(reminder.text_key, lang, **display_params(reminder.params))
            assert "{" not in text and "}" not in text, (lang, text)


def test_reminders_carry_no_client_names():
    names = {"Maija", "Meikäläinen"}
    for reminder in every_kind_of_reminder():
        for value in reminder.params.values():
            assert not any(name in str(value) for name in names)


def test_a_planned_meeting_left_unrecorded_becomes_a_reminder() -> None:
    """Issue 12: planned visits left unrecorded dropped off Today with no reminder."""
    p = period(start="4.1.2026", planned_end="3.1.2027")
    yesterday = meeting("23.11.2026", codes.MEETING_PLANNED, at=time(13, 30), meeting_id="m1")
    old = meeting("10.11.2026", codes.MEETING_PLANNED, meeting_id="m2")
    today = meeting("24.11.2026", codes.MEETING_PLANNED, meeting_id="m3")
    other = meeting("23.11.2026", codes.MEETING_PLANNED, period_id="p9", meeting_id="m4")
    gone = meeting("22.11.2026", codes.MEETING_PLANNED, meeting_id="m5", deleted=True)
    found = r.unrecorded_meetings(d("24.11.2026"), p, [yesterday, old, today, other, gone])
    assert [(x.ref, x.severity) for x in found] == [("m1", r.WARNING), ("m2", r.URGENT)]
    first = found[0]
    assert first.kind == r.UNRECORDED_MEETING and first.client_id == p.client_id
    assert first.due == d("23.11.2026") and first.params["time"] == "13.30"
    for lang in i18n.LANGUAGES:
        text = i18n.tr(first.text_key, lang, **display_params(first.params))
        assert "23.11.2026" in text and "13.30" in text
        assert i18n.tr(first.title_key, lang) != first.title_key
    every = r.compute_reminders(
        d("24.11.2026"), [p], [], [], [], [], [], unrecorded=[yesterday, old, today]
    )
    assert [x.ref for x in every if x.kind == r.UNRECORDED_MEETING] == ["m2", "m1"]


@pytest.mark.parametrize(
    ("lang", "months"),
    [("fi", "12 kuukautta"), ("sv", "12 månader"), ("en", "12 months")],
)
@pytest.mark.parametrize("today", ["3.1.2025", "4.1.2025", "2.1.2025"])
def test_year_limit_text_counts_the_months_not_the_days_left(
    lang: str, months: str, today: str
) -> None:
    """One day before (or after) the limit the text read "12 kuukauden" / "12 month":
    the plural form was picked by the days left, which the text does not show."""
    (found,) = r.year_limit(d(today), P)
    assert abs(found.params["days"]) <= 1  # type: ignore[arg-type]
    text = i18n.tr(found.text_key, lang, **display_params(found.params))
    assert months in text
