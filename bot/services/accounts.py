"""Console accounts (Argon2id password hashes) and API tokens (only SHA-256 hashes stored)."""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.storage.models import ApiToken, AuditEntry, User
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
TOKEN_PREFIX = "tlv_"
# Failed logins allowed per username + IP, and per IP, inside the window.
LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_LIMIT_PER_USER_IP = 5
LOGIN_LIMIT_PER_IP = 30
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,47}$")
_TOKEN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,47}$")
_TOUCH_EVERY = timedelta(minutes=1)


class Role(StrEnum):
    """What a console account or API token may do."""

    VERIFIER = "verifier"
    AGENT = "agent"
    ADMIN = "admin"


class AccountError(Exception):
    """A refused account change; ``code`` names the reason (a catalog key suffix)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class LoginBlockedError(Exception):
    """Too many failed logins for this username and address; try again later."""


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting, as the audit log records it."""

    type: str  # user | token | system
    id: str | None
    name: str
    role: Role


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    # argon2-cffi's defaults follow RFC 9106's low-memory profile (Argon2id, 64 MiB, t=3).
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Verified against when the username is unknown, so both paths cost the same.
    return _hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """Return the Argon2id hash of a password."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Tell whether ``password`` matches ``password_hash`` (never raises on bad input)."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_password(password: str) -> None:
    """Refuse passwords that are too short or too long."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password_short")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError("password_long")


def normalise_username(username: str) -> str:
    """Return the canonical (trimmed, lower-case) form of a username."""
    return username.strip().lower()


def token_hash(raw: str) -> str:
    """Return the SHA-256 hex digest under which a bearer token is stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


async def create_user(
    uow_factory: UnitOfWorkFactory,
    username: str,
    password: str,
    role: str,
    *,
    by: Actor | None = None,
) -> User:
    """Create an active account with an Argon2id password hash; audited."""
    name = normalise_username(username)
    if not _USERNAME.fullmatch(name):
        raise AccountError("username_invalid")
    role_value = _role(role)
    check_password(password)
    password_hash = await asyncio.to_thread(hash_password, password)
    async with uow_factory() as uow:
        if await find_user(uow, name) is not None:
            raise AccountError("username_taken")
        user = User(
            username=name, password_hash=password_hash, role=role_value, active=True,
            created_at=utcnow(),
        )  # fmt: skip
        uow.session.add(user)
        await uow.session.flush()
        uow.audit.record(
            "user.created", actor_type=by.type if by else "system",
            actor_id=by.id if by else None, actor_name=by.name if by else "cli",
            target_type="user", target_id=str(user.id),
            details={"username": name, "role": role_value},
        )  # fmt: skip
        try:
            await uow.commit()
        except IntegrityError:
            raise AccountError("username_taken") from None
    return user


async def find_user(uow: UnitOfWork, username: str) -> User | None:
    """Return the account with this username."""
    stmt = select(User).where(User.username == normalise_username(username))
    return (await uow.session.execute(stmt)).scalar_one_or_none()


async def list_users(uow: UnitOfWork) -> list[User]:
    """Return every account, by username."""
    return list((await uow.session.execute(select(User).order_by(User.username))).scalars())


async def set_active(uow: UnitOfWork, user_id: int, active: bool, actor: Actor) -> User:
    """Activate or deactivate an account (never one's own); audited."""
    user = await uow.session.get(User, user_id)
    if user is None:
        raise AccountError("user_not_found")
    if actor.type == "user" and actor.id == str(user.id):
        raise AccountError("self_deactivate")
    user.active = active
    uow.audit.record(
        "user.activated" if active else "user.deactivated", actor_type=actor.type,
        actor_id=actor.id, actor_name=actor.name, target_type="user", target_id=str(user.id),
        details={"username": user.username},
    )  # fmt: skip
    return user


async def change_password(
    uow_factory: UnitOfWorkFactory, user_id: int, current: str, new: str, ip: str | None
) -> None:
    """Replace a user's password after checking the current one; audited."""
    check_password(new)
    async with uow_factory() as uow:
        user = await uow.session.get(User, user_id)
        old_hash = user.password_hash if user else _dummy_hash()
    if user is None or not await asyncio.to_thread(verify_password, old_hash, current):
        raise AccountError("password_wrong")
    new_hash = await asyncio.to_thread(hash_password, new)
    async with uow_factory() as uow:
        user = await uow.session.get(User, user_id)
        assert user is not None
        user.password_hash = new_hash
        uow.audit.record(
            "user.password_changed", actor_type="user", actor_id=str(user.id),
            actor_name=user.username, target_type="user", target_id=str(user.id), ip=ip,
        )  # fmt: skip
        await uow.commit()


async def authenticate(
    uow_factory: UnitOfWorkFactory, username: str, password: str, ip: str | None
) -> User | None:
    """Check a login, rate-limited per username + IP; every attempt is audited.

    Raises :class:`LoginBlockedError` when too many attempts failed recently.
    """
    name = normalise_username(username)[:64]
    now = utcnow()
    async with uow_factory() as uow:
        if await _login_blocked(uow, name, ip, now):
            uow.audit.record(
                "console.login_blocked", actor_type="user", actor_name=name, ip=ip,
            )  # fmt: skip
            await uow.commit()
            raise LoginBlockedError(name)
        user = await find_user(uow, name)
        stored = user.password_hash if user is not None else _dummy_hash()
    ok = await asyncio.to_thread(verify_password, stored, password[:MAX_PASSWORD_LENGTH])
    ok = ok and user is not None and user.active
    async with uow_factory() as uow:
        if not ok or user is None:
            uow.audit.record(
                "console.login_failed", actor_type="user", actor_name=name, ip=ip,
                details={"reason": "inactive" if user is not None and not user.active else "bad"},
            )  # fmt: skip
            await uow.commit()
            return None
        fresh = await uow.session.get(User, user.id)
        assert fresh is not None
        fresh.last_login_at = now
        if _hasher().check_needs_rehash(fresh.password_hash):
            fresh.password_hash = await asyncio.to_thread(hash_password, password)
        uow.audit.record(
            "console.login", actor_type="user", actor_id=str(fresh.id), actor_name=fresh.username,
            ip=ip, details={"role": fresh.role},
        )  # fmt: skip
        await uow.commit()
        return fresh


async def _login_blocked(uow: UnitOfWork, name: str, ip: str | None, now: datetime) -> bool:
    since = now - LOGIN_WINDOW
    base = select(func.count()).where(
        AuditEntry.action == "console.login_failed", AuditEntry.at >= since, AuditEntry.ip == ip
    )
    per_ip = await uow.session.scalar(base)
    per_user = await uow.session.scalar(base.where(AuditEntry.actor_name == name))
    return (per_user or 0) >= LOGIN_LIMIT_PER_USER_IP or (per_ip or 0) >= LOGIN_LIMIT_PER_IP


async def create_token(
    uow_factory: UnitOfWorkFactory, name: str, role: str, *, by: Actor | None = None
) -> tuple[ApiToken, str]:
    """Create a bearer token; return it with the raw value, which is shown only this once."""
    clean = name.strip()
    if not _TOKEN_NAME.fullmatch(clean):
        raise AccountError("token_name_invalid")
    role_value = _role(role)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with uow_factory() as uow:
        token = ApiToken(
            name=clean, token_hash=token_hash(raw), role=role_value, created_at=utcnow()
        )
        uow.session.add(token)
        await uow.session.flush()
        uow.audit.record(
            "token.created", actor_type=by.type if by else "system",
            actor_id=by.id if by else None, actor_name=by.name if by else "cli",
            target_type="token", target_id=str(token.id),
            details={"name": clean, "role": role_value},
        )  # fmt: skip
        await uow.commit()
    return token, raw


async def token_actor(uow: UnitOfWork, raw: str) -> Actor | None:
    """Return who a bearer token acts as, or None when unknown or revoked."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 128:
        return None
    stmt = select(ApiToken).where(ApiToken.token_hash == token_hash(raw))
    token = (await uow.session.execute(stmt)).scalar_one_or_none()
    if token is None or token.revoked_at is not None:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
        token.last_used_at = now
    return Actor(type="token", id=str(token.id), name=token.name, role=Role(token.role))


async def list_tokens(uow: UnitOfWork) -> list[ApiToken]:
    """Return every token, newest first."""
    return list(
        (await uow.session.execute(select(ApiToken).order_by(ApiToken.id.desc()))).scalars()
    )


async def revoke_token(uow: UnitOfWork, token_id: int, actor: Actor) -> ApiToken:
    """Revoke a token for good; audited."""
    token = await uow.session.get(ApiToken, token_id)
    if token is None:
        raise AccountError("token_not_found")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        uow.audit.record(
            "token.revoked", actor_type=actor.type, actor_id=actor.id, actor_name=actor.name,
            target_type="token", target_id=str(token.id), details={"name": token.name},
        )  # fmt: skip
    return token


def _role(role: str) -> str:
    try:
        return Role(role).value
    except ValueError:
        raise AccountError("role_invalid") from None
