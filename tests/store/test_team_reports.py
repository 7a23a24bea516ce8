"""Team figures from a real encrypted store, and the access-log rows reports write."""

from __future__ import annotations

import pytest

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.team_report import ReportFilter
from sosku_desktop.store.database import Store
from sosku_desktop.store.team_reports import build_team_report, organisation_info
from tests.team_fixture import TODAY, W1, WINDOW, A, B, C, write_team


@pytest.fixture
def team_store(store: Store) -> Store:
    write_team(store)
    return store


def _audit(store: Store, action: str) -> list[models.AuditEntry]:
    with store.read() as r:
        return [e for e in r.list(models.AuditEntry, order_by="at") if e.action == action]


def test_figures_from_the_store_match_the_hand_checked_ones(team_store: Store) -> None:
    report = build_team_report(team_store, ReportFilter(*WINDOW), TODAY)
    assert report.clients_in_service == 3
    assert [
        (m.realised, m.clients_with_target, m.clients_meeting_target) for m in report.meeting_months
    ] == [(6, 3, 3), (2, 3, 0), (4, 2, 2)]
    assert report.meeting_kinds[codes.MEETING_HOME_VISIT] == 4
    assert [(g.name, g.rate_percent) for g in report.groups] == [
        ("Kävelyryhmä", 50),
        ("Taideryhmä", 100),
    ]
    # the organisation's rate of 10 € from 1.3.2026 comes from the synced settings
    assert [m.total_cents for m in report.money_months] == [8100, 4500, 4000]
    assert report.money_total_cents == 16600
    assert [(b.worker_name, b.status.spent_cents) for b in report.budgets] == [
        ("Mikko Työntekijä", 16000),
        ("Sanna Ohjaaja", 4240),
    ]
    assert report.client_ids == [A, B, C]


def test_building_a_report_writes_no_log_row_by_itself(team_store: Store) -> None:
    before = len(_audit(team_store, codes.AUDIT_VIEW))
    build_team_report(team_store, ReportFilter(*WINDOW, W1), TODAY)
    assert len(_audit(team_store, codes.AUDIT_VIEW)) == before


def test_organisation_comes_from_the_settings(team_store: Store) -> None:
    with team_store.read() as r:
        info = organisation_info(r)
    assert info.name == "Testikaupunki, aikuissosiaalityö"
    assert info.contact == ""
