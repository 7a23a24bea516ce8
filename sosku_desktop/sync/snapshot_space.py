"""Room on the disk before a snapshot is loaded (``bootstrap.SnapshotSteps._bootstrap``).

A fresh laptop loads the team's snapshot in one transaction: the database
grows by the whole caseload and, until the commit, the WAL holds all of it
again. On a disk with too little room that filled the disk and failed, and
the next round downloaded the snapshot and filled the disk again. Now:

* after the parts are downloaded (held in memory, nothing written yet), the
  free space is checked against ``SPACE_FACTOR`` × their compressed size;
  too little → ``NotEnoughSpace`` saying how much is needed, nothing loaded;
* before the load the WAL is checkpointed and truncated, so that a load that
  still fills the disk leaves only its own pages there, which
  ``disk_space.reclaim_on_full`` can then give back;
* the refusal is remembered (meta ``sync.snapshot_space``: the snapshot and
  the bytes it needs), so later rounds refuse the same snapshot before
  downloading it, until that much is free.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from sosku_desktop.store import disk_space, meta_state
from sosku_desktop.store.database import Store
from sosku_desktop.store.errors import StoreError

log = logging.getLogger(__name__)

#: Database + WAL bytes per byte of compressed snapshot, measured on a laptop joining
#: from a generated caseload (``caseload.populate``): 22.1× at 500 clients, 21.5× at
#: 2,000 (database ≈ WAL ≈ 11× each); rounded up for margin.
SPACE_FACTOR = 24
#: Room left over for the tail pulled after the snapshot and the other programs.
SPARE_BYTES = 32 * disk_space.MIB
K_REFUSED = "sync.snapshot_space"


def needed_for(wires: list[Any]) -> int:
    """Bytes the load of these downloaded parts needs (base64 ciphertext → bytes × factor)."""
    compressed = 0
    for wire in wires:
        text = wire.get("ciphertext") if isinstance(wire, dict) else None
        compressed += len(text) * 3 // 4 if isinstance(text, str) else 0
    return compressed * SPACE_FACTOR + SPARE_BYTES


def check_known(store: Store, snapshot_id: str) -> None:
    """Before downloading: a snapshot refused for space stays refused until enough is free."""
    with store.read() as r:
        raw = meta_state.get(r.conn, K_REFUSED)
    refused = json.loads(raw) if raw else {}
    if refused.get("snapshot_id") == snapshot_id:
        disk_space.require(store.data_dir, int(refused.get("needed", 0)))


def check(store: Store, snapshot_id: str, wires: list[Any]) -> None:
    """After downloading, before loading: refuse (and remember) when the disk is too small."""
    needed = needed_for(wires)
    try:
        disk_space.require(store.data_dir, needed)
    except disk_space.NotEnoughSpace:
        _remember(store, snapshot_id, needed)
        raise
    # The WAL starts the load empty: should the estimate still fall short, the failed
    # load leaves nothing but its own pages there, which the truncation then gives back.
    disk_space.reclaim_wal(store.engine)


def _remember(store: Store, snapshot_id: str, needed: int) -> None:
    try:
        with store.write() as w:
            meta_state.put(
                w.conn, K_REFUSED, json.dumps({"snapshot_id": snapshot_id, "needed": needed})
            )
    except StoreError as exc:  # a few bytes may not fit either: the next round measures again
        log.warning("could not note the snapshot's space: %s", type(exc).__name__)
