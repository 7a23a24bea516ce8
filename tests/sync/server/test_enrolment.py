"""The whole enrolment story against a real relay process, both backends."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sosku_desktop.sync import crypto
from sosku_desktop.sync.envelope import open_bundle
from sosku_desktop.sync.transport import DevicePending, NoEpoch, Unauthorized
from tests.sync.server.helpers import Device, ServerProcess, Team, admin


def run_cli(db_url: str, *args: str) -> str:
    """The admin CLI as an administrator runs it: a separate process."""
    result = subprocess.run(
        [sys.executable, "-m", "sosku_desktop.sync.server.cli", "--db", db_url, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_two_devices_enrol_share_keys_and_read_each_other(server: ServerProcess) -> None:
    team_id = run_cli(server.db_url, "team", "create", "Team North")
    code = run_cli(server.db_url, "join-code", "create", "--team", team_id, "--uses", "2")
    team = Team(server, team_id=team_id, code=code)
    try:
        first = team.join("Anna's laptop")
        with pytest.raises(DevicePending):
            first.transport.devices()
        status = first.transport.status()
        assert status["device"]["status"] == "pending"
        assert status["device"]["fingerprint"] == first.keys.fingerprint()
        assert first.transport.get_keys()["keys"] == []

        listing = run_cli(server.db_url, "device", "list", "--team", team_id)
        assert first.keys.fingerprint() in listing and "pending" in listing
        run_cli(
            server.db_url,
            "device",
            "approve",
            "--team",
            team_id,
            first.device_id[:8],
            "--fingerprint",
            first.keys.fingerprint(),
        )
        assert first.transport.status()["device"]["status"] == "active"

        with pytest.raises(NoEpoch):
            _push_without_epoch(first)
        assert team.new_epoch(by=first) == 1
        pushed = [first.bundle(f"note {i}") for i in range(3)]
        first.transport.push(pushed)

        second = team.join("Ben's laptop")
        team.approve(second)
        roster = {d["device_id"]: d for d in first.transport.devices()["devices"]}
        assert roster[second.device_id]["epochs"] == []
        assert roster[first.device_id]["epochs"] == [1]
        team.share_keys(by=first, to=second)
        roster = {d["device_id"]: d for d in first.transport.devices()["devices"]}
        assert roster[second.device_id]["epochs"] == [1]

        second.refresh_keys(team.sign_keys())
        assert second.epoch_keys == first.epoch_keys
        page = second.transport.pull(after=0)
        texts = [
            open_bundle(b, second.epoch_keys, team.sign_keys().get, team_id)["ops"][0]["v"]
            for b in page["bundles"]
        ]
        assert texts == ["note 0", "note 1", "note 2"]

        state = json.loads(run_cli(server.db_url, "--json", "status", "--team", team_id))
        assert state["epoch"] == 1 and state["head_seq"] == 3
        assert state["devices"] == {"pending": 0, "active": 2, "revoked": 0}
    finally:
        team.close()


def _push_without_epoch(device: Device) -> None:
    """A team with no epoch yet refuses bundles (no key exists to encrypt with)."""
    device.epoch_keys[1] = crypto.new_epoch_key()
    try:
        device.transport.push([device.bundle("too early")])
    finally:
        device.epoch_keys.clear()
        device.next_seq = 1


def test_join_code_is_checked_and_used_up(server: ServerProcess) -> None:
    team = Team(server)
    try:
        single = run_cli(server.db_url, "join-code", "create", "--team", team.team_id)
        team.code = "WRON-GCOD-EWRO-NGXX"
        with pytest.raises(Unauthorized) as info:
            team.join()
        assert info.value.code == "invalid_join_code"
        team.code = single.lower()  # codes are case- and dash-insensitive
        device = team.join()
        # Repeating the same join (lost answer) is answered, not refused …
        assert device.transport.join(single, "laptop")["status"] == "pending"
        # … but the code is used up for anyone else.
        with pytest.raises(Unauthorized):
            team.join()
    finally:
        team.close()


def test_expired_join_code_is_refused(server: ServerProcess) -> None:
    team = Team(server)
    try:
        team.code = run_cli(
            server.db_url, "join-code", "create", "--team", team.team_id, "--hours", "0.0000001"
        )
        with pytest.raises(Unauthorized):
            team.join()
    finally:
        team.close()


def test_approve_refuses_a_wrong_fingerprint(team: Team) -> None:
    device = team.join()
    with pytest.raises(RuntimeError, match="fingerprint does not match"):
        admin(
            team.db_url,
            "device",
            "approve",
            "--team",
            team.team_id,
            device.device_id,
            "--fingerprint",
            "0000 0000 0000 0000 0000 0000 0000 0000",
            *team.authority_args,
        )
    assert device.transport.status()["device"]["status"] == "pending"
