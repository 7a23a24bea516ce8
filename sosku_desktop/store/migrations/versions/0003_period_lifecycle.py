"""period lifecycle: needs mapping, implementation plan, evaluations, planned entries, ending

Revision ID: 0003
Revises: 0003s
Create Date: 2026-11-30 05:20:00

Adds the records of the period's phases (issue 9) as synced tables, and the
ending's follow-on service and feedback answers as period columns. Existing
periods get empty values (server defaults), so databases of schema 0001
open unchanged.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0003s"
branch_labels = None
depends_on = None


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.Text(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "needs_mappings",
        _id(),
        sa.Column("period_id", sa.Text(), nullable=False),
        sa.Column("mapped_on", sa.Date(), nullable=True),
        sa.Column("services_had", sa.Text(), nullable=False),
        sa.Column("what_helped", sa.Text(), nullable=False),
        sa.Column("wants_to_change", sa.Text(), nullable=False),
        sa.Column("first_goal", sa.Text(), nullable=False),
        sa.Column("schedule", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "implementation_plans",
        _id(),
        sa.Column("period_id", sa.Text(), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("responsible", sa.Text(), nullable=False),
        sa.Column("previous_goals_reached", sa.Text(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("goal_plans", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "evaluations",
        _id(),
        sa.Column("period_id", sa.Text(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("block_start", sa.Date(), nullable=False),
        sa.Column("block_end", sa.Date(), nullable=False),
        sa.Column("attainment", sa.JSON(), nullable=False),
        sa.Column("client_view", sa.Text(), nullable=False),
        sa.Column("what_worked", sa.Text(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("continue_service", sa.Boolean(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "planned_entries",
        _id(),
        sa.Column("period_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for table in ("needs_mappings", "implementation_plans", "evaluations", "planned_entries"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_period_id"), ["period_id"], unique=False)
    for table in ("evaluations", "planned_entries"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_on"), ["on"], unique=False)
    with op.batch_alter_table("periods", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("follow_on_service", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("feedback", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("periods", schema=None) as batch_op:
        batch_op.drop_column("feedback")
        batch_op.drop_column("follow_on_service")
    for table in ("planned_entries", "evaluations", "implementation_plans", "needs_mappings"):
        op.drop_table(table)
