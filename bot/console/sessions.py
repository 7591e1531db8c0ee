"""Who is signed in to the console, and the values derived from their session's token.

The cookie holds a random token; the database only its hash (``bot.usecases.accounts``).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from aiohttp import web

from bot.crypto import Keyring
from bot.services.accounts import Actor, Role
from bot.usecases.accounts import SignedIn


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in console user behind a request."""

    user_id: int
    username: str
    role: Role
    token: str
    csrf: str
    session_id: int

    @property
    def actor(self) -> Actor:
        """Return the user as the audit log names them."""
        return Actor(type="user", id=str(self.user_id), name=self.username, role=self.role)

    @property
    def signed_in(self) -> SignedIn:
        """Return the session as the account use cases know it."""
        return SignedIn(self.user_id, self.username, self.role, self.session_id)


VIEWER = web.RequestKey("console_viewer", Viewer)


def csrf_for(keys: Keyring, token: str) -> str:
    """Return the CSRF token bound to a session (derived, so nothing extra is stored)."""
    return hmac.new(keys.session_key, b"csrf:" + token.encode(), hashlib.sha256).hexdigest()


def document_key(keys: Keyring, token: str, registration_id: int, kind: str) -> str:
    """Return the per-session key that makes a document URL unguessable."""
    message = f"doc:{token}:{registration_id}:{kind}".encode()
    return hmac.new(keys.session_key, message, hashlib.sha256).hexdigest()[:32]
