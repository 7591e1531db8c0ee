"""Logging set-up with a filter that keeps NIKs and phone numbers out of every log line.

On a terminal a line reads like a sentence; anywhere else (systemd's journal, a container, a
file) each record is one JSON object per line, for a log collector to parse.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import TextIO

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
        if record.stack_info:
            record.stack_info = mask_pii(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """Write a record as one JSON object: time, level, logger, message and any exception."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a single line of JSON."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        # Non-ASCII stays readable (Indonesian text); newlines are escaped, so one line each.
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str = "INFO", *, stream: TextIO | None = None) -> None:
    """Send logs to stderr through the PII filter: text on a terminal, JSON lines elsewhere."""
    target = stream if stream is not None else sys.stderr
    handler = logging.StreamHandler(target)
    if _is_terminal(target):
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    else:
        handler.setFormatter(JsonFormatter())
    handler.addFilter(PiiFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False
