"""Every change leaves its change-log, clock, history and audit rows in one transaction."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa

from sosku_desktop.domain import codes
from sosku_desktop.domain.models import Attendance, Client, Goal, Meeting, Period
from sosku_desktop.store import clocks
from sosku_desktop.store.database import Store
from sosku_desktop.store.errors import NotFoundError
from sosku_desktop.store.records import open_client_record
from sosku_desktop.store.schema import change_log
from sosku_desktop.store.writer import derived_id, new_id


def _client_with_period(store: Store) -> tuple[Client, Period]:
    with store.write() as w:
        client = w.add(Client(id=new_id(), first_name="Aino", last_name="Korhonen"))
        period = w.add(
            Period(
                id=new_id(),
                client_id=client.id,
                worker_id=None,
                start=date(2024, 1, 4),
                planned_end=date(2025, 1, 3),
            )
        )
    return client, period


def test_one_transaction_is_one_bundle_with_every_column(store: Store) -> None:
    _client_with_period(store)
    with store.read() as r:
        bundles = r.conn.execute(sa.select(change_log)).fetchall()
    assert [b.device_seq for b in bundles] == [1]
    ops = bundles[0].ops
    assert {(op["t"], op["c"]) for op in ops} >= {
        ("clients", "first_name"),
        ("periods", "start"),
        ("audit_log", "action"),
    }
    start_op = next(op for op in ops if op["t"] == "periods" and op["c"] == "start")
    assert start_op["v"] == "2024-01-04"
    assert all(op["r"] for op in ops)


def test_update_writes_only_changed_columns_with_base_and_history(store: Store) -> None:
    client, _ = _client_with_period(store)
    with store.write() as w:
        edited = Client(**{**client.__dict__, "phone": "040 123 4567"})
        assert w.update(edited, base=client) == ["phone"]
        assert w.update(edited) == []
    with store.read() as r:
        last = r.conn.execute(
            sa.select(change_log).order_by(change_log.c.device_seq.desc())
        ).first()
        history = clocks.all_history(r.conn)
        phone = clocks.load_row(r.conn, "clients", client.id)["phone"]
    data_ops = [op for op in last.ops if op["t"] == "clients"]
    assert data_ops == [
        {"t": "clients", "r": client.id, "c": "phone", "v": "040 123 4567", "b": ""}
    ]
    assert [(h[2], h[3]) for h in history] == [("phone", "")]
    assert phone == last.hlc


def test_device_seq_is_gap_free_and_hlc_increases(store: Store) -> None:
    for i in range(5):
        with store.write() as w:
            w.add(Client(id=new_id(), first_name=f"N{i}", last_name="X"))
    with pytest.raises(RuntimeError), store.write() as w:
        w.add(Client(id=new_id(), first_name="rolled back", last_name="X"))
        raise RuntimeError("boom")
    with store.write() as w:
        w.add(Client(id=new_id(), first_name="after", last_name="X"))
    with store.read() as r:
        rows = r.conn.execute(sa.select(change_log).order_by(change_log.c.device_seq)).fetchall()
        names = [c.first_name for c in r.clients()]
    assert [row.device_seq for row in rows] == [1, 2, 3, 4, 5, 6]
    hlcs = [row.hlc for row in rows]
    assert hlcs == sorted(hlcs) and len(set(hlcs)) == len(hlcs)
    assert "rolled back" not in names


def test_soft_delete_is_a_synced_flag_and_hides_the_row(store: Store) -> None:
    _, period = _client_with_period(store)
    with store.write() as w:
        meeting = w.add(
            Meeting(id=new_id(), period_id=period.id, starts_at=datetime(2024, 1, 4, 10))
        )
    with store.write() as w:
        w.delete(Meeting, meeting.id)
    with store.read() as r:
        assert r.meetings_of([period.id]) == []
        assert r.get(Meeting, meeting.id, include_deleted=True).deleted
        with pytest.raises(NotFoundError):
            r.get(Meeting, meeting.id)
        last = r.conn.execute(
            sa.select(change_log).order_by(change_log.c.device_seq.desc())
        ).first()
    assert {"t": "meetings", "r": meeting.id, "c": "deleted", "v": True, "b": False} in last.ops


def test_every_change_and_view_is_in_the_clients_access_log(store: Store) -> None:
    client, period = _client_with_period(store)
    with store.write() as w:
        goal = w.add(Goal(id=new_id(), period_id=period.id, text="Käyn ulkona päivittäin"))
    with store.write() as w:
        goal.progress = 40
        w.update(goal)
    record = open_client_record(store, client.id)
    assert record.client.id == client.id and record.goals[0].progress == 40
    with store.read() as r:
        log = r.audit_of_client(client.id)
    actions = [(a.action, a.record_table) for a in log]
    assert actions == [
        ("create", "clients"),
        ("create", "periods"),
        ("create", "goals"),
        ("update", "goals"),
        ("view", "clients"),
    ]
    assert all(a.device_id == store.device_id for a in log)


def test_attendance_ids_are_derived_so_two_devices_mark_the_same_row() -> None:
    assert derived_id("session-1", "client-1") == derived_id("session-1", "client-1")
    assert derived_id("session-1", "client-1") != derived_id("session-1", "client-2")
    mark = Attendance(id=derived_id("s", "c"), session_id="s", client_id="c")
    assert mark.status == codes.ATTENDANCE_PRESENT
