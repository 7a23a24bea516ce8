"""The room for every change: operations (writes, exports) and the queries behind pages.

Why a room of its own: the rule of *what happens when a meeting is saved*
(validate, write the meeting, the goal nudges and the next planned meeting
together) used to live in widgets. Here each change is one small function,
free of Qt, that both the UI and the script commands call:

- it takes the ``Store`` (and plain inputs),
- it validates through ``domain`` (raising ``ValidationError``),
- it writes through the Writer in ONE ``store.write()`` transaction,
- it returns a ``Changes`` value that says which tables and rows changed
  (or a result object with a ``changes`` attribute when the caller needs more,
  e.g. what undo must reverse).

The UI runs operations in the background (``ui/shell/tasks.py``) and hands the
returned ``Changes`` to the data-changed bus, so every page refreshes only
when something it shows was touched. Anki's ``aqt/operations`` is the model.

The pattern, in full::

    def rename_group(store: Store, group: models.Group, name: str) -> Changes:
        updated = dataclasses.replace(group, name=name.strip())
        raise_problems(group_problems(updated))
        with store.write() as w:
            w.update(updated, base=group)
            return changes_of(w)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sosku_desktop.domain import codes
from sosku_desktop.domain.errors import Problem, ValidationError
from sosku_desktop.store.writer import Writer

#: The access log is written by nearly every transaction; it concerns only views
#: that show the log itself, so it is kept apart from ``tables``.
AUDIT_TABLE = "audit_log"
#: Access-log actions that mean the client's data itself changed.
DATA_ACTIONS = frozenset(
    {codes.AUDIT_CREATE, codes.AUDIT_UPDATE, codes.AUDIT_DELETE, codes.AUDIT_RESOLVE_CONFLICT}
)


@dataclass(frozen=True)
class Changes:
    """Which rows one or more operations touched: ``(table, row id)`` pairs.

    Frozen and mergeable (``a | b``), so a sequence of operations can report
    one value. ``clients`` names the clients whose data was created, changed
    or deleted (taken from the access-log rows the Writer adds), so a client
    view can tell whether it is concerned without knowing every table that
    belongs to a client. ``accessed`` names clients whose record was only
    looked at, printed or exported: that changes their access log and
    nothing else (a view that re-read everything on it would log itself
    again, forever). ``everything`` is for changes whose extent is not known
    row by row (a sync round, a restored backup): every view re-reads.
    """

    rows: frozenset[tuple[str, str]] = frozenset()
    clients: frozenset[str] = frozenset()
    everything: bool = False
    accessed: frozenset[str] = frozenset()

    @classmethod
    def of(cls, table: str, *row_ids: str, clients: Iterable[str] = ()) -> Changes:
        """Changes to rows of one table (for writes that bypass the change log)."""
        return cls(frozenset((table, r) for r in row_ids), frozenset(clients))

    @classmethod
    def all(cls) -> Changes:
        return cls(everything=True)

    @property
    def tables(self) -> frozenset[str]:
        """Tables touched, apart from the access log."""
        return frozenset(t for t, _ in self.rows if t != AUDIT_TABLE)

    def ids(self, table: str) -> frozenset[str]:
        """Row ids of ``table`` that changed."""
        return frozenset(r for t, r in self.rows if t == table)

    def concerns(self, *tables: str) -> bool:
        """True if any of ``tables`` changed (or the extent is unknown)."""
        return self.everything or not self.tables.isdisjoint(tables)

    def concerns_client(self, client_id: str | None) -> bool:
        """True if the record of ``client_id`` changed (or the extent is unknown)."""
        return self.everything or (client_id is not None and client_id in self.clients)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.rows | other.rows,
            self.clients | other.clients,
            self.everything or other.everything,
            self.accessed | other.accessed,
        )

    def __bool__(self) -> bool:
        return self.everything or bool(self.rows) or bool(self.accessed)


NO_CHANGES = Changes()


class Outcome(Protocol):
    """A result that carries more than ``Changes`` (e.g. what undo must reverse)."""

    @property
    def changes(self) -> Changes: ...


def changes_of(w: Writer) -> Changes:
    """What the transaction of ``w`` has written so far (call it last, inside the block)."""
    rows: set[tuple[str, str]] = set()
    audit: dict[str, dict[str, object]] = {}
    for op in w.ops:
        rows.add((str(op["t"]), str(op["r"])))
        if op["t"] == AUDIT_TABLE:
            audit.setdefault(str(op["r"]), {})[str(op["c"])] = op["v"]
    clients: set[str] = set()
    accessed: set[str] = set()
    for entry in audit.values():
        client_id = entry.get("client_id")
        if client_id:
            changed = entry.get("action") in DATA_ACTIONS
            (clients if changed else accessed).add(str(client_id))
    return Changes(frozenset(rows), frozenset(clients), accessed=frozenset(accessed - clients))


def changes_in(result: Changes | Outcome | None) -> Changes:
    """The ``Changes`` an operation reported, whichever shape it returned."""
    if result is None:
        return NO_CHANGES
    if isinstance(result, Changes):
        return result
    return result.changes


def raise_problems(problems: list[Problem]) -> None:
    """The one way an operation refuses input: every problem at once."""
    if problems:
        raise ValidationError(problems)
