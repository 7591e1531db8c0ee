"""Peak mode, measured: the forecast is read once a minute per worker, not on every page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.services.peak import PeakWatch

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


class _Desk:
    """The two reads the forecast needs, counted."""

    def __init__(self) -> None:
        self.reads = 0

    async def waiting_deadlines(self) -> list[datetime]:
        self.reads += 1
        return [NOW - timedelta(hours=23, minutes=30)] * 3

    async def decisions_between(self, since: datetime, until: datetime) -> int:
        return 1


class _Unit:
    def __init__(self, desk: _Desk) -> None:
        self.desk = desk

    async def __aenter__(self) -> _Unit:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


async def test_the_forecast_is_cached_for_a_minute_without_opening_a_unit_of_work(
    settings_factory: Any,
) -> None:
    desk = _Desk()
    opened: list[_Unit] = []

    def units() -> _Unit:
        opened.append(_Unit(desk))
        return opened[-1]

    watch = PeakWatch(settings_factory())
    first = await watch.current(units, NOW)  # type: ignore[arg-type]
    assert first.peak and (len(opened), desk.reads) == (1, 1)
    # Within the minute: the same forecast, no database touched (SQLite's write lock neither).
    assert await watch.current(units, NOW + timedelta(seconds=59)) is first  # type: ignore[arg-type]
    assert await watch.read(_Unit(desk), NOW + timedelta(seconds=30)) is first  # type: ignore[arg-type]
    assert (len(opened), desk.reads) == (1, 1)
    # A minute later it is read again.
    again = await watch.current(units, NOW + timedelta(seconds=61))  # type: ignore[arg-type]
    assert again is not first and (len(opened), desk.reads) == (2, 2)
