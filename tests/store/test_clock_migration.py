"""A store from revision 0001 keeps every clock, history row and change-log op (and back)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection, Engine

from sosku_desktop.domain.models import Client
from sosku_desktop.store import clocks, keys, migrate
from sosku_desktop.store.database import Store
from sosku_desktop.store.engine import DB_FILE, WRITE_OPTION, create_encrypted_engine
from sosku_desktop.store.schema import change_log
from sosku_desktop.store.writer import new_id

SAMPLE = Path(__file__).parent / "samples" / "v0001"


def _old_clocks(conn: Connection) -> dict[tuple[str, str, str], str]:
    rows = conn.exec_driver_sql("SELECT tbl, row_id, col, hlc FROM column_clock")
    return {(t, r, c): h for t, r, c, h in rows}


def _old_history(conn: Connection) -> set[tuple[str, str, str, str, Any]]:
    rows = conn.exec_driver_sql("SELECT tbl, row_id, col, hlc, value FROM value_history")
    return {(t, r, c, h, json.loads(v)) for t, r, c, h, v in rows}


def _old_ops(conn: Connection) -> dict[int, Any]:
    rows = conn.exec_driver_sql("SELECT device_seq, ops FROM change_log")
    return {seq: json.loads(ops) for seq, ops in rows}


def _vary_old_clocks(engine: Engine) -> None:
    """Give one row mixed clocks, an unwritten column and a doubled history entry."""
    with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
        row_id = conn.exec_driver_sql("SELECT row_id FROM column_clock WHERE tbl = 'clients'")
        client = row_id.scalar()
        later = "0001900000000000-00001-other-device"
        conn.exec_driver_sql(
            "UPDATE column_clock SET hlc = ?, device_id = 'other-device'"
            " WHERE tbl = 'clients' AND row_id = ? AND col = 'phone'",
            (later, client),
        )
        conn.exec_driver_sql(
            "DELETE FROM column_clock WHERE tbl = 'clients' AND row_id = ? AND col = 'notes'",
            (client,),
        )
        for _ in range(2):
            conn.exec_driver_sql(
                "INSERT INTO value_history (tbl, row_id, col, value, hlc, device_id,"
                " superseded_at) VALUES ('clients', ?, 'phone', '\"040 1\"',"
                " '0001700000000000-00000-d', 'd', '2024-01-01 00:00:00')",
                (client,),
            )


def test_a_store_from_revision_0001_keeps_its_clocks_and_history(tmp_path: Path) -> None:
    data_dir = tmp_path / "v0001"
    shutil.copytree(SAMPLE, data_dir)
    passphrase = (data_dir / "PASSPHRASE").read_text().strip()
    engine = create_encrypted_engine(data_dir / DB_FILE, keys.load_key(data_dir, passphrase).key)
    _vary_old_clocks(engine)
    with engine.connect() as conn:
        before_clocks, before_history = _old_clocks(conn), _old_history(conn)
        before_ops = _old_ops(conn)
    engine.dispose()
    assert len(before_clocks) > 20 and before_history

    store = Store.open(data_dir, passphrase, take_backup=False)
    try:
        # columns added by later revisions (0003's period columns) share their row's clock
        known = {(t, c) for t, _, c in before_clocks}
        with store.read() as r:
            after_upgrade = clocks.all_clocks(r.conn)
            assert {k: v for k, v in after_upgrade.items() if (k[0], k[2]) in known} == (
                before_clocks
            )
            assert set(clocks.all_history(r.conn)) == {
                (t, row, c, v, h) for t, row, c, h, v in before_history
            }
            ops = r.conn.execute(sa.select(change_log.c.device_seq, change_log.c.ops))
            assert {int(seq): value for seq, value in ops} == before_ops
        with store.write() as w:  # the converted store goes on writing and packing
            w.add(Client(id=new_id(), first_name="Uusi", last_name="Asiakas"))

        # And back: revision 0001's tables hold the same clocks and history again.
        with store.engine.connect().execution_options(**{WRITE_OPTION: True}) as conn:
            with conn.begin():
                command.downgrade(migrate._config(conn), "0001")
                after, history = _old_clocks(conn), _old_history(conn)
                ops_after = _old_ops(conn)
            assert len(ops_after) == len(before_ops) + 1  # the bundle written meanwhile too
            assert {k: v for k, v in ops_after.items() if k in before_ops} == before_ops
            assert {k: v for k, v in after.items() if k in before_clocks} == before_clocks
            assert history == before_history
            with conn.begin():
                migrate.upgrade(conn)
    finally:
        store.close()
