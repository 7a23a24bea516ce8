"""The pure trust rules: authority statements, revocation cut-off, chains, write rules."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from sosku_desktop.sync import authority, chain
from sosku_desktop.sync.apply_rules import CLOCK_DEVICE, FORBIDDEN_WRITE, check
from sosku_desktop.sync.authority import (
    BadStatement,
    DeviceStatement,
    EpochStatement,
    TrustedRoster,
)
from sosku_desktop.sync.crypto import DeviceKeys

TEAM = "team-1"


def device(
    version: int, device_id: str, status: str, last_seq: int | None = None
) -> DeviceStatement:
    keys = DeviceKeys.generate().public
    return DeviceStatement(
        TEAM, version, device_id, device_id, keys.sign_pub, keys.box_pub, status, last_seq
    )


def test_safety_number_is_128_bits_in_groups_and_compares_loosely() -> None:
    key = authority.public_key_of(SigningKey.generate())
    number = authority.safety_number(key)
    groups = number.split(" ")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)  # 32 hex digits = 128 bits
    assert authority.normalize_safety_number(number.lower().replace(" ", "-")) == number.replace(
        " ", ""
    )


def test_key_file_is_private_bound_to_its_team_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "admin.key"
    key = authority.create_key_file(path, TEAM)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert bytes(authority.load_key_file(path, TEAM)) == bytes(key)
    with pytest.raises(ValueError, match="another team"):
        authority.load_key_file(path, "team-2")
    with pytest.raises(FileExistsError):
        authority.create_key_file(path, TEAM)


def test_statements_verify_only_under_the_authority_and_the_team() -> None:
    key = SigningKey.generate()
    statement = device(1, "dev-a", "active")
    wire = authority.sign_statement(key, statement)
    assert authority.verify_statement(wire, authority.public_key_of(key), TEAM) == statement
    other = authority.public_key_of(SigningKey.generate())
    with pytest.raises(BadStatement):
        authority.verify_statement(wire, other, TEAM)
    with pytest.raises(BadStatement):
        authority.verify_statement(wire, authority.public_key_of(key), "team-2")
    forged = dict(
        wire, statement=authority.sign_statement(key, device(2, "x", "active"))["statement"]
    )
    with pytest.raises(BadStatement):
        authority.verify_statement(forged, authority.public_key_of(key), TEAM)


def test_revocation_cut_off_keys_and_epochs() -> None:
    roster = TrustedRoster(TEAM)
    a, c = device(1, "a", "active"), device(3, "c", "active")
    for statement in (a, EpochStatement(TEAM, 2, 1), c):
        roster.add(statement)
    assert roster.signed_epoch == 1 and set(roster.active()) == {"a", "c"}
    assert roster.bundle_refusal("c", 10, 1) is None
    assert roster.bundle_refusal("ghost", 1, 1) == "unknown_device"
    assert roster.bundle_refusal("a", 1, 2) == "unsigned_epoch"
    revoked = DeviceStatement(TEAM, 4, "c", "c", c.sign_pub, c.box_pub, "revoked", 7)
    roster.add(revoked)
    roster.add(EpochStatement(TEAM, 5, 2))
    assert set(roster.active()) == {"a"} and roster.cutoff_epoch("c") == 2
    assert roster.signer_key("c") == c.sign_pub  # its history stays readable …
    assert roster.bundle_refusal("c", 7, 1) is None
    assert roster.bundle_refusal("c", 8, 1) == "revoked_device"  # … up to its last seq
    assert roster.bundle_refusal("c", 5, 2) == "revoked_device"  # and below the new epoch
    assert roster.key_sealer_ok("c", 1) and not roster.key_sealer_ok("c", 2)
    assert roster.key_sealer_ok("a", 2) and not roster.key_sealer_ok("a", 3)
    # A different statement under a version we hold is kept out and remembered.
    assert not roster.add(device(4, "mallory", "active"))
    assert roster.conflicts == {4} and "mallory" not in roster.devices()


def test_statements_beyond_a_missing_version_are_not_believed() -> None:
    """A relay that leaves out the revocation (version 2) but serves its epoch (3)."""
    roster = TrustedRoster(TEAM)
    c = device(1, "c", "active")
    revoked = DeviceStatement(TEAM, 2, "c", "c", c.sign_pub, c.box_pub, "revoked", 0)
    for statement in (c, EpochStatement(TEAM, 3, 2), device(4, "d", "active")):
        roster.add(statement)
    assert roster.signed_epoch == 2  # believed as served …
    assert roster.keep_contiguous() == [3, 4]
    assert roster.signed_epoch == 0 and set(roster.active()) == {"c"}  # … up to the gap only
    for statement in (revoked, EpochStatement(TEAM, 3, 2), device(4, "d", "active")):
        roster.add(statement)
    assert roster.keep_contiguous() == []
    assert roster.signed_epoch == 2 and set(roster.active()) == {"d"}


def _bundle(device_id: str, seq: int, ops: list[dict[str, object]], **extra: object) -> dict:
    return {
        "bundle_id": f"00000000-0000-4000-8000-{seq:012d}",
        "team_id": TEAM,
        "device_id": device_id,
        "device_seq": seq,
        "hlc": f"{1_700_000_000_000 + seq:016d}-00000-{device_id}",
        "epoch": 1,
        "schema_version": 1,
        "ops": ops,
        **extra,
    }


def test_chain_links_views_forks_and_withheld_tails() -> None:
    ops = [{"t": "clients", "r": "r1", "c": "notes", "v": "x"}]
    b1 = _bundle("b", 1, ops, prev="")
    b2 = _bundle("b", 2, ops, prev=chain.digest_of(b1))
    state = chain.ChainState()
    assert state.observe(b1, "me") is None and state.observe(b2, "me") is None
    assert state.observe(b2, "me") is None  # a re-pull
    assert not state.problems
    # a claims b at 3: we have only 2 → withheld until b3 arrives.
    b3 = _bundle("b", 3, ops, prev=chain.digest_of(b2))
    a1 = _bundle("a", 1, ops, prev="", heads={"b": [3, chain.digest_of(b3)]})
    state.observe(a1, "me")
    state.check_complete()
    assert state.problems == [chain.WITHHELD]
    state.problems.clear()
    assert state.observe(b3, "me") is None and not state.expect
    state.check_complete()
    assert not state.problems
    # A bundle that does not continue the chain is a fork; so is another bundle 3.
    assert state.observe(_bundle("b", 4, ops, prev="f" * 64), "me") == chain.FORK
    other3 = _bundle("b", 3, [{"t": "clients", "r": "r2", "c": "notes", "v": "y"}])
    assert state.observe(other3, "me") == chain.FORK
    # a's view moving backwards is flagged.
    state.problems.clear()
    state.observe(_bundle("a", 2, ops, prev=chain.digest_of(a1), heads={"b": [1, "0"]}), "me")
    assert chain.HEAD_BACKWARDS in state.problems


def test_write_rules_audit_rows_are_insert_only_by_their_author() -> None:
    def clocks(held: dict[str, list[str]]):  # type: ignore[no-untyped-def]
        return lambda table, row: held.get(row, [])

    create = [
        {"t": "audit_log", "r": "row-1", "c": "device_id", "v": "b"},
        {"t": "audit_log", "r": "row-1", "c": "action", "v": "view"},
    ]
    mine = _bundle("b", 1, create)
    assert check(mine, clocks({})) is None
    assert check(mine, clocks({"row-1": [mine["hlc"]]})) is None  # the same bundle again
    assert check(mine, clocks({"row-1": ["0001700000000000-00000-a"]})) == FORBIDDEN_WRITE
    assert check(_bundle("c", 1, create), clocks({})) == FORBIDDEN_WRITE  # in b's name
    delete = [{"t": "audit_log", "r": "row-1", "d": True}]
    assert check(_bundle("b", 2, delete), clocks({})) == FORBIDDEN_WRITE
    borrowed = dict(_bundle("b", 3, [{"t": "clients", "r": "r", "c": "notes", "v": 1}]))
    borrowed["hlc"] = borrowed["hlc"].replace("-b", "-a")
    assert check(borrowed, clocks({})) == CLOCK_DEVICE
