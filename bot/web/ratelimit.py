"""Rate limits of the public web chat API, per chat session and per client address.

Token buckets kept in this process's memory: the project has no shared store (no Redis), so
with ``--workers N`` a client may get up to N times the rate, which still bounds it. A photo
costs several messages, since each is decoded and checked in a worker thread.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from aiohttp import web


@dataclass(frozen=True, slots=True)
class Rate:
    """A token bucket: ``burst`` requests at once, refilled at ``per_minute``."""

    burst: float
    per_minute: float


class Action(Enum):
    """What a web chat request does, for its bucket."""

    OPEN = "open"  # start a chat
    WRITE = "write"  # a text, button, photo or greeting
    READ = "read"  # a poll for new messages


@dataclass(frozen=True, slots=True)
class WebchatLimits:
    """The web chat's rates; generous for people, tight for scripts."""

    # One chat: a whole registration (~15 messages and 2 photos) fits in the burst, and nobody
    # types or taps faster than the rate for long; a photo costs `photo_cost`.
    session_writes: Rate = Rate(burst=30, per_minute=30)
    # The page polls every 3 s (20 a minute) and re-reads its history after a reload.
    session_reads: Rate = Rate(burst=40, per_minute=60)
    # One address: an office or a mobile operator's NAT may put many citizens behind it.
    address_opens: Rate = Rate(burst=30, per_minute=30)
    address_writes: Rate = Rate(burst=200, per_minute=300)
    address_reads: Rate = Rate(burst=1200, per_minute=2400)
    photo_cost: float = 5.0


class TokenBuckets:
    """One token bucket per key, the least recently used forgotten past ``max_keys``."""

    def __init__(
        self, rate: Rate, *, clock: Callable[[], float] = time.monotonic, max_keys: int = 50_000
    ) -> None:
        self._rate = rate
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}  # key → (tokens, when)

    def wait(self, key: str, cost: float) -> float:
        """Return the seconds until ``key`` may spend ``cost`` (0: it may now)."""
        missing = cost - self._tokens(key)
        if missing <= 0:
            return 0.0
        return missing * 60.0 / self._rate.per_minute

    def spend(self, key: str, cost: float) -> None:
        """Take ``cost`` tokens from ``key``'s bucket (checked with ``wait`` first)."""
        tokens = self._tokens(key) - cost
        self._buckets.pop(key, None)  # re-inserted last: the dict's order is recency
        self._buckets[key] = (tokens, self._clock())
        while len(self._buckets) > self._max_keys:
            # A forgotten key starts full again: only a client using more keys than this
            # gains by it, and the address's own bucket still holds it.
            del self._buckets[next(iter(self._buckets))]

    def _tokens(self, key: str) -> float:
        tokens, when = self._buckets.get(key, (self._rate.burst, self._clock()))
        refill = (self._clock() - when) * self._rate.per_minute / 60.0
        return min(self._rate.burst, tokens + refill)


@dataclass
class WebchatThrottle:
    """Charge web chat requests to their session's and their address's buckets."""

    limits: WebchatLimits = field(default_factory=WebchatLimits)
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, TokenBuckets] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        rates = {
            "session-write": self.limits.session_writes,
            "session-read": self.limits.session_reads,
            "address-open": self.limits.address_opens,
            "address-write": self.limits.address_writes,
            "address-read": self.limits.address_reads,
        }
        self._buckets = {name: TokenBuckets(rate, clock=self.clock) for name, rate in rates.items()}

    def charge(
        self, action: Action, *, address: str, session: str | None = None, photo: bool = False
    ) -> float:
        """Charge one request; return 0 when it may go ahead, else the seconds to wait.

        A refused request is not charged, so a client that waits as told gets through.
        """
        cost = self.limits.photo_cost if photo else 1.0
        charges = [(self._buckets[f"address-{action.value}"], address)]
        if session is not None and action is not Action.OPEN:
            charges.append((self._buckets[f"session-{action.value}"], session))
        wait = max(buckets.wait(key, cost) for buckets, key in charges)
        if wait > 0:
            return wait
        for buckets, key in charges:
            buckets.spend(key, cost)
        return 0.0


def retry_after(wait: float) -> int:
    """Return ``wait`` as whole seconds for a Retry-After header (at least 1)."""
    return max(1, math.ceil(wait))


THROTTLE = web.AppKey("webchat_throttle", WebchatThrottle)


def address_key(address: str | None) -> str:
    """Return the bucket key of a client address: the address, or an IPv6 client's /64."""
    if not address:
        return "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        # One subscriber usually gets a whole /64: counting addresses in it would be no limit.
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)
