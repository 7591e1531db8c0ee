"""When the helpdesk is open, and how the citizen is told."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.i18n import WIB, Catalog


class HelpdeskHours:
    """Opening hours like ``08:00-16:00`` on ISO weekdays like ``1-5`` (Monday–Friday), WIB."""

    def __init__(self, hours: str, days: str) -> None:
        start, end = hours.split("-")
        self.opens = time.fromisoformat(start.strip())
        self.closes = time.fromisoformat(end.strip())
        first, last = (int(d) for d in days.split("-"))
        self.days = range(first, last + 1)

    def is_open(self, now: datetime) -> bool:
        """Tell whether an agent is on duty at ``now``."""
        local = now.astimezone(WIB)
        return local.isoweekday() in self.days and self.opens <= local.time() < self.closes

    def next_opening(self, now: datetime) -> datetime:
        """Return when the helpdesk opens next (``now`` if it is open)."""
        if self.is_open(now):
            return now
        local = now.astimezone(WIB)
        for offset in range(8):
            day = (local + timedelta(days=offset)).date()
            opening = datetime.combine(day, self.opens, tzinfo=WIB)
            if day.isoweekday() in self.days and opening > local:
                return opening
        return now

    def text(self, catalog: Catalog, now: datetime) -> str:
        """Say when someone will answer (now, or when the helpdesk opens)."""
        opening = self.next_opening(now)
        if opening == now:
            return catalog.text("handoff-open")
        return catalog.text(
            "handoff-closed",
            day=catalog.text(f"weekday-{opening.isoweekday()}"),
            time=opening.strftime("%H.%M"),
        )
