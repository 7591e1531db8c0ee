"""Accounts, API tokens and console sessions: what admins and signed-in users do to them.

Every method opens and commits its own unit of work and audits what it changed. Password
hashing (Argon2id, deliberately slow) runs in a thread and never inside a transaction, so a
login does not hold SQLite's write lock while it hashes.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from bot.services.accounts import (
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
from bot.services.login_throttle import (
    LOGIN_WINDOW,
    Gate,
    account_gate,
    address_gate,
    refuse,
    refusing,
    reserve,
    settle,
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
        """Replace one's password after checking the current one; end one's other sessions.

        The check counts like a sign-in, so a stolen session guesses no faster than a stranger.
        """
        check_password(new)
        gates = (account_gate(user.username), address_gate(ip))
        async with self._uow() as uow:
            if not await _admit(uow, gates, "console.login_blocked", actor_type="user",
                                name=user.username, ip=ip):  # fmt: skip
                await uow.commit()
                raise LoginBlockedError(user.username)
            found = await uow.users.get(user.user_id)
            await uow.commit()
        old_hash = found.password_hash if found else dummy_hash()
        ok = await asyncio.to_thread(verify_password, old_hash, current[:MAX_PASSWORD_LENGTH])
        ok = ok and found is not None
        async with self._uow() as uow:
            now = utcnow()
            settle(gates, await uow.login_throttles.lock([g.key for g in gates], now), now, ok=ok)
            await uow.commit()
        if not ok:
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
        """Check a login (throttled per account and per address, audited) and open a session.

        Return the session's cookie value, or None for a wrong name or password. Raises
        :class:`LoginBlockedError` when the account or the address has had enough attempts.
        """
        name = normalise_username(username)[:64]
        gates = (account_gate(name), address_gate(ip))
        keys = [gate.key for gate in gates]
        async with self._uow() as uow:
            # Counted before the check, in locked rows: a burst cannot outrun the count.
            if not await _admit(uow, gates, "console.login_blocked", actor_type="user", name=name,
                                ip=ip):  # fmt: skip
                await uow.commit()
                raise LoginBlockedError(name)
            user = await uow.users.named(name)
            await uow.commit()
        stored = user.password_hash if user is not None else dummy_hash()
        # Should this task die here, the attempt stays counted and the check's lease runs out.
        ok = await asyncio.to_thread(verify_password, stored, password[:MAX_PASSWORD_LENGTH])
        ok = ok and user is not None and user.active
        rehash = ok and user is not None and hasher().check_needs_rehash(user.password_hash)
        new_hash = await asyncio.to_thread(hash_password, password) if rehash else None
        now = utcnow()
        async with self._uow() as uow:
            settle(gates, await uow.login_throttles.lock(keys, now), now, ok=ok)
            await uow.login_throttles.prune(now - LOGIN_WINDOW, now, keep=keys)
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

    async def token_actor(self, raw: str, *, ip: str | None) -> Actor | None:
        """Return who a bearer token acts as, or None when unknown or revoked.

        Raises :class:`LoginBlockedError` for a bad token from an address that sent too many.
        """
        async with self._uow() as uow:
            well_formed = raw.startswith(TOKEN_PREFIX) and len(raw) <= 128
            token = await uow.tokens.with_hash(token_hash(raw)) if well_formed else None
            if token is None or token.revoked_at is not None:
                # Counted after the lookup: a token is a hash lookup, not a slow check, and far
                # too long to guess. A good token is never refused, so one system's bad tokens
                # never stop another behind the same address.
                gate = address_gate(ip, prefix="token-address")
                admitted = await _admit(uow, (gate,), "api.auth_blocked", actor_type="token",
                                        name=None, ip=ip)  # fmt: skip
                await uow.commit()
                if not admitted:
                    raise LoginBlockedError("")
                return None
            now = utcnow()
            if token.last_used_at is None or now - token.last_used_at > _TOKEN_TOUCH_EVERY:
                token.last_used_at = now
                await uow.commit()
            return Actor(type="token", id=str(token.id), name=token.name, role=Role(token.role))


async def _admit(
    uow: UnitOfWork, gates: Sequence[Gate], action: str, *, actor_type: str, name: str | None,
    ip: str | None,
) -> bool:  # fmt: skip
    """Count one attempt at every gate and return True.

    When a gate refuses, count nothing, add the refusal to the audit entry of its burst (one
    entry per burst, with a count) and return False.
    """
    now = utcnow()
    rows = await uow.login_throttles.lock([gate.key for gate in gates], now)
    index = refusing(gates, rows, now)
    if index is None:
        reserve(gates, rows, now)
        return True
    gate, row = gates[index], rows[index]
    refused = refuse(row)
    if row.audit_id is None:
        row.audit_id = await uow.audit.open_burst(
            action, actor_type=actor_type, ip=ip,
            actor_name=name if gate.scope == "account" else None,
            details={"scope": gate.scope, "count": refused},
        )  # fmt: skip
    else:
        await uow.audit.count_burst(row.audit_id, refused)
    return False


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
