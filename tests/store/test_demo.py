"""The demo caseload: realistic, complete, encrypted, and healthy."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from sosku_desktop.domain import codes, models
from sosku_desktop.store.demo import build_demo

ROOT = Path(__file__).resolve().parents[2]


def test_demo_covers_every_phase_kind_and_group(tmp_path: Path) -> None:
    store = build_demo(tmp_path / "d", today=date(2026, 11, 24))
    try:
        with store.read() as r:
            periods = r.list(models.Period)
            meetings = r.list(models.Meeting)
            groups = r.list(models.Group)
            sessions = r.list(models.GroupSession)
            attendances = r.list(models.Attendance)
            goals = r.list(models.Goal)
            decisions = r.list(models.Decision)
            expenses = r.list(models.Expense)
            clients = r.clients()
        assert len(clients) >= 10
        assert {p.phase for p in periods} == set(codes.PHASES)
        assert {m.kind for m in meetings} == set(codes.MEETING_KINDS)
        assert {m.status for m in meetings} == set(codes.MEETING_STATUSES)
        assert len(groups) == 2 and len(sessions) >= 20
        assert {a.status for a in attendances} == set(codes.ATTENDANCE_STATUSES)
        assert {g.level for g in goals} == set(codes.GOAL_LEVELS)
        assert {d.kind for d in decisions} >= {
            codes.DECISION_REHABILITATION,
            codes.DECISION_TRANSPORT_CARD,
        }
        assert any(d.continuation for d in decisions)
        assert expenses
        assert store.check() == []
    finally:
        store.close()


@pytest.mark.slow
def test_demo_data_command_gives_an_encrypted_directory_that_checks_ok(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo"
    env = {**os.environ, "SOSKU_PASSPHRASE": "demo"}
    run = [sys.executable, "-m", "sosku_desktop.app"]
    made = subprocess.run(
        [*run, "demo-data", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "12" in made.stdout
    for path in data_dir.rglob("*"):
        if path.is_file() and path.suffix == ".db":
            with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
                sqlite3.connect(path).execute("select * from sqlite_master").fetchall()
    checked = subprocess.run(
        [*run, "check", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0 and checked.stdout.strip() == "ok"
    listed = subprocess.run(
        [*run, "clients", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = listed.stdout.strip().splitlines()
    assert len(lines) == 12 and all(len(line.split("\t")[0]) == 36 for line in lines)


def test_every_demo_client_passes_the_forms_own_validation(tmp_path: Path) -> None:
    from sosku_desktop.domain.validation import validate_client, validate_period

    store = build_demo(tmp_path / "d", today=date(2026, 11, 24))
    try:
        with store.read() as r:
            for client in r.clients():
                validate_client(client)
            for period in r.list(models.Period):
                validate_period(period)
    finally:
        store.close()


def test_demo_decisions_meetings_and_groups_pass_the_apps_own_rules(tmp_path: Path) -> None:
    """QA walk: the demo's transport decision said "heard: yes, how: –", and the
    ended client stayed a group member after her period's last day."""
    from sosku_desktop.domain.attendance import is_member_on
    from sosku_desktop.domain.validation import decision_problems, meeting_period_problems

    store = build_demo(tmp_path / "d", today=date(2026, 11, 24))
    try:
        with store.read() as r:
            periods = {p.id: p for p in r.list(models.Period)}
            for decision in r.list(models.Decision):
                assert decision_problems(decision) == []
            for meeting in r.list(models.Meeting):
                assert meeting_period_problems(meeting, periods[meeting.period_id]) == []
            sessions = {s.id: s.on for s in r.list(models.GroupSession)}
            for period in periods.values():
                if period.ended_on is None:
                    continue
                members = r.list(models.GroupMember, client_id=period.client_id)
                after = date.fromordinal(period.ended_on.toordinal() + 1)
                assert not any(is_member_on(m, after) for m in members)
                rows = r.list(models.Attendance, client_id=period.client_id)
                assert all(sessions[a.session_id] <= period.ended_on for a in rows)
    finally:
        store.close()
