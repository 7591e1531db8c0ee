"""Numbers from paths and query strings, bounded by what the database columns hold.

A number no column can hold names no row: looking it up would overflow the database driver
(a 500), so ids beyond the bound are answered 404 and sequence numbers beyond it 400.
"""

from __future__ import annotations

from aiohttp import web

# Row ids are BIGINT (SQLite INTEGER); message sequence numbers are INTEGER.
MAX_ID = 2**63 - 1
MAX_SEQ = 2**31 - 1


def number(text: str | None, *, limit: int = MAX_ID) -> int | None:
    """Return ``text`` as a whole number from 0 to ``limit``, or None for anything else."""
    # ASCII only: str.isdigit() also admits "²" and other digits int() refuses.
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(limit)):
        return None
    value = int(text)
    return value if value <= limit else None


def path_id(request: web.Request, name: str = "id", *, limit: int = MAX_ID) -> int:
    """Return a numeric path segment; 404 when no row can have it."""
    value = number(request.match_info[name], limit=limit)
    if value is None:
        raise web.HTTPNotFound()
    return value


def query_number(request: web.Request, name: str, *, limit: int = MAX_ID) -> int | None:
    """Return an optional numeric query parameter (None when absent); 400 when out of range."""
    raw = request.query.get(name)
    if raw is None or raw == "":
        return None
    value = number(raw, limit=limit)
    if value is None:
        raise web.HTTPBadRequest(text=f"{name} must be a number from 0 to {limit}")
    return value
