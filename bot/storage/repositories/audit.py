"""The append-only audit trail."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    AuditEntry,
)
from bot.storage.types import utcnow


class AuditLog:
    """The append-only audit trail."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    def record(
        self,
        action: str,
        *,
        actor_type: str,
        actor_id: str | None = None,
        actor_name: str | None = None,
        target_type: str | None = None,
        target_id: str | None = None,
        details: dict[str, Any] | None = None,
        ip: str | None = None,
    ) -> None:
        """Append one entry."""
        self._s.add(
            AuditEntry(
                at=utcnow(), actor_type=actor_type, actor_id=actor_id, actor_name=actor_name,
                action=action, target_type=target_type, target_id=target_id,
                details=details or {}, ip=ip,
            )
        )  # fmt: skip
