"""Read a multipart form of text fields and an optional photo, streamed within a limit.

The photo is read in chunks and dropped as soon as it passes the limit (the rest is drained),
so an oversized upload never sits in memory; the caller decides how to refuse it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

CHUNK = 256 * 1024
MAX_FIELD = 8 * 1024


@dataclass(frozen=True, slots=True)
class Upload:
    """The text fields of a form and its photo (None when absent, empty or too large)."""

    fields: dict[str, str] = field(default_factory=dict)
    photo: bytes | None = None
    too_large: bool = False


async def read_upload(
    request: web.Request, *, max_photo: int, photo_field: str = "photo",
    max_field: int = MAX_FIELD,
) -> Upload:  # fmt: skip
    """Stream a ``multipart/form-data`` body: text fields cut at ``max_field``, one photo."""
    fields: dict[str, str] = {}
    photo: bytes | None = None
    too_large = False
    try:
        async for part in await request.multipart():
            if not isinstance(part, aiohttp.BodyPartReader) or not part.name:
                continue
            if part.name == photo_field:
                photo, too_large = await _read_limited(part, max_photo)
            else:
                fields[part.name] = (await part.text())[:max_field]
    except ValueError:  # no boundary, a broken one, a text part in no known charset…
        raise web.HTTPBadRequest(text="not a multipart form") from None
    return Upload(fields, photo or None, too_large)


async def _read_limited(part: aiohttp.BodyPartReader, limit: int) -> tuple[bytes | None, bool]:
    chunks: list[bytes] = []
    size = 0
    while chunk := await part.read_chunk(CHUNK):
        size += len(chunk)
        if size > limit:
            while await part.read_chunk(CHUNK):
                pass
            return None, True
        chunks.append(chunk)
    return b"".join(chunks), False
