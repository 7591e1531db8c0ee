"""Keys derived from TLIVE_SECRET_KEY: AES-GCM encryption and keyed hashes."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_NONCE_BYTES = 12
_VERSION = b"\x01"


def row_context(table: str, row_id: int, column: str) -> bytes:
    """Return the associated data that binds a ciphertext to one column of one row of a table."""
    return f"{table}:{row_id}:{column}".encode()


def json_bytes(value: Any) -> bytes:
    """Serialise a JSON-serialisable value compactly, as :meth:`Cipher.encrypt_json` stores it."""
    return json.dumps(value, separators=(",", ":")).encode()


def derive_key(secret: str, purpose: str) -> bytes:
    """Derive a 256-bit key for one purpose, so one leaked key does not expose the others."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"tlive-v1", info=purpose.encode())
    return hkdf.derive(secret.encode())


class Cipher:
    """Authenticated encryption (AES-256-GCM) with a random nonce per message."""

    def __init__(self, key: bytes, previous: tuple[bytes, ...] = ()) -> None:
        self._aead = AESGCM(key)
        # Keys of earlier secrets still decrypt, so a key can be rotated without downtime.
        self._previous = tuple(AESGCM(old) for old in previous)

    def encrypt(self, plaintext: bytes, *, context: bytes = b"") -> bytes:
        """Encrypt ``plaintext``; ``context`` binds it to where it is stored."""
        nonce = os.urandom(_NONCE_BYTES)
        return _VERSION + nonce + self._aead.encrypt(nonce, plaintext, context)

    def decrypt(self, token: bytes, *, context: bytes = b"") -> bytes:
        """Decrypt a value made by :meth:`encrypt` with the same ``context``."""
        if token[:1] != _VERSION:
            raise ValueError("unknown ciphertext version")
        nonce, body = token[1 : 1 + _NONCE_BYTES], token[1 + _NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, context)
        except InvalidTag:
            for old in self._previous:
                try:
                    return old.decrypt(nonce, body, context)
                except InvalidTag:
                    continue
            raise

    def encrypt_json(self, value: Any, *, context: bytes = b"") -> bytes:
        """Encrypt a JSON-serialisable value."""
        return self.encrypt(json_bytes(value), context=context)

    def decrypt_json(self, token: bytes | None, *, context: bytes = b"") -> Any:
        """Decrypt a value made by :meth:`encrypt_json`; None stays None."""
        return None if token is None else json.loads(self.decrypt(token, context=context))


class Keyring:
    """All keys the service uses, derived once from the configured secret."""

    def __init__(self, secret: str, previous: tuple[str, ...] = ()) -> None:
        def cipher(purpose: str) -> Cipher:
            old = tuple(derive_key(p, purpose) for p in previous)
            return Cipher(derive_key(secret, purpose), old)

        self.documents = cipher("documents")
        self.fields = cipher("fields")
        self._lookup = derive_key(secret, "lookup-hash")
        # Current key first: identifiers hashed before a rotation are still found until rekey.
        self._ids = tuple(derive_key(s, "id-hash") for s in (secret, *previous))
        self.session_key = derive_key(secret, "console-sessions")

    def lookup_hash(self, value: str) -> str:
        """Return a keyed hash, so a NIK can be found without being stored in clear."""
        return hmac.new(self._lookup, value.encode(), hashlib.sha256).hexdigest()

    def id_hash(self, *parts: str) -> str:
        """Return the keyed hash of an identifier (a chat id, a message id) with the current key."""
        return _id_hash(self._ids[0], parts)

    def id_hashes(self, *parts: str) -> tuple[str, ...]:
        """Return the identifier's keyed hash under the current key, then under each earlier one."""
        return tuple(_id_hash(key, parts) for key in self._ids)


def _id_hash(key: bytes, parts: tuple[str, ...]) -> str:
    # JSON keeps the parts apart: ("a", "bc") and ("ab", "c") hash differently.
    message = json.dumps(parts, separators=(",", ":")).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
