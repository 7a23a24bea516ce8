"""The Clients page's query: a screenful of clients, filtered, sorted and counted by the
database.

Ten years of a team's caseload is thousands of clients; the page reads
``LIMIT`` rows at a time (the worker narrows with the search box or the
filters, and is told how many matched). The order (``ClientOrder``: any
column, either way) is the database's over every match, never the rows read
so far: names in Finnish alphabetical order (``store.list_order.sort_key``),
empty values last in both directions, then name and id as tie-breakers so
that pages never overlap or skip. Names sort by the keys stored in
``client_search`` (``store.search``): the default order, by name, is read
from that table's index, one page without sorting every client. The search is the store's
accent-insensitive ``client_search``; "mine" and the phase are conditions on
each client's current period (the active one, else the latest), found per
client by an indexed sub-query; "ending soon" concerns active periods only,
which are few, so their ends are worked out by the domain's ``period_end``.
The next planned meeting is one grouped query over the rows shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.functions import Function

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.periods import days_left, period_end
from sosku_desktop.domain.rules_config import Rules
from sosku_desktop.store import codec, search
from sosku_desktop.store.database import Store
from sosku_desktop.store.list_order import PERIOD_END_FUNCTION, SORT_KEY_FUNCTION
from sosku_desktop.store.records import load_rules
from sosku_desktop.store.repositories import Reader
from sosku_desktop.store.schema import ENTITY, client_search

#: Rows read at a time: the first page as the worker types, the next ones as the
#: list is scrolled to its end (a lazy list, never the whole caseload at once).
LIMIT = 50
#: The columns the list sorts by, in the Clients page's column order.
SORT_COLUMNS = (
    "name",
    "identity_code",
    "phone",
    "phase",
    "period_end",
    "next_meeting",
    "key_worker",
)


@dataclass(frozen=True)
class ClientRow:
    client: models.Client
    period: models.Period | None
    worker_name: str
    next_meeting: datetime | None
    end: date | None
    ending_soon: bool
    mine: bool


@dataclass(frozen=True)
class ClientFilters:
    text: str = ""
    only_mine: bool = False
    phase: str | None = None
    ending_soon: bool = False


@dataclass(frozen=True)
class ClientOrder:
    """Which column (``SORT_COLUMNS``) the list is sorted by, and which way."""

    column: str = "name"
    descending: bool = False


@dataclass(frozen=True)
class ClientList:
    rows: list[ClientRow]
    #: clients matching the search and filters (``rows`` holds a page of them)
    matched: int
    #: clients in the store
    total: int
    #: where ``rows`` start among the matches
    offset: int = 0

    @property
    def more(self) -> int:
        """Matches after this page."""
        return max(0, self.matched - self.offset - len(self.rows))


def _current_period_id() -> sa.ScalarSelect[str]:
    """Per client: its active period (latest start), else its latest period."""
    clients, periods = ENTITY["clients"], ENTITY["periods"]
    return (
        sa.select(periods.c.id)
        .where(periods.c.client_id == clients.c.id, periods.c.deleted.is_(False))
        .order_by((periods.c.status == codes.PERIOD_ACTIVE).desc(), periods.c.start.desc())
        .limit(1)
        .correlate(clients)
        .scalar_subquery()
    )


def _ending_soon_ids(r: Reader, today: date, rules: Rules) -> list[str]:
    """Active periods near their one-year limit (active periods are a few percent)."""
    return [
        p.id
        for p in r.list(models.Period, status=codes.PERIOD_ACTIVE)
        if days_left(period_end(p, rules), today) <= rules.year_limit_warning_days
    ]


def _next_meetings(r: Reader, period_ids: list[str], now: datetime) -> dict[str, datetime]:
    meetings = ENTITY["meetings"]
    query = (
        sa.select(meetings.c.period_id, sa.func.min(meetings.c.starts_at))
        .where(
            meetings.c.period_id.in_(period_ids),
            meetings.c.status == codes.MEETING_PLANNED,
            meetings.c.deleted.is_(False),
            meetings.c.starts_at >= now,
        )
        .group_by(meetings.c.period_id)
    )
    found: dict[str, datetime] = {}
    for period_id, starts in r.conn.execute(query):
        found[period_id] = (
            starts if isinstance(starts, datetime) else datetime.fromisoformat(starts)
        )
    return found


#: Each client's current period (``_current_period_id``), one alias for filters and sorting.
_CURRENT = ENTITY["periods"].alias("current")


def _matching(
    text: str,
    filters: ClientFilters,
    worker_id: str | None,
    ending: list[str] | None,
    with_period: bool,
    upcoming: sa.Subquery | None = None,
    sorted_by_name: bool = True,
) -> sa.Select[Any]:
    """``id`` of the clients that match, unordered; ``with_period`` joins the current period
    (and ``upcoming``, when given, its next planned meeting), ``sorted_by_name``
    ``client_search`` for its name keys (``_name_keys``; a count needs no order)."""
    clients, current = ENTITY["clients"], _CURRENT
    joined: sa.FromClause = clients
    conditions: list[sa.ColumnElement[bool]] = [clients.c.deleted.is_(False)]
    if text.strip() or sorted_by_name:
        joined = joined.join(client_search, client_search.c.client_id == clients.c.id)
    if text.strip():
        conditions += search.match_conditions(text)
    by_period: list[sa.ColumnElement[bool]] = []
    if filters.only_mine and worker_id is not None:
        by_period.append(_key_worker(current) == worker_id)
    if filters.phase:
        by_period.append(current.c.phase == filters.phase)
    if ending is not None:
        by_period.append(current.c.id.in_(ending))
    if by_period or with_period:
        joined = joined.outerjoin(current, current.c.id == _current_period_id())
    if upcoming is not None:
        joined = joined.outerjoin(upcoming, upcoming.c.period_id == current.c.id)
    return sa.select(clients.c.id).select_from(joined).where(*conditions, *by_period)


def _key_worker(current: sa.FromClause) -> sa.ColumnElement[Any]:
    """The current period's worker, else the client's."""
    clients = ENTITY["clients"]
    return sa.func.coalesce(sa.func.nullif(current.c.worker_id, ""), clients.c.worker_id)


def _text_key(value: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """Finnish alphabetical order; an empty text is NULL (sorted last)."""
    return Function(SORT_KEY_FUNCTION, sa.func.nullif(value, ""))


def _upcoming(now: datetime) -> sa.Subquery:
    """Each period's next planned meeting: one grouped pass over the few planned meetings
    (a sub-query per client took ten times longer at 10,000 clients)."""
    meetings = ENTITY["meetings"]
    return (
        sa.select(meetings.c.period_id, sa.func.min(meetings.c.starts_at).label("starts_at"))
        .where(
            meetings.c.status == codes.MEETING_PLANNED,
            meetings.c.deleted.is_(False),
            meetings.c.starts_at >= now,
        )
        .group_by(meetings.c.period_id)
        .subquery("upcoming")
    )


def _column_keys(
    column: str, rules: Rules, upcoming: sa.Subquery | None = None
) -> list[sa.ColumnElement[Any]]:
    """What ``column`` sorts by, as SQL over ``clients``, the current period and
    ``upcoming`` (joined by ``_matching``)."""
    clients, current = ENTITY["clients"], _CURRENT
    workers = ENTITY["workers"]
    if column == "identity_code":
        return [sa.func.nullif(clients.c.identity_code, "")]
    if column == "phone":
        return [sa.func.nullif(clients.c.phone, "")]
    if column == "phase":
        return [sa.case({code: i for i, code in enumerate(codes.PHASES)}, value=current.c.phase)]
    if column == "period_end":
        end: sa.ColumnElement[Any] = Function(
            PERIOD_END_FUNCTION,
            current.c.start,
            current.c.planned_end,
            current.c.ended_on,
            rules.max_period_months,
        )
        return [end]
    if column == "next_meeting" and upcoming is not None:
        return [upcoming.c.starts_at]
    if column == "key_worker":
        name = sa.select(workers.c.name).where(workers.c.id == _key_worker(current))
        return [_text_key(name.scalar_subquery())]
    return []  # by name: the stored keys (``_name_keys``)


def _name_keys(descending: bool) -> list[sa.ColumnElement[Any]]:
    """The stored name keys the asked way, empty names last (``search.EMPTY_KEY``).

    Ascending is the stored order, so ``ix_client_search_name`` gives it as it
    is; descending makes the empty key NULL to keep empty names last.
    """
    keys: list[sa.ColumnElement[Any]] = [client_search.c.sort_last, client_search.c.sort_first]
    if not descending:
        return keys
    return [sa.func.nullif(key, search.EMPTY_KEY).desc().nulls_last() for key in keys]


def _order_by(
    order: ClientOrder, rules: Rules, upcoming: sa.Subquery | None
) -> list[sa.ColumnElement[Any]]:
    """The column's keys the asked way with empty values last, then name and id ascending.

    ``NULLS LAST`` (SQLite 3.30+) rather than an ``IS NULL`` term: each key,
    a sub-query or a Python function for some, is then worked out once a row.
    """
    column_keys = _column_keys(order.column, rules, upcoming)
    tie = client_search.c.client_id  # the client's id, in the name index
    if not column_keys:
        # By name: the index's own terms, so the ascending page needs no sort.
        return [*_name_keys(order.descending), tie.desc() if order.descending else tie]
    keys = [(key.desc() if order.descending else key.asc()).nulls_last() for key in column_keys]
    return [*keys, *_name_keys(descending=False), tie]


def _page(
    r: Reader,
    matching: sa.Select[Any],
    counted: sa.Select[Any],
    order_by: list[sa.ColumnElement[Any]],
    offset: int,
    limit: int,
) -> tuple[list[str], int]:
    """Ids of ``matching`` ``offset`` … ``offset + limit`` in the asked order, and how many
    matched (``counted``: the same clients, without what only the order needs)."""
    count = sa.select(sa.func.count()).select_from(counted.subquery())
    matched = int(r.conn.execute(count).scalar_one())
    page = r.conn.execute(matching.order_by(*order_by).offset(offset).limit(limit))
    return [row[0] for row in page], matched


def client_list(
    store: Store,
    now: datetime,
    worker_id: str | None,
    filters: ClientFilters = ClientFilters(),
    limit: int | None = None,
    offset: int = 0,
    order: ClientOrder = ClientOrder(),
) -> ClientList:
    """Matches ``offset`` … ``offset + limit`` (default ``LIMIT``) of ``filters`` in
    ``order`` (default: by name), with counts."""
    limit = LIMIT if limit is None else limit
    clients, periods = ENTITY["clients"], ENTITY["periods"]
    current = periods.alias("current")
    with store.read() as r:
        rules = load_rules(r)
        ending = _ending_soon_ids(r, now.date(), rules) if filters.ending_soon else None
        with_period = order.column not in ("name", "identity_code", "phone")
        upcoming = _upcoming(now) if order.column == "next_meeting" else None
        matching = _matching(filters.text, filters, worker_id, ending, with_period, upcoming)
        counted = _matching(filters.text, filters, worker_id, ending, False, None, False)
        ids, matched = _page(r, matching, counted, _order_by(order, rules, upcoming), offset, limit)
        total = matched
        if filters != ClientFilters():
            everyone = sa.select(sa.func.count()).where(clients.c.deleted.is_(False))
            total = int(r.conn.execute(everyone).scalar_one())
        listed = r.conn.execute(
            sa.select(clients, current)
            .select_from(clients.outerjoin(current, current.c.id == _current_period_id()))
            .where(clients.c.id.in_(ids))
        ).all()
        workers = {w.id: w.name for w in r.list(models.Worker)}
        place = {client_id: i for i, client_id in enumerate(ids)}
        pairs = sorted(
            (_split(row, len(clients.c)) for row in listed), key=lambda pair: place[pair[0].id]
        )
        following = _next_meetings(r, [p.id for _, p in pairs if p is not None], now)
    rows = [_row(c, p, workers, following, now.date(), rules, worker_id) for c, p in pairs]
    return ClientList(rows, matched, total, offset)


def _split(row: sa.Row[object], width: int) -> tuple[models.Client, models.Period | None]:
    values = tuple(row)
    client = codec.from_row(
        models.Client, dict(zip(ENTITY["clients"].c.keys(), values[:width], strict=True))
    )
    period_values = dict(zip(ENTITY["periods"].c.keys(), values[width:], strict=True))
    period = None
    if period_values.get("id") is not None:
        period = codec.from_row(models.Period, period_values)
    return client, period


def _row(
    client: models.Client,
    period: models.Period | None,
    workers: dict[str, str],
    upcoming: dict[str, datetime],
    today: date,
    rules: Rules,
    worker_id: str | None,
) -> ClientRow:
    end = period_end(period, rules) if period else None
    key_worker = (period.worker_id if period and period.worker_id else None) or client.worker_id
    ending = (
        period is not None
        and period.status == codes.PERIOD_ACTIVE
        and end is not None
        and days_left(end, today) <= rules.year_limit_warning_days
    )
    return ClientRow(
        client=client,
        period=period,
        worker_name=workers.get(key_worker or "", ""),
        next_meeting=upcoming.get(period.id) if period else None,
        end=end,
        ending_soon=ending,
        mine=worker_id is None or key_worker == worker_id,
    )


def client_choices(
    store: Store, text: str, exclude: frozenset[str] = frozenset(), limit: int = 30
) -> list[tuple[str, str]]:
    """``(full name, id)`` of the first ``limit`` clients matching ``text``, not in ``exclude``.

    For pickers (a group's new member, a session's guest): the database
    searches (accent- and case-insensitive) and stops at ``limit``.
    """
    if not text.strip():
        return []
    clients = ENTITY["clients"]
    query = (
        sa.select(clients.c.id, clients.c.first_name, clients.c.last_name)
        .where(clients.c.id.in_(search.matching_clients(text)))
        .order_by(clients.c.last_name, clients.c.first_name, clients.c.id)
        .limit(limit)
    )
    if exclude:
        query = query.where(clients.c.id.not_in(sorted(exclude)))
    with store.read() as r:
        rows = r.conn.execute(query).all()
    return [(f"{first} {last}".strip(), client_id) for client_id, first, last in rows]
