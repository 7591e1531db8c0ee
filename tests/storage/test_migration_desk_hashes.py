"""Revision 0012 gives the requests stored before it the phone and name hashes search uses.

A database at 0011 holds requests as the service wrote them then (the NIK hash only); after
``upgrade`` with the keys the queue's search finds them by phone number and by name, and the
"one phone, many NIKs" signal counts them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from bot.core import build_core
from bot.crypto import row_context
from bot.services.decisions import QueueFilter
from bot.storage.migrate import upgrade
from bot.storage.repositories.registrations import lookup_hashes
from bot.storage.types import UTCDateTime, utcnow

PREVIOUS = "0011_webhooks"
OLD = {"nik": "3671014501900001", "phone": "+6281234567890", "full_name": "Siti Aminah"}


def _old_rows(conn: sa.Connection, keys: Any) -> None:
    """Write three requests as revision 0011 stored them: with data, without a phone, empty."""
    now = utcnow()
    conn.execute(sa.text("INSERT INTO citizens (id, created_at) VALUES (1, :t)"), {"t": now})
    regs = sa.table(
        "registrations", *(sa.column(c) for c in (
            "id", "reference", "citizen_id", "channel", "status", "flags", "data_enc",
            "nik_hash")),
        sa.column("created_at", UTCDateTime()), sa.column("updated_at", UTCDateTime()),
        sa.column("submitted_at", UTCDateTime()),
    )  # fmt: skip
    no_phone = {**OLD, "phone": None, "full_name": "Budi"}
    rows = []
    for row_id, reference, data in ((1, "TL-AAAAAA", OLD), (2, "TL-BBBBBB", no_phone),
                                    (3, "TL-CCCCCC", None)):  # fmt: skip
        data_enc = (
            keys.fields.encrypt_json(data, context=row_context("registrations", row_id, "data_enc"))
            if data
            else None
        )
        rows.append({
            "id": row_id, "reference": reference, "citizen_id": 1, "channel": "web",
            "status": "submitted", "flags": "{}", "data_enc": data_enc,
            "nik_hash": keys.lookup_hash(data["nik"]) if data else None,
            "created_at": now, "updated_at": now, "submitted_at": now,
        })  # fmt: skip
    conn.execute(sa.insert(regs), rows)


async def test_the_migration_hashes_the_phone_and_name_of_stored_requests(
    settings_factory: Any, database_url: str
) -> None:
    core = build_core(settings_factory(database_url=database_url), ocr=False)
    try:
        await upgrade(core.db.engine, core.keys, revision=PREVIOUS)
        async with core.db.engine.begin() as conn:
            await conn.run_sync(_old_rows, core.keys)
        await upgrade(core.db.engine, core.keys)
        async with core.uow() as uow:
            stored = {
                reg.id: (reg.phone_hash, reg.name_hash)
                for reg in [await uow.registrations.get(i) for i in (1, 2, 3)]
                if reg is not None
            }
        expected = lookup_hashes(core.keys, OLD)
        assert stored[1] == (expected["phone_hash"], expected["name_hash"])
        assert stored[2][0] is None and stored[2][1] is not None
        assert stored[3] == (None, None)
        for query in ("0812-3456-7890", "SITI AMINAH"):
            found = await core.review_cases.queue(QueueFilter(status="all", q=query))
            assert [item.registration.reference for item in found.items] == ["TL-AAAAAA"], query
    finally:
        await core.db.dispose()
