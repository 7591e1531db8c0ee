"""A resubmission keeps the reference number of the request it follows.

The reference stays unique among first requests (``resubmission_of`` empty); each
resubmission of a chain carries the same reference and points at the request it replaces,
so the verifier console still shows the earlier request.

Revision ID: 0004_shared_reference
Revises: 0003_helpdesk
Create Date: 2026-12-01 23:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_shared_reference"
down_revision = "0003_helpdesk"
branch_labels = None
depends_on = None

_FIRST = sa.text("resubmission_of IS NULL")


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_constraint("uq_registrations_reference", type_="unique")
        batch_op.create_index("ix_registrations_reference", ["reference"], unique=False)
        batch_op.create_index(
            "uq_registrations_reference_first", ["reference"], unique=True,
            sqlite_where=_FIRST, postgresql_where=_FIRST,
        )  # fmt: skip


def downgrade() -> None:
    """Revert this revision (fails while two requests share a reference)."""
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_index("uq_registrations_reference_first")
        batch_op.drop_index("ix_registrations_reference")
        batch_op.create_unique_constraint("uq_registrations_reference", ["reference"])
