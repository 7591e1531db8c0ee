"""Compare a registration's KTP face with its selfie after the photo is stored, off the chat's path.

The citizen's answer never waits for it: the comparison (~0.5–0.8 CPU-s, ~200 MB with the
models) runs after the transaction that stored the photo has committed, in one worker thread
per process (one comparison at a time bounds the memory), within ``TIMEOUT`` seconds. Its
result goes into the registration's ``flags`` (``face_similarity``, ``face_band``,
``face_mismatch``, ``card_face_similarity``, ``face_boxes``) if the photos compared are still
the ones stored. It is a hint for the verifier, never a rejection. ``TLIVE_FACE_COMPARISON``
false switches it off.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bot.config import Settings
from bot.domain.events import Event, PhotoAttached
from bot.photos.compare_faces import compare
from bot.storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

TIMEOUT = 30.0  # seconds; a comparison takes ~1 s on one core, longer only on a swamped worker
FACE_FLAGS = (
    "face_similarity", "face_band", "face_mismatch",
    "card_face_similarity", "card_face_band", "face_boxes", "face_compared",
)  # fmt: skip


def without_face_flags(flags: dict[str, Any]) -> dict[str, Any]:
    """Return ``flags`` less an earlier comparison's (the photos it compared are replaced)."""
    return {k: v for k, v in flags.items() if k not in FACE_FLAGS}


class FaceComparisons:
    """Compare the faces of registrations whose photos were just stored."""

    def __init__(self, uow: UnitOfWorkFactory, settings: Settings) -> None:
        self._uow = uow
        self._enabled = settings.face_comparison
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="faces")
        self._tasks: set[asyncio.Task[None]] = set()

    def on_photo(self, event: Event) -> None:
        """Start comparing the registration's faces if both photos are there (event handler)."""
        if not self._enabled or not isinstance(event, PhotoAttached):
            return
        task = asyncio.get_running_loop().create_task(self.run(event.registration_id))
        self._tasks.add(task)  # keep a reference until it is done
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the comparisons under way (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def run(self, registration_id: int) -> None:
        """Compare and store the result; log (without personal data) and give up on failure."""
        try:
            async with self._uow() as uow:
                ktp = await uow.documents.get(registration_id, "ktp")
                selfie = await uow.documents.get(registration_id, "selfie")
                if ktp is None or selfie is None:
                    return  # the other photo comes later; its own event compares them
                ids = (ktp.id, selfie.id)
                ktp_jpeg, selfie_jpeg = (
                    await uow.documents.read(ktp),
                    await uow.documents.read(selfie),
                )
            if not ktp_jpeg or not selfie_jpeg:
                return
            loop = asyncio.get_running_loop()
            work = loop.run_in_executor(self._pool, compare, ktp_jpeg, selfie_jpeg)
            del ktp_jpeg, selfie_jpeg
            result = await asyncio.wait_for(work, TIMEOUT)
        except TimeoutError:
            log.warning("face comparison timed out (registration %s)", registration_id)
            return
        except Exception:
            log.exception("face comparison failed (registration %s)", registration_id)
            return
        async with self._uow() as uow:
            reg = await uow.registrations.get(registration_id, lock=True)
            ktp = await uow.documents.get(registration_id, "ktp")
            selfie = await uow.documents.get(registration_id, "selfie")
            if reg is None or ktp is None or selfie is None or (ktp.id, selfie.id) != ids:
                return  # erased, or a photo replaced meanwhile: its own event compares again
            reg.flags = {
                **without_face_flags(reg.flags or {}),
                **result.flags(),
                "face_compared": True,
            }
            await uow.commit()
