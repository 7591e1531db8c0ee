"""A citizen's voice setting and the reminders sent to a chat that stopped halfway.

Revision ID: 0008_voice_and_reminders
Revises: 0007_chat_id_hashes
Create Date: 2026-12-05 13:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_voice_and_reminders"
down_revision = "0007_chat_id_hashes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    # Not in a batch: rebuilding the table on SQLite would trip the rows that refer to it.
    with op.batch_alter_table("conversations", schema=None, recreate="never") as batch_op:
        # None: not asked yet; True/False: the citizen's answer to "selalu kirim suara?".
        batch_op.add_column(sa.Column("voice_replies", sa.Boolean(), nullable=True))
        # Reminders already sent since the citizen last wrote; raised by a conditional UPDATE.
        batch_op.add_column(
            sa.Column("reminders_sent", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_conversations_idle_flow", ["flow", "last_inbound_at"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    # Not in a batch: rebuilding the table on SQLite would trip the rows that refer to it.
    op.drop_index("ix_conversations_idle_flow", table_name="conversations")
    op.drop_column("conversations", "reminded_at")
    op.drop_column("conversations", "reminders_sent")
    op.drop_column("conversations", "voice_replies")
