"""Run the photo pre-checks off the event loop and turn them into stored checks and flags."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from bot.photos.checks import check_photo
from bot.photos.ocr import tesseract_language
from bot.photos.verdict import PhotoKind, PhotoProblem


@dataclass(frozen=True, slots=True)
class CheckedPhoto:
    """A photo after the pre-checks: accepted or not, and what the verifier should know."""

    kind: str
    accepted: bool
    problems: tuple[PhotoProblem, ...]
    clean_jpeg: bytes | None
    width: int
    height: int
    checks: dict[str, Any]
    # The NIK read by OCR: personal data, compared with the typed NIK and never stored.
    ocr_nik: str | None = field(default=None, repr=False)
    # The name and birth date (ISO) read in the same pass, and whether the three are sure
    # enough to offer the citizen (personal data: never stored from here, never logged).
    ocr_name: str | None = field(default=None, repr=False)
    ocr_birth_date: str | None = field(default=None, repr=False)
    ocr_confident: bool = False

    def nik_mismatch(self, typed_nik: str | None) -> bool:
        """Tell whether OCR read a NIK different from the typed one (advice, not a verdict)."""
        return bool(self.ocr_nik and typed_nik and self.ocr_nik != typed_nik)

    def warnings(self, typed_nik: str | None) -> tuple[str, ...]:
        """Return the catalog keys of the soft problems to tell the citizen."""
        keys = [p.key for p in self.problems if not p.hard and p.key != "ktp-nik-mismatch"]
        if self.nik_mismatch(typed_nik):
            keys.append("ktp-nik-mismatch")
        return tuple(keys)

    def registration_flags(self, typed_nik: str | None) -> dict[str, Any]:
        """Return the flags this photo raises on its registration."""
        flags: dict[str, Any] = {f"{self.kind}_warnings": list(self.warnings(typed_nik))}
        if self.kind == "ktp":
            flags["ocr_nik_mismatch"] = self.nik_mismatch(typed_nik)
        return flags


class PhotoService:
    """Check citizens' photos in worker threads (the checks are CPU-bound)."""

    def __init__(self, *, ocr: bool = True) -> None:
        self._ocr = ocr

    @property
    def reads_text(self) -> bool:
        """Tell whether a KTP photo's check also reads its NIK, name and birth date."""
        return self._ocr and tesseract_language() is not None

    async def check(self, data: bytes, kind: str) -> CheckedPhoto:
        """Check a KTP/resi photo or a selfie (the typed NIK is compared later)."""
        verdict = await asyncio.to_thread(check_photo, data, PhotoKind(kind), ocr=self._ocr)
        flags = dict(verdict.flags)
        ocr_nik = flags.pop("ocr_nik", None)
        name, born = flags.pop("ocr_name", None), flags.pop("ocr_birth_date", None)
        return CheckedPhoto(
            kind=kind, accepted=verdict.accepted, problems=tuple(verdict.problems),
            clean_jpeg=verdict.clean_jpeg, width=verdict.width, height=verdict.height,
            checks=_jsonable(flags), ocr_nik=str(ocr_nik) if ocr_nik else None,
            ocr_name=str(name) if name else None, ocr_birth_date=str(born) if born else None,
            ocr_confident=bool(flags.get("ocr_fields_confident")),
        )  # fmt: skip


def _jsonable(flags: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (v if isinstance(v, str | int | float | bool | None) else str(v))
        for k, v in flags.items()
    }
