"""Helpers for client tests: laptops (real encrypted stores + SyncClient) on a real relay,
random Writer edits of every synced table, and the comparisons the tests make."""

from __future__ import annotations

import dataclasses
import random
import sqlite3
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from sosku_desktop.domain import codes, models
from sosku_desktop.store import clocks, codec, sync_state
from sosku_desktop.store.database import Store
from sosku_desktop.store.schema import (
    ENTITY,
    ENTITY_TABLES,
    SYNCED_TABLES,
    change_log,
)
from sosku_desktop.store.writer import Writer, derived_id, new_id
from sosku_desktop.sync.client import SyncClient, SyncReport, SyncState
from sosku_desktop.sync.transport import SyncTransport
from tests.sync.server.helpers import ServerProcess, admin

PASSPHRASE = "sync-client-test"


def quick_transport(url: str, team: str, device: str, keys: Any) -> SyncTransport:
    """Short timeouts: a dropped connection in a fault test must not stall a round for 30 s."""
    return SyncTransport(url, team, device, keys, timeout=10)


@dataclass
class Laptop:
    """One worker's laptop: an encrypted store and its sync client."""

    name: str
    store: Store
    client: SyncClient

    def sync(self) -> SyncReport:
        return self.client.sync_once()

    def close(self) -> None:
        self.store.close()


@dataclass
class TeamRelay:
    """A team on a running relay (made with the admin CLI) and its laptops."""

    server: ServerProcess
    team_id: str
    code: str
    #: The administrator's authority key file (kept beside the relay's test files).
    key_file: Path
    safety_number: str
    laptops: list[Laptop] = field(default_factory=list)

    @classmethod
    def create(cls, server: ServerProcess, name: str = "Tiimi") -> TeamRelay:
        team_id = admin(server.db_url, "team", "create", name)
        key_file = server.log_path.parent / f"authority-{team_id}.key"
        shown = admin(
            server.db_url, "authority", "create", "--team", team_id, "--key-file", str(key_file)
        )
        safety_number = shown.splitlines()[0].split(": ", 1)[1]
        code = admin(server.db_url, "join-code", "create", "--team", team_id, "--uses", "50")
        return cls(server, team_id, code, key_file, safety_number)

    def laptop(
        self,
        folder: Path,
        name: str,
        *,
        approve: bool = True,
        url: str | None = None,
        **client_options: Any,
    ) -> Laptop:
        """A new data directory that joins the team (and is approved by the admin)."""
        store = Store.create(folder / name, PASSPHRASE)
        client = SyncClient(store, quick_transport, **client_options)
        fingerprint = client.join(
            url or self.server.url, self.team_id, self.code, name, self.safety_number
        )
        if approve:
            self.approve(store.device_id, fingerprint)
        laptop = Laptop(name, store, client)
        self.laptops.append(laptop)
        return laptop

    def approve(self, device_id: str, fingerprint: str) -> None:
        admin(
            self.server.db_url,
            "device",
            "approve",
            "--team",
            self.team_id,
            device_id,
            "--fingerprint",
            fingerprint,
            "--authority-key",
            str(self.key_file),
        )

    def revoke(self, device_id: str) -> None:
        admin(
            self.server.db_url,
            "device",
            "revoke",
            "--team",
            self.team_id,
            device_id,
            "--authority-key",
            str(self.key_file),
        )

    def close(self) -> None:
        for laptop in self.laptops:
            laptop.close()


# --- comparisons ---------------------------------------------------------------------


def snapshot(store: Store) -> dict[str, Any]:
    """Every synced row and the value history, comparable across devices (as test_merge)."""
    with store.read() as r:
        data = {
            t: sorted(
                tuple(sorted((k, repr(v)) for k, v in row._mapping.items()))
                for row in r.conn.execute(sa.select(ENTITY[t]))
            )
            for t in SYNCED_TABLES
        }
        history = sorted((t, row, c, repr(v), h) for t, row, c, v, h in clocks.all_history(r.conn))
    return {"data": data, "history": history}


def own_ops(store: Store) -> list[tuple[str, str, str, Any, str]]:
    """Every op this device wrote: (table, row, column, wire value, hlc)."""
    with store.read() as r:
        rows = r.conn.execute(sa.select(change_log.c.hlc, change_log.c.ops)).fetchall()
    return [(op["t"], op["r"], op["c"], op["v"], row.hlc) for row in rows for op in row.ops]


def assert_no_edit_lost(
    stores: list[Store], earlier: Sequence[tuple[str, str, str, Any, str]] = ()
) -> None:
    """Each column shows its newest write (by HLC) and every older write is in the history.

    ``earlier``: ops a store no longer holds in its change log (it was restored from a backup).
    """
    ops = [*earlier, *(op for s in stores for op in own_ops(s))]
    newest: dict[tuple[str, str, str], tuple[str, Any]] = {}
    for table, row, column, value, hlc in ops:
        key = (table, row, column)
        if key not in newest or hlc > newest[key][0]:
            newest[key] = (hlc, value)
    for store in stores:
        with store.read() as r:
            stored = clocks.all_clocks(r.conn)
            kept = {(t, row, c, h): v for t, row, c, v, h in clocks.all_history(r.conn)}
            for (table, row, column), (hlc, value) in newest.items():
                t = ENTITY[table]
                shown = r.conn.execute(sa.select(t.c[column]).where(t.c.id == row)).scalar()
                assert stored[(table, row, column)] == hlc
                assert codec.to_wire(shown) == value
            for table, row, column, value, hlc in ops:
                if newest[(table, row, column)][0] != hlc:
                    assert kept[(table, row, column, hlc)] == value


def outbox(store: Store) -> int:
    with store.read() as r:
        return sync_state.outbox_count(r.conn)


def acked_seqs(store: Store) -> list[int]:
    with store.read() as r:
        return [
            int(s)
            for s in r.conn.execute(sa.select(change_log.c.server_seq)).scalars()
            if s is not None
        ]


def server_bundles(server_db: Path, team_id: str) -> list[tuple[int, str, int]]:
    """(server_seq, device_id, device_seq) of every bundle the relay holds for the team."""
    with sqlite3.connect(server_db) as conn:
        return list(
            conn.execute(
                "SELECT server_seq, device_id, device_seq FROM bundles WHERE team_id = ?"
                " ORDER BY server_seq",
                (team_id,),
            )
        )


def assert_relay_holds_each_change_once(
    server_db: Path, team_id: str, laptops: list[Laptop]
) -> None:
    """Every laptop's every bundle is on the relay exactly once, acked with its server_seq."""
    rows = server_bundles(server_db, team_id)
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert len(rows) == sum(len(own_ops_bundles(lp.store)) for lp in laptops)
    by_device: dict[str, list[int]] = {}
    for _, device, seq in rows:
        by_device.setdefault(device, []).append(seq)
    for laptop in laptops:
        mine = by_device.get(laptop.store.device_id, [])
        assert mine == list(range(1, len(mine) + 1))
        assert sorted(acked_seqs(laptop.store)) == sorted(
            r[0] for r in rows if r[1] == laptop.store.device_id
        )


def own_ops_bundles(store: Store) -> list[int]:
    with store.read() as r:
        return [int(s) for s in r.conn.execute(sa.select(change_log.c.device_seq)).scalars()]


# --- random edits of every synced table ----------------------------------------------

#: Entity kinds the editor creates (org_settings through set_setting).
KINDS = (*ENTITY_TABLES, "org_settings")
#: Text columns the editor leaves alone (codes and references keep their meaning).
_FIXED = {"id", "deleted", "status", "kind", "phase", "level", "role", "language", "outcome"}
_WORDS = ("Aamu", "Ilta", "Kävely", "Kahvila", "Sovittu", "Peruttu", "Åbo", "Möte")


_PERIOD_RECORDS = ("needs_mappings", "implementation_plans", "evaluations", "planned_entries")


class Editor:
    """Random but valid offline edits through the Writer, driven by one seeded Random."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd

    # values
    def text(self) -> str:
        return f"{self.rnd.choice(_WORDS)} {self.rnd.randrange(1000)}"

    def day(self) -> date:
        return date(2024, 1, 1) + timedelta(days=self.rnd.randrange(300))

    def moment(self) -> datetime:
        return datetime.combine(self.day(), datetime.min.time()) + timedelta(
            hours=self.rnd.randrange(8, 17)
        )

    # rows
    def pick(self, w: Writer, table: str) -> str | None:
        t = ENTITY[table]
        ids = list(w.conn.execute(sa.select(t.c.id).order_by(t.c.id)).scalars())
        return self.rnd.choice(ids) if ids else None

    def parent(self, w: Writer, table: str) -> str:
        return self.pick(w, table) or self.create(w, table)

    def create(self, w: Writer, table: str) -> str:
        """One new row of ``table``; parents are picked or made."""
        m, text, day = models, self.text, self.day
        if table == "org_settings":
            key = self.rnd.choice(["organisation_name", "rules.meetings", "rules.money"])
            w.set_setting(
                key, text() if key == "organisation_name" else {"n": self.rnd.randrange(9)}
            )
            return key
        if table == "attendances":
            session, client = self.parent(w, "group_sessions"), self.parent(w, "clients")
            row_id = derived_id(session, client)  # two laptops marking one person hit one row
            status = self.rnd.choice(codes.ATTENDANCE_STATUSES)
            t = ENTITY["attendances"]
            found = w.conn.execute(sa.select(t).where(t.c.id == row_id)).first()
            if found is None:
                w.add(m.Attendance(id=row_id, session_id=session, client_id=client, status=status))
            else:
                mark = codec.from_row(m.Attendance, found)
                mark.status, mark.deleted = status, False
                w.update(mark)
            return row_id
        start = day()
        entity: Any
        if table == "workers":
            entity = m.Worker(id=new_id(), name=text())
        elif table == "clients":
            entity = m.Client(id=new_id(), first_name=text(), last_name=text())
        elif table == "periods":
            entity = m.Period(
                id=new_id(),
                client_id=self.parent(w, "clients"),
                worker_id=self.pick(w, "workers"),
                start=start,
                planned_end=start + timedelta(days=300),
            )
        elif table == "decisions":
            entity = m.Decision(
                id=new_id(),
                period_id=self.parent(w, "periods"),
                kind=self.rnd.choice(codes.DECISION_KINDS),
                valid_from=start,
                valid_to=start + timedelta(days=90),
            )
        elif table == "goals":
            entity = m.Goal(id=new_id(), period_id=self.parent(w, "periods"), text=text())
        elif table == "goal_progress":
            entity = m.GoalProgress(
                id=new_id(), goal_id=self.parent(w, "goals"), on=start, progress=50
            )
        elif table == "meetings":
            entity = m.Meeting(
                id=new_id(),
                period_id=self.parent(w, "periods"),
                starts_at=self.moment(),
                methods=[self.rnd.choice(codes.METHODS)],
                notes=text(),
            )
        elif table == "groups":
            entity = m.Group(id=new_id(), name=text())
        elif table == "group_members":
            entity = m.GroupMember(
                id=new_id(), group_id=self.parent(w, "groups"), client_id=self.parent(w, "clients")
            )
        elif table == "group_sessions":
            entity = m.GroupSession(id=new_id(), group_id=self.parent(w, "groups"), on=start)
        elif table == "expenses":
            entity = m.Expense(
                id=new_id(), worker_id=self.parent(w, "workers"), on=start, amount_cents=900
            )
        elif table == "assessments":
            entity = m.Assessment(
                id=new_id(),
                client_id=self.parent(w, "clients"),
                instrument_id="arki",
                on=start,
                answers={"a1": float(self.rnd.randrange(5))},
            )
        elif table == "agreements":
            entity = m.Agreement(id=new_id(), period_id=self.parent(w, "periods"), contact=text())
        elif table == "audit_log":
            w.log_access(codes.AUDIT_ACTIONS[0], self.pick(w, "clients"))
            return "audit"
        elif table in _PERIOD_RECORDS:
            entity = self._period_record(w, table, start)
        else:
            raise ValueError(table)
        w.add(entity)
        return str(entity.id)

    def _period_record(self, w: Writer, table: str, start: date) -> Any:
        """A phase record of a period (needs mapping, plan, evaluation, key date)."""
        m, period_id = models, self.parent(w, "periods")
        if table == "needs_mappings":
            return m.NeedsMapping(id=new_id(), period_id=period_id, services_had=self.text())
        if table == "implementation_plans":
            return m.ImplementationPlan(
                id=new_id(), period_id=period_id, made_on=start, content=self.text()
            )
        if table == "evaluations":
            return m.Evaluation(
                id=new_id(),
                period_id=period_id,
                on=start,
                block_start=start,
                block_end=start + timedelta(days=90),
                attainment={"g": codes.ATTAINMENT_PARTLY},
                client_view=self.text(),
            )
        return m.PlannedEntry(
            id=new_id(), period_id=period_id, kind=self.rnd.choice(codes.PLAN_KINDS), on=start
        )

    def update(self, w: Writer, table: str) -> bool:
        """Change one or two editable columns of a random row; False when there is none."""
        if table == "org_settings":
            self.create(w, table)
            return True
        if table == "audit_log":
            return False  # append-only
        row_id = self.pick(w, table)
        if row_id is None:
            return False
        cls = ENTITY_TABLES[table]
        t = ENTITY[table]
        entity = codec.from_row(cls, w.conn.execute(sa.select(t).where(t.c.id == row_id)).one())
        hints = typing.get_type_hints(cls)
        editable = [
            f.name
            for f in dataclasses.fields(cls)
            if f.name not in _FIXED and not f.name.endswith("_id") and f.name != "goal_ids"
        ]
        # Mostly the first columns, so that laptops collide on the same column.
        few = editable[:2] if self.rnd.random() < 0.6 else editable
        for name in self.rnd.sample(few, k=min(2, len(few))):
            setattr(entity, name, self._value(hints[name], getattr(entity, name)))
        w.update(entity)
        return True

    def set_text(self, w: Writer, table: str, column: str, index: int) -> bool:
        """Write a new text into one column of the ``index``-th row (same row on every laptop)."""
        t = ENTITY[table]
        rows = w.conn.execute(sa.select(t).order_by(t.c.id)).fetchall()
        if not rows:
            return False
        entity = codec.from_row(ENTITY_TABLES[table], rows[index % len(rows)])
        setattr(entity, column, self.text())
        w.update(entity)
        return True

    def delete(self, w: Writer, table: str) -> bool:
        if table in ("org_settings", "audit_log"):
            return False
        row_id = self.pick(w, table)
        if row_id is None:
            return False
        w.delete(ENTITY_TABLES[table], row_id)
        return True

    def _value(self, hint: Any, old: Any) -> Any:
        origin = typing.get_origin(hint)
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if origin in (typing.Union, types.UnionType):
            if self.rnd.random() < 0.2:
                return None
            hint, origin = args[0], typing.get_origin(args[0])
        if hint is bool:
            return not old
        if hint is int:
            return self.rnd.randrange(0, 100)
        if hint is float:
            return float(self.rnd.randrange(0, 100))
        if hint is str:
            return self.text()
        if hint is date:
            return self.day()
        if hint is datetime:
            return self.moment()
        if origin is list:
            return self.rnd.sample(list(codes.METHODS), k=self.rnd.randrange(0, 3))
        if origin is dict:
            value_type = typing.get_args(hint)[1]
            return {f"k{self.rnd.randrange(4)}": value_type(self.rnd.randrange(2))}
        raise TypeError(hint)


def assert_converged(
    laptops: Sequence[Laptop], earlier: Sequence[tuple[str, str, str, Any, str]] = ()
) -> None:
    """Two more rounds each: all up to date, nothing left to send, the same rows and
    history everywhere, and no acknowledged edit lost."""
    for _ in range(2):
        reports = [laptop.sync() for laptop in laptops]
    assert {r.state for r in reports} == {SyncState.UP_TO_DATE}
    assert [outbox(lp.store) for lp in laptops] == [0] * len(laptops)
    first = snapshot(laptops[0].store)
    for laptop in laptops[1:]:
        assert snapshot(laptop.store) == first
    assert_no_edit_lost([lp.store for lp in laptops], earlier)
