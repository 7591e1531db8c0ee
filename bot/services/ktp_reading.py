"""Read a registration's KTP photo after it is stored, off the chat's path, and store the result.

RapidOCR needs ~2 s and ~500 MB per card, so it runs in ONE worker process per service worker
(started on first use, its models loaded once), whose address space is capped at
``TLIVE_KTP_OCR_MEMORY_MB``; a reading over ``TLIVE_KTP_OCR_TIMEOUT_SECONDS`` kills the process
(the next one starts afresh). When RapidOCR is missing, crashes, runs out of memory or time,
Tesseract reads the card instead (~0.5–1 s, in a thread). ``TLIVE_KTP_OCR`` chooses the engine
or switches reading off.

What is read (NIK, name, place and date of birth) is personal data: it goes into the
registration's encrypted data under ``ocr``; the registration's plain ``flags["ocr_fields"]``
holds only how each field agrees with what was typed, the engine, and the rows' boxes on the
photo (for the verifier's crops). Nothing here is logged with content.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import resource
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from typing import Any

from bot.domain.events import Event, PhotoAttached
from bot.photos.ktp_fields import FIELDS, KtpFields, agreement
from bot.photos.read_ktp import Engine, EngineUnavailableError, KtpReading, read_ktp
from bot.storage.models import Registration
from bot.storage.uow import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

OCR_KEY = "ocr"  # in the registration's encrypted data
FLAG = "ocr_fields"  # in its flags
MB = 1024 * 1024


def _limit_memory(limit_mb: int) -> None:
    """Cap the worker process's address space (an initializer: runs in the child)."""
    limit = limit_mb * MB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class KtpReader:
    """Read KTP photos with the chosen engine, bounded in memory and time, with a fallback."""

    def __init__(self, engine: str, *, timeout: float = 30.0, memory_mb: int = 1500) -> None:
        self.engine = engine
        self._timeout = timeout
        self._memory_mb = memory_mb
        self._process: ProcessPoolExecutor | None = None
        self._threads: Executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ktp-ocr")
        self._lock = asyncio.Lock()  # one reading at a time per service worker

    async def read(self, jpeg: bytes) -> KtpReading | None:
        """Return what the card says, or None when no engine could read it."""
        if self.engine == "off":
            return None
        async with self._lock:
            if self.engine == Engine.RAPIDOCR:
                reading = await self._read_rapid(jpeg)
                if reading is not None:
                    return reading
            return await self._read_tesseract(jpeg)

    async def _read_rapid(self, jpeg: bytes) -> KtpReading | None:
        loop = asyncio.get_running_loop()
        pool = self._pool()
        try:
            work = loop.run_in_executor(pool, read_ktp, jpeg, Engine.RAPIDOCR)
            return await asyncio.wait_for(work, self._timeout)
        except TimeoutError:
            log.warning("rapidocr timed out; reading with tesseract")
            self._kill()
        except (BrokenProcessPool, MemoryError):
            log.warning("rapidocr worker died (memory?); reading with tesseract")
            self._kill()
        except EngineUnavailableError:
            log.warning("rapidocr unavailable; reading with tesseract")
        except Exception:
            log.exception("rapidocr failed; reading with tesseract")
        return None

    async def _read_tesseract(self, jpeg: bytes) -> KtpReading | None:
        loop = asyncio.get_running_loop()
        try:
            work = loop.run_in_executor(self._threads, read_ktp, jpeg, Engine.TESSERACT)
            return await asyncio.wait_for(work, self._timeout)
        except EngineUnavailableError:
            return None
        except Exception:
            log.exception("tesseract reading of a KTP failed")
            return None

    def _pool(self) -> ProcessPoolExecutor:
        if self._process is None:
            # "spawn": a clean child, not a fork of a worker holding sockets and threads.
            self._process = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_limit_memory,
                initargs=(self._memory_mb,),
            )
        return self._process

    def _kill(self) -> None:
        """Stop the worker process at once (a stuck reading cannot be cancelled otherwise)."""
        pool, self._process = self._process, None
        if pool is None:
            return
        # ProcessPoolExecutor has no public kill; its processes are what must go.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the worker process and thread."""
        self._kill()
        self._threads.shutdown(wait=False, cancel_futures=True)


class KtpReadings:
    """Read the KTP photos of registrations just stored, and keep the result with them."""

    def __init__(self, uow: UnitOfWorkFactory, reader: KtpReader) -> None:
        self._uow = uow
        self.reader = reader
        self._tasks: set[asyncio.Task[None]] = set()

    def on_photo(self, event: Event) -> None:
        """Start reading the registration's KTP photo (event handler, after the commit)."""
        if self.reader.engine == "off" or not isinstance(event, PhotoAttached):
            return
        if event.kind not in ("ktp", "copied"):
            return
        task = asyncio.get_running_loop().create_task(self.run(event.registration_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the readings under way (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def run(self, registration_id: int) -> None:
        """Read the KTP photo and store the result if the photo is still the one stored."""
        try:
            async with self._uow() as uow:
                ktp = await uow.documents.get(registration_id, "ktp")
                if ktp is None or ktp.purged_at is not None:
                    return
                doc_id = ktp.id
                jpeg = await uow.documents.read(ktp)
            if not jpeg:
                return
            reading = await self.reader.read(jpeg)
        except Exception:
            log.exception("KTP reading failed (registration %s)", registration_id)
            return
        if reading is None:
            return
        async with self._uow() as uow:
            reg = await uow.registrations.get(registration_id, lock=True)
            ktp = await uow.documents.get(registration_id, "ktp")
            if reg is None or ktp is None or ktp.id != doc_id or reg.purged_at is not None:
                return  # erased, or the photo replaced meanwhile: its own event reads it
            store_reading(uow, reg, reading)
            await uow.commit()


def store_reading(uow: UnitOfWork, reg: Registration, reading: KtpReading) -> None:
    """Keep what was read (encrypted) and how it agrees with the typed data (flags)."""
    data = uow.registrations.read_data(reg)
    data[OCR_KEY] = {**reading.fields.personal(), "engine": reading.engine}
    uow.registrations.write_data(reg, data)
    reg.flags = {**(reg.flags or {}), FLAG: summary(reading, data)}


def summary(reading: KtpReading, data: dict[str, Any]) -> dict[str, Any]:
    """Return the flags' part of a reading: agreement, engine, confidence, boxes; no values."""
    fields = reading.fields
    return {
        **agreement(fields, data),
        "engine": reading.engine,
        "confident": fields.confident,
        "fields_read": fields.found,
        "dates_agree": fields.dates_agree,
        "angle": fields.angle,
        "elapsed_ms": reading.elapsed_ms,
        "boxes": {k: [round(c) for p in q for c in p] for k, q in fields.boxes.items()},
    }


def fields_from_data(data: dict[str, Any]) -> KtpFields | None:
    """Return the stored reading of ``data`` (the encrypted registration data), if any."""
    stored = data.get(OCR_KEY)
    if not isinstance(stored, dict):
        return None
    born = stored.get("birth_date")
    try:
        birth = date.fromisoformat(born) if isinstance(born, str) else None
    except ValueError:
        birth = None
    return KtpFields(
        nik=stored.get("nik") or None,
        full_name=stored.get("full_name") or None,
        birth_place=stored.get("birth_place") or None,
        birth_date=birth,
    )


def refresh_agreement(reg: Registration, data: dict[str, Any], changed: str) -> None:
    """Compare the stored reading again after the citizen changed ``changed`` (a typed field)."""
    if changed not in FIELDS:
        return
    flags = dict(reg.flags or {})
    current = flags.get(FLAG)
    fields = fields_from_data(data)
    if not isinstance(current, dict) or fields is None:
        return
    flags[FLAG] = {
        **{k: v for k, v in current.items() if k != "nik_digits_differ"},
        **agreement(fields, data),
    }
    reg.flags = flags
