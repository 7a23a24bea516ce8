"""Activity money: 9 € per distinct day of realised activity, at the rate of that day."""

from __future__ import annotations

import dataclasses
from datetime import date, time

from sosku_desktop.domain import codes
from sosku_desktop.domain.activity_money import (
    PaidWindow,
    activity_days,
    activity_money_for_month,
    left_out_marks,
    months_with_activity,
    paid_window,
)
from sosku_desktop.domain.periods import DateRange
from sosku_desktop.domain.rules_config import RatePeriod, Rules
from tests.domain.builders import attendance, d, meeting, period, session

#: Client c1 in a period through all the years these tests use, seen from after them.
ANY = PaidWindow("c1", (DateRange(date(2000, 1, 1), date(2099, 12, 31)),), date(2099, 12, 31))


def canonical_records():
    """Meetings on 4.1., 17.1. and 24.1.2024, a group session on 17.1. with the
    client present, a cancelled meeting on 10.1. and a no-show on 12.1."""
    meetings = [
        meeting("4.1.2024"),
        meeting("17.1.2024", at=time(9, 0)),
        meeting("24.1.2024"),
        meeting("10.1.2024", status=codes.MEETING_CANCELLED),
        meeting("12.1.2024", status=codes.MEETING_NO_SHOW),
    ]
    group = session("17.1.2024")
    return meetings, [group], [attendance(group)]


def test_canonical_example_gives_three_days_times_nine_euros():
    meetings, sessions, attendances = canonical_records()
    month = activity_money_for_month(2024, 1, meetings, sessions, attendances, ANY)
    assert month.day_count == 3
    assert month.total_cents == 2700
    assert month.dates == [d("4.1.2024"), d("17.1.2024"), d("24.1.2024")]
    assert month.single_rate_cents == 900
    by_day = {p.day: p for p in month.days}
    assert by_day[d("17.1.2024")].meeting and by_day[d("17.1.2024")].group_session
    assert by_day[d("4.1.2024")].meeting and not by_day[d("4.1.2024")].group_session


def test_two_meetings_on_the_same_day_count_once():
    meetings = [
        meeting("4.1.2024", at=time(9, 0)),
        meeting("4.1.2024", at=time(14, 0)),
        meeting("4.1.2024", at=time(23, 59)),
    ]
    month = activity_money_for_month(2024, 1, meetings, [], [], ANY)
    assert month.day_count == 1
    assert month.total_cents == 900


def test_a_group_session_alone_earns_the_day():
    group = session("8.1.2024")
    month = activity_money_for_month(2024, 1, [], [group], [attendance(group)], ANY)
    assert month.dates == [d("8.1.2024")]
    assert month.days[0].group_session and not month.days[0].meeting


def test_planned_cancelled_no_show_and_deleted_meetings_earn_nothing():
    meetings = [
        meeting("5.1.2024", status=codes.MEETING_PLANNED),
        meeting("6.1.2024", status=codes.MEETING_CANCELLED),
        meeting("7.1.2024", status=codes.MEETING_NO_SHOW),
        meeting("8.1.2024", deleted=True),
    ]
    month = activity_money_for_month(2024, 1, meetings, [], [], ANY)
    assert month.day_count == 0
    assert month.total_cents == 0
    assert month.single_rate_cents is None


def test_absent_excused_deleted_and_other_clients_attendance_is_ignored():
    s1, s2, s3, s4 = (session(f"{day}.1.2024") for day in (8, 9, 10, 11))
    attendances = [
        attendance(s1, codes.ATTENDANCE_ABSENT),
        attendance(s2, codes.ATTENDANCE_EXCUSED),
        attendance(s3, deleted=True),
        attendance(s4, client_id="someone-else"),
    ]
    month = activity_money_for_month(2024, 1, [], [s1, s2, s3, s4], attendances, ANY)
    assert month.day_count == 0


def test_cancelled_deleted_or_unknown_sessions_earn_nothing():
    cancelled = session("8.1.2024", cancelled=True)
    deleted = session("9.1.2024", deleted=True)
    unknown = session("10.1.2024")
    attendances = [attendance(cancelled), attendance(deleted), attendance(unknown)]
    month = activity_money_for_month(2024, 1, [], [cancelled, deleted], attendances, ANY)
    assert month.day_count == 0


def test_meeting_and_group_session_on_the_same_day_count_once():
    group = session("17.1.2024")
    month = activity_money_for_month(
        2024, 1, [meeting("17.1.2024")], [group], [attendance(group)], ANY
    )
    assert month.day_count == 1
    assert month.total_cents == 900


def test_rate_change_in_the_middle_of_a_month_is_applied_day_by_day():
    rules = Rules(
        activity_money_rates=(
            RatePeriod(date(2000, 1, 1), 900),
            RatePeriod(date(2024, 1, 17), 1000),
        )
    )
    meetings, sessions, attendances = canonical_records()
    month = activity_money_for_month(2024, 1, meetings, sessions, attendances, ANY, rules)
    # 4.1. at the old rate; 17.1. (the first day of the new one) and 24.1. at the new
    assert [p.cents for p in month.days] == [900, 1000, 1000]
    assert month.total_cents == 2900
    assert month.single_rate_cents is None


def test_rate_periods_may_be_listed_in_any_order():
    rules = Rules(
        activity_money_rates=(
            RatePeriod(date(2024, 1, 20), 1200),
            RatePeriod(date(2000, 1, 1), 900),
            RatePeriod(date(2024, 1, 10), 1000),
        )
    )
    meetings, sessions, attendances = canonical_records()
    month = activity_money_for_month(2024, 1, meetings, sessions, attendances, ANY, rules)
    assert [p.cents for p in month.days] == [900, 1000, 1200]


def test_day_before_any_rate_earns_zero():
    rules = Rules(activity_money_rates=(RatePeriod(date(2024, 2, 1), 900),))
    month = activity_money_for_month(2024, 1, [meeting("31.1.2024")], [], [], ANY, rules)
    assert month.day_count == 1
    assert month.total_cents == 0


def test_month_boundary_splits_days_between_months():
    meetings = [meeting("31.1.2024", at=time(23, 30)), meeting("1.2.2024", at=time(0, 0))]
    january = activity_money_for_month(2024, 1, meetings, [], [], ANY)
    february = activity_money_for_month(2024, 2, meetings, [], [], ANY)
    assert january.dates == [d("31.1.2024")]
    assert february.dates == [d("1.2.2024")]


def test_year_boundary_keeps_december_and_january_apart():
    meetings = [meeting("31.12.2023"), meeting("1.1.2024")]
    december = activity_money_for_month(2023, 12, meetings, [], [], ANY)
    january = activity_money_for_month(2024, 1, meetings, [], [], ANY)
    same_month_other_year = activity_money_for_month(2024, 12, meetings, [], [], ANY)
    assert december.dates == [d("31.12.2023")]
    assert january.dates == [d("1.1.2024")]
    assert same_month_other_year.day_count == 0
    assert months_with_activity(meetings, [], [], ANY) == [(2023, 12), (2024, 1)]


def test_leap_day_is_paid_in_february():
    group = session("29.2.2024")
    month = activity_money_for_month(
        2024, 2, [meeting("28.2.2024")], [group], [attendance(group)], ANY
    )
    assert month.dates == [d("28.2.2024"), d("29.2.2024")]
    assert month.total_cents == 1800
    assert month.last_day == d("29.2.2024")
    assert activity_money_for_month(2024, 3, [meeting("28.2.2024")], [], [], ANY).day_count == 0


def test_first_and_last_day_of_month():
    month = activity_money_for_month(2023, 2, [], [], [], ANY)
    assert month.first_day == d("1.2.2023")
    assert month.last_day == d("28.2.2023")
    assert activity_money_for_month(2024, 12, [], [], [], ANY).last_day == d("31.12.2024")


def test_activity_days_reports_what_each_day_had():
    meetings, sessions, attendances = canonical_records()
    days = activity_days(meetings, sessions, attendances, ANY)
    assert days == {
        d("4.1.2024"): (True, False),
        d("17.1.2024"): (True, True),
        d("24.1.2024"): (True, False),
    }


def test_group_session_before_meeting_in_input_order_still_marks_both():
    group = session("17.1.2024")
    days = activity_days([meeting("17.1.2024")], [group], [attendance(group)], ANY)
    assert days[d("17.1.2024")] == (True, True)


def test_months_with_activity_ignores_unpaid_records():
    s = session("3.3.2024")
    records = (
        [meeting("5.2.2024", status=codes.MEETING_CANCELLED), meeting("6.4.2024")],
        [s],
        [attendance(s, codes.ATTENDANCE_ABSENT)],
    )
    assert months_with_activity(*records, ANY) == [(2024, 4)]


# --- only the days a period pays -------------------------------------------------------


def _stored_marks():  # type: ignore[no-untyped-def]
    """Present marks stored before marks were checked: before the period (3.1.), in it
    (10.1.), after its early ending (20.2.) and ahead of the session (30.3., seen 1.3.)."""
    sessions = [session(day) for day in ("3.1.2024", "10.1.2024", "20.2.2024", "30.3.2024")]
    ended = period("4.1.2024", "3.1.2025", ended_on=d("15.2.2024"), status=codes.PERIOD_ENDED)
    other = period("1.3.2024", "28.2.2025", period_id="p2")  # the next one, from 1.3.
    return sessions, [attendance(s) for s in sessions], [ended, other]


def test_stored_marks_outside_the_periods_or_ahead_earn_nothing():
    sessions, marks, periods = _stored_marks()
    paid = paid_window("c1", periods, d("1.3.2024"))
    january = activity_money_for_month(2024, 1, [], sessions, marks, paid)
    assert january.dates == [d("10.1.2024")]
    assert activity_money_for_month(2024, 2, [], sessions, marks, paid).day_count == 0
    assert activity_money_for_month(2024, 3, [], sessions, marks, paid).day_count == 0
    assert months_with_activity([], sessions, marks, paid) == [(2024, 1)]
    assert left_out_marks([], sessions, marks, paid) == [
        d("3.1.2024"),
        d("20.2.2024"),
        d("30.3.2024"),
    ]
    february = DateRange(d("1.2.2024"), d("29.2.2024"))
    assert left_out_marks([], sessions, marks, paid, february) == [d("20.2.2024")]
    # once the day has come, the mark in the next period earns its day
    later = paid_window("c1", periods, d("31.3.2024"))
    assert activity_money_for_month(2024, 3, [], sessions, marks, later).dates == [d("30.3.2024")]


def test_the_paid_window_is_the_clients_own_live_periods():
    sessions, marks, periods = _stored_marks()
    deleted = [dataclasses.replace(p, deleted=True) for p in periods]
    someone_else = [dataclasses.replace(p, client_id="c2") for p in periods]
    for others in (deleted, someone_else):
        paid = paid_window("c1", others, d("1.3.2024"))
        assert activity_days([], sessions, marks, paid) == {}
        assert len(left_out_marks([], sessions, marks, paid)) == 4


def test_stored_meetings_outside_the_periods_or_ahead_earn_nothing():
    """A realised meeting stored before the period (3.1.), after its early ending
    (20.2.) or ahead of its day (30.3., seen 1.3.) is not paid, like a mark; the
    notice counts it."""
    _sessions, _marks, periods = _stored_marks()
    meetings = [meeting(day) for day in ("3.1.2024", "10.1.2024", "20.2.2024", "30.3.2024")]
    paid = paid_window("c1", periods, d("1.3.2024"))
    assert sorted(activity_days(meetings, [], [], paid)) == [d("10.1.2024")]
    assert activity_money_for_month(2024, 2, meetings, [], [], paid).day_count == 0
    assert months_with_activity(meetings, [], [], paid) == [(2024, 1)]
    assert left_out_marks(meetings, [], [], paid) == [d("3.1.2024"), d("20.2.2024"), d("30.3.2024")]
    cancelled = [meeting("3.1.2024", status=codes.MEETING_CANCELLED)]
    assert left_out_marks(cancelled, [], [], paid) == []
