"""Outbound event subscriptions (the city's systems) and their deliveries.

Revision ID: 0011_webhooks
Revises: 0010_scheduled_jobs
Create Date: 2026-12-05 16:40:00.000000
"""

from __future__ import annotations

revision = "0011_webhooks"
down_revision = "0010_scheduled_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""


def downgrade() -> None:
    """Revert this revision."""
