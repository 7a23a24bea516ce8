"""Sync actions: joining a team, one round with the relay, resolving a conflict.

A round may apply other devices' changes to any table, row by row; telling
views exactly which would cost more than it saves, so a round that applied
or quarantined anything reports ``Changes.all()``. A round that only pushed
reports ``SYNC_STATE`` alone: the outbox count changed, nothing a page shows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa

from sosku_desktop.operations import Changes, changes_of
from sosku_desktop.store import conflict_list
from sosku_desktop.store.database import Store
from sosku_desktop.store.schema import quarantine
from sosku_desktop.sync.client import Progress, SyncClient, SyncReport, SyncStatus

log = logging.getLogger(__name__)

#: Not a table: "the sync status (outbox, last round) changed".
SYNC_STATE = "sync_state"


@dataclass(frozen=True)
class SyncRound:
    """What one round did (counts only) and what views must re-read."""

    report: SyncReport
    changes: Changes


def round_changes(report: SyncReport) -> Changes:
    """What a round's report means for the views."""
    if report.applied or report.quarantined or report.conflicts:
        return Changes.all()
    return Changes.of(SYNC_STATE, "round")


def sync_round(client: SyncClient, progress: Progress | None = None) -> SyncRound:
    """One push/pull round with the relay (raises the client's plain-words errors)."""
    report = client.sync_once(progress=progress)
    return SyncRound(report, round_changes(report))


@dataclass(frozen=True)
class Joined:
    """The fingerprint the administrator compares, and the ``Changes`` (the sync status)."""

    fingerprint: str
    changes: Changes


def join_team(
    client: SyncClient,
    server_url: str,
    team_id: str,
    code: str,
    name: str,
    authority: str | None = None,
) -> Joined:
    """Enrol this laptop in a team (keys are made and kept before the relay is asked).

    ``authority``: the team's safety number, when the administrator gave one.
    """
    try:
        fingerprint = client.join(server_url, team_id, code, name, authority)
    except Exception as exc:
        # For support: that a join failed and how (never the code, the name or the address).
        log.warning("join failed: %s", type(exc).__name__)
        raise
    log.info("join sent: pending approval")
    return Joined(fingerprint, Changes.of(SYNC_STATE, "joined"))


def resolve_conflict(store: Store, conflict_id: int, use_other: bool) -> Changes:
    """Close a conflict; with ``use_other`` the other device's value becomes a new local edit."""
    with store.write() as w:
        w.resolve_conflict(conflict_id, use_other=use_other)
        return changes_of(w) | Changes.of(SYNC_STATE, str(conflict_id))


@dataclass(frozen=True)
class SyncPageData:
    """What the Sync page shows, read in the background."""

    status: SyncStatus
    conflicts: list[conflict_list.ConflictEntry]
    #: (reason, device id, device sequence number) of quarantined bundles, oldest first
    quarantined: list[tuple[str, str, int]]


def load_sync_page(client: SyncClient) -> SyncPageData:
    """The device's sync state, its open conflicts and its quarantined bundles.

    Showing a client's conflict is a view of the client's record: logged.
    """
    status = client.status()
    conflicts = conflict_list.show_open_entries(client.store)
    with client.store.read() as r:
        rows = r.conn.execute(
            sa.select(
                quarantine.c.reason, quarantine.c.device_id, quarantine.c.device_seq
            ).order_by(quarantine.c.received_at)
        ).all()
    return SyncPageData(status, conflicts, [(str(a), str(b), int(c)) for a, b, c in rows])
