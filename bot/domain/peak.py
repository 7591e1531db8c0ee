"""Peak mode: can the waiting queue be cleared before its deadlines at the measured pace?

Verifiers take the oldest request first, so at a steady pace of ``rate`` decisions an hour the
request in place *i* (0 = oldest) is decided about ``(i + 1) / rate`` hours from now. It is
late when that is after its deadline (sent + the SOP's hours). The queue is *in peak* when at
least one request not yet past its deadline is forecast to miss it: supervisors are warned
before it happens, and citizens are told honestly that it may take longer (as the SOP allows
during job fairs). Requests already past their deadline are counted apart (the overdue tile).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class Forecast:
    """Where the queue is heading at the measured pace."""

    waiting: int
    overdue: int  # already past the deadline
    rate_per_hour: float | None  # None: no decision in the measured hours, pace unknown
    will_miss: int  # not yet overdue, but forecast to be decided after their deadline
    first_miss: datetime | None  # the earliest deadline forecast to be missed
    cleared_at: datetime | None  # when the last waiting request would be decided
    needed_per_hour: float  # the pace that would meet every deadline still ahead
    submitted: tuple[datetime, ...] = ()  # waiting requests' sending times, oldest first
    now: datetime | None = None

    @property
    def peak(self) -> bool:
        """Tell whether deadlines still ahead will be missed at the measured pace."""
        return self.will_miss > 0

    def late(self, submitted_at: datetime, sla: timedelta) -> bool:
        """Tell whether a waiting request sent at ``submitted_at`` is forecast to be late."""
        if self.rate_per_hour is None or self.now is None or not self.peak:
            return False
        place = bisect_left(self.submitted, submitted_at)
        decided = self.now + timedelta(hours=(place + 1) / self.rate_per_hour)
        return decided > submitted_at + sla


def forecast(
    submitted: Sequence[datetime],
    decisions: int,
    measured: timedelta,
    sla: timedelta,
    now: datetime,
) -> Forecast:
    """Forecast the queue of waiting requests (their sending times) at the measured pace.

    ``decisions`` were taken in the last ``measured`` (hours); no decision means the pace is
    unknown (a night with nobody at work): nothing is forecast to be missed then.
    """
    ordered = tuple(sorted(submitted))
    overdue = sum(1 for at in ordered if at + sla <= now)
    hours = measured.total_seconds() / 3600
    rate = decisions / hours if decisions > 0 and hours > 0 else None
    needed = 0.0
    will_miss = 0
    first_miss: datetime | None = None
    for place, at in enumerate(ordered):
        deadline = at + sla
        if deadline <= now:
            continue
        left = (deadline - now).total_seconds() / 3600
        needed = max(needed, (place + 1) / left)
        if rate is not None and (place + 1) / rate > left:
            will_miss += 1
            first_miss = deadline if first_miss is None else min(first_miss, deadline)
    cleared = now + timedelta(hours=len(ordered) / rate) if rate and ordered else None
    return Forecast(
        waiting=len(ordered), overdue=overdue, rate_per_hour=rate, will_miss=will_miss,
        first_miss=first_miss, cleared_at=cleared, needed_per_hour=round(needed, 2),
        submitted=ordered, now=now,
    )  # fmt: skip
