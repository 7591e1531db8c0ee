"""Run the photo pre-checks off the event loop and turn them into stored checks and flags."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from bot.photos.checks import PhotoKind, PhotoProblem, check_photo


@dataclass(frozen=True, slots=True)
class CheckedPhoto:
    """A photo after the pre-checks: accepted or not, and what the verifier should know."""

    accepted: bool
    problems: tuple[PhotoProblem, ...]
    clean_jpeg: bytes | None
    width: int
    height: int
    checks: dict[str, Any]

    def registration_flags(self, kind: str) -> dict[str, Any]:
        """Return the flags this photo raises on its registration."""
        flags: dict[str, Any] = {f"{kind}_warnings": [p.key for p in self.problems if not p.hard]}
        if kind == "ktp" and "nik_mismatch" in self.checks:
            flags["ocr_nik_mismatch"] = bool(self.checks["nik_mismatch"])
        return flags


class PhotoService:
    """Check citizens' photos in worker threads (the checks are CPU-bound)."""

    def __init__(self, *, ocr: bool = True) -> None:
        self._ocr = ocr

    async def check(self, data: bytes, kind: str, typed_nik: str | None) -> CheckedPhoto:
        """Check a KTP/resi photo or a selfie."""
        verdict = await asyncio.to_thread(
            check_photo, data, PhotoKind(kind), typed_nik=typed_nik, ocr=self._ocr
        )
        return CheckedPhoto(
            accepted=verdict.accepted, problems=tuple(verdict.problems),
            clean_jpeg=verdict.clean_jpeg, width=verdict.width, height=verdict.height,
            checks=_jsonable(dict(verdict.flags)),
        )  # fmt: skip


def _jsonable(flags: dict[str, Any]) -> dict[str, Any]:
    # The OCR'd NIK is personal data: the verifier sees only whether it matched.
    flags.pop("ocr_nik", None)
    return {
        k: (v if isinstance(v, str | int | float | bool | None) else str(v))
        for k, v in flags.items()
    }
