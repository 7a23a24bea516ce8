"""clients' Finnish name sort keys in client_search, indexed in the list's order

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 13:20:00

The Clients list sorted names by calling ``sosku_sort_key`` for every
client on every page (45–65 ms for the first page of 10,000 clients). The
local ``client_search`` table gets the keys (``sort_last``, ``sort_first``,
kept by its triggers) and an index in the list's name order, so a page is
read from the index. The table is local and derived from ``clients``: it is
made anew, the triggers replaced and every client's row filled again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sosku_desktop.store.search import BACKFILL, TRIGGERS

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Revision 0003s's triggers and backfill, for the way down.
_SOURCE = "NEW.first_name || ' ' || NEW.last_name || ' ' || NEW.identity_code || ' ' || NEW.phone"
_UPSERT = (
    "INSERT OR REPLACE INTO client_search (client_id, words, compact) VALUES "
    f"(NEW.id, sosku_fold({_SOURCE}), replace(replace(sosku_fold({_SOURCE}), ' ', ''), '-', ''));"
)
_OLD_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS client_search_insert AFTER INSERT ON clients "
    f"BEGIN {_UPSERT} END",
    "CREATE TRIGGER IF NOT EXISTS client_search_update AFTER UPDATE OF "
    f"first_name, last_name, identity_code, phone ON clients BEGIN {_UPSERT} END",
)
_OLD_BACKFILL = (
    "INSERT OR REPLACE INTO client_search (client_id, words, compact) "
    f"SELECT id, sosku_fold({_SOURCE.replace('NEW.', '')}), "
    f"replace(replace(sosku_fold({_SOURCE.replace('NEW.', '')}), ' ', ''), '-', '') "
    "FROM clients"
)


def _drop_search() -> None:
    op.execute("DROP TRIGGER IF EXISTS client_search_update")
    op.execute("DROP TRIGGER IF EXISTS client_search_insert")
    op.drop_table("client_search")


def _columns(*sort: str) -> list[sa.Column[str]]:
    names = ("client_id", "words", "compact", *sort)
    return [sa.Column(name, sa.Text(), nullable=False) for name in names]


def upgrade() -> None:
    _drop_search()
    op.create_table(
        "client_search",
        *_columns("sort_last", "sort_first"),
        sa.PrimaryKeyConstraint("client_id"),
    )
    op.create_index(
        "ix_client_search_name", "client_search", ["sort_last", "sort_first", "client_id"]
    )
    for statement in TRIGGERS:
        op.execute(statement)
    op.execute(BACKFILL)


def downgrade() -> None:
    _drop_search()
    op.create_table("client_search", *_columns(), sa.PrimaryKeyConstraint("client_id"))
    for statement in _OLD_TRIGGERS:
        op.execute(statement)
    op.execute(_OLD_BACKFILL)
