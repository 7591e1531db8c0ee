"""Logging set-up with a filter that keeps NIKs and phone numbers out of every log line."""

from __future__ import annotations

import logging
import re

# A NIK (16 digits) or an Indonesian phone number, possibly split by spaces, dots or dashes.
_PII = re.compile(r"(?<!\d)(?:\+?62|0)?(?:\d[\s.\-]?){9,15}\d(?!\d)")


def mask_pii(text: str) -> str:
    """Replace NIK- and phone-like numbers with a placeholder."""
    return _PII.sub("[disamarkan]", text)


class PiiFilter(logging.Filter):
    """Mask personal numbers in a record's final message, even when logged by mistake."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message; never drop it."""
        message = record.getMessage()
        masked = mask_pii(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            # Another handler may have cached the traceback text already: mask it too.
            record.exc_text = mask_pii(record.exc_text)
        return True


def configure(level: str = "INFO") -> None:
    """Send logs to stderr through the PII filter."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PiiFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
