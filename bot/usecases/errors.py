"""Why a use case refused: one hierarchy the API and the console both map to an answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class Refused(Exception):
    """A refused request; ``code`` names the reason (API ``error``, catalog key suffix).

    Subclasses say which HTTP status each code means; the API answers it as JSON and the
    console as a page or a message, both in one error middleware.
    """

    statuses: ClassVar[Mapping[str, int]] = {}
    default_status: ClassVar[int] = 409

    def __init__(self, code: str, **extra: Any) -> None:
        super().__init__(code)
        self.code = code
        self.extra = extra

    @property
    def status(self) -> int:
        """Return the HTTP status this refusal is answered with."""
        return self.statuses.get(self.code, self.default_status)


class NotFound(Refused):
    """The thing asked for does not exist (or the actor may not know it does)."""

    default_status = 404


class Forbidden(Refused):
    """The actor's role may not do this."""

    default_status = 403
