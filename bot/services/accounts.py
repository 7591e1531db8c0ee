"""Accounts' rules: roles, actors, Argon2id passwords, token hashes and what is refused.

The use cases that store accounts, tokens and sessions are in ``bot.usecases.accounts``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import ClassVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from bot.usecases.errors import Refused

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
TOKEN_PREFIX = "tlv_"
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,47}$")
TOKEN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,47}$")


class Role(StrEnum):
    """What a console account or API token may do."""

    VERIFIER = "verifier"
    AGENT = "agent"
    ADMIN = "admin"


class AccountError(Refused):
    """A refused account change; ``code`` names the reason (a catalog key suffix)."""

    statuses: ClassVar[Mapping[str, int]] = {
        "user_not_found": 404,
        "token_not_found": 404,
        "username_taken": 409,
    }
    default_status = 422


class LoginBlockedError(Refused):
    """Too many attempts for this account or from this address (see login_throttle)."""

    default_status = 429

    def __init__(self, username: str) -> None:
        super().__init__("login_blocked")
        self.username = username


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting, as the audit log records it."""

    type: str  # user | token | system
    id: str | None
    name: str
    role: Role

    @property
    def key(self) -> str:
        """Return who this is as claims and decisions record it: ``user:<id>``, ``token:<id>``.

        Never the name alone: a token may be named like a user.
        """
        return f"{self.type}:{self.id if self.id is not None else self.name}"


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    """Return the one password hasher."""
    # argon2-cffi's defaults follow RFC 9106's low-memory profile (Argon2id, 64 MiB, t=3).
    return PasswordHasher()


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """Return a hash to check a password against when there is no account."""
    # Verified against when the username is unknown, so both paths cost the same.
    return hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """Return the Argon2id hash of a password."""
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Tell whether ``password`` matches ``password_hash`` (never raises on bad input)."""
    try:
        return hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_password(password: str) -> None:
    """Refuse passwords that are too short or too long."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password_short", min=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError("password_long")


def normalise_username(username: str) -> str:
    """Return the canonical (trimmed, lower-case) form of a username."""
    return username.strip().lower()


def token_hash(raw: str) -> str:
    """Return the SHA-256 hex digest under which a bearer token is stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


def role_value(role: str) -> str:
    """Return the stored value of a role name; refuse an unknown one."""
    try:
        return Role(role).value
    except ValueError:
        raise AccountError("role_invalid") from None
