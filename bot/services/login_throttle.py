"""How sign-in attempts are throttled: per account, per client address, per check in flight.

Each attempt is counted *before* its password is checked, in rows that every worker shares and
locks, so a burst of concurrent guesses cannot all slip past the count. A right password gives
its attempt back. Accounts and addresses are counted apart: guesses from one address for many
names stop that address, never a colleague elsewhere who types the right password.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.addresses import address_block
from bot.storage.models import LoginThrottle

LOGIN_WINDOW = timedelta(minutes=15)
# Attempts per account in the window, from any address (guessing one password slowly).
LIMIT_PER_ACCOUNT = 5
# Attempts per client address in the window, for any names (spraying one password widely).
LIMIT_PER_ADDRESS = 30
# Password checks running at once for one account: each Argon2 check holds 64 MiB.
CHECKS_PER_ACCOUNT = 2
# A check not settled by then belongs to a worker that died; its slot is free again.
CHECK_LEASE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Gate:
    """One count an attempt must pass: its row key, scope name and limits."""

    key: str
    scope: str  # account | address | reference (a Rasa status proof, bot/usecases/assistant)
    attempts: int
    checks: int | None = None


def account_gate(name: str) -> Gate:
    """Return the gate that counts attempts for one account, from anywhere."""
    return Gate(f"account:{name}", "account", LIMIT_PER_ACCOUNT, CHECKS_PER_ACCOUNT)


def address_gate(address: str | None, *, prefix: str = "address") -> Gate:
    """Return the gate that counts attempts from one client address (an IPv6 /64)."""
    return Gate(f"{prefix}:{address_block(address)}", "address", LIMIT_PER_ADDRESS)


def refusing(gates: Sequence[Gate], rows: Sequence[LoginThrottle], now: datetime) -> int | None:
    """Return the index of the first gate that refuses another attempt now, or None."""
    for index, (gate, row) in enumerate(zip(gates, rows, strict=True)):
        _roll(row, now)
        if row.failures >= gate.attempts:
            return index
        if gate.checks is not None and row.checking >= gate.checks:
            return index
    return None


def reserve(gates: Sequence[Gate], rows: Sequence[LoginThrottle], now: datetime) -> None:
    """Count one attempt, as failed until proven right, against every gate."""
    for gate, row in zip(gates, rows, strict=True):
        row.failures += 1
        if gate.checks is not None:
            row.checking += 1
            row.checking_until = now + CHECK_LEASE


def settle(
    gates: Sequence[Gate], rows: Sequence[LoginThrottle], now: datetime, *, ok: bool
) -> None:
    """End a reserved attempt: free its check; a right password gives the attempt back."""
    for gate, row in zip(gates, rows, strict=True):
        if gate.checks is not None and row.checking_until is not None:
            row.checking = max(0, row.checking - 1)
        if ok:
            # The account's own success clears its slate; an address keeps its other failures.
            row.failures = 0 if gate.scope == "account" else max(0, row.failures - 1)


def refuse(row: LoginThrottle) -> int:
    """Count a refused attempt; return how many this burst has had."""
    row.refused += 1
    return row.refused


def _roll(row: LoginThrottle, now: datetime) -> None:
    """Start a new window when the last one is over, and free checks whose lease ran out."""
    if now - row.window_start >= LOGIN_WINDOW:
        row.window_start = now
        row.failures = row.refused = 0
        row.audit_id = None
    if row.checking_until is None or row.checking_until <= now:
        row.checking = 0
        row.checking_until = None
