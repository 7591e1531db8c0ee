"""Peak mode: the waiting queue forecast against its deadlines at the measured pace."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.peak import forecast

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
SLA = timedelta(hours=24)
HOURS = timedelta(hours=3)


def _sent(*hours_ago: float) -> list[datetime]:
    return [NOW - timedelta(hours=h) for h in hours_ago]


def test_a_queue_the_pace_clears_in_time_is_not_a_peak() -> None:
    # 10 waiting, the oldest 20 h old (4 h left); 30 decisions in 3 h = 10 an hour.
    found = forecast(_sent(*range(20, 10, -1)), 30, HOURS, SLA, NOW)
    assert (found.waiting, found.rate_per_hour, found.will_miss, found.peak) == (10, 10, 0, False)
    assert found.cleared_at == NOW + timedelta(hours=1)


def test_a_job_fair_queue_that_outruns_the_pace_is_a_peak_before_any_deadline_passes() -> None:
    # 300 requests sent over the last 2 h; 2 decisions an hour will not clear them in 22 h.
    sent = [NOW - timedelta(minutes=m * 0.4) for m in range(300)]
    found = forecast(sent, 6, HOURS, SLA, NOW)
    assert found.overdue == 0 and found.peak
    assert found.will_miss == 300 - 44  # 2/h × ~22 h reach the first 44 in time
    assert found.first_miss is not None and found.first_miss > NOW
    assert found.needed_per_hour == 12.5  # the newest: 300 requests in its 24 h
    oldest, newest = min(sent), max(sent)
    assert not found.late(oldest, SLA) and found.late(newest, SLA)


def test_overdue_requests_are_counted_apart_and_no_pace_means_no_forecast() -> None:
    found = forecast(_sent(30, 26, 1), 0, HOURS, SLA, NOW)
    assert (found.waiting, found.overdue, found.rate_per_hour, found.peak) == (3, 2, None, False)
    assert found.cleared_at is None and not found.late(NOW, SLA)


def test_an_empty_queue_is_calm() -> None:
    found = forecast([], 12, HOURS, SLA, NOW)
    assert (found.waiting, found.will_miss, found.peak, found.needed_per_hour) == (0, 0, False, 0)
