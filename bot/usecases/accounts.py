"""Accounts, API tokens and console sessions: what admins and signed-in users do to them.

Every method opens and commits its own unit of work and audits what it changed. Password
hashing (Argon2id, deliberately slow) runs in a thread and never inside a transaction, so a
login does not hold SQLite's write lock while it hashes.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from bot.services.accounts import (
    LOGIN_LIMIT_PER_IP,
    LOGIN_LIMIT_PER_USER_IP,
    LOGIN_WINDOW,
    MAX_PASSWORD_LENGTH,
    TOKEN_NAME,
    TOKEN_PREFIX,
    USERNAME,
    AccountError,
    Actor,
    LoginBlockedError,
    Role,
    check_password,
    dummy_hash,
    hash_password,
    hasher,
    normalise_username,
    role_value,
    token_hash,
    verify_password,
)
from bot.storage.models import ApiToken, ConsoleSession, User
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory

SESSION_LIFETIME = timedelta(hours=8)
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
# Writing "last seen" on every request would make each page view a write.
_SESSION_TOUCH_EVERY = timedelta(seconds=60)
_TOKEN_TOUCH_EVERY = timedelta(minutes=1)
_CLI = Actor(type="system", id=None, name="cli", role=Role.ADMIN)


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The account behind a live console session."""

    user_id: int
    username: str
    role: Role
    session_id: int


def _session_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccountCases:
    """Create and change accounts and tokens; sign console users in and out."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    # --- accounts --------------------------------------------------------------------------

    async def create_user(
        self, username: str, password: str, role: str, *, by: Actor | None = None
    ) -> User:
        """Create an active account with an Argon2id password hash; audited."""
        name = normalise_username(username)
        if not USERNAME.fullmatch(name):
            raise AccountError("username_invalid")
        role_name = role_value(role)
        check_password(password)
        password_hash = await asyncio.to_thread(hash_password, password)
        who = by or _CLI
        async with self._uow() as uow:
            if await uow.users.named(name) is not None:
                raise AccountError("username_taken")
            user = await uow.users.add(
                User(username=name, password_hash=password_hash, role=role_name, active=True,
                     created_at=utcnow())
            )  # fmt: skip
            _audit(uow, who, "user.created", "user", str(user.id),
                   details={"username": name, "role": role_name})  # fmt: skip
            try:
                await uow.commit()
            except IntegrityError:  # created meanwhile by someone else
                raise AccountError("username_taken") from None
        return user

    async def find_user(self, username: str) -> User | None:
        """Return the account with this username."""
        async with self._uow() as uow:
            return await uow.users.named(normalise_username(username))

    async def users(self) -> list[User]:
        """Return every account, by username."""
        async with self._uow() as uow:
            return await uow.users.all()

    async def set_active(self, actor: Actor, user_id: int, active: bool) -> User:
        """Activate or deactivate an account (never one's own); deactivation ends its sessions."""
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            if user is None:
                raise AccountError("user_not_found")
            if actor.type == "user" and actor.id == str(user.id):
                raise AccountError("self_deactivate")
            user.active = active
            if not active:
                await uow.console_sessions.end_for_user(user.id, utcnow())
            _audit(uow, actor, "user.activated" if active else "user.deactivated", "user",
                   str(user.id), details={"username": user.username})  # fmt: skip
            await uow.commit()
        return user

    async def change_password(
        self, user: SignedIn, current: str, new: str, *, ip: str | None
    ) -> None:
        """Replace one's password after checking the current one; end one's other sessions."""
        check_password(new)
        async with self._uow() as uow:
            found = await uow.users.get(user.user_id)
            old_hash = found.password_hash if found else dummy_hash()
        if found is None or not await asyncio.to_thread(verify_password, old_hash, current):
            raise AccountError("password_wrong")
        new_hash = await asyncio.to_thread(hash_password, new)
        async with self._uow() as uow:
            found = await uow.users.get(user.user_id)
            if found is None:
                raise AccountError("user_not_found")
            found.password_hash = new_hash
            await uow.console_sessions.end_for_user(found.id, utcnow(), keep=user.session_id)
            uow.audit.record(
                "user.password_changed", actor_type="user", actor_id=str(found.id),
                actor_name=found.username, target_type="user", target_id=str(found.id), ip=ip,
            )  # fmt: skip
            await uow.commit()

    # --- console sessions ------------------------------------------------------------------

    async def login(self, username: str, password: str, *, ip: str | None) -> str | None:
        """Check a login (rate-limited per username + IP, audited) and open a session.

        Return the session's cookie value, or None for a wrong name or password. Raises
        :class:`LoginBlockedError` when too many attempts failed recently.
        """
        name = normalise_username(username)[:64]
        now = utcnow()
        async with self._uow() as uow:
            if await _login_blocked(uow, name, ip):
                uow.audit.record("console.login_blocked", actor_type="user", actor_name=name,
                                 ip=ip)  # fmt: skip
                await uow.commit()
                raise LoginBlockedError(name)
            user = await uow.users.named(name)
            stored = user.password_hash if user is not None else dummy_hash()
        ok = await asyncio.to_thread(verify_password, stored, password[:MAX_PASSWORD_LENGTH])
        ok = ok and user is not None and user.active
        rehash = ok and user is not None and hasher().check_needs_rehash(user.password_hash)
        new_hash = await asyncio.to_thread(hash_password, password) if rehash else None
        async with self._uow() as uow:
            fresh = await uow.users.get(user.id) if ok and user is not None else None
            if fresh is None:
                reason = "inactive" if user is not None and not user.active else "bad"
                uow.audit.record("console.login_failed", actor_type="user", actor_name=name,
                                 ip=ip, details={"reason": reason})  # fmt: skip
                await uow.commit()
                return None
            fresh.last_login_at = now
            if new_hash is not None:
                fresh.password_hash = new_hash
            uow.audit.record(
                "console.login", actor_type="user", actor_id=str(fresh.id),
                actor_name=fresh.username, ip=ip, details={"role": fresh.role},
            )  # fmt: skip
            token = await _open_session(uow, fresh, ip)
            await uow.commit()
        return token

    async def signed_in(self, token: str) -> SignedIn | None:
        """Return who holds a live session (and keep it alive), or None."""
        if not token or len(token) > 128:
            return None
        now = utcnow()
        async with self._uow() as uow:
            found = await uow.console_sessions.with_user(_session_hash(token))
            if found is None:
                return None
            session, user = found
            alive = (
                session.ended_at is None
                and session.expires_at > now
                and now - session.last_seen_at < SESSION_IDLE_TIMEOUT
                and user.active
            )
            if not alive:
                return None
            if now - session.last_seen_at >= _SESSION_TOUCH_EVERY:
                session.last_seen_at = now
                await uow.commit()
            return SignedIn(user.id, user.username, Role(user.role), session.id)

    async def logout(self, user: SignedIn, token: str, *, ip: str | None) -> None:
        """End one session; audited."""
        async with self._uow() as uow:
            await uow.console_sessions.end(_session_hash(token), utcnow())
            uow.audit.record("console.logout", actor_type="user", actor_id=str(user.user_id),
                             actor_name=user.username, ip=ip)  # fmt: skip
            await uow.commit()

    # --- API tokens ------------------------------------------------------------------------

    async def create_token(
        self, name: str, role: str, *, by: Actor | None = None
    ) -> tuple[ApiToken, str]:
        """Create a bearer token; return it with the raw value, which is shown only this once."""
        clean = name.strip()
        if not TOKEN_NAME.fullmatch(clean):
            raise AccountError("token_name_invalid")
        role_name = role_value(role)
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        async with self._uow() as uow:
            token = await uow.tokens.add(
                ApiToken(name=clean, token_hash=token_hash(raw), role=role_name,
                         created_at=utcnow())
            )  # fmt: skip
            _audit(uow, by or _CLI, "token.created", "token", str(token.id),
                   details={"name": clean, "role": role_name})  # fmt: skip
            await uow.commit()
        return token, raw

    async def tokens(self) -> list[ApiToken]:
        """Return every token, newest first."""
        async with self._uow() as uow:
            return await uow.tokens.all()

    async def revoke_token(self, actor: Actor, token_id: int) -> ApiToken:
        """Revoke a token for good; audited the first time."""
        async with self._uow() as uow:
            token = await uow.tokens.get(token_id)
            if token is None:
                raise AccountError("token_not_found")
            if token.revoked_at is None:
                token.revoked_at = utcnow()
                _audit(uow, actor, "token.revoked", "token", str(token.id),
                       details={"name": token.name})  # fmt: skip
                await uow.commit()
        return token

    async def token_actor(self, raw: str) -> Actor | None:
        """Return who a bearer token acts as, or None when unknown or revoked."""
        if not raw.startswith(TOKEN_PREFIX) or len(raw) > 128:
            return None
        async with self._uow() as uow:
            token = await uow.tokens.with_hash(token_hash(raw))
            if token is None or token.revoked_at is not None:
                return None
            now = utcnow()
            if token.last_used_at is None or now - token.last_used_at > _TOKEN_TOUCH_EVERY:
                token.last_used_at = now
                await uow.commit()
            return Actor(type="token", id=str(token.id), name=token.name, role=Role(token.role))


async def _login_blocked(uow: UnitOfWork, name: str, ip: str | None) -> bool:
    since = utcnow() - LOGIN_WINDOW
    failed = "console.login_failed"
    per_ip = await uow.audit.count_since(failed, since, ip=ip)
    per_user = await uow.audit.count_since(failed, since, ip=ip, actor_name=name)
    return per_user >= LOGIN_LIMIT_PER_USER_IP or per_ip >= LOGIN_LIMIT_PER_IP


async def _open_session(uow: UnitOfWork, user: User, ip: str | None) -> str:
    """Start a session for a user (dropping their dead ones) and return the cookie value."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    await uow.console_sessions.drop_dead(user.id, now)
    uow.console_sessions.add(
        ConsoleSession(
            token_hash=_session_hash(token), user_id=user.id, created_at=now, last_seen_at=now,
            expires_at=now + SESSION_LIFETIME, ip=(ip or "")[:64] or None,
        )
    )  # fmt: skip
    return token


def _audit(
    uow: UnitOfWork, actor: Actor, action: str, target_type: str, target_id: str,
    *, details: dict[str, object],
) -> None:  # fmt: skip
    uow.audit.record(
        action, actor_type=actor.type, actor_id=actor.id, actor_name=actor.name,
        target_type=target_type, target_id=target_id, details=details,
    )  # fmt: skip
