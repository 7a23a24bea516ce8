"""The last sync round's outcome, so that a failed round is never shown as "up to date".

``SyncClient.status()`` (``sosku sync status``, the Sync page) is read
without the network. Before this, a round that failed (relay offline, disk
full, a restored laptop that could not go on) left the last *successful*
round's state behind, and the worker read "Ajan tasalla". The client now
notes a failed round here (meta ``sync.last_failure``: the message key of
the error and the time; never client data) and clears it when a round
succeeds; until then the state is ``round_failed`` and the reason is shown
in plain words.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime

from sosku_desktop.store import meta_state
from sosku_desktop.store.database import Store
from sosku_desktop.store.errors import StoreError
from sosku_desktop.sync.report import SyncState

log = logging.getLogger(__name__)

K_LAST_FAILURE = "sync.last_failure"
#: States a failed round overrides: the others (pending, revoked …) say more themselves.
_HIDDEN_BY_FAILURE = (SyncState.CHANGES_WAITING, SyncState.UP_TO_DATE)


@dataclass(frozen=True)
class RoundFailure:
    """Why and when the last round failed: a message key (``messages.error_key``)."""

    key: str
    at: datetime


def note_failure(store: Store, error: BaseException) -> None:
    """Keep the kind of ``error`` and the time; best effort (the disk may be full)."""
    from sosku_desktop.sync import messages  # messages imports the client, which imports us

    value = json.dumps(
        {"key": messages.error_key(error), "at": datetime.now().isoformat(timespec="seconds")}
    )
    try:
        with store.write() as w:
            meta_state.put(w.conn, K_LAST_FAILURE, value)
    except StoreError as exc:
        log.warning("the failed sync round could not be noted: %s", type(exc).__name__)


def note_success(store: Store) -> None:
    """A round went through: forget the last failure (a write only when there was one)."""
    if last_failure(store) is None:
        return
    with store.write() as w:
        meta_state.delete(w.conn, K_LAST_FAILURE)


def last_failure(store: Store) -> RoundFailure | None:
    with store.read() as r:
        raw = meta_state.get(r.conn, K_LAST_FAILURE)
    if not raw:
        return None
    try:
        data = json.loads(raw)
        return RoundFailure(str(data["key"]), datetime.fromisoformat(str(data["at"])))
    except (ValueError, KeyError, TypeError):
        return None


def shown_state(
    state: SyncState, problems: tuple[str, ...], failure: RoundFailure | None
) -> SyncState:
    """The state to show: trust problems first, then a failed last round."""
    if state not in _HIDDEN_BY_FAILURE:
        return state
    if problems:
        return SyncState.TRUST_PROBLEM
    return SyncState.ROUND_FAILED if failure is not None else state
