"""Rotating TLIVE_SECRET_KEY: old data stays readable, then everything moves to the new key."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.crypto import Keyring
from bot.storage.models import OutboxItem, Registration
from bot.storage.uow import UnitOfWorkFactory
from bot.usecases.rekey import reencrypt_all
from tests.conftest import migrated_core
from tests.engine.test_outbox import FakeSender
from tests.support.chat import ChatDriver
from tests.support.registration import NIK, register_until_summary

NEW = "new-secret-" + "n" * 40


async def test_rotation_keeps_data_readable_and_rekey_moves_it_to_the_new_key(
    settings_factory: Any, sqlite_url: str
) -> None:
    old_core = await migrated_core(settings_factory(database_url=sqlite_url))
    chat = ChatDriver(old_core)
    await register_until_summary(chat)
    old_secret = old_core.settings.secret_key
    await old_core.db.dispose()

    rotated = await migrated_core(
        settings_factory(database_url=sqlite_url, secret_key=NEW, secret_key_previous=old_secret)
    )
    chat.core = rotated
    await chat.say("data saya")  # old ciphertexts decrypt with the previous key
    assert "SITI AMINAH" in chat.text

    counts = await reencrypt_all(rotated.uow, rotated.keys)
    assert counts["vault_blobs"] == 2 and counts["registrations"] == 1

    only_new = UnitOfWorkFactory(rotated.db, Keyring(NEW))
    async with only_new() as uow:
        reg = (await uow.session.execute(select(Registration))).scalar_one()
        assert uow.registrations.read_data(reg)["nik"] == NIK
        assert reg.nik_hash == Keyring(NEW).lookup_hash(NIK)
        for document in await uow.documents.list_for(reg.id):
            assert (await uow.documents.read(document) or b"").startswith(b"\xff\xd8")
    await rotated.db.dispose()


async def test_rekey_rehashes_and_reencrypts_chat_ids(
    settings_factory: Any, database_url: str
) -> None:
    old_core = await migrated_core(settings_factory(database_url=database_url))
    sender = FakeSender()
    old_core.outbox.add_sender(sender)
    old_core.services.delivery.push_channels.add("push")
    chat = ChatDriver(old_core, channel="push", chat_id="5550001")
    await chat.say("halo")
    await old_core.outbox.drain_once()  # sent under the old key, its channel id hashed with it
    await chat.say("bantuan")  # left pending
    old_secret = old_core.settings.secret_key
    await old_core.db.dispose()

    rotated = await migrated_core(
        settings_factory(database_url=database_url, secret_key=NEW, secret_key_previous=old_secret)
    )
    rotated.services.delivery.push_channels.add("push")
    try:
        chat.core = rotated
        await chat.say("menu")  # found by the hash under the previous key: the same chat
        async with rotated.uow() as uow:
            assert await uow.outbox.mark_delivery("push", "ext-1", "delivered")
            await uow.commit()
        counts = await reencrypt_all(rotated.uow, rotated.keys)
        assert counts["conversations"] == 1 and counts["outbox"] >= 3

        only_new = UnitOfWorkFactory(rotated.db, Keyring(NEW))
        async with only_new() as uow:
            conv = await uow.conversations.find("push", "5550001")
            assert conv is not None and uow.conversations.address(conv) == "5550001"
            assert uow.conversations.read_state(conv) is not None
            assert len(await uow.conversations.history(conv.id)) == conv.last_seq
            items = list((await uow.session.execute(select(OutboxItem))).scalars())
            assert {uow.outbox.address(item) for item in items} == {"5550001"}
            assert all(uow.outbox.payload(item).text for item in items)
    finally:
        await rotated.db.dispose()
