"""The verifier's desk: fraud signals, notes on a request, decision undo.

Registrations get keyed hashes of the phone number and of the normalised full name (search
and the "one phone, many NIKs" signal), and the indexes the queue's filters and the report
use; submitted photos get their perceptual hash in 16-bit bands (``photo_hashes``); staff
write internal case notes (``review_notes``, encrypted); the audit log is filtered by
reference and by who acted. Existing requests get their hashes when the service's keys are
passed (``tlive-bot migrate``); an empty database needs none.

Revision ID: 0012_review_desk
Revises: 0011_webhooks
Create Date: 2026-12-05 16:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from bot.crypto import Keyring, row_context

revision = "0012_review_desk"
down_revision = "0011_webhooks"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
BATCH = 500


def upgrade() -> None:
    """Apply this revision."""
    op.add_column("registrations", sa.Column("phone_hash", sa.String(length=64), nullable=True))
    op.add_column("registrations", sa.Column("name_hash", sa.String(length=64), nullable=True))
    op.create_index("ix_registrations_phone_hash", "registrations", ["phone_hash"])
    op.create_index("ix_registrations_name_hash", "registrations", ["name_hash"])
    op.create_index("ix_registrations_status_submitted", "registrations",
                    ["status", "submitted_at"])  # fmt: skip
    op.create_index("ix_registrations_kecamatan_status", "registrations",
                    ["kecamatan", "status", "submitted_at"])  # fmt: skip
    op.create_index("ix_registrations_channel_status", "registrations",
                    ["channel", "status", "submitted_at"])  # fmt: skip
    op.create_index("ix_registrations_decided_at", "registrations", ["decided_at"])
    op.create_table(
        "photo_hashes",
        sa.Column("id", BigId, nullable=False),
        sa.Column("registration_id", BigId, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("phash", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"], ["registrations.id"],
            name=op.f("fk_photo_hashes_registration_id_registrations"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo_hashes")),
    )  # fmt: skip
    op.create_index("ix_photo_hashes_lookup", "photo_hashes", ["kind", "band"])
    op.create_index("ix_photo_hashes_registration_id", "photo_hashes", ["registration_id"])
    op.create_table(
        "review_notes",
        sa.Column("id", BigId, nullable=False),
        sa.Column("registration_id", BigId, nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("author_name", sa.String(length=64), nullable=True),
        sa.Column("body_enc", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"], ["registrations.id"],
            name=op.f("fk_review_notes_registration_id_registrations"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_notes")),
    )  # fmt: skip
    op.create_index("ix_review_notes_registration", "review_notes",
                    ["registration_id", "created_at"])  # fmt: skip
    op.create_index("ix_audit_log_target", "audit_log", ["target_id", "at"])
    op.create_index("ix_audit_log_actor_name", "audit_log", ["actor_name", "at"])
    _hash_existing()


def _hash_existing() -> None:
    """Give requests stored before this revision their phone and name hashes."""
    keys: Keyring | None = context.config.attributes.get("keyring")
    if keys is None:
        return  # an empty database, or one migrated without keys: hashed when next written
    from bot.storage.repositories.registrations import lookup_hashes

    bind = op.get_bind()
    regs = sa.table("registrations", sa.column("id", sa.Integer), sa.column("data_enc"),
                    sa.column("phone_hash"), sa.column("name_hash"))  # fmt: skip
    # One statement per batch (executemany), not one round trip per request.
    store = (
        regs.update().where(regs.c.id == sa.bindparam("row_id"))
        .values(phone_hash=sa.bindparam("phone"), name_hash=sa.bindparam("name"))
    )  # fmt: skip
    last = 0
    while True:
        rows = bind.execute(
            sa.select(regs.c.id, regs.c.data_enc)
            .where(regs.c.id > last, regs.c.data_enc.is_not(None))
            .order_by(regs.c.id).limit(BATCH)
        ).all()  # fmt: skip
        if not rows:
            return
        batch = []
        for row_id, data_enc in rows:
            bound_to = row_context("registrations", row_id, "data_enc")
            data = keys.fields.decrypt_json(data_enc, context=bound_to) or {}
            hashes = lookup_hashes(keys, data)
            batch.append({"row_id": row_id, "phone": hashes["phone_hash"],
                          "name": hashes["name_hash"]})  # fmt: skip
        bind.execute(store, batch)
        last = rows[-1][0]


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_audit_log_actor_name", table_name="audit_log")
    op.drop_index("ix_audit_log_target", table_name="audit_log")
    op.drop_table("review_notes")
    op.drop_table("photo_hashes")
    for name in ("decided_at", "channel_status", "kecamatan_status", "status_submitted",
                 "name_hash", "phone_hash"):  # fmt: skip
        op.drop_index(f"ix_registrations_{name}", table_name="registrations")
    # In place (SQLite ≥ 3.35 drops a column without copying the table, which other tables'
    # foreign keys to registrations would forbid).
    op.drop_column("registrations", "name_hash")
    op.drop_column("registrations", "phone_hash")
