"""The web chat's session id: a secret the service issues, and the only key to that chat."""

from __future__ import annotations

import secrets

# Channels whose chat id the service issued as a secret: erasing one's data issues a new one,
# so the old id (left in a shared browser, say) opens nothing.
SESSION_CHANNELS = frozenset({"web"})


def new_session_id() -> str:
    """Return a fresh, unguessable session id (URL-safe, 32 characters)."""
    return secrets.token_urlsafe(24)
