"""Queries narrowed by the database give what the whole-caseload computation gives.

The team report reads only the window's rows and the reminders group rows
per client; these tests build a generated ten-year caseload and compare the
narrowed answers with the answers computed from every row.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from sosku_desktop.domain import models
from sosku_desktop.domain.reminders import compute_reminders
from sosku_desktop.domain.team_report import ReportFilter, team_report
from sosku_desktop.store.caseload import populate
from sosku_desktop.store.database import Store
from sosku_desktop.store.records import load_rules
from sosku_desktop.store.team_reports import load_team_data
from tests.store.conftest import PASSPHRASE

TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 12, 0)


@pytest.fixture(scope="module")
def caseload(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.create(tmp_path_factory.mktemp("caseload") / "d", PASSPHRASE)
    populate(store, 400, TODAY)
    yield store
    store.close()


@pytest.mark.parametrize(
    "window", [((2026, 1), (2026, 11)), ((2019, 3), (2019, 5)), ((2026, 11), (2026, 11))]
)
def test_team_report_from_the_window_equals_the_report_from_every_row(
    caseload: Store, window: tuple[tuple[int, int], tuple[int, int]]
) -> None:
    with caseload.read() as r:
        everything = load_team_data(r)
        worker = everything.workers[0].id
        for report_filter in (ReportFilter(*window), ReportFilter(*window, worker)):
            narrowed = load_team_data(r, report_filter)
            assert len(narrowed.meetings) < len(everything.meetings)
            expected = team_report(everything, report_filter, TODAY)
            assert team_report(narrowed, report_filter, TODAY) == expected
            assert expected.client_months


def test_reminders_grouped_per_client_equal_the_per_period_scan(caseload: Store) -> None:
    """compute_reminders groups rows per client; the per-period rules give the same."""
    from sosku_desktop.domain import reminders as rem

    with caseload.read() as r:
        periods = r.list(models.Period)
        ids = [p.id for p in periods]
        rules = load_rules(r)
        decisions, meetings = r.decisions_of(ids), r.meetings_of(ids)
        sessions, marks = r.list(models.GroupSession), r.list(models.Attendance)
        assessments, members = r.list(models.Assessment), r.list(models.GroupMember)
        clients = r.list(models.Client)
    found = compute_reminders(
        TODAY, periods, decisions, meetings, sessions, marks, assessments, clients, rules,
        members=members,
    )  # fmt: skip
    expected = []
    done: set[str] = set()
    for period in rem.active_periods(periods, clients):
        own_d = [d for d in decisions if d.period_id == period.id]
        own_m = [m for m in meetings if m.period_id == period.id]
        expected += rem.decision_ending(TODAY, period, own_d, rules)
        expected += rem.evaluation_due(TODAY, period, own_d, rules)
        expected += rem.too_few_meetings(TODAY, period, own_m, rules)
        if period.client_id not in done:
            done.add(period.client_id)
            expected += rem.group_absences(TODAY, period, sessions, marks, members, rules)
        expected += rem.year_limit(TODAY, period, rules)
        expected += rem.self_assessment_due(TODAY, period, assessments, rules)
    assert found == sorted(expected, key=lambda r: r.sort_key)
    assert found


def test_search_narrows_in_the_database(caseload: Store) -> None:
    with caseload.read() as r:
        found = r.search_clients("jarvinen")
        assert found and all(c.last_name == "Järvinen" for c in found)
        assert r.search_clients("xyzzy") == []
