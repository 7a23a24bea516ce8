"""Clients and their periods: start a period (with a new client if needed), change the phase.

Starting a period writes the client (when new), the period with its intake
answers and the first goal in the client's own words together: a client
without a period, or a period without its intake, never exists.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sosku_desktop.domain import models
from sosku_desktop.domain.errors import Problem
from sosku_desktop.domain.lifecycle import new_period_problems
from sosku_desktop.domain.validation import (
    DUPLICATE_IDENTITY,
    client_problems,
    normalize_identity_code,
    period_problems,
)
from sosku_desktop.operations import NO_CHANGES, Changes, changes_of, raise_problems
from sosku_desktop.store.database import Store
from sosku_desktop.store.errors import NotFoundError
from sosku_desktop.store.records import ClientRecord, load_client_record, load_rules
from sosku_desktop.store.repositories import Reader
from sosku_desktop.store.writer import new_id


@dataclass(frozen=True)
class PeriodStarted:
    """Ids of what ``start_period`` wrote, and the ``Changes``."""

    client_id: str
    period_id: str
    changes: Changes


def identity_clash(reader: Reader, client: models.Client) -> list[Problem]:
    """A personal identity code already used by another client is refused."""
    if not client.identity_code:
        return []
    normal = normalize_identity_code(client.identity_code)
    # The search table narrows ten thousand clients to the few containing the code.
    candidates = reader.search_clients(normal)
    clash = [c for c in candidates if c.id != client.id and c.identity_code.upper() == normal]
    return [Problem("identity_code", DUPLICATE_IDENTITY)] if clash else []


def identity_problems(store: Store, client: models.Client) -> list[Problem]:
    """``identity_clash`` on a read of its own (the new-client wizard asks in the background)."""
    with store.read() as r:
        return identity_clash(r, client)


def start_period(
    store: Store,
    period: models.Period,
    new_client: models.Client | None = None,
    first_goal: str = "",
) -> PeriodStarted:
    """Write a period (``period.client_id`` names an existing client unless ``new_client``).

    ``new_client`` and ``period`` get fresh ids here; the identity code is
    stored in its normal form. Raises ``ValidationError``.
    """
    client_id = period.client_id
    if new_client is not None:
        client_id = new_id()
        code = new_client.identity_code
        new_client = dataclasses.replace(
            new_client, id=client_id, identity_code=normalize_identity_code(code) if code else ""
        )
        raise_problems(client_problems(new_client))
    period = dataclasses.replace(period, id=new_id(), client_id=client_id)
    text = first_goal.strip()
    with store.write() as w:
        reader = Reader(w.conn)
        rules = load_rules(reader)
        problems = period_problems(period, rules)
        if new_client is None:  # a further period of a known client: one at a time
            problems += new_period_problems(period, reader.periods_of(client_id), rules)
        raise_problems(problems)
        if new_client is not None:
            raise_problems(identity_clash(reader, new_client))
            w.add(new_client)
        w.add(period)
        if text:
            w.add(models.Goal(id=new_id(), period_id=period.id, text=text))
        return PeriodStarted(client_id, period.id, changes_of(w))


def set_phase(store: Store, period: models.Period, phase: str) -> Changes:
    """Move the period to another phase (the worker's call; the domain only suggests)."""
    if phase == period.phase:
        return NO_CHANGES
    with store.write() as w:
        w.update(dataclasses.replace(period, phase=phase), base=period)
        return changes_of(w)


def read_client_record(store: Store, client_id: str) -> ClientRecord | None:
    """A client's whole record again (no access-log row); ``None`` if it was deleted."""
    with store.read() as r:
        try:
            return load_client_record(r, client_id)
        except NotFoundError:
            return None


def access_log_of(store: Store, client_id: str) -> list[models.AuditEntry]:
    """The client's access-log rows, newest first."""
    with store.read() as r:
        rows = r.audit_of_client(client_id)
    return sorted(rows, key=lambda e: (e.at, e.id), reverse=True)
