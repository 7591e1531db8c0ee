"""Mark request handlers with who may reach them; a guard refuses unmarked ones (fails closed)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiohttp import web

from bot.services.accounts import Role

PUBLIC = "public"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
H = TypeVar("H", bound=Handler)


class AccessMarks:
    """Role marks of one guarded area (the console, the API), kept in their own attribute."""

    def __init__(self, attribute: str) -> None:
        self._attribute = attribute

    def requires(self, *roles: Role) -> Callable[[H], H]:
        """Let only callers with one of ``roles`` reach the handler."""

        def mark(handler: H) -> H:
            setattr(handler, self._attribute, frozenset(roles))
            return handler

        return mark

    def public(self, handler: H) -> H:
        """Let anyone reach the handler."""
        setattr(handler, self._attribute, PUBLIC)
        return handler

    def allowed(self, handler: object) -> frozenset[Role] | str | None:
        """Return the roles a handler admits, ``PUBLIC``, or None when unmarked."""
        return getattr(handler, self._attribute, None)
