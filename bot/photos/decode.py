"""Sniff, safely decode and re-encode an uploaded photo."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from PIL import Image

from bot.photos.budget import DECODE_BUDGET, BudgetBusyError, MemoryBudget, OverBudgetError
from bot.photos.cost import decode_cost, jpeg_keeps_whole_frame, webp_size

_ORIENTATION_TAG = 0x0112
# How ImageOps.exif_transpose turns each EXIF orientation upright.
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# ISO-BMFF brands of HEIC/HEIF/AVIF: images, but not ones we decode.
_ISOBMFF_IMAGE_BRANDS = (
    b"heic",
    b"heix",
    b"hevc",
    b"hevx",
    b"heim",
    b"heis",
    b"mif1",
    b"msf1",
    b"avif",
    b"avis",
)


class PhotoRefusedError(Exception):
    """Signal that an upload cannot be used; ``key`` is the citizen message id."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True, slots=True)
class DecodedPhoto:
    """An upright RGB picture, at most ``max_side`` pixels long, with no metadata."""

    rgb: np.ndarray  # H×W×3 uint8, C-contiguous
    format: str
    original_width: int  # after EXIF orientation, before any downscaling
    original_height: int
    orientation: int  # the EXIF orientation that was applied (1 = none)


def sniff(data: bytes) -> str:
    """Return the accepted format named by the magic bytes, or raise ``PhotoRefusedError``.

    Only JPEG, PNG and WebP are accepted, and Pillow is then given only that one plugin
    (``Image.open(formats=...)``), which keeps its many rarely-used decoders (and their bugs)
    away from citizens' uploads.
    """
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if _is_other_image(data):
        raise PhotoRefusedError("photo-format")
    raise PhotoRefusedError("photo-not-image")


def _is_other_image(data: bytes) -> bool:
    """Tell whether ``data`` is a picture in a format we do not accept (GIF, HEIC, SVG, …)."""
    head = data[:64]
    if head.startswith(
        (
            b"GIF87a",
            b"GIF89a",
            b"BM",
            b"II*\x00",
            b"MM\x00*",
            b"8BPS",
            b"\x00\x00\x01\x00",
            b"\xff\x0a",
            b"\x00\x00\x00\x0cJXL ",
        )
    ):
        return True
    if head[4:8] == b"ftyp" and (
        head[8:12] in _ISOBMFF_IMAGE_BRANDS or any(b in head[16:48] for b in _ISOBMFF_IMAGE_BRANDS)
    ):
        return True
    # SVG is XML text; an HTML page that merely embeds an <svg> stays "not an image".
    text = data[:4096].lower()
    return b"<svg" in text and b"<html" not in text


def decode(
    data: bytes,
    *,
    max_pixels: int,
    max_pixels_full_decode: int,
    max_side: int,
    budget: MemoryBudget | None = None,
    wait: float = 20.0,
) -> DecodedPhoto:
    """Decode ``data`` into an upright RGB array no longer than ``max_side`` pixels.

    Everything that bounds memory is decided on the header, before any pixel is decoded: the
    declared pixels (``max_pixels``); the pixels held whole in memory (``max_pixels_full_decode``:
    a PNG's or WebP's, a JPEG's after libjpeg's DCT scaling via ``Image.draft``, and all of a
    progressive JPEG's, whose coefficients libjpeg keeps at full size); and the estimated peak
    (``decode_cost``), reserved from the process-wide ``budget`` (waiting at most ``wait``
    seconds for it) for as long as the full-size picture lives.
    """
    fmt = sniff(data)
    declared = webp_size(data) if fmt == "WEBP" else None
    if declared and declared[0] * declared[1] > min(max_pixels, max_pixels_full_decode):
        raise PhotoRefusedError("photo-too-many-pixels")
    try:
        im = Image.open(io.BytesIO(data), formats=[fmt])
    except Image.DecompressionBombError as exc:  # Pillow's own guard, > 2 × MAX_IMAGE_PIXELS
        raise PhotoRefusedError("photo-too-many-pixels") from exc
    except Exception as exc:  # UnidentifiedImageError, SyntaxError, struct.error, …
        raise PhotoRefusedError("photo-corrupt") from exc
    with im:
        width, height = im.size
        if width < 1 or height < 1:
            raise PhotoRefusedError("photo-corrupt")
        if width * height > max_pixels:
            raise PhotoRefusedError("photo-too-many-pixels")
        # An animation is not a photo. A multi-picture JPEG (MPO: some phones add a depth
        # map or preview this way) is, and its first picture is the photo itself.
        if fmt != "JPEG" and getattr(im, "is_animated", False):
            raise PhotoRefusedError("photo-format")
        whole_frame = fmt == "JPEG" and jpeg_keeps_whole_frame(data)
        if fmt == "JPEG":
            _draft(im, max_side)  # sets the reduced size and mode; decodes nothing yet
        held = im.size[0] * im.size[1]
        if whole_frame or fmt != "JPEG":
            held = max(held, width * height)
        if held > max_pixels_full_decode:
            raise PhotoRefusedError("photo-too-many-pixels")
        cost = decode_cost(im, width, height, whole_frame=whole_frame, max_side=max_side)
        with _reserved(budget or DECODE_BUDGET, cost, wait):
            try:
                im.load()
                # Only now: a PNG's EXIF may follow its pixels, and getexif() would decode
                # them all to find it, outside the budget.
                orientation = _orientation(im)
                small = _small_rgb(im, max_side)
                # A fresh array: nothing of the file (EXIF, GPS, XMP, ICC, comments) survives.
                rgb = np.array(_upright(small, orientation), dtype=np.uint8, order="C")
            except Image.DecompressionBombError as exc:
                raise PhotoRefusedError("photo-too-many-pixels") from exc
            except Exception as exc:  # truncated data ("image file is truncated"), bad Huffman…
                raise PhotoRefusedError("photo-corrupt") from exc
    if orientation in (5, 6, 7, 8):  # a quarter turn swaps the sides
        width, height = height, width
    return DecodedPhoto(rgb, fmt, width, height, orientation)


@contextmanager
def _reserved(budget: MemoryBudget, nbytes: int, wait: float) -> Iterator[None]:
    """Hold ``nbytes`` of ``budget``, refusing the photo when that cannot be had."""
    try:
        with budget.reserve(nbytes, wait=wait):
            yield
    except OverBudgetError as exc:  # more than the whole budget: it would never fit
        raise PhotoRefusedError("photo-too-many-pixels") from exc
    except BudgetBusyError as exc:  # the citizen is asked to send it again in a moment
        raise PhotoRefusedError("photo-check-failed") from exc


def _draft(im: Image.Image, max_side: int) -> None:
    """Have libjpeg decode at the largest 1/2, 1/4, 1/8 reduction still >= ``max_side``."""
    width, height = im.size
    scale = max_side / max(width, height)
    if scale < 1:
        im.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))


def _small_rgb(im: Image.Image, max_side: int) -> Image.Image:
    """Return the decoded ``im`` as RGB no longer than ``max_side``.

    Each full-size step frees the one before it as soon as it exists, so at most two
    full-size pictures live at once (what ``decode_cost`` counts).
    """
    flat = _flatten(im)
    if flat is not im:
        im.close()  # frees the decoded pixels; only the flattened copy is needed
    # In place: the full-size pixels go as soon as the small ones exist. reducing_gap lets
    # Pillow box-reduce first (fast, and good enough before a resample); 16-bit pictures
    # cannot be box-reduced.
    gap = None if flat.mode.startswith("I;16") else 2.0
    flat.thumbnail((max_side, max_side), Image.Resampling.BICUBIC, reducing_gap=gap)
    return _to_rgb(flat)


def _flatten(im: Image.Image) -> Image.Image:
    """Return ``im`` with transparent areas on white, and no palette or 1-bit pixels."""
    if im.mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    if im.mode == "1":
        return im.convert("L")
    if im.mode in ("RGBA", "RGBa"):
        # Pasting through its own alpha band blends in place: no RGBA copy is made.
        rgb = Image.new("RGB", im.size, (255, 255, 255))
        rgb.paste(im, mask=im)
        return rgb
    if im.mode in ("LA", "La"):
        gray = Image.new("L", im.size, 255)
        gray.paste(im.getchannel("L"), mask=im.getchannel("A"))
        return gray
    return im


def _orientation(im: Image.Image) -> int:
    """Return the EXIF orientation (1–8), treating a missing or broken tag as 1."""
    try:
        value = int(im.getexif().get(_ORIENTATION_TAG, 1))
    except Exception:  # corrupt EXIF must not make a good picture unusable
        return 1
    return value if 1 <= value <= 8 else 1


def _upright(im: Image.Image, orientation: int) -> Image.Image:
    """Return ``im`` turned upright as its EXIF ``orientation`` says."""
    method = _TRANSPOSE.get(orientation)
    return im if method is None else im.transpose(method)


def _to_rgb(im: Image.Image) -> Image.Image:
    """Return a plain RGB copy of ``im`` (already flattened), 16-bit scaled to 8-bit."""
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        arr = np.asarray(im, dtype=np.float32)
        peak = 65535.0 if im.mode.startswith("I;16") or arr.max() > 255 else 255.0
        gray = np.clip(arr * (255.0 / peak), 0, 255).astype(np.uint8)
        return Image.fromarray(np.dstack([gray] * 3))
    return im if im.mode == "RGB" else im.convert("RGB")


def encode_jpeg(rgb: np.ndarray, quality: int) -> bytes:
    """Encode an RGB array as a baseline JPEG with no metadata at all (only the JFIF header)."""
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=quality)
    return buf.getvalue()
