"""This laptop's pinned team authority, the statements it verified, and what looked wrong.

``authority.py`` has the rules; this module keeps their inputs in the
encrypted store's ``meta`` (never synced): the authority key pinned at
join (``sync.authority``) with every statement verified so far, and the
problems the last round found (``sync.trust_problems``), which the Sync
page shows in plain words. A statement once verified is never dropped, so
a relay that later serves fewer (an older roster) changes nothing here and
is reported as ``roster_rollback``.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from sosku_desktop.store import meta_state
from sosku_desktop.store.database import Store
from sosku_desktop.sync import authority
from sosku_desktop.sync.authority import AuthorityMismatch, AuthorityMissing, TrustedRoster
from sosku_desktop.sync.protocol import PUBLIC_KEY_BYTES, ProtocolError, b64decode, b64encode

log = logging.getLogger(__name__)

K_AUTHORITY = "sync.authority"
K_PROBLEMS = "sync.trust_problems"
ALL_KEYS = (K_AUTHORITY, K_PROBLEMS)

#: Problem codes; each has ``sync.trust.<code>`` in the translations.
ROSTER_ROLLBACK = "roster_rollback"
BAD_STATEMENT = "bad_statement"
AUTHORITY_CONFLICT = "authority_conflict"
EPOCH_ROLLBACK = "epoch_rollback"
UNSIGNED_EPOCH = "unsigned_epoch"
ROSTER_MISMATCH = "roster_mismatch"
FORK = "fork"
WITHHELD = "withheld"
HEAD_BACKWARDS = "head_backwards"
SNAPSHOT_REFUSED = "snapshot_refused"
NEWER_EPOCH = "newer_epoch"
ROSTER_GAP = "roster_gap"
PROBLEMS = (
    ROSTER_ROLLBACK,
    BAD_STATEMENT,
    AUTHORITY_CONFLICT,
    EPOCH_ROLLBACK,
    UNSIGNED_EPOCH,
    ROSTER_MISMATCH,
    FORK,
    WITHHELD,
    HEAD_BACKWARDS,
    SNAPSHOT_REFUSED,
    NEWER_EPOCH,
    ROSTER_GAP,
)


class TrustBook:
    """Reads and writes the pinned authority of one store; short transactions only."""

    def __init__(self, store: Store, team_id: str) -> None:
        self.store = store
        self.team_id = team_id
        #: Problems found in this round (codes, each once, in order of discovery).
        self.problems: list[str] = []

    # --- plumbing ----------------------------------------------------------------------

    def _load(self) -> dict[str, Any]:
        with self.store.read() as r:
            raw = meta_state.get(r.conn, K_AUTHORITY)
        return json.loads(raw) if raw else {}

    def _save(self, data: dict[str, Any]) -> None:
        with self.store.write() as w:
            meta_state.put(w.conn, K_AUTHORITY, json.dumps(data))

    def flag(self, code: str) -> None:
        if code not in self.problems:
            log.warning("sync trust problem: %s", code)
            self.problems.append(code)

    # --- the pinned key ----------------------------------------------------------------

    def expect(self, safety_number: str) -> None:
        """Remember the safety number the administrator gave, before any key is pinned."""
        data = self._load()
        data["expected"] = authority.normalize_safety_number(safety_number)
        self._save(data)

    def pinned_key(self) -> bytes | None:
        raw = self._load().get("key")
        return b64decode(raw, "key", size=PUBLIC_KEY_BYTES) if raw else None

    def safety_number(self) -> tuple[str, bool] | None:
        """The pinned authority's safety number and whether it was checked at join."""
        data = self._load()
        key = data.get("key")
        if not key:
            return None
        return authority.safety_number(b64decode(key, "key")), bool(data.get("confirmed"))

    def _pin(self, data: dict[str, Any], served_key: bytes) -> None:
        """Pin the relay's authority key: only the expected one, or at first sight."""
        held = data.get("key")
        if held:
            if b64decode(held, "key") != served_key:
                raise AuthorityMismatch(
                    "the relay shows another team authority than the pinned one"
                )
            return
        expected = data.get("expected")
        number = authority.normalize_safety_number(authority.safety_number(served_key))
        if expected and expected != number:
            raise AuthorityMismatch("the team authority's safety number does not match")
        data["key"] = b64encode(served_key)
        data["confirmed"] = bool(expected)
        data.setdefault("statements", [])

    # --- statements ----------------------------------------------------------------------

    def roster(self) -> TrustedRoster:
        """The verified roster as last saved (no network)."""
        data = self._load()
        key = data.get("key")
        if not key:
            return TrustedRoster(self.team_id)
        roster, _, _ = authority.roster_from(
            list(data.get("statements", [])), b64decode(key, "key"), self.team_id
        )
        roster.keep_contiguous()
        return roster

    def update(self, served: Any) -> TrustedRoster:
        """Pin the served authority, verify and merge its statements, note what is wrong.

        Raises AuthorityMissing for a team without an authority and
        AuthorityMismatch for a key other than the pinned or expected one.
        """
        if not isinstance(served, dict) or not served.get("key"):
            raise AuthorityMissing("the team has no authority; ask the administrator")
        try:
            served_key = b64decode(served["key"], "key", size=PUBLIC_KEY_BYTES)
        except ProtocolError:
            raise AuthorityMissing("the relay serves a malformed authority key") from None
        data = self._load()
        self._pin(data, served_key)
        held_wires = list(data.get("statements", []))
        roster, kept, _ = authority.roster_from(held_wires, served_key, self.team_id)
        before = roster.version
        wires = served.get("statements")
        new_roster, new_kept, bad = authority.roster_from(
            wires if isinstance(wires, list) else [], served_key, self.team_id
        )
        if bad:
            self.flag(BAD_STATEMENT)
        for version in sorted(new_roster.statements):
            if roster.add(new_roster.statements[version]):
                kept[version] = new_kept[version]
        for version in roster.keep_contiguous():  # a statement left out below them
            self.flag(ROSTER_GAP)
            kept.pop(version, None)
        if roster.conflicts:
            self.flag(AUTHORITY_CONFLICT)
        if new_roster.version < before:
            self.flag(ROSTER_ROLLBACK)
        data["statements"] = [kept[v] for v in sorted(kept)]
        self._save(data)
        return roster

    def epoch_wire(self, epoch: int) -> dict[str, Any] | None:
        """The held, verified statement that signs ``epoch`` (wire form), if any.

        A sealed key for that epoch carries it (``epochs.KeyRing._proof``):
        the recipient then knows the authority signed the epoch even when
        the relay hides the statements (a revocation, most likely).
        """
        data = self._load()
        key = data.get("key")
        if not key:
            return None
        pinned = b64decode(key, "key", size=PUBLIC_KEY_BYTES)
        for wire in data.get("statements", []):
            try:
                found = authority.verify_statement(wire, pinned, self.team_id)
            except authority.BadStatement:
                continue
            if isinstance(found, authority.EpochStatement) and found.epoch == epoch:
                return dict(wire)
        return None

    def proves_epoch(self, wire: Any, epoch: int) -> bool:
        """Is ``wire`` the authority's own statement that ``epoch`` (or a later one) exists?"""
        pinned = self.pinned_key()
        if pinned is None:
            return False
        try:
            found = authority.verify_statement(wire, pinned, self.team_id)
        except (authority.BadStatement, ProtocolError):
            return False
        return isinstance(found, authority.EpochStatement) and found.epoch >= epoch

    # --- a newer epoch than the statements we were shown ---------------------------------

    def note_newer_epoch(self, epoch: int, device_id: str) -> None:
        """Remember that ``device_id`` (active by the authority's word) proved it uses ``epoch``.

        Kept across rounds, because a relay that hides a revocation can hide
        the evidence next time too; it counts only while that device stays
        active, so revoking a device that made the epoch up ends it.
        """
        data = self._load()
        if epoch > int(data.get("newer_epoch", {}).get("epoch", 0)):
            data["newer_epoch"] = {"epoch": epoch, "device": device_id}
            self._save(data)

    def newer_epoch(self) -> tuple[int, str] | None:
        """(epoch, device) of the newest epoch a teammate proved it uses, if any."""
        found = self._load().get("newer_epoch")
        return (int(found["epoch"]), str(found["device"])) if found else None

    # --- problems for the Sync page ------------------------------------------------------

    def save_problems(self) -> None:
        with self.store.write() as w:
            meta_state.put(w.conn, K_PROBLEMS, json.dumps(self.problems))

    def last_problems(self) -> tuple[str, ...]:
        with self.store.read() as r:
            raw = meta_state.get(r.conn, K_PROBLEMS)
        return tuple(json.loads(raw)) if raw else ()
