"""The reminder schedule: delays after the last message, quiet hours in WIB, at most one at once."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.domain.reminders import REPLY_GRACE, ReminderSchedule
from bot.i18n import WIB

NIGHT = (time(21, 0), time(7, 0))
SCHEDULE = ReminderSchedule.of([1440, 60], NIGHT)


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    """Return a moment in December 2026, Jakarta time, as UTC like the database gives it."""
    return datetime(2026, 12, day, hour, minute, tzinfo=WIB).astimezone(UTC)


def test_delays_are_kept_in_ascending_order() -> None:
    assert SCHEDULE.delays == (60, 1440)


def test_quiet_hours_run_past_midnight_in_jakarta_time() -> None:
    assert [SCHEDULE.is_quiet(wib(1, h)) for h in (6, 7, 12, 20, 21, 23)] == [
        True, False, False, False, True, True,
    ]  # fmt: skip
    assert SCHEDULE.is_quiet(wib(1, 6, 59)) and not SCHEDULE.is_quiet(wib(1, 20, 59))


def test_quiet_hours_inside_one_day_and_none_at_all() -> None:
    early = ReminderSchedule.of([60], (time(1, 0), time(5, 0)))
    assert early.is_quiet(wib(1, 3)) and not early.is_quiet(wib(1, 5))
    assert not early.is_quiet(wib(1, 23))
    never = ReminderSchedule.of([60], (time(0, 0), time(0, 0)))
    assert not any(never.is_quiet(wib(1, h)) for h in range(24))
    assert never.quiet_length == timedelta(0)


def test_a_reminder_due_at_night_goes_out_when_the_quiet_hours_end() -> None:
    assert SCHEDULE.send_time(wib(1, 22), 0) == wib(2, 7)  # due 23:00 → 07:00 next morning
    assert SCHEDULE.send_time(wib(2, 5), 0) == wib(2, 7)  # due 06:00 → 07:00 the same morning
    assert SCHEDULE.send_time(wib(1, 9), 0) == wib(1, 10)
    assert SCHEDULE.send_time(wib(1, 9), 1) == wib(2, 9)


def test_due_names_the_reminder_to_send_now() -> None:
    stopped = wib(1, 9)
    assert SCHEDULE.due(stopped, 0, wib(1, 9, 59)) is None
    assert SCHEDULE.due(stopped, 0, wib(1, 10)) == 0
    assert SCHEDULE.due(stopped, 1, wib(1, 10)) is None
    assert SCHEDULE.due(stopped, 1, wib(2, 9)) == 1
    assert SCHEDULE.due(stopped, 2, wib(5, 9)) is None  # two at most
    assert SCHEDULE.due(None, 0, wib(5, 9)) is None


def test_nothing_is_due_at_night_even_when_long_overdue() -> None:
    stopped = wib(1, 9)
    assert SCHEDULE.due(stopped, 0, wib(1, 23)) is None
    assert SCHEDULE.due(wib(1, 22), 0, wib(2, 6, 59)) is None
    assert SCHEDULE.due(wib(1, 22), 0, wib(2, 7)) == 0


def test_two_overdue_reminders_become_one() -> None:
    # The service was down for two days: she hears once, not twice a minute apart.
    assert SCHEDULE.due(wib(1, 9), 0, wib(3, 12)) == 1


def test_the_horizon_covers_the_last_reminder_its_night_and_a_day_to_answer() -> None:
    assert SCHEDULE.quiet_length == timedelta(hours=10)
    assert SCHEDULE.horizon == timedelta(minutes=1440) + timedelta(hours=10) + REPLY_GRACE
    stops = [wib(1, 0) + timedelta(minutes=m) for m in range(0, 24 * 60, 10)]
    waits = [SCHEDULE.send_time(stop, 1) - stop for stop in stops]
    assert max(waits) == SCHEDULE.horizon - REPLY_GRACE  # stopped 21:00: held to 07:00
    assert ReminderSchedule.of([], NIGHT).horizon == timedelta(0)
