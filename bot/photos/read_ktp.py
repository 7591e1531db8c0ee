"""Read the NIK, name and place/date of birth off a stored KTP photo, with RapidOCR or Tesseract.

Synchronous and CPU-bound: ``bot.services.ktp_reading`` runs it after the photo is stored, in a
worker process with a memory limit, never while a citizen waits. RapidOCR (PP-OCR detection
and recognition models inside the ``rapidocr`` wheel, on ONNX Runtime) reads tilted, blurred and
glary cards better; Tesseract is the fast fallback (~0.5 s). Only the default, bundled models
are ever loaded: ``model_paths`` says where they are, and nothing is downloaded.

What is read is personal data: never log it.
"""

from __future__ import annotations

import io
import logging
import math
import time
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image

from bot.photos.ktp_fields import KtpFields, parse_fields
from bot.photos.ocr import OcrStatus, read_nik
from bot.photos.text_lines import Quad, TextLine

log = logging.getLogger(__name__)

TESSERACT_SIDE = 1600  # long side Tesseract reads: the name's letters ~20 px high
TESSERACT_TIMEOUT = 20.0  # seconds
MAX_SIDE = 2000  # what is stored; RapidOCR's own limit is the same
_RAPID_PARAMS: dict[str, Any] = {
    "Global.log_level": "warning",  # it logs model paths at INFO on every start
    # One thread each: the worker process is the parallelism, and the machine is shared.
    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
}


class Engine(StrEnum):
    """Which OCR reads the card."""

    RAPIDOCR = "rapidocr"
    TESSERACT = "tesseract"


@dataclass(frozen=True, slots=True)
class KtpReading:
    """The fields read, by which engine, how long it took."""

    engine: str
    fields: KtpFields
    elapsed_ms: float
    lines: int  # text pieces the OCR found (0: nothing legible, or not a card)


class EngineUnavailableError(RuntimeError):
    """The engine asked for is not installed (or its models are missing)."""


def read_ktp(jpeg: bytes, engine: Engine | str = Engine.RAPIDOCR) -> KtpReading:
    """Read the card in ``jpeg`` (a stored, upright KTP photo) with ``engine``."""
    engine = Engine(engine)
    started = time.perf_counter()
    rgb = _decode(jpeg)
    lines = rapid_lines(rgb) if engine is Engine.RAPIDOCR else tesseract_lines(rgb)
    fields = parse_fields(lines)
    return KtpReading(
        str(engine), fields, round((time.perf_counter() - started) * 1000, 1), len(lines)
    )


def _decode(jpeg: bytes) -> np.ndarray:
    """Return the photo as RGB, at most ``MAX_SIDE`` long (stored photos already are)."""
    with Image.open(io.BytesIO(jpeg), formats=["JPEG", "PNG", "WEBP"]) as im:
        im.draft("RGB", (MAX_SIDE, MAX_SIDE))
        rgb = im.convert("RGB")
    if max(rgb.size) > MAX_SIDE:
        rgb.thumbnail((MAX_SIDE, MAX_SIDE))
    return np.asarray(rgb)


# --------------------------------------------------------------------------- RapidOCR


def rapidocr_available() -> bool:
    """Tell whether RapidOCR and its bundled default models are installed."""
    try:
        paths = model_paths()
    except EngineUnavailableError:
        return False
    return all(p.is_file() for p in paths)


def model_paths() -> list[Path]:
    """Return the default model files RapidOCR loads: inside the installed package."""
    try:
        import rapidocr
        import yaml
    except ImportError as exc:
        raise EngineUnavailableError("rapidocr is not installed") from exc
    package = Path(rapidocr.__file__).parent
    models = package / "models"
    names = sorted(p.name for p in models.glob("*.onnx")) if models.is_dir() else []
    if not names:
        raise EngineUnavailableError("rapidocr's bundled models are missing")
    # The configuration's default model types must be the ones shipped (a non-default type
    # would be downloaded on first use: never configure one).
    config = yaml.safe_load((package / "config.yaml").read_text(encoding="utf-8"))
    for part in ("Det", "Cls", "Rec"):
        if config.get(part, {}).get("model_path"):
            raise EngineUnavailableError(f"rapidocr {part} points at a model outside the package")
    return [models / name for name in names]


@lru_cache(maxsize=1)
def _rapid_engine() -> Any:
    """Load RapidOCR once per process (~2 s, ~300 MB) with its default bundled models."""
    if not rapidocr_available():
        raise EngineUnavailableError("rapidocr or its bundled models are missing")
    try:
        import onnxruntime

        onnxruntime.disable_telemetry_events()  # it would otherwise phone home on Windows
    except Exception:  # telemetry switch missing in some builds: nothing to turn off
        pass
    from rapidocr import RapidOCR

    logging.getLogger("RapidOCR").setLevel(logging.WARNING)
    return RapidOCR(params=dict(_RAPID_PARAMS))


def rapid_lines(rgb: np.ndarray) -> list[TextLine]:
    """Return RapidOCR's text lines of ``rgb`` (boxes in its pixels)."""
    engine = _rapid_engine()
    out = engine(np.ascontiguousarray(rgb[:, :, ::-1]))  # it expects OpenCV's BGR
    boxes = getattr(out, "boxes", None)
    if boxes is None:
        return []
    lines = []
    for box, text, score in zip(boxes, out.txts or (), out.scores or (), strict=False):
        quad = tuple((float(x), float(y)) for x, y in np.asarray(box)[:4])
        lines.append(TextLine(str(text), quad, float(score)))  # type: ignore[arg-type]
    return lines


# --------------------------------------------------------------------------- Tesseract


def tesseract_lines(rgb: np.ndarray) -> list[TextLine]:
    """Return Tesseract's text lines of ``rgb``, read after straightening the text."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    scale = min(1.0, TESSERACT_SIDE / max(gray.shape))
    if scale < 1.0:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    upright, turn = level(gray)
    # The photo check's own Tesseract pass, on the whole photo: its lines, mapped back.
    result = read_nik(upright, timeout=TESSERACT_TIMEOUT)
    if result.status is OcrStatus.UNAVAILABLE:
        raise EngineUnavailableError("tesseract is not installed")
    if result.status in (OcrStatus.TIMEOUT, OcrStatus.ERROR):
        raise RuntimeError(f"tesseract: {result.status}")
    back = cv2.invertAffineTransform(turn)
    lines = []
    for line in result.lines:
        mapped = (np.array(line.quad, dtype=np.float64) @ back[:, :2].T + back[:, 2]) / scale
        quad: Quad = tuple((float(x), float(y)) for x, y in mapped)  # type: ignore[assignment]
        lines.append(TextLine(line.text, quad, line.score))
    return lines


def level(gray: np.ndarray, *, least: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Return ``gray`` turned so its printed rows are horizontal, and the turn (2×3 matrix).

    A tilt under ``least`` degrees is left as it is (the matrix is then the identity).
    """
    angle = text_angle(gray)
    h, w = gray.shape
    if abs(angle) < least:
        return gray, cv2.getRotationMatrix2D((w / 2, h / 2), 0.0, 1.0)
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, turn, (w, h), flags=cv2.INTER_LINEAR, borderValue=255), turn


def text_angle(gray: np.ndarray, limit: float = 12.0, step: float = 0.5) -> float:
    """Return the rotation (degrees, OpenCV's sense) that makes the printed rows horizontal.

    Rows of dark text on a light card give a spiky horizontal projection when level; the
    angle with the most uneven projection wins. ~40 small rotations of a 500-px copy: ~20 ms.
    """
    small = cv2.resize(gray, None, fx=500 / max(gray.shape), fy=500 / max(gray.shape),
                       interpolation=cv2.INTER_AREA) if max(gray.shape) > 500 else gray  # fmt: skip
    ink = cv2.adaptiveThreshold(
        small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 12
    )
    h, w = ink.shape
    best, best_score = 0.0, -math.inf
    for k in range(int(-limit / step), int(limit / step) + 1):
        angle = k * step
        turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        rows = cv2.warpAffine(ink, turn, (w, h), flags=cv2.INTER_NEAREST).sum(
            axis=1, dtype=np.float64
        )
        score = float(np.var(rows))
        if score > best_score:
            best, best_score = angle, score
    return best
