"""When a citizen who stopped halfway is reminded: delays after her last message, never at night."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.i18n import WIB

# After the last reminder was due, the citizen still gets this long to answer it before the
# retention rule may take her draft.
REPLY_GRACE = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ReminderSchedule:
    """Reminders ``delays`` (minutes, ascending) after the last message, outside quiet hours.

    The quiet hours are clock times in Jakarta (WIB); they may run past midnight
    ("21:00"–"07:00"); equal times mean no quiet hours. A reminder due inside them waits for
    their end, so a sweep simply sends nothing while they last.
    """

    delays: tuple[int, ...]
    quiet_start: time
    quiet_end: time

    @classmethod
    def of(cls, delays: Sequence[int], quiet: tuple[time, time]) -> ReminderSchedule:
        """Build a schedule from the settings' delays and quiet window."""
        return cls(tuple(sorted(delays)), quiet[0], quiet[1])

    def is_quiet(self, now: datetime) -> bool:
        """Tell whether ``now`` falls inside the quiet hours (in WIB)."""
        local = now.astimezone(WIB).time()
        start, end = self.quiet_start, self.quiet_end
        if start < end:
            return start <= local < end
        if start > end:  # past midnight
            return local >= start or local < end
        return False

    def cutoffs(self, now: datetime) -> list[tuple[int, datetime]]:
        """Return (reminders sent, last message before) pairs: a chat matching one is due."""
        return [(sent, now - timedelta(minutes=delay)) for sent, delay in enumerate(self.delays)]

    def due(self, last_inbound_at: datetime | None, sent: int, now: datetime) -> int | None:
        """Return the index of the reminder to send at ``now`` (None: none is due).

        When several are due at once (the quiet hours held the first until the second's time,
        or the service was down), only the latest goes out: a citizen never gets two in a row.
        """
        if last_inbound_at is None or self.is_quiet(now):
            return None
        due = [
            index
            for index in range(sent, len(self.delays))
            if self.send_time(last_inbound_at, index) <= now
        ]
        return due[-1] if due else None

    def send_time(self, last_inbound_at: datetime, index: int) -> datetime:
        """Return when reminder ``index`` goes out: its delay, moved to the end of quiet hours."""
        when = last_inbound_at + timedelta(minutes=self.delays[index])
        if not self.is_quiet(when):
            return when
        local = when.astimezone(WIB)
        end = local.replace(
            hour=self.quiet_end.hour, minute=self.quiet_end.minute, second=0, microsecond=0
        )
        if end <= local:
            end += timedelta(days=1)
        return end.astimezone(last_inbound_at.tzinfo)

    @property
    def quiet_length(self) -> timedelta:
        """Return how long the quiet hours last."""
        start = timedelta(hours=self.quiet_start.hour, minutes=self.quiet_start.minute)
        end = timedelta(hours=self.quiet_end.hour, minutes=self.quiet_end.minute)
        return (end - start) % timedelta(days=1)

    @property
    def horizon(self) -> timedelta:
        """Return how long after her last message a citizen may still get and answer a reminder.

        The last delay, plus the quiet hours it may fall into, plus a day to answer; zero
        without reminders.
        """
        if not self.delays:
            return timedelta(0)
        return timedelta(minutes=self.delays[-1]) + self.quiet_length + REPLY_GRACE
