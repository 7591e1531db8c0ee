"""Chat ids as a keyed hash plus a ciphertext; every ciphertext bound to its table, row, column.

A WhatsApp number (or a web chat's session secret) stayed in clear in ``conversations.chat_id``
and ``outbox.chat_id``, and WhatsApp message ids, which carry the number, in ``outbox`` and
``inbound_receipts``. Now a conversation keeps a keyed hash of its chat id (``chat_key``, for
lookup) and the id encrypted (``chat_id_enc``); an outbox row its own encrypted copy; message
ids only as keyed hashes. Ciphertexts move from one associated data per table to
``table:row id:column``, so one copied to another row no longer decrypts.

The conversion needs the service's keys: ``tlive-bot migrate`` passes them
(``bot.storage.migrate.upgrade``); an empty database needs none. Everything runs in the
migration's one transaction, so a failure leaves the database as it was.

``conversations`` is referenced by most tables, so its column is renamed in place (SQLite would
otherwise rebuild the table, which foreign keys forbid while rows point at it); ``outbox`` and
``inbound_receipts`` are rebuilt on SQLite.

Revision ID: 0007_chat_id_hashes
Revises: 0006_login_throttles
Create Date: 2026-12-09 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.engine import Connection

from bot.crypto import Cipher, Keyring, row_context

revision = "0007_chat_id_hashes"
down_revision = "0006_login_throttles"
branch_labels = None
depends_on = None

BATCH = 200
Context = Callable[[int], bytes]
# The associated data ciphertexts had before this revision: one per table.
LEGACY: dict[str, Context] = {
    "conversations.state_enc": lambda _id: b"conv",
    "messages.body_enc": lambda _id: b"msg",
    "outbox.payload_enc": lambda _id: b"outbox",
    "registrations.data_enc": lambda _id: b"reg",
    "vault_blobs.ciphertext": lambda row_id: f"blob:{row_id}".encode(),
}


def upgrade() -> None:
    """Apply this revision: hash and encrypt chat ids, bind every ciphertext to its row."""
    bind = op.get_bind()
    keys = _keyring(bind)
    op.execute("ALTER TABLE conversations RENAME COLUMN chat_id TO chat_key")
    op.add_column("conversations", sa.Column("chat_id_enc", sa.LargeBinary(), nullable=True))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("chat_id_enc", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("external_key", sa.String(length=64), nullable=True))
    with op.batch_alter_table("inbound_receipts") as batch:
        batch.add_column(sa.Column("external_key", sa.String(length=64), nullable=True))

    if keys is not None:
        _hash_chat_ids(bind, keys)
        _hash_message_ids(bind, keys)
        for name, legacy in LEGACY.items():
            table, column = name.split(".")
            cipher = keys.documents if table == "vault_blobs" else keys.fields
            _recrypt(bind, cipher, table, column, legacy, _bound(table, column))

    if bind.dialect.name == "postgresql":  # SQLite does not enforce lengths
        op.alter_column(
            "conversations", "chat_key",
            type_=sa.String(length=64), existing_type=sa.String(length=160),
            existing_nullable=False,
        )  # fmt: skip
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_chat_id")
        batch.drop_index("ix_outbox_external_id")
        batch.drop_column("chat_id")
        batch.drop_column("external_id")
        batch.alter_column("chat_id_enc", existing_type=sa.LargeBinary(), nullable=False)
        batch.create_index("ix_outbox_external_key", ["external_key"], unique=False)
    with op.batch_alter_table("inbound_receipts") as batch:
        batch.drop_constraint("uq_inbound_receipts_channel", type_="unique")
        batch.drop_column("external_id")
        batch.alter_column("external_key", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint("uq_inbound_receipts_channel", ["channel", "external_key"])


def downgrade() -> None:
    """Revert this revision: chat ids back in clear, per-table associated data.

    Message ids cannot be recovered from their hashes: the dedup memory of inbound messages
    is emptied and sent messages lose their channel id (only delivery callbacks need it).
    """
    bind = op.get_bind()
    keys = _keyring(bind)
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("chat_id", sa.String(length=160), nullable=True))
        batch.add_column(sa.Column("external_id", sa.String(length=128), nullable=True))
    op.execute("DELETE FROM inbound_receipts")
    with op.batch_alter_table("inbound_receipts") as batch:
        batch.drop_constraint("uq_inbound_receipts_channel", type_="unique")
        batch.drop_column("external_key")
        batch.add_column(sa.Column("external_id", sa.String(length=128), nullable=False))
        batch.create_unique_constraint("uq_inbound_receipts_channel", ["channel", "external_id"])
    if bind.dialect.name == "postgresql":
        op.alter_column(
            "conversations", "chat_key",
            type_=sa.String(length=160), existing_type=sa.String(length=64),
            existing_nullable=False,
        )  # fmt: skip

    if keys is not None:
        _clear_chat_ids(bind, keys)
        for name, legacy in LEGACY.items():
            table, column = name.split(".")
            cipher = keys.documents if table == "vault_blobs" else keys.fields
            _recrypt(bind, cipher, table, column, _bound(table, column), legacy)

    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_external_key")
        batch.drop_column("external_key")
        batch.drop_column("chat_id_enc")
        batch.alter_column("chat_id", existing_type=sa.String(length=160), nullable=False)
        batch.create_index("ix_outbox_chat_id", ["chat_id"], unique=False)
        batch.create_index("ix_outbox_external_id", ["external_id"], unique=False)
    op.drop_column("conversations", "chat_id_enc")
    op.execute("ALTER TABLE conversations RENAME COLUMN chat_key TO chat_id")


def _keyring(bind: Connection) -> Keyring | None:
    """Return the keys ``tlive-bot migrate`` passed; fail if rows need them and none came."""
    keys = context.config.attributes.get("keyring")
    if keys is not None:
        return keys  # type: ignore[no-any-return]
    tables = ("conversations", "messages", "outbox", "inbound_receipts", "registrations",
              "vault_blobs")  # fmt: skip
    if any(bind.execute(sa.text(f"SELECT 1 FROM {t} LIMIT 1")).first() for t in tables):
        raise RuntimeError(
            f"revision {revision} re-encrypts stored data and needs TLIVE_SECRET_KEY: "
            "run `tlive-bot migrate`"
        )
    return None


def _bound(table: str, column: str) -> Context:
    return lambda row_id: row_context(table, row_id, column)


def _batches(bind: Connection, table: sa.TableClause, *columns: str) -> Iterator[list[Any]]:
    """Yield the rows of ``table`` by id, ``BATCH`` at a time."""
    last = 0
    while True:
        stmt = (
            sa.select(table.c.id, *(table.c[c] for c in columns))
            .where(table.c.id > last)
            .order_by(table.c.id)
            .limit(BATCH)
        )
        rows = list(bind.execute(stmt))
        if not rows:
            return
        yield rows
        last = rows[-1].id


def _update(bind: Connection, table: sa.TableClause, values: list[dict[str, Any]]) -> None:
    if not values:
        return
    columns = {k: sa.bindparam(f"v_{k}") for k in values[0] if k != "id"}
    stmt = table.update().where(table.c.id == sa.bindparam("v_id")).values(columns)
    bind.execute(stmt, [{f"v_{k}": v for k, v in row.items()} for row in values])


def _recrypt(
    bind: Connection, cipher: Cipher, table: str, column: str, old: Context, new: Context
) -> None:
    """Re-encrypt ``table.column`` from associated data ``old(id)`` to ``new(id)``."""
    t = sa.table(table, sa.column("id", sa.BigInteger()), sa.column(column, sa.LargeBinary()))
    for rows in _batches(bind, t, column):
        values = []
        for row in rows:
            token = row[1]
            if token is None:
                continue
            try:
                plain = cipher.decrypt(token, context=old(row.id))
            except Exception as exc:
                raise RuntimeError(
                    f"{table}.{column} of row {row.id} does not decrypt: is TLIVE_SECRET_KEY "
                    "(and TLIVE_SECRET_KEY_PREVIOUS) the key it was written with?"
                ) from exc
            values.append({"id": row.id, column: cipher.encrypt(plain, context=new(row.id))})
        _update(bind, t, values)


def _hash_chat_ids(bind: Connection, keys: Keyring) -> None:
    """Replace clear chat ids by their keyed hash and keep them encrypted to the row."""
    conversations = sa.table(
        "conversations", sa.column("id", sa.BigInteger()), sa.column("channel", sa.String()),
        sa.column("chat_key", sa.String()), sa.column("chat_id_enc", sa.LargeBinary()),
    )  # fmt: skip
    for rows in _batches(bind, conversations, "channel", "chat_key"):
        _update(bind, conversations, [
            {"id": r.id, "chat_key": keys.id_hash("chat", r.channel, r.chat_key),
             "chat_id_enc": _encrypt_id(keys, "conversations", r.id, r.chat_key)}
            for r in rows
        ])  # fmt: skip
    outbox = sa.table(
        "outbox", sa.column("id", sa.BigInteger()), sa.column("channel", sa.String()),
        sa.column("chat_id", sa.String()), sa.column("chat_id_enc", sa.LargeBinary()),
    )  # fmt: skip
    for rows in _batches(bind, outbox, "chat_id"):
        _update(bind, outbox, [
            {"id": r.id, "chat_id_enc": _encrypt_id(keys, "outbox", r.id, r.chat_id)}
            for r in rows
        ])  # fmt: skip


def _encrypt_id(keys: Keyring, table: str, row_id: int, chat_id: str) -> bytes:
    return keys.fields.encrypt(chat_id.encode(), context=row_context(table, row_id, "chat_id_enc"))


def _hash_message_ids(bind: Connection, keys: Keyring) -> None:
    """Keep channel message ids only as keyed hashes (a WhatsApp one carries the number)."""
    for table, purpose in (("outbox", "message"), ("inbound_receipts", "receipt")):
        t = sa.table(
            table, sa.column("id", sa.BigInteger()), sa.column("channel", sa.String()),
            sa.column("external_id", sa.String()), sa.column("external_key", sa.String()),
        )  # fmt: skip
        for rows in _batches(bind, t, "channel", "external_id"):
            _update(bind, t, [
                {"id": r.id, "external_key": keys.id_hash(purpose, r.channel, r.external_id)}
                for r in rows if r.external_id is not None
            ])  # fmt: skip


def _clear_chat_ids(bind: Connection, keys: Keyring) -> None:
    """Put decrypted chat ids back in clear (the downgrade)."""
    conversations = sa.table(
        "conversations", sa.column("id", sa.BigInteger()), sa.column("chat_key", sa.String()),
        sa.column("chat_id_enc", sa.LargeBinary()),
    )  # fmt: skip
    for rows in _batches(bind, conversations, "chat_id_enc"):
        _update(bind, conversations, [
            {"id": r.id, "chat_key": _decrypt_id(keys, "conversations", r.id, r.chat_id_enc)}
            for r in rows if r.chat_id_enc is not None
        ])  # fmt: skip
    outbox = sa.table(
        "outbox", sa.column("id", sa.BigInteger()), sa.column("chat_id", sa.String()),
        sa.column("chat_id_enc", sa.LargeBinary()),
    )  # fmt: skip
    for rows in _batches(bind, outbox, "chat_id_enc"):
        _update(bind, outbox, [
            {"id": r.id, "chat_id": _decrypt_id(keys, "outbox", r.id, r.chat_id_enc)}
            for r in rows
        ])  # fmt: skip


def _decrypt_id(keys: Keyring, table: str, row_id: int, token: bytes) -> str:
    return keys.fields.decrypt(token, context=row_context(table, row_id, "chat_id_enc")).decode()
