"""Rotating TLIVE_SECRET_KEY: old data stays readable, then everything moves to the new key."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.crypto import Keyring
from bot.storage.models import Registration
from bot.storage.uow import UnitOfWorkFactory
from bot.usecases.rekey import reencrypt_all
from tests.conftest import migrated_core
from tests.dialogs.test_registration import NIK, register_until_summary
from tests.support.chat import ChatDriver

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
