"""Look for a value anywhere a database keeps it: every column of every row, and SQLite's files.

WhatsApp message ids (``wamid.…``) are base64 and carry the phone number inside, so they are
decoded and searched too.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bot.core import Core
from bot.storage.db import Database

_WAMID = re.compile(rb"wamid\.([A-Za-z0-9+/=_-]{8,})")


def _decoded_ids(raw: bytes) -> list[bytes]:
    """Return the contents of the base64 message ids found in ``raw``."""
    found = []
    for match in _WAMID.finditer(raw):
        token = match.group(1).rstrip(b"=")
        padded = token + b"=" * (-len(token) % 4)
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                found.append(decode(padded))
            except (binascii.Error, ValueError):
                continue
    return found


def _variants(value: Any) -> list[bytes]:
    """Return the bytes a stored value shows, plus what its message ids decode to."""
    if value is None:
        return []
    if isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
    elif isinstance(value, str):
        raw = value.encode()
    else:
        raw = json.dumps(value, default=str).encode()
    return [raw, *_decoded_ids(raw)]


def contains(raw: bytes, needle: str) -> bool:
    """Tell whether ``raw`` or a message id inside it contains ``needle``."""
    return any(needle.encode() in variant for variant in _variants(raw))


async def columns_containing(core: Core, needle: str) -> list[str]:
    """Return ``table.column`` of every stored value containing ``needle``, sorted."""
    found: set[str] = set()
    async with core.db.engine.connect() as conn:
        tables = await conn.run_sync(lambda sync: sa.inspect(sync).get_table_names())
        for table in tables:
            rows = (await conn.execute(sa.text(f'SELECT * FROM "{table}"'))).mappings().all()
            for row in rows:
                for column, value in row.items():
                    if any(needle.encode() in variant for variant in _variants(value)):
                        found.add(f"{table}.{column}")
    return sorted(found)


async def sqlite_files_contain(db: Database, needle: str) -> bool:
    """Tell whether the SQLite database file or its write-ahead log holds ``needle`` anywhere.

    Free pages count: deleted rows left in them are readable by anyone who copies the file.
    """
    async with db.engine.connect() as conn:
        await conn.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))
    database = make_url(db.url).database
    assert database
    files = [Path(database), Path(database + "-wal")]
    return any(contains(path.read_bytes(), needle) for path in files if path.exists())
