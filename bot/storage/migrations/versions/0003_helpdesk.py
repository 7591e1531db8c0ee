"""Helpdesk handoff: who holds a chat, photos in chats, delivery status per message.

Revision ID: 0003_helpdesk
Revises: 0002_console
Create Date: 2026-12-01 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_helpdesk"
down_revision = "0002_console"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        # "user:<id>" or "token:<id>": one holder at a time, set by a conditional UPDATE.
        batch_op.add_column(sa.Column("holder", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("holder_name", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_conversations_queue", ["mode", "queued_at"], unique=False)
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("blob_id", _ID, nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_messages_blob_id_vault_blobs"), "vault_blobs", ["blob_id"], ["id"],
            ondelete="SET NULL",
        )  # fmt: skip
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_seq", sa.Integer(), nullable=True))
        batch_op.create_index(
            "ix_outbox_conversation", ["conversation_id", "message_seq"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_conversation")
        batch_op.drop_column("message_seq")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_messages_blob_id_vault_blobs"), type_="foreignkey")
        batch_op.drop_column("blob_id")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index("ix_conversations_queue")
        batch_op.drop_column("holder_name")
        batch_op.drop_column("holder")
