"""Meetings per month, the monthly target and the next meeting."""

from __future__ import annotations

from datetime import datetime, time

from sosku_desktop.domain import codes
from sosku_desktop.domain.meetings import (
    MonthCount,
    counts_by_kind,
    counts_by_status,
    evaluation_meeting_at,
    last_realised_meeting,
    meeting_target_met,
    meetings_per_month,
    meetings_target_for_month,
    methods_used,
    month_count,
    next_meeting_ok,
    next_planned_meeting,
    realised_in_month,
    realised_meetings,
    upcoming_planned,
)
from sosku_desktop.domain.rules_config import Rules
from tests.domain.builders import d, meeting, period


def test_only_realised_non_deleted_meetings_of_the_period_count():
    meetings = [
        meeting("4.1.2024"),
        meeting("5.1.2024", status=codes.MEETING_PLANNED),
        meeting("6.1.2024", status=codes.MEETING_CANCELLED),
        meeting("7.1.2024", status=codes.MEETING_NO_SHOW),
        meeting("8.1.2024", deleted=True),
        meeting("9.1.2024", period_id="p2"),
    ]
    assert [m.day for m in realised_meetings(meetings, "p1")] == [d("4.1.2024")]
    assert len(realised_meetings(meetings)) == 2


def test_same_day_meetings_each_count_but_are_one_day():
    p = period("1.1.2024", "31.12.2024")
    meetings = [meeting("4.1.2024", at=time(9)), meeting("4.1.2024", at=time(15))]
    count = month_count(p, meetings, 2024, 1)
    assert count == MonthCount(2024, 1, realised=2, days=1, target=2)
    assert count.met
    assert count.missing == 0


def test_target_is_prorated_at_the_period_edges():
    assert meetings_target_for_month(period("4.1.2024", "3.1.2025"), 2024, 1) == 2  # 28/31 days
    assert meetings_target_for_month(period("25.1.2024", "24.1.2025"), 2024, 1) == 1  # 7/31
    assert meetings_target_for_month(period("31.1.2024", "30.1.2025"), 2024, 1) == 1  # 1 day
    assert meetings_target_for_month(period("4.1.2024", "3.1.2025"), 2024, 6) == 2
    assert meetings_target_for_month(period("4.1.2024", "3.1.2025"), 2025, 1) == 1  # 3/31
    assert meetings_target_for_month(period("4.1.2024", "3.1.2025"), 2025, 2) == 0
    assert meetings_target_for_month(period("4.1.2024", "3.1.2025"), 2023, 12) == 0
    # leap February: 15.2.–29.2. is 15 of 29 days → ceil(30/29) = 2
    assert meetings_target_for_month(period("15.2.2024", "14.2.2025"), 2024, 2) == 2
    # 16.2.2023–28.2.2023: 13 of 28 days → ceil(26/28) = 1
    assert meetings_target_for_month(period("16.2.2023", "15.2.2024"), 2023, 2) == 1
    assert meetings_target_for_month(period("4.1.2024", "3.1.2024"), 2024, 1) == 0


def test_target_follows_the_rules():
    rules = Rules(min_meetings_per_month=4)
    p = period("1.1.2024", "31.12.2024")
    assert meetings_target_for_month(p, 2024, 3, rules) == 4
    meetings = [meeting(f"{day}.3.2024") for day in (1, 8, 15)]
    assert not meeting_target_met(p, meetings, 2024, 3, rules)
    assert meeting_target_met(p, meetings, 2024, 3)


def test_meetings_per_month_lists_every_month_with_zeros_over_the_year_end():
    p = period("15.11.2023", "14.11.2024")
    meetings = [
        meeting("20.11.2023"),
        meeting("30.11.2023"),
        meeting("31.12.2023"),
        meeting("1.1.2024"),
        meeting("2.1.2024", status=codes.MEETING_CANCELLED),
        meeting("29.2.2024"),
    ]
    months = meetings_per_month(p, meetings, until=d("10.3.2024"))
    assert [(m.year, m.month, m.realised) for m in months] == [
        (2023, 11, 2),
        (2023, 12, 1),
        (2024, 1, 1),
        (2024, 2, 1),
        (2024, 3, 0),
    ]
    assert [m.met for m in months] == [True, False, False, False, False]
    assert months[-1].missing == 2
    assert len(meetings_per_month(p, meetings)) == 13
    assert meetings_per_month(p, meetings, until=d("1.1.2023")) == []


def test_realised_in_month_uses_the_meeting_day():
    meetings = [meeting("31.1.2024", at=time(23, 45)), meeting("1.2.2024", at=time(0, 5))]
    assert [m.day for m in realised_in_month(meetings, 2024, 1)] == [d("31.1.2024")]
    assert [m.day for m in realised_in_month(meetings, 2024, 2)] == [d("1.2.2024")]


def test_next_planned_meeting():
    now = datetime(2024, 1, 10, 12, 0)
    meetings = [
        meeting("9.1.2024", status=codes.MEETING_PLANNED),  # past
        meeting("10.1.2024", status=codes.MEETING_PLANNED, at=time(11, 59)),  # just past
        meeting("12.1.2024", status=codes.MEETING_PLANNED, meeting_id="m-b"),
        meeting("12.1.2024", status=codes.MEETING_PLANNED, meeting_id="m-a"),
        meeting("11.1.2024", status=codes.MEETING_CANCELLED),
        meeting("11.1.2024", status=codes.MEETING_PLANNED, deleted=True),
        meeting("11.1.2024", status=codes.MEETING_PLANNED, period_id="p2"),
    ]
    nxt = next_planned_meeting(meetings, now, "p1")
    assert nxt is not None and nxt.id == "m-a"
    assert [m.id for m in upcoming_planned(meetings, now, "p1")] == ["m-a", "m-b"]
    other = next_planned_meeting(meetings, now, "p2")
    assert other is not None and other.period_id == "p2"
    assert next_planned_meeting(meetings, datetime(2024, 2, 1), "p1") is None
    at_now = meeting("10.1.2024", status=codes.MEETING_PLANNED, at=time(12, 0))
    assert next_planned_meeting([at_now], now) is at_now


def test_last_realised_meeting():
    meetings = [meeting("4.1.2024"), meeting("17.1.2024"), meeting("24.1.2024", deleted=True)]
    last = last_realised_meeting(meetings, "p1")
    assert last is not None and last.day == d("17.1.2024")
    earlier = last_realised_meeting(meetings, "p1", before=datetime(2024, 1, 17))
    assert earlier is not None and earlier.day == d("4.1.2024")
    assert last_realised_meeting([], "p1") is None


def test_counts_by_kind_and_status():
    meetings = [
        meeting("4.1.2024", kind=codes.MEETING_WALK),
        meeting("5.1.2024", kind=codes.MEETING_WALK),
        meeting("6.1.2024", kind=codes.MEETING_CAFE),
        meeting("7.1.2024", kind=codes.MEETING_CAFE, status=codes.MEETING_CANCELLED),
        meeting("8.1.2024", kind="museum"),
        meeting("9.1.2024", kind=codes.MEETING_PHONE, deleted=True),
    ]
    by_kind = counts_by_kind(meetings, "p1")
    assert list(by_kind)[: len(codes.MEETING_KINDS)] == list(codes.MEETING_KINDS)
    assert by_kind[codes.MEETING_WALK] == 2
    assert by_kind[codes.MEETING_CAFE] == 1
    assert by_kind[codes.MEETING_PHONE] == 0
    assert by_kind["museum"] == 1
    assert counts_by_kind(meetings, "p1", status=None)[codes.MEETING_CAFE] == 2
    by_status = counts_by_status(meetings, "p1")
    assert by_status == {
        codes.MEETING_PLANNED: 0,
        codes.MEETING_REALISED: 4,
        codes.MEETING_CANCELLED: 1,
        codes.MEETING_NO_SHOW: 0,
    }


def test_methods_used_counts_each_meeting_once_per_method():
    meetings = [
        meeting("4.1.2024", methods=["eco_map", "eco_map", "diary"]),
        meeting("5.1.2024", methods=["diary"]),
        meeting("6.1.2024", methods=["life_line"], status=codes.MEETING_CANCELLED),
    ]
    assert methods_used(meetings) == {"diary": 2, "eco_map": 1}


def test_an_evaluation_meeting_is_proposed_a_week_ahead_but_never_today() -> None:
    assert evaluation_meeting_at(d("30.3.2026"), d("2.3.2026")) == datetime(2026, 3, 23, 10, 0)
    assert evaluation_meeting_at(d("5.3.2026"), d("2.3.2026")) == datetime(2026, 3, 3, 10, 0)
    assert evaluation_meeting_at(d("1.3.2026"), d("2.3.2026")) == datetime(2026, 3, 3, 10, 0)


def test_the_next_meeting_must_come_after_this_one() -> None:
    now = datetime(2026, 3, 2, 10, 0)
    assert next_meeting_ok(now, None) and next_meeting_ok(now, datetime(2026, 3, 16, 10, 0))
    assert not next_meeting_ok(now, now)
