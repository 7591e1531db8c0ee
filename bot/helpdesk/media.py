"""Photos in helpdesk chats: cleaned for agents, kept encrypted, sent by unguessable links.

A citizen's photo is re-encoded (no metadata) and kept for the agent; a photo an agent sends is
served at ``/media/chat/{blob}?k=…`` (the key is an HMAC, so links cannot be guessed), which the
web chat shows and WhatsApp fetches. Only photos agents sent are public by link.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac

from bot.crypto import Keyring
from bot.domain.compare import same_secret
from bot.photos.decode import PhotoRefusedError, decode, encode_jpeg
from bot.photos.limits import DEFAULT_LIMITS
from bot.photos.verdict import PhotoProblem
from bot.services.photos import CheckedPhoto
from bot.storage.models import Message
from bot.storage.repositories.encrypted import bound
from bot.storage.uow import UnitOfWork

MAX_PHOTO_BYTES = DEFAULT_LIMITS.max_bytes  # what every channel accepts from citizens
PHOTO_SIDE = 2000
PHOTO_QUALITY = 85
LINK_PREFIX = "/media/chat/"


class MediaVault:
    """Clean, store and serve the photos exchanged between citizens and agents."""

    def __init__(self, keys: Keyring) -> None:
        self._keys = keys

    async def clean(self, data: bytes) -> CheckedPhoto:
        """Decode a photo and re-encode it without metadata (in a thread)."""
        return await asyncio.to_thread(clean_photo, data)

    async def keep(self, uow: UnitOfWork, message: Message, photo: CheckedPhoto) -> bool:
        """Store a citizen's photo for the agent, encrypted, linked to its history message."""
        if not photo.accepted or not photo.clean_jpeg:
            return False
        message.blob_id = await self.put(uow, photo.clean_jpeg)
        return True

    async def put(self, uow: UnitOfWork, image: bytes) -> int:
        """Store an image encrypted and return its blob id."""
        blob = await uow.helpdesk.new_blob()
        # The same binding as the document vault, so `tlive-bot rekey` re-encrypts these too.
        blob.ciphertext = self._keys.documents.encrypt(image, context=bound(blob, "ciphertext"))
        return blob.id

    async def read(self, uow: UnitOfWork, blob_id: int) -> bytes | None:
        """Return a stored image, decrypted."""
        blob = await uow.helpdesk.blob(blob_id)
        if blob is None:
            return None
        return self._keys.documents.decrypt(blob.ciphertext, context=bound(blob, "ciphertext"))

    def key(self, blob_id: int) -> str:
        """Return the key that makes an agent photo's public link unguessable."""
        message = f"chat-media:{blob_id}".encode()
        return hmac.new(self._keys.session_key, message, hashlib.sha256).hexdigest()[:32]

    def url(self, blob_id: int) -> str:
        """Return the link the citizen's channel fetches an agent's photo from."""
        return f"{LINK_PREFIX}{blob_id}?k={self.key(blob_id)}"

    def opens(self, blob_id: int, key: str) -> bool:
        """Tell whether ``key`` is the link key of this photo."""
        return same_secret(key, self.key(blob_id))  # bytes: any characters may come

    def blob_of(self, url: str) -> int | None:
        """Return the photo a well-keyed agent photo link points at, else None."""
        path, _, key = url.partition("?k=")
        number = path.removeprefix(LINK_PREFIX)
        if not path.startswith(LINK_PREFIX) or not number.isdigit():
            return None
        return int(number) if self.opens(int(number), key) else None

    async def sent_photo(self, uow: UnitOfWork, blob_id: int) -> bytes | None:
        """Return a photo an agent sent to a citizen (only those are public by link)."""
        if not await uow.helpdesk.sent_by_agent(blob_id):
            return None
        return await self.read(uow, blob_id)


def clean_photo(data: bytes) -> CheckedPhoto:
    """Decode and re-encode a photo for the helpdesk; refuse what is not a usable picture."""
    if len(data) > MAX_PHOTO_BYTES:
        return _refused("photo-too-big")
    limits = DEFAULT_LIMITS  # the citizens' photo checks' limits, and their memory budget
    try:
        photo = decode(
            data, max_pixels=limits.max_pixels, max_side=PHOTO_SIDE,
            max_pixels_full_decode=limits.max_pixels_full_decode, wait=limits.decode_wait,
        )  # fmt: skip
    except PhotoRefusedError as exc:
        return _refused(exc.key)
    height, width = photo.rgb.shape[:2]
    return CheckedPhoto(
        kind="chat", accepted=True, problems=(), clean_jpeg=encode_jpeg(photo.rgb, PHOTO_QUALITY),
        width=width, height=height, checks={},
    )  # fmt: skip


def _refused(key: str) -> CheckedPhoto:
    return CheckedPhoto(
        kind="chat", accepted=False, problems=(PhotoProblem(key, True),), clean_jpeg=None,
        width=0, height=0, checks={},
    )  # fmt: skip
