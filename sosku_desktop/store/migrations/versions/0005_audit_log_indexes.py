"""fewer pages per save: the access log without unread indexes, clocks keyed by row id first

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 18:55:00

Every save writes an ``audit_log`` row and two ``row_clock`` rows, and each
page they touch is one more page encrypted and committed (issue 15: saving
one meeting ≤ 3× a raw insert + commit).

- The access log is read per client only (``Reader.audit_of_client``);
  ``ix_audit_log_at`` and ``ix_audit_log_worker_id`` were made because
  every table indexes those column names, and no query used them.
- ``row_clock`` was keyed (table, row id): a save's two clocks (its row's
  and its audit row's) went to two pages, one of them in the middle of the
  table. Keyed (row id, table), time-ordered ids put both on the last
  page. The rows are copied as they are.

No synced column, value or bundle changes: devices on the earlier revision
sync on. (A snapshot is loaded only by the revision that made it.)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _rekey_row_clock(*key: str) -> None:
    """``row_clock`` made anew with primary key ``key``, every row copied."""
    op.create_table(
        "row_clock_rekeyed",
        sa.Column("tbl", sa.Text(), nullable=False),
        sa.Column("row_id", sa.Text(), nullable=False),
        sa.Column("hlc", sa.Text(), nullable=False),
        sa.Column("cols", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint(*key),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO row_clock_rekeyed (tbl, row_id, hlc, cols)"
        f" SELECT tbl, row_id, hlc, cols FROM row_clock ORDER BY {', '.join(key)}"
    )
    op.drop_table("row_clock")
    op.rename_table("row_clock_rekeyed", "row_clock")


def upgrade() -> None:
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_index("ix_audit_log_worker_id", table_name="audit_log")
    _rekey_row_clock("row_id", "tbl")


def downgrade() -> None:
    _rekey_row_clock("tbl", "row_id")
    op.create_index("ix_audit_log_worker_id", "audit_log", ["worker_id"])
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
