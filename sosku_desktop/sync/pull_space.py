"""Room on the disk before a large pull of bundles (the snapshot has its own check).

A laptop far behind the relay (back from weeks away, or joining a team whose
relay has no snapshot) pulls thousands of bundles. On a disk too small that
filled the disk page by page until a write failed, and every round started
again. Now, before such a pull:

* when the relay holds at least ``LARGE_PULL`` bundles beyond our cursor,
  the first ``SAMPLE`` of them are fetched (one small request) and their
  size per bundle stands for the batch;
* the free space is checked against ``PULL_SPACE_FACTOR`` × that size ×
  the number of bundles, plus ``SPARE_BYTES``; too little →
  ``NotEnoughSpace`` saying how much is needed, before anything is applied:
  the cursor stays where it was and nothing is lost (what we had to send was
  pushed before the pull).

Small pulls (the daily round) cost no extra request.
"""

from __future__ import annotations

import logging
from typing import Any

from sosku_desktop.store import disk_space, sync_state
from sosku_desktop.store.database import Store
from sosku_desktop.sync.transport import HistoryCompacted, SyncTransport

log = logging.getLogger(__name__)

#: Bundles beyond the cursor from which the room is checked first.
LARGE_PULL = 500
#: Bundles fetched to tell their size.
SAMPLE = 50
#: Database + WAL bytes per byte of a pulled bundle's ciphertext: 6.8× measured on
#: 703 bundles (600 single-client writes and a 100-client caseload); rounded up.
PULL_SPACE_FACTOR = 10
#: Room left over for the rest of the round and the other programs.
SPARE_BYTES = 16 * disk_space.MIB


def needed_for(sample: list[Any], backlog: int) -> int:
    """Bytes a pull of ``backlog`` bundles like ``sample`` needs (0: nothing to tell by)."""
    sizes = [
        len(wire["ciphertext"]) * 3 // 4
        for wire in sample
        if isinstance(wire, dict) and isinstance(wire.get("ciphertext"), str)
    ]
    if not sizes:
        return 0
    per_bundle = sum(sizes) / len(sizes)
    return int(per_bundle * backlog * PULL_SPACE_FACTOR) + SPARE_BYTES


def check(store: Store, transport: SyncTransport, head: int) -> None:
    """Before pulling: refuse (``NotEnoughSpace``) a large batch the disk cannot hold."""
    with store.read() as r:
        cursor = sync_state.cursor(r.conn)
    backlog = head - cursor
    if backlog < LARGE_PULL:
        return
    try:
        page = transport.pull(after=cursor, limit=SAMPLE)
    except HistoryCompacted:
        return  # the pull itself says what that means
    served = page.get("bundles")
    needed = needed_for(served if isinstance(served, list) else [], backlog)
    if needed:
        log.info("a pull of %d bundles needs about %d MiB", backlog, needed // disk_space.MIB)
        disk_space.require(store.data_dir, needed)
