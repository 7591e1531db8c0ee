"""Server-side console sessions: the cookie holds a random token, the database its hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update

from bot.crypto import Keyring
from bot.services.accounts import Role
from bot.storage.models import ConsoleSession, User
from bot.storage.types import utcnow
from bot.storage.uow import UnitOfWork

ABSOLUTE_LIFETIME = timedelta(hours=8)
IDLE_TIMEOUT = timedelta(minutes=30)
_TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in console user behind a request."""

    user_id: int
    username: str
    role: Role
    token: str
    csrf: str
    session_id: int


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_for(keys: Keyring, token: str) -> str:
    """Return the CSRF token bound to a session (derived, so nothing extra is stored)."""
    return hmac.new(keys.session_key, b"csrf:" + token.encode(), hashlib.sha256).hexdigest()


def document_key(keys: Keyring, token: str, registration_id: int, kind: str) -> str:
    """Return the per-session key that makes a document URL unguessable."""
    message = f"doc:{token}:{registration_id}:{kind}".encode()
    return hmac.new(keys.session_key, message, hashlib.sha256).hexdigest()[:32]


async def open_session(uow: UnitOfWork, user: User, ip: str | None) -> str:
    """Start a session for a user (dropping their dead ones) and return the cookie value."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    await uow.session.execute(
        delete(ConsoleSession).where(
            ConsoleSession.user_id == user.id,
            or_(ConsoleSession.ended_at.is_not(None), ConsoleSession.expires_at < now),
        )
    )
    uow.session.add(
        ConsoleSession(
            token_hash=_hash(token), user_id=user.id, created_at=now, last_seen_at=now,
            expires_at=now + ABSOLUTE_LIFETIME, ip=(ip or "")[:64] or None,
        )
    )  # fmt: skip
    return token


async def load_viewer(
    uow: UnitOfWork, keys: Keyring, token: str, now: datetime | None = None
) -> Viewer | None:
    """Return the viewer of a live session (and keep it alive), or None."""
    if not token or len(token) > 128:
        return None
    now = now or utcnow()
    stmt = (
        select(ConsoleSession, User)
        .join(User, User.id == ConsoleSession.user_id)
        .where(ConsoleSession.token_hash == _hash(token))
    )
    found = (await uow.session.execute(stmt)).first()
    if found is None:
        return None
    session, user = found
    alive = (
        session.ended_at is None
        and session.expires_at > now
        and now - session.last_seen_at < IDLE_TIMEOUT
        and user.active
    )
    if not alive:
        return None
    if now - session.last_seen_at >= _TOUCH_EVERY:
        session.last_seen_at = now
    return Viewer(
        user_id=user.id, username=user.username, role=Role(user.role), token=token,
        csrf=csrf_for(keys, token), session_id=session.id,
    )  # fmt: skip


async def end_session(uow: UnitOfWork, token: str) -> None:
    """End one session (logout)."""
    await uow.session.execute(
        update(ConsoleSession)
        .where(ConsoleSession.token_hash == _hash(token), ConsoleSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


async def end_user_sessions(uow: UnitOfWork, user_id: int, *, keep: int | None = None) -> None:
    """End every session of a user, except ``keep`` (after deactivation or a password change)."""
    stmt = update(ConsoleSession).where(
        ConsoleSession.user_id == user_id, ConsoleSession.ended_at.is_(None)
    )
    if keep is not None:
        stmt = stmt.where(ConsoleSession.id != keep)
    await uow.session.execute(stmt.values(ended_at=utcnow()))
