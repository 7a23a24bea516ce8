"""indexes for the pages' look-ups at scale; accent-insensitive client search

Revision ID: 0003s
Revises: 0002c
Create Date: 2026-11-30 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003s"
down_revision = "0002c"
branch_labels = None
depends_on = None

# The triggers and backfill as this revision made them (``store.search`` has moved on:
# revision 0004 adds the sort keys), so every step of the ladder stays what it was.
_SOURCE = "NEW.first_name || ' ' || NEW.last_name || ' ' || NEW.identity_code || ' ' || NEW.phone"
_UPSERT = (
    "INSERT OR REPLACE INTO client_search (client_id, words, compact) VALUES "
    f"(NEW.id, sosku_fold({_SOURCE}), replace(replace(sosku_fold({_SOURCE}), ' ', ''), '-', ''));"
)
TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS client_search_insert AFTER INSERT ON clients "
    f"BEGIN {_UPSERT} END",
    "CREATE TRIGGER IF NOT EXISTS client_search_update AFTER UPDATE OF "
    f"first_name, last_name, identity_code, phone ON clients BEGIN {_UPSERT} END",
)
BACKFILL = (
    "INSERT OR REPLACE INTO client_search (client_id, words, compact) "
    f"SELECT id, sosku_fold({_SOURCE.replace('NEW.', '')}), "
    f"replace(replace(sosku_fold({_SOURCE.replace('NEW.', '')}), ' ', ''), '-', '') "
    "FROM clients"
)


def upgrade() -> None:
    op.create_index("ix_clients_name", "clients", ["last_name", "first_name"])
    op.create_index("ix_periods_status", "periods", ["status"])
    op.create_index(
        "ix_meetings_period_status_start", "meetings", ["period_id", "status", "starts_at"]
    )
    op.create_index("ix_meetings_status_start", "meetings", ["status", "starts_at"])
    op.create_index("ix_change_log_server_seq", "change_log", ["server_seq"])
    op.create_table(
        "client_search",
        sa.Column("client_id", sa.Text(), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("compact", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("client_id"),
    )
    for statement in TRIGGERS:
        op.execute(statement)
    op.execute(BACKFILL)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS client_search_update")
    op.execute("DROP TRIGGER IF EXISTS client_search_insert")
    op.drop_table("client_search")
    op.drop_index("ix_change_log_server_seq", "change_log")
    op.drop_index("ix_meetings_status_start", "meetings")
    op.drop_index("ix_meetings_period_status_start", "meetings")
    op.drop_index("ix_periods_status", "periods")
    op.drop_index("ix_clients_name", "clients")
