"""Sentence-encoder vectors of FAQ texts, stored so rebuilding the index encodes only new texts.

Revision ID: 0005_faq_text_vectors
Revises: 0004_shared_reference
Create Date: 2026-12-05 11:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_faq_text_vectors"
down_revision = "0004_shared_reference"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "faq_text_vectors",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("model", sa.String(length=48), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_faq_text_vectors"),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("faq_text_vectors")
