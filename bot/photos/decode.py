"""Sniff, safely decode and re-encode an uploaded photo."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

_ORIENTATION_TAG = 0x0112
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
) -> DecodedPhoto:
    """Decode ``data`` into an upright RGB array no longer than ``max_side`` pixels.

    The pixel limits are checked on the header before any pixel is decoded. JPEGs are decoded
    directly at a reduced scale (libjpeg's DCT scaling via ``Image.draft``), which is what
    keeps a 12-megapixel photo fast; PNG and WebP must be decoded in full, so they get the
    smaller ``max_pixels_full_decode`` budget.
    """
    fmt = sniff(data)
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
        budget = max_pixels if fmt == "JPEG" else min(max_pixels, max_pixels_full_decode)
        if width * height > budget:
            raise PhotoRefusedError("photo-too-many-pixels")
        # An animation is not a photo. A multi-picture JPEG (MPO: some phones add a depth
        # map or preview this way) is, and its first picture is the photo itself.
        if fmt != "JPEG" and getattr(im, "is_animated", False):
            raise PhotoRefusedError("photo-format")
        orientation = _orientation(im)
        try:
            if fmt == "JPEG":
                scale = max_side / max(width, height)
                if scale < 1:
                    # libjpeg picks the largest 1/2, 1/4, 1/8 reduction still >= this size.
                    im.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))
            im.load()
            upright, orientation = _upright(im, orientation)
            rgb = _to_rgb(upright)
        except Image.DecompressionBombError as exc:
            raise PhotoRefusedError("photo-too-many-pixels") from exc
        except Exception as exc:  # truncated data ("image file is truncated"), bad Huffman…
            raise PhotoRefusedError("photo-corrupt") from exc
    if orientation in (5, 6, 7, 8):  # a quarter turn swaps the sides
        width, height = height, width
    if max(rgb.size) > max_side:
        # reducing_gap lets Pillow box-reduce first: fast, and good enough before a resample.
        rgb.thumbnail((max_side, max_side), Image.Resampling.BICUBIC, reducing_gap=2.0)
    # A fresh array: nothing of the original file (EXIF, GPS, XMP, ICC, comments) survives.
    arr = np.array(rgb, dtype=np.uint8, order="C")
    return DecodedPhoto(arr, fmt, width, height, orientation)


def _orientation(im: Image.Image) -> int:
    """Return the EXIF orientation (1–8), treating a missing or broken tag as 1."""
    try:
        value = int(im.getexif().get(_ORIENTATION_TAG, 1))
    except Exception:  # corrupt EXIF must not make a good picture unusable
        return 1
    return value if 1 <= value <= 8 else 1


def _upright(im: Image.Image, orientation: int) -> tuple[Image.Image, int]:
    """Return ``im`` turned upright as its EXIF orientation says, and the orientation applied."""
    if orientation == 1:
        return im, 1
    try:
        return ImageOps.exif_transpose(im), orientation
    except Exception:  # an EXIF block Pillow cannot rewrite: keep the picture as stored
        return im, 1


def _to_rgb(im: Image.Image) -> Image.Image:
    """Return a plain RGB copy of ``im``, transparent areas on white, 16-bit scaled to 8-bit."""
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        arr = np.asarray(im, dtype=np.float32)
        peak = 65535.0 if im.mode.startswith("I;16") or arr.max() > 255 else 255.0
        gray = np.clip(arr * (255.0 / peak), 0, 255).astype(np.uint8)
        return Image.fromarray(np.dstack([gray] * 3))
    if im.mode == "P" and "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return im.convert("RGB")


def encode_jpeg(rgb: np.ndarray, quality: int) -> bytes:
    """Encode an RGB array as a baseline JPEG with no metadata at all (only the JFIF header)."""
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=quality)
    return buf.getvalue()
