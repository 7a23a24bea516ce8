"""Test driver: one ``sync_once`` in its own process, killed at a chosen point.

``SOSKU_TEST_KILL_AT`` picks where the process SIGKILLs itself (no
cleanup, no commit — like a power cut): ``after_push`` (the relay stored
the batch, the ack was never recorded), ``in_apply`` (half-way through
applying the ``SOSKU_TEST_KILL_N``-th pulled page: its rows written, its
clocks and history not yet), or
``before_cursor_commit`` (page applied and cursor set, transaction not yet
committed). The hooks live here, never in production code.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

import keyring
from keyring.backends import fail

from sosku_desktop.store import clocks, sync_state
from sosku_desktop.store.database import Store
from sosku_desktop.sync.client import SyncClient
from sosku_desktop.sync.transport import SyncTransport


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def install_hook(where: str, nth: int) -> None:
    calls = {"n": 0}
    if where == "after_push":
        real_push = SyncTransport.push

        def push(self: SyncTransport, bundles: Any) -> dict[str, Any]:
            real_push(self, bundles)
            _die()
            raise AssertionError("unreachable")

        SyncTransport.push = push  # type: ignore[method-assign]
    elif where == "in_apply":
        real_save = clocks.save

        def save(*args: Any, **kwargs: Any) -> None:
            calls["n"] += 1
            if calls["n"] >= nth:
                _die()
            real_save(*args, **kwargs)

        clocks.save = save
    elif where == "before_cursor_commit":
        real_set = sync_state.set_cursor

        def set_cursor(*args: Any, **kwargs: Any) -> None:
            real_set(*args, **kwargs)
            _die()

        sync_state.set_cursor = set_cursor
    elif where:
        raise SystemExit(f"unknown kill point {where}")


def _print(phase: str, done: int, total: int) -> None:
    print(f"{phase} {done} {total}", flush=True)


def main() -> None:
    keyring.set_keyring(fail.Keyring())  # device keys live in the encrypted store here
    install_hook(
        os.environ.get("SOSKU_TEST_KILL_AT", ""), int(os.environ.get("SOSKU_TEST_KILL_N", "1"))
    )
    store = Store.open(Path(sys.argv[1]), sys.argv[2], take_backup=False)
    try:
        report = SyncClient(store, push_batch=2, pull_limit=3).sync_once(progress=_print)
    finally:
        store.close()
    print(f"pushed={report.pushed} applied={report.applied}", flush=True)


if __name__ == "__main__":
    main()
