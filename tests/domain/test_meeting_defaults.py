"""What a new meeting entry proposes: start, place and the next meeting."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sosku_desktop.domain import codes
from sosku_desktop.domain.meeting_defaults import (
    WORKDAY_END,
    WORKDAY_START,
    just_happened_start,
    last_place,
    meeting_defaults,
    next_meeting_at,
    next_meeting_within,
    rounded,
)
from tests.domain.builders import meeting


def test_a_just_happened_visit_starts_duration_before_now_rounded_to_five() -> None:
    """Issue 12: the start defaulted to now, so a visit was recorded at its end time."""
    assert just_happened_start(datetime(2026, 11, 24, 12, 7), 60) == datetime(2026, 11, 24, 11, 5)
    assert just_happened_start(datetime(2026, 11, 24, 12, 8), 45) == datetime(2026, 11, 24, 11, 25)
    assert just_happened_start(datetime(2026, 11, 24, 0, 20), 60) == datetime(2026, 11, 23, 23, 20)
    assert rounded(datetime(2026, 1, 1, 23, 58, 31), 5) == datetime(2026, 1, 2, 0, 0)


def test_the_place_is_where_the_client_was_last_met() -> None:
    meetings = [
        meeting("1.11.2026", place="Kirjasto"),
        meeting("10.11.2026", place="Koti"),
        meeting("12.11.2026", place="  "),
        meeting("20.11.2026", place="Kahvila", status=codes.MEETING_CANCELLED),
        meeting("15.11.2026", place="Kotona", deleted=True),
    ]
    assert last_place(meetings) == "Koti"
    assert last_place([]) == ""
    now = datetime(2026, 11, 24, 12, 0)
    assert meeting_defaults(now, meetings, 60, "home_visit", "Toimisto").place == "Koti"
    assert meeting_defaults(now, [], 60, "home_visit", "Toimisto").place == "Toimisto"


def test_next_meeting_is_the_same_weekday_and_hour_weeks_later() -> None:
    tuesday = datetime(2026, 11, 24, 13, 5)
    proposed = next_meeting_at(tuesday, 60)
    assert proposed.weekday() == tuesday.weekday()
    assert proposed - tuesday in (timedelta(weeks=1, minutes=-5), timedelta(weeks=2, minutes=-5))
    assert proposed.time() == time(13, 0)


def test_next_meeting_is_never_in_the_middle_of_the_night() -> None:
    """Issue 12: a next-meeting default fell in the middle of the night."""
    late = next_meeting_at(datetime(2026, 11, 24, 23, 40), 60)
    assert late.time() == time(15, 0) and late.weekday() == 1
    early = next_meeting_at(datetime(2026, 11, 24, 0, 10), 90)
    assert early.time() == WORKDAY_START
    saturday = next_meeting_at(datetime(2026, 11, 28, 11, 0), 60)
    assert saturday.weekday() == 0


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1)),
    st.integers(min_value=1, max_value=600),
)
def test_every_proposal_fits_working_hours(start: datetime, duration: int) -> None:
    proposed = next_meeting_at(start, duration)
    assert proposed.weekday() < 5
    assert proposed.time() >= WORKDAY_START
    end = proposed + timedelta(minutes=min(duration, 8 * 60))
    assert end <= datetime.combine(proposed.date(), WORKDAY_END)
    assert proposed.minute % 15 == 0
    assert timedelta(days=6) <= proposed - start <= timedelta(days=17)


def test_defaults_of_a_recorded_and_a_planned_entry() -> None:
    now = datetime(2026, 11, 24, 14, 2)
    recorded = meeting_defaults(now, [], 45, "walk")
    assert recorded.starts_at == datetime(2026, 11, 24, 13, 15)
    assert recorded.kind == "walk" and recorded.duration_min == 45
    assert recorded.next_meeting_at == datetime(2026, 12, 8, 13, 15)
    planned = meeting_defaults(now, [], 45, "walk", plan=True)
    assert planned.starts_at == datetime(2026, 11, 25, 10, 0)


def test_recording_on_a_day_with_a_planned_visit_completes_it() -> None:
    """Issue 12: Ctrl+M recorded a second meeting beside today's planned one."""
    from sosku_desktop.domain.meeting_defaults import planned_to_complete

    now = datetime(2026, 11, 24, 12, 0)
    morning = meeting("24.11.2026", codes.MEETING_PLANNED, at=time(9, 0), meeting_id="a")
    noon = meeting("24.11.2026", codes.MEETING_PLANNED, at=time(11, 30), meeting_id="b")
    other_period = meeting(
        "24.11.2026", codes.MEETING_PLANNED, period_id="p2", at=time(12, 0), meeting_id="c"
    )
    held = meeting("24.11.2026", at=time(12, 0), meeting_id="d")
    tomorrow = meeting("25.11.2026", codes.MEETING_PLANNED, meeting_id="e")
    meetings = [morning, noon, other_period, held, tomorrow]
    assert planned_to_complete(meetings, now, "p1") == noon
    assert planned_to_complete(meetings, now) == other_period
    assert planned_to_complete([held, tomorrow], now, "p1") is None
    gone = meeting("24.11.2026", codes.MEETING_PLANNED, deleted=True)
    assert planned_to_complete([gone], now) is None


def test_the_proposed_next_meeting_stays_on_the_period_s_days() -> None:
    """QA walk: the "same weekday two weeks on" proposal fell after the period's end."""
    tuesday = datetime(2026, 11, 10, 13, 0)
    assert next_meeting_within(tuesday, 60, date(2026, 12, 31)) == datetime(2026, 11, 24, 13, 0)
    assert next_meeting_within(tuesday, 60, None) == datetime(2026, 11, 24, 13, 0)
    # the period ends on Sunday 22.11.: the last working day, Friday 20.11., same hour
    assert next_meeting_within(tuesday, 60, date(2026, 11, 22)) == datetime(2026, 11, 20, 13, 0)
    # the last day itself is still fine
    assert next_meeting_within(tuesday, 60, date(2026, 11, 24)) == datetime(2026, 11, 24, 13, 0)
    # no working day left after the meeting: no proposal
    assert next_meeting_within(tuesday, 60, date(2026, 11, 10)) is None
    friday = datetime(2026, 11, 13, 10, 0)
    assert next_meeting_within(friday, 60, date(2026, 11, 15)) is None
    now = datetime(2026, 11, 10, 14, 2)
    assert (
        meeting_defaults(now, [], 60, "walk", last_day=date(2026, 11, 10)).next_meeting_at is None
    )


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1)),
    st.integers(min_value=0, max_value=30),
)
def test_a_proposal_is_after_the_meeting_and_never_after_the_last_day(
    start: datetime, days_left: int
) -> None:
    last_day = start.date() + timedelta(days=days_left)
    proposed = next_meeting_within(start, 60, last_day)
    if proposed is not None:
        assert start < proposed and proposed.date() <= last_day
        assert proposed.weekday() < 5
