"""Attendance-sheet rules: who is listed, what a save changes, what marks add up to."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time

from sosku_desktop.domain import attendance, codes
from sosku_desktop.domain.attendance import SheetEntry, Tally
from sosku_desktop.domain.models import Attendance, GroupMember, GroupSession

P, A, E = codes.ATTENDANCE_PRESENT, codes.ATTENDANCE_ABSENT, codes.ATTENDANCE_EXCUSED
DAY = date(2026, 11, 24)


def _id(session_id: str, client_id: str) -> str:
    return f"{session_id}/{client_id}"


def _session(sid: str = "s1", on: date = DAY, **kw: object) -> GroupSession:
    return GroupSession(id=sid, group_id="g", on=on, **kw)  # type: ignore[arg-type]


def _member(cid: str, joined: date | None = None, left: date | None = None) -> GroupMember:
    return GroupMember(id=f"m-{cid}", group_id="g", client_id=cid, joined_on=joined, left_on=left)


def test_parse_clock_and_span() -> None:
    assert attendance.parse_clock("13.30") == time(13, 30)
    assert attendance.parse_clock(" 9:05 ") == time(9, 5)
    assert attendance.parse_clock("24.00") is None
    assert attendance.parse_clock("") is None
    assert attendance.session_span(_session(starts_at="13.00", duration_min=90)) == (
        datetime(2026, 11, 24, 13, 0),
        datetime(2026, 11, 24, 14, 30),
    )
    assert attendance.session_span(_session(starts_at="")) is None


def test_next_session_day_is_a_week_after_the_latest_and_not_in_the_past() -> None:
    sessions = [_session("a", date(2026, 11, 3)), _session("b", date(2026, 11, 10))]
    assert attendance.next_session_day(sessions, date(2026, 11, 12)) == date(2026, 11, 17)
    assert attendance.next_session_day(sessions, date(2026, 12, 2)) == date(2026, 12, 8)
    assert attendance.next_session_day([], DAY) == DAY


def test_membership_dates_decide_who_is_on_a_days_sheet() -> None:
    members = [
        _member("always"),
        _member("joined_later", joined=date(2026, 11, 25)),
        _member("left_that_day", joined=date(2026, 1, 1), left=DAY),
        _member("left_after", joined=date(2026, 1, 1), left=date(2026, 11, 25)),
        dataclasses.replace(_member("deleted"), deleted=True),
        _member("always"),  # a second row of the same person is listed once
    ]
    assert attendance.members_on(members, "g", DAY) == ["always", "left_after"]
    assert attendance.members_on(members, "other", DAY) == []


def test_sheet_lists_members_then_anyone_else_marked() -> None:
    session = _session()
    members = [_member("a"), _member("b"), _member("gone", left=date(2026, 11, 1))]
    marks = [
        Attendance(id="1", session_id="s1", client_id="b", status=A, note="flu"),
        Attendance(id="2", session_id="s1", client_id="gone", status=P),
        Attendance(id="3", session_id="s1", client_id="visitor", status=P, guest=True),
        Attendance(id="4", session_id="other", client_id="a", status=P),
        Attendance(id="5", session_id="s1", client_id="a", status=E, deleted=True),
    ]
    assert attendance.sheet_entries(session, members, marks) == [
        SheetEntry("a"),
        SheetEntry("b", A, "flu"),
        SheetEntry("gone", P, member=False),
        SheetEntry("visitor", P, guest=True, member=False),
    ]


def test_changes_add_update_clear_and_leave_the_unchanged_alone() -> None:
    existing = [
        Attendance(id=_id("s1", "same"), session_id="s1", client_id="same", status=P),
        Attendance(id=_id("s1", "edit"), session_id="s1", client_id="edit", status=P),
        Attendance(id=_id("s1", "clear"), session_id="s1", client_id="clear", status=A),
        Attendance(id=_id("s1", "back"), session_id="s1", client_id="back", status=A, deleted=True),
    ]
    entries = [
        SheetEntry("same", P),
        SheetEntry("edit", E, "  called in  "),
        SheetEntry("clear", None),
        SheetEntry("back", P),
        SheetEntry("new", A),
        SheetEntry("guest", P, guest=True, member=False),
        SheetEntry("never", None),
    ]
    to_add, to_update = attendance.attendance_changes("s1", entries, existing, _id)
    assert [(a.id, a.client_id, a.status, a.guest) for a in to_add] == [
        ("s1/new", "new", A, False),
        ("s1/guest", "guest", P, True),
    ]
    assert {a.client_id: (a.status, a.note, a.deleted) for a in to_update} == {
        "edit": (E, "called in", False),
        "clear": (A, "", True),
        "back": (P, "", False),
    }


def test_saving_the_same_marks_twice_changes_nothing() -> None:
    entries = [SheetEntry("a", P), SheetEntry("b", A, "note")]
    to_add, _ = attendance.attendance_changes("s1", entries, [], _id)
    again_add, again_update = attendance.attendance_changes("s1", entries, to_add, _id)
    assert (again_add, again_update) == ([], [])


def test_tallies() -> None:
    tally = attendance.sheet_tally(
        [SheetEntry("a", P), SheetEntry("b", P), SheetEntry("c", A), SheetEntry("d")]
    )
    assert tally == Tally(present=2, absent=1, excused=0, unmarked=1)
    assert tally.marked == 3
    assert tally.rate_percent == 67
    assert Tally().rate_percent is None

    past = _session("past", date(2026, 11, 17))
    cancelled = _session("cancelled", date(2026, 11, 10), cancelled=True)
    future = _session("future", date(2026, 12, 1))
    marks = [
        Attendance(id="1", session_id="past", client_id="a", status=P),
        Attendance(id="2", session_id="cancelled", client_id="a", status=A),
        Attendance(id="3", session_id="future", client_id="a", status=E),
        Attendance(id="4", session_id="past", client_id="b", status=A),
        Attendance(id="5", session_id="past", client_id="c", status=P, deleted=True),
    ]
    assert attendance.member_tallies([past, cancelled, future], marks, DAY) == {
        "a": Tally(present=1),
        "b": Tally(absent=1),
    }
    by_session = attendance.session_tallies([past, cancelled, future], marks)
    assert by_session["past"] == Tally(present=1, absent=1)
    assert by_session["future"] == Tally(excused=1)


def test_leaving_a_group_ends_a_running_membership_and_withdraws_a_future_one() -> None:
    today = date(2026, 3, 2)
    running = GroupMember("m1", "g1", "c1", joined_on=date(2026, 1, 5))
    future = GroupMember("m2", "g1", "c1", joined_on=date(2026, 3, 9))
    ended = GroupMember("m3", "g1", "c1", joined_on=date(2025, 1, 5), left_on=date(2025, 6, 1))
    other = GroupMember("m4", "g1", "c2", joined_on=date(2026, 1, 5))
    withdrawn, ending = attendance.ending_membership([running, future, ended, other], "c1", today)
    assert [m.id for m in withdrawn] == ["m2"]
    assert [(m.id, m.left_on) for m in ending] == [("m1", today)]
    # joined today: it never took effect, so it is withdrawn rather than ended
    same_day = GroupMember("m5", "g1", "c1", joined_on=today)
    assert attendance.ending_membership([same_day], "c1", today)[0] == [same_day]


def test_a_new_session_follows_the_latest_at_the_same_time_and_length() -> None:
    today = date(2026, 3, 2)
    first = attendance.next_session_template("s1", "g1", [], today)
    assert (first.on, first.starts_at, first.duration_min) == (
        today,
        "",
        attendance.DEFAULT_SESSION_MINUTES,
    )
    held = GroupSession("s1", "g1", date(2026, 2, 26), starts_at="10.00", duration_min=120)
    nxt = attendance.next_session_template("s2", "g1", [held], today)
    assert (nxt.id, nxt.on, nxt.starts_at, nxt.duration_min) == (
        "s2",
        date(2026, 3, 5),
        "10.00",
        120,
    )


def test_present_and_absent_wait_for_the_session_day_but_excused_may_be_told_ahead() -> None:
    session = GroupSession(id="s", group_id="g", on=date(2026, 3, 10))
    before = date(2026, 3, 9)
    for status in (codes.ATTENDANCE_PRESENT, codes.ATTENDANCE_ABSENT):
        problems = attendance.sheet_problems(session, [SheetEntry("c", status)], before)
        assert [(p.field, p.message_key, p.params) for p in problems] == [
            ("status", attendance.BEFORE_SESSION, {"date": session.on})
        ]
        assert attendance.sheet_problems(session, [SheetEntry("c", status)], session.on) == []
    told = [SheetEntry("c", codes.ATTENDANCE_EXCUSED), SheetEntry("d", None)]
    assert attendance.sheet_problems(session, told, before) == []


def test_present_only_for_clients_whose_period_covers_the_day() -> None:
    session = GroupSession(id="s", group_id="g", on=date(2026, 3, 10))
    entries = [
        SheetEntry("former", codes.ATTENDANCE_PRESENT, guest=True),
        SheetEntry("member", codes.ATTENDANCE_PRESENT),
        SheetEntry("gone", codes.ATTENDANCE_ABSENT),
    ]
    problems = attendance.sheet_problems(session, entries, session.on, {"former", "gone"})
    assert [(p.message_key, p.params) for p in problems] == [
        (attendance.NO_PERIOD, {"date": session.on, "n": 1})
    ]
    assert attendance.sheet_problems(session, entries[1:], session.on, {"former", "gone"}) == []
