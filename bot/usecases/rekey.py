"""Re-encrypt everything stored with the current key (after TLIVE_SECRET_KEY is rotated)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.crypto import Keyring
from bot.storage.models import Conversation, Message, OutboxItem, Registration, VaultBlob
from bot.storage.uow import UnitOfWorkFactory

BATCH = 500


async def reencrypt_all(uow_factory: UnitOfWorkFactory, keys: Keyring) -> dict[str, int]:
    """Rewrite every encrypted value (and NIK lookup hash) with the current key."""
    fields = keys.fields

    def json_column(attr: str, context: bytes) -> Callable[[Any], None]:
        def apply(row: Any) -> None:
            value = getattr(row, attr)
            if value is not None:
                setattr(
                    row,
                    attr,
                    fields.encrypt(fields.decrypt(value, context=context), context=context),
                )

        return apply

    def registration(row: Registration) -> None:
        json_column("data_enc", b"reg")(row)
        data = fields.decrypt_json(row.data_enc, context=b"reg") or {}
        row.nik_hash = keys.lookup_hash(data["nik"]) if data.get("nik") else None

    def blob(row: VaultBlob) -> None:
        context = f"blob:{row.id}".encode()
        row.ciphertext = keys.documents.encrypt(
            keys.documents.decrypt(row.ciphertext, context=context), context=context
        )

    plan: list[tuple[type[Any], Callable[[Any], None]]] = [
        (Conversation, json_column("state_enc", b"conv")),
        (Message, json_column("body_enc", b"msg")),
        (OutboxItem, json_column("payload_enc", b"outbox")),
        (Registration, registration),
        (VaultBlob, blob),
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
