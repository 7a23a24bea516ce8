"""Convert between domain dataclasses, table rows and wire values.

Change-log ops carry JSON-safe values (dates as ISO strings) so that a
bundle means the same on every device and in every schema version; rows
from the database are turned back into dataclasses by field name.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any, TypeVar

import sqlalchemy as sa

from sosku_desktop.store.schema import ENTITY, TABLE_OF

E = TypeVar("E")


def table_of(entity_or_cls: object) -> str:
    cls = entity_or_cls if isinstance(entity_or_cls, type) else type(entity_or_cls)
    try:
        return TABLE_OF[cls]
    except KeyError:
        raise TypeError(f"{cls.__name__} is not a stored entity") from None


#: Field names per dataclass in declaration order (``dataclasses.fields`` builds its
#: tuple anew on every call, and every save converts a row or two).
_FIELD_ORDER: dict[type, tuple[str, ...]] = {}


def to_row(entity: object) -> dict[str, Any]:
    """Column values of an entity (a shallow dict; lists/dicts are copied)."""
    cls = type(entity)
    names = _FIELD_ORDER.get(cls)
    if names is None:
        names = _FIELD_ORDER[cls] = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    row: dict[str, Any] = {}
    for name in names:
        value = getattr(entity, name)
        if isinstance(value, list | dict):
            value = type(value)(value)
        row[name] = value
    return row


#: Field names per dataclass (looked up once: ``from_row`` runs for every row read).
_FIELD_NAMES: dict[type, frozenset[str]] = {}


def from_row(cls: type[E], row: sa.Row[Any] | dict[str, Any]) -> E:
    """A dataclass from a table row; unknown columns (newer schema) are ignored."""
    mapping = row._mapping if isinstance(row, sa.Row) else row
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    return cls(**{k: v for k, v in mapping.items() if k in names})


def from_rows(cls: type[E], result: sa.Result[Any]) -> list[E]:
    """Dataclasses from every row of ``result`` (the columns are matched once, not per row)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    picks = [(i, key) for i, key in enumerate(result.keys()) if key in names]
    return [cls(**{key: row[i] for i, key in picks}) for row in result]


#: Types that travel as they are (checked first: every save converts every column).
_AS_IS = frozenset({str, int, bool, float, type(None), list, dict})


def to_wire(value: Any) -> Any:
    """A JSON-safe value for a change-log op."""
    if type(value) in _AS_IS:
        return value
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def from_wire(table: str, column: str, value: Any) -> Any:
    """Back from a wire value to the column's Python type."""
    if value is None:
        return None
    col = ENTITY[table].c[column]
    if isinstance(col.type, sa.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(col.type, sa.Date):
        return date.fromisoformat(value)
    if isinstance(col.type, sa.Boolean):
        return bool(value)
    return value
