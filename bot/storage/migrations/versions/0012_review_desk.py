"""The verifier's desk: fraud signals, notes on a request, decision undo.

Revision ID: 0012_review_desk
Revises: 0011_webhooks
Create Date: 2026-12-05 16:40:00.000000
"""

from __future__ import annotations

revision = "0012_review_desk"
down_revision = "0011_webhooks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""


def downgrade() -> None:
    """Revert this revision."""
