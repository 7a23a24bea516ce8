"""Team figures from plain domain objects, against the hand-checked fixture."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from sosku_desktop.domain import codes
from sosku_desktop.domain.rules_config import RatePeriod, Rules
from sosku_desktop.domain.team_report import ENDED, ReportFilter, TeamData, team_report
from tests.team_fixture import NAMES, TODAY, W1, W2, WINDOW, A, B, C, team_data


def _report(worker_id: str | None = None, data: TeamData | None = None):
    return team_report(data or team_data(), ReportFilter(*WINDOW, worker_id), TODAY)


def test_clients_in_service_by_current_phase_and_ended() -> None:
    report = _report()
    assert report.phases == {
        codes.PHASE_BEFORE_START: 0,
        codes.PHASE_START: 1,
        codes.PHASE_INTENSIVE: 1,
        codes.PHASE_EVALUATION: 0,
        codes.PHASE_GROUP: 0,
        codes.PHASE_ENDING: 0,
        ENDED: 1,
    }
    assert report.clients_in_service == 3
    assert (report.started, report.ended) == (2, 1)


def test_meetings_per_client_and_month_against_the_target() -> None:
    rows = [(r.client_name, r.month, r.realised, r.target, r.met) for r in _report().client_months]
    assert rows == [
        (NAMES[A], 1, 3, 2, True),
        (NAMES[A], 2, 1, 2, False),
        (NAMES[A], 3, 2, 2, True),
        (NAMES[B], 1, 1, 1, True),
        (NAMES[B], 2, 0, 2, False),
        (NAMES[B], 3, 2, 2, True),
        (NAMES[C], 1, 2, 2, True),
        (NAMES[C], 2, 1, 2, False),
    ]


def test_team_months_count_clients_meeting_the_target() -> None:
    months = [
        (m.month, m.realised, m.clients_with_target, m.clients_meeting_target, m.closed)
        for m in _report().meeting_months
    ]
    assert months == [(1, 6, 3, 3, True), (2, 2, 3, 0, True), (3, 4, 2, 2, True)]
    assert _report().realised_meetings == 12


def test_an_unfinished_month_is_marked_open() -> None:
    report = team_report(team_data(), ReportFilter(*WINDOW), date(2026, 3, 20))
    assert [m.closed for m in report.meeting_months] == [True, True, False]


def test_meeting_kinds_and_statuses_in_the_window() -> None:
    report = _report()
    assert report.meeting_kinds == {
        codes.MEETING_HOME_VISIT: 4,
        codes.MEETING_WALK: 3,
        codes.MEETING_CAFE: 1,
        codes.MEETING_OFFICE: 1,
        codes.MEETING_REMOTE: 1,
        codes.MEETING_PHONE: 0,
        codes.MEETING_ERRAND: 1,
        codes.MEETING_NETWORK: 1,
        codes.MEETING_OTHER: 0,
    }
    assert report.meeting_statuses == {
        codes.MEETING_PLANNED: 0,
        codes.MEETING_REALISED: 12,
        codes.MEETING_CANCELLED: 1,
        codes.MEETING_NO_SHOW: 1,
    }


def test_group_attendance_is_present_out_of_marked_at_held_sessions() -> None:
    groups = [
        (g.name, g.sessions, g.tally.present, g.tally.absent, g.tally.excused, g.rate_percent)
        for g in _report().groups
    ]
    assert groups == [("Kävelyryhmä", 2, 3, 2, 1, 50), ("Taideryhmä", 2, 4, 0, 0, 100)]


def test_activity_money_per_month_sums_the_clients() -> None:
    report = _report()
    money = [(m.month, m.clients, m.days, m.total_cents) for m in report.money_months]
    assert money == [(1, 3, 9, 8100), (2, 3, 5, 4500), (3, 2, 4, 3600)]
    assert report.money_total_cents == 16200
    per_client = {(r.client_id, r.month): (r.paid_days, r.paid_cents) for r in report.client_months}
    assert per_client[(A, 1)] == (4, 3600)
    assert per_client[(B, 2)] == (1, 900)
    assert per_client[(C, 1)] == (3, 2700)


def test_a_rate_change_is_paid_day_by_day() -> None:
    rules = Rules(
        activity_money_rates=(
            RatePeriod(date(2000, 1, 1), 900),
            RatePeriod(date(2026, 3, 1), 1000),
        )
    )
    data = dataclasses.replace(team_data(), rules=rules)
    report = _report(data=data)
    assert [m.total_cents for m in report.money_months] == [8100, 4500, 4000]


def test_worker_budget_use_per_year() -> None:
    lines = [
        (b.worker_name, b.status.year, b.status.budget_cents, b.status.spent_cents)
        for b in _report().budgets
    ]
    assert lines == [("Mikko Työntekijä", 2026, 15000, 16000), ("Sanna Ohjaaja", 2026, 30000, 4240)]
    assert _report().budgets[0].status.left_cents == -1000


def test_a_window_over_new_year_gives_a_budget_line_per_year() -> None:
    report = team_report(team_data(), ReportFilter((2025, 12), (2026, 1), W1), TODAY)
    assert [(b.status.year, b.status.spent_cents) for b in report.budgets] == [
        (2025, 5000),
        (2026, 4240),
    ]


def test_the_worker_filter_keeps_only_that_workers_clients() -> None:
    report = _report(W2)
    assert report.worker_name == "Mikko Työntekijä"
    assert report.client_ids == [C]
    assert report.clients_in_service == 1 and report.phases[ENDED] == 1
    months = [
        (m.realised, m.clients_with_target, m.clients_meeting_target) for m in report.meeting_months
    ]
    assert months == [(2, 1, 1), (1, 1, 0), (0, 0, 0)]
    assert [(g.name, g.tally.present, g.tally.marked) for g in report.groups] == [
        ("Kävelyryhmä", 1, 2),
        ("Taideryhmä", 1, 1),
    ]
    assert [m.total_cents for m in report.money_months] == [2700, 1800, 0]
    assert [b.worker_id for b in report.budgets] == [W2]


def test_the_worker_filter_counts_group_marks_of_that_workers_clients() -> None:
    report = _report(W1)
    assert report.client_ids == [A, B]
    assert [(g.tally.present, g.tally.absent, g.tally.excused) for g in report.groups] == [
        (2, 1, 1),
        (3, 0, 0),
    ]


def test_client_ids_follow_the_row_order() -> None:
    assert _report().client_ids == [A, B, C]


def test_an_empty_team_gives_zeros_not_errors() -> None:
    report = team_report(TeamData(), ReportFilter(*WINDOW), TODAY)
    assert report.clients_in_service == 0
    assert report.client_months == ()
    assert [m.share_met for m in report.meeting_months] == [None, None, None]
    assert report.groups == () and report.budgets == ()


@pytest.mark.parametrize(
    ("first", "last"),
    [((2026, 3), (2026, 1)), ((2026, 0), (2026, 1)), ((2026, 1), (2026, 13))],
)
def test_a_bad_window_is_refused(first: tuple[int, int], last: tuple[int, int]) -> None:
    with pytest.raises(ValueError):
        ReportFilter(first, last)


def test_stored_marks_outside_the_periods_or_ahead_are_left_out_of_the_money() -> None:
    """C's period ended 28.2.: a present mark stored for 24.3. earned C a day, as did
    one stored for a session still to come (B on 31.3., the report made on 20.3.)."""
    from sosku_desktop.domain.models import Attendance, GroupSession
    from tests.team_fixture import G1, B, C

    base = team_data()
    late, ahead = (
        GroupSession("late", G1, date(2026, 3, 24)),
        GroupSession("ahead", G1, date(2026, 3, 31)),
    )
    marks = [
        Attendance("m-late", "late", C, codes.ATTENDANCE_PRESENT),
        Attendance("m-ahead", "ahead", B, codes.ATTENDANCE_PRESENT),
    ]
    data = dataclasses.replace(
        base,
        sessions=[*base.sessions, late, ahead],
        attendances=[*base.attendances, *marks],
    )
    seen = date(2026, 3, 20)
    before = team_report(base, ReportFilter(*WINDOW), seen)
    after = team_report(data, ReportFilter(*WINDOW), seen)
    assert [m.total_cents for m in after.money_months] == [
        m.total_cents for m in before.money_months
    ]
    assert (before.left_out_marks, after.left_out_marks) == (0, 2)
    # once the session's day has come, B's mark (in B's period) earns its day
    later = team_report(data, ReportFilter(*WINDOW), date(2026, 4, 1))
    assert later.left_out_marks == 1
    assert (
        later.money_total_cents
        == team_report(base, ReportFilter(*WINDOW), date(2026, 4, 1)).money_total_cents + 900
    )


def test_the_worker_filter_leaves_out_groups_with_none_of_that_workers_clients() -> None:
    """QA walk: one worker's report listed a group only another worker's client went to
    (10 sessions, 0/0/0, an empty %); the whole team's report still lists it."""
    from sosku_desktop.domain.models import Attendance, Group, GroupSession
    from tests.team_fixture import C

    base = team_data()
    others = Group(id="g-others", name="Kokkiryhmä")
    sessions = [GroupSession(f"k{i}", others.id, date(2026, 1, 10 + i)) for i in range(10)]
    marks = [
        Attendance(f"km{i}", s.id, C, codes.ATTENDANCE_PRESENT) for i, s in enumerate(sessions)
    ]
    data = dataclasses.replace(
        base,
        groups=[*base.groups, others],
        sessions=[*base.sessions, *sessions],
        attendances=[*base.attendances, *marks],
    )
    assert "Kokkiryhmä" not in [g.name for g in _report(W1, data).groups]
    assert len(_report(W1, data).groups) == 2
    assert "Kokkiryhmä" in [g.name for g in _report(None, data).groups]
    assert "Kokkiryhmä" in [g.name for g in _report(W2, data).groups]
