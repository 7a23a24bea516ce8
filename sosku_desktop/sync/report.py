"""What one sync round reports, and the states the Sync page shows (counts only)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sosku_desktop import __version__
from sosku_desktop.sync.protocol import SyncError, version_tuple


class SyncState(StrEnum):
    """What the Sync page shows after a round."""

    NOT_JOINED = "not_joined"
    #: Keys made and a join tried, but the relay never accepted it (wrong or expired
    #: code, relay down): the way on is joining again, not waiting for approval.
    JOIN_UNFINISHED = "join_unfinished"
    PENDING_APPROVAL = "pending_approval"
    WAITING_FOR_KEYS = "waiting_for_keys"
    #: Waiting for keys that no other active device holds (the team's key holders were
    #: all revoked, e.g. a one-worker team's lost laptop): waiting will not help.
    NO_KEY_HOLDER = "no_key_holder"
    CHANGES_WAITING = "changes_waiting"
    UP_TO_DATE = "up_to_date"
    REVOKED = "revoked"
    #: The round found something the relay should not have done (``trust_problems``).
    TRUST_PROBLEM = "trust_problem"
    #: The last round failed (offline, disk full …; ``round_outcome``) and none succeeded since.
    ROUND_FAILED = "round_failed"


class DeviceReused(SyncError):
    """The relay holds other bundles under this device's numbers (e.g. restored from backup).

    The laptop must be enrolled again as a new device; nothing is pushed.
    """


@dataclass
class SyncReport:
    """What one ``sync_once`` did; counts only, never client data."""

    state: SyncState
    fingerprint: str = ""
    pushed: int = 0
    pulled: int = 0
    applied: int = 0
    quarantined: int = 0
    tampered: int = 0
    conflicts: int = 0
    retried: int = 0
    outbox: int = 0
    epoch: int = 0
    created_epoch: int | None = None
    keys_shared: int = 0
    key_problems: int = 0
    #: The relay had lost bundles it acknowledged (restored from a backup); we refilled it.
    server_restored: bool = False
    #: Own bundles taken back from the relay after this laptop was restored from its backup.
    own_recovered: int = 0
    #: The relay had compacted past this laptop: it started again from the team's snapshot
    #: up to here (0: not), keeping its ``kept_unsent`` unsent changes (``catch_up.py``).
    caught_up: int = 0
    kept_unsent: int = 0
    #: Signed bundles refused by the team's rules (revoked device, unsigned epoch, write rules).
    refused: int = 0
    #: Codes of what looked wrong (``trust.PROBLEMS``); each has a sentence for the worker.
    trust_problems: tuple[str, ...] = ()
    #: This laptop started from a snapshot covering the team's log up to here (0: not).
    snapshot: int = 0
    #: What that snapshot carried: clients, and rows of every synced table.
    snapshot_clients: int = 0
    snapshot_rows: int = 0
    #: This round made and uploaded a snapshot covering the log up to here (0: none).
    snapshot_made: int = 0
    #: A newer app version the relay's administrator announced (None: we are current).
    newest_version: str | None = None


def newer_than_ours(announced: str | None, ours: str = __version__) -> str | None:
    """``announced`` when it is a valid version above ours, else None."""
    if not announced:
        return None
    try:
        return announced if version_tuple(announced) > version_tuple(ours) else None
    except ValueError:
        return None
