"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from bot.domain.chat_mode import ChatMode


class UTCDateTime(TypeDecorator[datetime]):
    """Store aware UTC datetimes; SQLite hands them back naive, so re-attach UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert to UTC before storing."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class ChatModeType(TypeDecorator[ChatMode]):
    """Store a :class:`ChatMode` as its string value and read it back as the enum."""

    impl = String(16)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        """Store the mode's value (a plain string of a known mode is accepted)."""
        return None if value is None else ChatMode(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> ChatMode | None:
        """Return the stored mode as the enum."""
        return None if value is None else ChatMode(value)


def utcnow() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)
