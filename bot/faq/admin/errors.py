"""Why an FAQ change was refused: one error, its HTTP statuses and its message arguments."""

from __future__ import annotations

from typing import Any, ClassVar

from bot.faq.admin.limits import LIMITS
from bot.usecases.errors import Refused


class FaqAdminError(Refused):
    """A refused FAQ change; ``code`` names the reason (``console-faq-error-<code>``).

    ``field`` names the offending field; for ``version_conflict`` the detail is the current
    version, which the API also returns as ``version``.
    """

    statuses: ClassVar[dict[str, int]] = {
        "not_found": 404,
        "id_taken": 409,
        "version_conflict": 409,
    }
    default_status: ClassVar[int] = 422

    def __init__(self, code: str, field: str | None = None, detail: str = "") -> None:
        extra: dict[str, Any] = {}
        if field:
            extra["field"] = field
        if code == "version_conflict" and detail.isdigit():
            extra["version"] = int(detail)
        super().__init__(code, **extra)
        # What the command line prints: the code and, for an import, which entry was wrong.
        self.args = (code if not detail else f"{code}: {detail}",)
        self.field = field
        self.detail = detail

    @property
    def message_key(self) -> str:
        """Return the catalog key of the message that tells an editor what to fix."""
        return f"console-faq-error-{self.code}"

    def message_args(self) -> dict[str, str | int]:
        """Return the arguments of the catalog message (``max``, ``detail``)."""
        return {"max": LIMITS.get(self.code, 0), "detail": self.detail[:200]}
