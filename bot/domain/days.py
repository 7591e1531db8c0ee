"""Calendar days as the city counts them: in Jakarta time (WIB)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.i18n import WIB


def day_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """Turn inclusive WIB dates into a half-open UTC interval (None: open on that side)."""
    low = datetime.combine(start, time(), WIB).astimezone(UTC) if start else None
    high = datetime.combine(end + timedelta(days=1), time(), WIB).astimezone(UTC) if end else None
    return low, high


def today_wib(now: datetime) -> date:
    """Return the date in Jakarta at the moment ``now``."""
    return now.astimezone(WIB).date()
