"""Read the NIK off a KTP photo with Tesseract; advice for the verifier, never a verdict."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Any

import numpy as np

from bot.photos.text_lines import Quad, TextLine

# Letters Tesseract confuses with digits in a printed NIK.
_TO_DIGIT = str.maketrans(
    {
        "O": "0", "o": "0", "D": "0", "Q": "0",
        "I": "1", "l": "1", "i": "1", "|": "1", "!": "1", "L": "1",
        "Z": "2", "z": "2",
        "S": "5", "s": "5",
        "G": "6", "b": "6",
        "B": "8",
        "g": "9", "q": "9",
    }
)  # fmt: skip
_DIGITISH = "0-9OoDQIli|!LZzSsGbBgq"
# A run of digit-like characters, allowing single spaces, dots or dashes between them
# ("3671 0145 0190 0001", "3671.0145...").
_RUN = re.compile(rf"[{_DIGITISH}](?:[ .\-]?[{_DIGITISH}])*")
_NIK_LABEL = re.compile(r"\bN[I1l|]K\b", re.IGNORECASE)
# Words printed on a KTP-el or on the receipt (Surat Keterangan / resi) given while it is made.
_KEYWORDS = (
    "PROVINSI", "KABUPATEN", "KOTA", "NIK", "NAMA", "LAHIR", "KELAMIN", "ALAMAT", "RT/RW",
    "DESA", "KECAMATAN", "AGAMA", "PERKAWINAN", "PEKERJAAN", "KEWARGANEGARAAN", "BERLAKU",
    "DARAH", "KEPENDUDUKAN", "PENCATATAN SIPIL", "SURAT KETERANGAN", "KTP-EL", "RESI",
)  # fmt: skip


class OcrStatus(StrEnum):
    """What came of the OCR attempt."""

    OK = "ok"  # a NIK was read
    NO_NIK = "no-nik"  # text was read, but no NIK in it
    UNAVAILABLE = "unavailable"  # Tesseract (or pytesseract) is not installed
    TIMEOUT = "timeout"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class OcrResult:
    """The NIK (if any) and how KTP-like the text looked."""

    status: OcrStatus
    nik: str | None = None
    keywords: int = 0  # distinct KTP words found
    lang: str | None = None
    # The text lines with their boxes and 0–1 scores, for reading the name and birth date from
    # the same pass.
    lines: tuple[TextLine, ...] = ()


@lru_cache(maxsize=1)
def tesseract_language() -> str | None:
    """Return "ind" if Tesseract has Indonesian, else "eng", or None without Tesseract."""
    try:
        import pytesseract

        languages = set(pytesseract.get_languages(config=""))
    except Exception:  # pytesseract missing, tesseract binary missing or broken
        return None
    if "ind" in languages:
        return "ind"
    return "eng" if "eng" in languages else None


def read_nik(gray: np.ndarray, *, timeout: float) -> OcrResult:
    """Run Tesseract on ``gray`` (uint8) for at most ``timeout`` seconds and look for a NIK."""
    lang = tesseract_language()
    if lang is None:
        return OcrResult(OcrStatus.UNAVAILABLE)
    import pytesseract

    try:
        # psm 11, "sparse text": a photo of a card is not a page of prose; this finds the
        # NIK wherever the card sits in the frame and however the fields are laid out.
        # Words with their boxes (one pass): the lines also give the name and birth date.
        data = pytesseract.image_to_data(
            gray, lang=lang, config="--psm 11", timeout=timeout, output_type=pytesseract.Output.DICT
        )
    except RuntimeError as exc:  # pytesseract signals its timeout with a RuntimeError
        status = OcrStatus.TIMEOUT if "timeout" in str(exc).lower() else OcrStatus.ERROR
        return OcrResult(status, lang=lang)
    except Exception:
        return OcrResult(OcrStatus.ERROR, lang=lang)
    lines = _lines(data)
    text = "\n".join(line.text for line in lines)
    nik = find_nik(text)
    keywords = count_keywords(text)
    return OcrResult(OcrStatus.OK if nik else OcrStatus.NO_NIK, nik, keywords, lang, tuple(lines))


def _lines(data: dict[str, list[Any]]) -> list[TextLine]:
    """Join Tesseract's words into its lines, each with its box and its weakest word's score."""
    groups: dict[tuple[object, ...], list[int]] = {}
    for i, word in enumerate(data.get("text", [])):
        if str(word).strip():
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            groups.setdefault(key, []).append(i)
    lines = []
    for members in groups.values():
        x0 = min(int(data["left"][i]) for i in members)
        y0 = min(int(data["top"][i]) for i in members)
        x1 = max(int(data["left"][i]) + int(data["width"][i]) for i in members)
        y1 = max(int(data["top"][i]) + int(data["height"][i]) for i in members)
        conf = min(float(data["conf"][i]) for i in members)
        text = " ".join(str(data["text"][i]) for i in members)
        quad: Quad = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
        lines.append(TextLine(text, quad, max(0.0, conf) / 100))
    return lines


def count_keywords(text: str) -> int:
    """Count the distinct KTP/receipt words in ``text``."""
    upper = re.sub(r"\s+", " ", text.upper())
    return sum(1 for word in _KEYWORDS if word in upper)


def find_nik(text: str) -> str | None:
    """Return the most likely 16-digit NIK in OCR ``text``, or None.

    Confusable letters become digits (O→0, I/l→1, S→5, B→8, …) and separators vanish, but a
    candidate must be mostly real digits, so words like "SUKASARI" are never read as numbers.
    A candidate on the line labelled "NIK" and one with a valid structure rank first.
    """
    best: tuple[int, int, str] | None = None
    for order, line in enumerate(text.splitlines()):
        labelled = bool(_NIK_LABEL.search(line))
        for match in _RUN.finditer(line):
            candidate = _as_digits(match.group())
            if candidate is None:
                continue
            rank = 2 * int(labelled) + int(plausible_nik(candidate))
            if best is None or rank > best[0]:
                best = (rank, order, candidate)
    return best[2] if best else None


def _as_digits(run: str) -> str | None:
    compact = re.sub(r"[ .\-]", "", run)
    # Stray letters at either end are usually part of a neighbouring word or a misread colon.
    while len(compact) > 16 and not compact[0].isdigit():
        compact = compact[1:]
    while len(compact) > 16 and not compact[-1].isdigit():
        compact = compact[:-1]
    if len(compact) != 16:
        return None
    if sum(ch.isdigit() for ch in compact) < 12:
        return None
    digits = compact.translate(_TO_DIGIT)
    return digits if digits.isdigit() else None


def plausible_nik(nik: str) -> bool:
    """Tell whether ``nik`` has a NIK's structure: region codes, a real birth date, a serial.

    Women's NIKs add 40 to the day of birth. The year has two digits, so any century is fine.
    """
    if len(nik) != 16 or not nik.isdigit():
        return False
    province, day, month, year2 = int(nik[0:2]), int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if province < 11 or nik[2:4] == "00" or nik[12:] == "0000":
        return False
    if day > 40:
        day -= 40
    for century in (2000, 1900):
        try:
            date(century + year2, month, day)
        except ValueError:
            continue
        return True
    return False
