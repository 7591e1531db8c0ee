"""Revision 0007 converts a database written before it: chat ids hashed, ciphertexts row-bound.

A database at the previous revision gets rows as the service wrote them then (numbers and
message ids in clear, one associated data per table); after ``upgrade`` with the keys nothing
holds the number, and the service finds, reads and answers everything as before.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from bot.config import Settings
from bot.core import Core, build_core
from bot.crypto import Keyring
from bot.engine.messages import Inbound, InboundKind, Reply
from bot.storage.db import Database
from bot.storage.migrate import alembic_config, upgrade
from bot.storage.models import Document, OutboxItem
from bot.storage.types import UTCDateTime, utcnow
from tests.conftest import SECRET
from tests.support.scan import columns_containing, sqlite_files_contain

REVISION = "0007_chat_id_hashes"
NUMBER = "6281298765432"
SESSION = "web-session-" + secrets.token_urlsafe(12)
NIK = "3671014501900001"
JPEG = b"\xff\xd8\xff\xe0" + b"jpeg" * 50
KEYS = Keyring(SECRET)


def _previous_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    previous = script.get_revision(REVISION).down_revision
    assert isinstance(previous, str)
    return previous


def _wamid(number: str) -> str:
    inner = b"\x18\r" + number.encode() + b"\x15\x02\x00\x12\x18\x14" + secrets.token_bytes(10)
    return "wamid." + base64.b64encode(inner).decode()


INBOUND_ID, SENT_ID = _wamid(NUMBER), _wamid(NUMBER)


def _table(name: str, *columns: tuple[str, Any]) -> sa.TableClause:
    return sa.table(name, *(sa.column(c, t) for c, t in columns))


def _legacy_rows(conn: sa.Connection) -> None:
    """Write rows as the service stored them before the revision."""
    now, fields = utcnow(), KEYS.fields
    when = ("created_at", UTCDateTime())
    conn.execute(sa.insert(_table("citizens", ("id", sa.Integer()), when)), [
        {"id": 1, "created_at": now},
    ])  # fmt: skip
    conversations = _table(
        "conversations", ("id", sa.Integer()), ("channel", sa.String()), ("chat_id", sa.String()),
        ("citizen_id", sa.Integer()), ("state_enc", sa.LargeBinary()), ("mode", sa.String()),
        ("last_seq", sa.Integer()), ("last_inbound_at", UTCDateTime()), when,
        ("updated_at", UTCDateTime()),
    )  # fmt: skip
    state = {"channel_phone": "+" + NUMBER, "buttons": [["menu:register", "Daftar"]]}
    conn.execute(sa.insert(conversations), [
        {"id": 1, "channel": "whatsapp", "chat_id": NUMBER, "citizen_id": 1,
         "state_enc": fields.encrypt_json(state, context=b"conv"), "mode": "bot", "last_seq": 2,
         "last_inbound_at": now, "created_at": now, "updated_at": now},
        {"id": 2, "channel": "web", "chat_id": SESSION, "citizen_id": None, "state_enc": None,
         "mode": "bot", "last_seq": 0, "last_inbound_at": None, "created_at": now,
         "updated_at": now},
    ])  # fmt: skip
    messages = _table(
        "messages", ("id", sa.Integer()), ("conversation_id", sa.Integer()), ("seq", sa.Integer()),
        ("direction", sa.String()), ("author", sa.String()), ("kind", sa.String()),
        ("body_enc", sa.LargeBinary()), when,
    )  # fmt: skip
    conn.execute(sa.insert(messages), [
        {"id": 1, "conversation_id": 1, "seq": 1, "direction": "in", "author": "citizen",
         "kind": "text", "body_enc": fields.encrypt_json({"text": "halo"}, context=b"msg"),
         "created_at": now},
        {"id": 2, "conversation_id": 1, "seq": 2, "direction": "out", "author": "bot",
         "kind": "text", "body_enc": fields.encrypt_json({"text": "Halo!"}, context=b"msg"),
         "created_at": now},
    ])  # fmt: skip
    outbox = _table(
        "outbox", ("id", sa.Integer()), ("conversation_id", sa.Integer()),
        ("channel", sa.String()), ("chat_id", sa.String()), ("payload_enc", sa.LargeBinary()),
        ("status", sa.String()), ("attempts", sa.Integer()), ("next_attempt_at", UTCDateTime()),
        ("external_id", sa.String()), ("message_seq", sa.Integer()), ("sent_at", UTCDateTime()),
        when,
    )  # fmt: skip
    reply = fields.encrypt_json(Reply(text="Halo!").to_dict(), context=b"outbox")
    conn.execute(sa.insert(outbox), [
        {"id": 1, "conversation_id": 1, "channel": "whatsapp", "chat_id": NUMBER,
         "payload_enc": reply, "status": "sent", "attempts": 1, "next_attempt_at": now,
         "external_id": SENT_ID, "message_seq": 2, "sent_at": now, "created_at": now},
        {"id": 2, "conversation_id": 1, "channel": "whatsapp", "chat_id": NUMBER,
         "payload_enc": reply, "status": "pending", "attempts": 0,
         "next_attempt_at": now + timedelta(days=1), "external_id": None, "message_seq": 2,
         "sent_at": None, "created_at": now},
    ])  # fmt: skip
    receipts = _table(
        "inbound_receipts", ("id", sa.Integer()), ("channel", sa.String()),
        ("external_id", sa.String()), ("conversation_id", sa.Integer()), ("seq", sa.Integer()),
        ("received_at", UTCDateTime()),
    )  # fmt: skip
    conn.execute(sa.insert(receipts), [
        {"id": 1, "channel": "whatsapp", "external_id": INBOUND_ID, "conversation_id": 1,
         "seq": 1, "received_at": now},
    ])  # fmt: skip
    registrations = _table(
        "registrations", ("id", sa.Integer()), ("reference", sa.String()),
        ("citizen_id", sa.Integer()), ("conversation_id", sa.Integer()), ("channel", sa.String()),
        ("status", sa.String()), ("data_enc", sa.LargeBinary()), ("nik_hash", sa.String()),
        ("flags", sa.JSON()), when, ("updated_at", UTCDateTime()),
    )  # fmt: skip
    data = {"full_name": "SITI AMINAH", "nik": NIK, "phone": "+" + NUMBER}
    conn.execute(sa.insert(registrations), [
        {"id": 1, "reference": "TL-ABCDEF", "citizen_id": 1, "conversation_id": 1,
         "channel": "whatsapp", "status": "submitted",
         "data_enc": fields.encrypt_json(data, context=b"reg"), "nik_hash": KEYS.lookup_hash(NIK),
         "flags": {}, "created_at": now, "updated_at": now},
    ])  # fmt: skip
    blob = KEYS.documents.encrypt(JPEG, context=b"blob:1")
    conn.execute(sa.insert(_table("vault_blobs", ("id", sa.Integer()),
                                  ("ciphertext", sa.LargeBinary()), when)), [
        {"id": 1, "ciphertext": blob, "created_at": now},
    ])  # fmt: skip
    documents = _table(
        "documents", ("id", sa.Integer()), ("registration_id", sa.Integer()),
        ("kind", sa.String()), ("blob_id", sa.Integer()), ("mime", sa.String()),
        ("size", sa.Integer()), ("width", sa.Integer()), ("height", sa.Integer()),
        ("checks", sa.JSON()), when,
    )  # fmt: skip
    conn.execute(sa.insert(documents), [
        {"id": 1, "registration_id": 1, "kind": "ktp", "blob_id": 1, "mime": "image/jpeg",
         "size": len(JPEG), "width": 10, "height": 10, "checks": {}, "created_at": now},
    ])  # fmt: skip
    if conn.dialect.name == "postgresql":  # explicit ids leave the sequences behind
        for table in ("citizens", "conversations", "messages", "outbox", "inbound_receipts",
                      "registrations", "vault_blobs", "documents"):  # fmt: skip
            conn.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            ))  # fmt: skip


async def _revision(db: Database) -> str:
    async with db.engine.connect() as conn:
        query = sa.text("SELECT version_num FROM alembic_version")
        return str((await conn.execute(query)).scalar())


@pytest.fixture
async def legacy(settings_factory: Any, database_url: str) -> AsyncIterator[Settings]:
    """Yield settings of a database at the previous revision holding rows written back then."""
    db = Database(database_url)
    await upgrade(db.engine, revision=_previous_revision())
    async with db.engine.begin() as conn:
        await conn.run_sync(_legacy_rows)
    if db.is_sqlite:  # the scan would see what the migration must remove
        assert await sqlite_files_contain(db, NUMBER[2:])
    await db.dispose()
    yield settings_factory(database_url=database_url)


async def _migrated(settings: Settings) -> Core:
    core = build_core(settings, ocr=False)
    await upgrade(core.db.engine, core.keys)
    return core


async def test_the_migration_hashes_chat_ids_and_binds_ciphertexts_to_rows(
    legacy: Settings,
) -> None:
    core = await _migrated(legacy)
    try:
        assert await columns_containing(core, NUMBER[2:]) == []
        assert await columns_containing(core, SESSION) == []
        if core.db.is_sqlite:  # nothing left behind in free pages either
            assert not await sqlite_files_contain(core.db, NUMBER[2:])
        async with core.uow() as uow:
            conv = await uow.conversations.find("whatsapp", NUMBER)
            assert conv is not None and conv.id == 1
            assert uow.conversations.address(conv) == NUMBER
            assert uow.conversations.read_state(conv)["channel_phone"] == "+" + NUMBER
            history = await uow.conversations.history(1)
            assert [body["text"] for _, body in history] == ["halo", "Halo!"]
            web = await uow.conversations.find("web", SESSION)
            assert web is not None and uow.conversations.address(web) == SESSION
            items = list((await uow.session.execute(sa.select(OutboxItem))).scalars())
            assert {uow.outbox.address(i) for i in items} == {NUMBER}
            assert {uow.outbox.payload(i).text for i in items} == {"Halo!"}
            assert await uow.outbox.mark_delivery("whatsapp", SENT_ID, "delivered")
            assert await uow.receipts.get("whatsapp", INBOUND_ID) is not None
            reg = await uow.registrations.get(1)
            assert reg is not None and uow.registrations.read_data(reg)["nik"] == NIK
            document = await uow.session.get(Document, 1)
            assert document is not None and await uow.documents.read(document) == JPEG
        again = await core.handle(
            Inbound("whatsapp", NUMBER, INBOUND_ID, InboundKind.TEXT, text="halo")
        )
        assert again.duplicate  # the dedup memory survived the hashing
        answered = await core.handle(
            Inbound("whatsapp", NUMBER, _wamid(NUMBER), InboundKind.TEXT, text="menu")
        )
        assert answered.replies and answered.last_seq > 2  # the same chat goes on
    finally:
        await core.db.dispose()


async def test_the_migration_refuses_to_convert_without_the_keys(legacy: Settings) -> None:
    db = Database(legacy.database_url)
    try:
        with pytest.raises(RuntimeError, match="TLIVE_SECRET_KEY"):
            await upgrade(db.engine)
        assert await _revision(db) == _previous_revision()  # nothing was changed
    finally:
        await db.dispose()


async def test_the_migration_refuses_a_wrong_key(legacy: Settings) -> None:
    db = Database(legacy.database_url)
    try:
        with pytest.raises(RuntimeError, match="does not decrypt"):
            await upgrade(db.engine, Keyring("another-secret-" + "w" * 40))
        assert await _revision(db) == _previous_revision()
    finally:
        await db.dispose()


async def test_downgrade_puts_the_ids_back_and_upgrading_again_converts_them(
    legacy: Settings,
) -> None:
    core = await _migrated(legacy)
    config = alembic_config(legacy.database_url)
    config.attributes["keyring"] = core.keys

    def downgrade(connection: sa.Connection) -> None:
        config.attributes["connection"] = connection
        command.downgrade(config, _previous_revision())

    try:
        async with core.db.engine.begin() as conn:
            await conn.run_sync(downgrade)
        async with core.db.engine.connect() as conn:
            chat_ids = set((await conn.execute(sa.text("SELECT chat_id FROM outbox"))).scalars())
            state = (await conn.execute(
                sa.text("SELECT state_enc FROM conversations WHERE id = 1")
            )).scalar_one()  # fmt: skip
        assert chat_ids == {NUMBER}
        assert KEYS.fields.decrypt_json(state, context=b"conv")["channel_phone"] == "+" + NUMBER
        await upgrade(core.db.engine, core.keys)
        async with core.uow() as uow:
            conv = await uow.conversations.find("whatsapp", NUMBER)
            assert conv is not None and uow.conversations.read_state(conv)
        assert await columns_containing(core, NUMBER[2:]) == []
    finally:
        await core.db.dispose()
