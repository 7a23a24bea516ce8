"""Team report operations: access-log rows for what was seen or exported, and the files."""

from __future__ import annotations

from pathlib import Path

import pytest

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.team_report import ReportFilter
from sosku_desktop.operations.reports import (
    AUDIT_REASON,
    export_team_report,
    export_with_log,
    log_clients,
)
from sosku_desktop.store.database import Store
from sosku_desktop.store.team_reports import build_team_report
from tests.team_fixture import TODAY, W1, WINDOW, A, B, C, write_team


@pytest.fixture
def team_store(bare_store: Store) -> Store:
    write_team(bare_store)
    return bare_store


def _audit(store: Store, action: str) -> list[models.AuditEntry]:
    with store.read() as r:
        return [e for e in r.list(models.AuditEntry, order_by="at") if e.action == action]


def test_viewing_per_client_rows_logs_one_view_per_client(team_store: Store) -> None:
    logged = log_clients(team_store, [A, B, A, C], codes.AUDIT_VIEW)
    assert logged.clients == 3
    assert logged.changes.accessed == {A, B, C} and not logged.changes.clients
    rows = _audit(team_store, codes.AUDIT_VIEW)
    assert sorted(e.client_id for e in rows) == sorted([A, B, C])
    assert {(e.record_table, e.reason, e.worker_id) for e in rows} == {
        ("clients", AUDIT_REASON, W1)
    }
    with pytest.raises(ValueError):
        log_clients(team_store, [A], codes.AUDIT_DELETE)
    assert not log_clients(team_store, [], codes.AUDIT_VIEW).changes


def test_an_export_is_logged_with_the_file_or_not_at_all(team_store: Store, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    assert export_with_log(team_store, [A, B], lambda: target.write_text("x")).clients == 2
    assert target.exists()
    assert sorted(e.client_id for e in _audit(team_store, codes.AUDIT_EXPORT)) == sorted([A, B])

    def fail() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError):
        export_with_log(team_store, [C], fail)
    assert C not in {e.client_id for e in _audit(team_store, codes.AUDIT_EXPORT)}


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_the_team_report_file_is_written_whole_and_logged(
    team_store: Store, tmp_path: Path, fmt: str
) -> None:
    report = build_team_report(team_store, ReportFilter(*WINDOW), TODAY)
    out = tmp_path / "sub" / f"report.{fmt}"
    logged = export_team_report(team_store, report, fmt, "fi", out)
    assert logged.clients == 3 and out.stat().st_size > 0
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left
    assert out.read_bytes().startswith(b"%PDF") == (fmt == "pdf")
    without = export_team_report(team_store, report, fmt, "fi", out, include_clients=False)
    assert without.clients == 0
