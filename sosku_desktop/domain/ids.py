"""Row ids: made where a row is first described (a form, an operation), not by the store.

A form that builds a domain model (an expense, an agreement) needs its id
before anything is written, so id creation lives here, below every room:
the UI never has to import the store's write path to get one.
"""

from __future__ import annotations

from uuid6 import uuid7


def new_id() -> str:
    """A time-ordered UUIDv7: rows made offline on different laptops never collide."""
    return str(uuid7())
