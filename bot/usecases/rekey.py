"""Re-encrypt everything stored with the current key (after TLIVE_SECRET_KEY is rotated)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.crypto import Cipher, Keyring
from bot.storage.models import (
    Conversation,
    Message,
    OutboxItem,
    Registration,
    VaultBlob,
    WebhookDelivery,
    WebhookEndpoint,
)
from bot.storage.repositories.encrypted import bound
from bot.storage.repositories.registrations import lookup_hashes
from bot.storage.uow import UnitOfWorkFactory

BATCH = 500


async def reencrypt_all(uow_factory: UnitOfWorkFactory, keys: Keyring) -> dict[str, int]:
    """Rewrite every encrypted value, the NIK lookup hashes and the chat id hashes.

    Each ciphertext keeps its associated data (table, row id, column); only the key changes.
    Channel message ids are kept only as hashes and cannot be re-hashed: lookups also try the
    previous keys while they are configured.
    """
    fields = keys.fields

    def recrypt(cipher: Cipher, row: Any, column: str) -> None:
        value = getattr(row, column)
        if value is not None:
            context = bound(row, column)
            setattr(row, column, cipher.encrypt(cipher.decrypt(value, context=context),
                                                context=context))  # fmt: skip

    def conversation(row: Conversation) -> None:
        recrypt(fields, row, "state_enc")
        recrypt(fields, row, "chat_id_enc")
        if row.chat_id_enc is not None:
            chat_id = fields.decrypt(row.chat_id_enc, context=bound(row, "chat_id_enc")).decode()
            row.chat_key = keys.id_hash("chat", row.channel, chat_id)

    def outbox(row: OutboxItem) -> None:
        recrypt(fields, row, "payload_enc")
        recrypt(fields, row, "chat_id_enc")

    def registration(row: Registration) -> None:
        recrypt(fields, row, "data_enc")
        data = fields.decrypt_json(row.data_enc, context=bound(row, "data_enc")) or {}
        for column, value in lookup_hashes(keys, data).items():
            setattr(row, column, value)

    plan: list[tuple[type[Any], Callable[[Any], None]]] = [
        (Conversation, conversation),
        (Message, lambda row: recrypt(fields, row, "body_enc")),
        (OutboxItem, outbox),
        (Registration, registration),
        (VaultBlob, lambda row: recrypt(keys.documents, row, "ciphertext")),
        (WebhookEndpoint, lambda row: recrypt(fields, row, "secret_enc")),
        (WebhookDelivery, lambda row: recrypt(fields, row, "data_enc")),
    ]
    counts: dict[str, int] = {}
    for model, apply in plan:
        counts[model.__tablename__] = await _rewrite(uow_factory, model, apply)
    return counts


async def _rewrite(
    uow_factory: UnitOfWorkFactory, model: type[Any], apply: Callable[[Any], None]
) -> int:
    done, last_id = 0, 0
    while True:
        async with uow_factory() as uow:
            rows = await uow.encrypted_rows.batch(model, after=last_id, limit=BATCH)
            if not rows:
                return done
            for row in rows:
                apply(row)
            last_id = rows[-1].id
            done += len(rows)
            await uow.commit()
