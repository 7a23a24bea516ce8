"""The clock survives a restart however it was last persisted: in the bundle or in ``meta``.

A save that writes a bundle leaves its HLC only in the change log (two
pages fewer per save); every other write transaction stores the clock in
``meta``. After reopening, with the wall clock set far back, the next
bundle must still be later than everything the device issued or received.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from sosku_desktop.domain.models import Client
from sosku_desktop.store import meta_state
from sosku_desktop.store.database import Store
from sosku_desktop.store.hlc import Timestamp, wall_ms
from sosku_desktop.store.schema import change_log
from sosku_desktop.store.writer import new_id
from tests.store.conftest import PASSPHRASE


def _save_client(store: Store) -> str:
    with store.write() as w:
        w.add(Client(id=new_id(), first_name="Aino", last_name="Korhonen"))
    return _newest_bundle_hlc(store)


def _newest_bundle_hlc(store: Store) -> str:
    with store.read() as r:
        query = sa.select(change_log.c.hlc).order_by(change_log.c.device_seq.desc()).limit(1)
        return str(r.conn.execute(query).scalar())


def _meta_clock(store: Store) -> str | None:
    with store.read() as r:
        return meta_state.get(r.conn, meta_state.CLOCK)


def _reopened_with_wall_clock_at_zero(data_dir: Path) -> Store:
    store = Store.open(data_dir, PASSPHRASE, take_backup=False)
    store.clock.now = lambda: 0
    return store


def test_a_save_keeps_its_clock_in_the_bundle_and_the_next_start_continues_after_it(
    store: Store, data_dir: Path
) -> None:
    first = _save_client(store)
    second = _save_client(store)
    stored = _meta_clock(store)
    assert stored is None or stored < first  # the saves did not write meta
    store.close()
    reopened = _reopened_with_wall_clock_at_zero(data_dir)
    try:
        after = _save_client(reopened)
    finally:
        reopened.close()
    assert after > second
    assert Timestamp.decode(after).ms == Timestamp.decode(second).ms  # continued, not wall time


def test_a_received_clock_is_persisted_with_or_without_a_bundle(
    store: Store, data_dir: Path
) -> None:
    _save_client(store)
    ahead = Timestamp(wall_ms() + 60_000, 7, "another-device")
    with store.write():
        store.clock.receive(ahead)  # a pull that applied others' bundles writes no bundle
    assert _meta_clock(store) == store.clock.last.encode()
    later = Timestamp(ahead.ms + 1_000, 3, "another-device")
    with store.write() as w:
        store.clock.receive(later)  # received during a transaction that also writes a bundle
        w.add(Client(id=new_id(), first_name="Eero", last_name="Laine"))
    assert _meta_clock(store) == store.clock.last.encode()
    store.close()
    reopened = _reopened_with_wall_clock_at_zero(data_dir)
    try:
        after = _save_client(reopened)
    finally:
        reopened.close()
    assert Timestamp.decode(after) > Timestamp(later.ms, later.counter, "")
