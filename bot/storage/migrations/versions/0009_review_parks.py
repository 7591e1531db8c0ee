"""Requests a verifier skipped ("parked"), so that "next" stops offering them to her.

Revision ID: 0009_review_parks
Revises: 0008_voice_and_reminders
Create Date: 2026-12-05 14:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_review_parks"
down_revision = "0008_voice_and_reminders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "review_parks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("registration_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  nullable=False),
        sa.Column("reviewer", sa.String(length=64), nullable=False),
        sa.Column("parked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"], ["registrations.id"],
            name=op.f("fk_review_parks_registration_id_registrations"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_parks")),
        sa.UniqueConstraint(
            "registration_id", "reviewer", name=op.f("uq_review_parks_registration_id")
        ),
    )  # fmt: skip


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("review_parks")
