"""Accent- and case-insensitive client search, done by the database.

Workers type names the way a keyboard lets them: "jarvinen" must find
Järvinen and "makela" Mäkelä. Each client has a row in the local
``client_search`` table holding its name, identity code and phone folded
(``fold``: Unicode decomposition without the accents, case-folded) and the
same without spaces and dashes (so "120584900F" finds "120584-900F"). SQLite
triggers keep the row current on every insert and update of a client —
local saves, the bulk generator and changes arriving by sync alike — using
``fold`` registered on every connection as the SQL function ``sosku_fold``.
A search is then one ``LIKE`` per word over that small table.

The same row holds the client's names as Finnish sort keys (``sort_last``,
``sort_first``: ``list_order.sort_key``, called by the triggers as
``sosku_sort_key``), so the Clients list's name order walks an index
instead of calling Python for every row of every page. An empty name is
stored as ``EMPTY_KEY`` and a name as ``"0"`` + its key: in code-point order
every name comes before every empty one (empty names last, as the list
shows them), and names keep their order among themselves.
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa

from sosku_desktop.store.list_order import SORT_KEY_FUNCTION, sort_key
from sosku_desktop.store.schema import ENTITY, client_search

#: Name of the SQL function the triggers call (registered in ``engine``).
FOLD_FUNCTION = "sosku_fold"

#: What an empty name is stored as in ``sort_last`` / ``sort_first`` (after every name).
EMPTY_KEY = "1"

_SOURCE = "NEW.first_name || ' ' || NEW.last_name || ' ' || NEW.identity_code || ' ' || NEW.phone"


def _sort_key_sql(column: str) -> str:
    """SQL for a name column's stored sort key: ``"0"`` + key, or ``EMPTY_KEY`` when empty."""
    return f"coalesce('0' || {SORT_KEY_FUNCTION}(nullif({column}, '')), '{EMPTY_KEY}')"


def _values(row: str) -> str:
    """The ``client_search`` values of the client ``row`` (``NEW.`` in a trigger, ``""``)."""
    source = _SOURCE.replace("NEW.", row)
    return (
        f"{row}id, {FOLD_FUNCTION}({source}), "
        f"replace(replace({FOLD_FUNCTION}({source}), ' ', ''), '-', ''), "
        f"{_sort_key_sql(row + 'last_name')}, {_sort_key_sql(row + 'first_name')}"
    )


_COLUMNS = "client_search (client_id, words, compact, sort_last, sort_first)"
_UPSERT = f"INSERT OR REPLACE INTO {_COLUMNS} VALUES ({_values('NEW.')});"
#: Statements that create the triggers (the migration runs them).
TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS client_search_insert AFTER INSERT ON clients "
    f"BEGIN {_UPSERT} END",
    "CREATE TRIGGER IF NOT EXISTS client_search_update AFTER UPDATE OF "
    f"first_name, last_name, identity_code, phone ON clients BEGIN {_UPSERT} END",
)
#: Fills the table for clients written before the triggers existed.
BACKFILL = f"INSERT OR REPLACE INTO {_COLUMNS} SELECT {_values('')} FROM clients"


def stored_sort_key(name: str | None) -> str:
    """What the triggers store for ``name`` in the sort key columns (``_sort_key_sql``)."""
    key = sort_key(name or None)
    return EMPTY_KEY if key is None else "0" + key


def fold(text: str | None) -> str:
    """``text`` without accents and case: "Järvinen" → "jarvinen", "Åberg" → "aberg"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_NUMBER = re.compile(r"^\+?[\d\s-]+$")
#: Finland's country code: "+358 40 …" and "040 …" are the same number.
_COUNTRY = "+358"


def _number_forms(compact: str) -> list[str]:
    """A typed number as stored either way: national ("040…") or international ("+35840…")."""
    if compact.startswith(_COUNTRY) and len(compact) > len(_COUNTRY):
        return [compact, "0" + compact[len(_COUNTRY) :]]
    if compact.startswith("0") and compact[1:].isdigit() and len(compact) > 2:
        return [compact, _COUNTRY + compact[1:]]
    return [compact]


def match_conditions(text: str) -> list[sa.ColumnElement[bool]]:
    """Conditions on ``client_search`` rows: every word of ``text`` is contained.

    A number typed in groups ("+358 40 246 8101", "311082 9562") is one word, and a
    phone number matches in national or international form.
    """
    folded = fold(text).strip()
    words = ["".join(folded.split())] if _NUMBER.match(folded) else folded.split()
    conditions: list[sa.ColumnElement[bool]] = []
    for word in words:
        compact = word.replace("-", "")
        found: list[sa.ColumnElement[bool]] = [client_search.c.words.like(_like(word), escape="\\")]
        for form in _number_forms(compact) if compact else []:
            found.append(client_search.c.compact.like(_like(form), escape="\\"))
        conditions.append(sa.or_(*found))
    return conditions


def matching_clients(text: str) -> sa.Select[tuple[str]]:
    """Ids of non-deleted clients whose search row contains every word of ``text``."""
    clients = ENTITY["clients"]
    return (
        sa.select(client_search.c.client_id)
        .join(clients, clients.c.id == client_search.c.client_id)
        .where(clients.c.deleted.is_(False))
        .where(*match_conditions(text))
    )
